"""Every exercise test starts in English with every module exercise's hints reset."""

import pytest

from mmtutor import exercises
from mmtutor.exercises import evaluation, formulas, fusion, shared_representations


@pytest.fixture(autouse=True)
def fresh_exercises():
    exercises.set_language("en")
    for module in (evaluation, formulas, fusion, shared_representations):
        for name in module.__all__:
            getattr(module, name).reset_hints()
    yield
    exercises.set_language("en")
