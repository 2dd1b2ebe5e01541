"""Every exercise test starts in English with the hints of every topic's exercises reset."""

import pytest

from mmtutor import exercises

TOPICS = [getattr(exercises, name) for name in exercises.__all__
          if type(getattr(exercises, name)).__name__ == "module"]


@pytest.fixture(autouse=True)
def fresh_exercises():
    exercises.set_language("en")
    for module in TOPICS:
        for name in module.__all__:
            if isinstance(getattr(module, name), exercises.Exercise):
                getattr(module, name).reset_hints()
    yield
    exercises.set_language("en")
