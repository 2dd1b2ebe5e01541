"""Automatic checkers for the book's exercises: ``q.check(answer)``, ``q.hint()``, ``q.solution()``.

Every chapter ends with exercises. A code exercise gives a cell with blanks, ``____``, and a
line ``q.check(my_function)`` below it; the result says **correct** (with why it matters),
**incorrect** (with a hint that names what failed) or **not attempted** (while blanks are
left), and renders itself in Jupyter and Colab. ``q.hint()`` gives staged hints, the first
general and each next one more specific; ``q.solution()`` shows the reference solution.
The checkers never raise on a learner's answer.

Exercises live in modules by topic, not by page: :mod:`~mmtutor.exercises.modalities`
(modalities, late fusion, shared spaces), :mod:`~mmtutor.exercises.formulas` (the four
formulas), :mod:`~mmtutor.exercises.networks` (convolution, GRU and LSTM cells),
:mod:`~mmtutor.exercises.fusion`, :mod:`~mmtutor.exercises.shared_representations`
(InfoNCE, retrieval), :mod:`~mmtutor.exercises.interpretability` (saliency, ablation,
scaling), :mod:`~mmtutor.exercises.scale` (replicas, the global batch, precision) and
:mod:`~mmtutor.exercises.evaluation` (precision, recall, F1). A chapter can add its own with
the generic classes: :class:`CodeExercise` (with :class:`Case` and :class:`Mistake`),
:class:`MultipleChoice`, :class:`NumericAnswer` and :class:`ExperimentAnswer`. Messages are
stored in English and Chinese; :func:`set_language` chooses.

Example:
    >>> import numpy as np
    >>> from mmtutor.exercises import ____, formulas
    >>> def autoencoder_loss(x, x_hat):
    ...     return ____
    >>> formulas.autoencoder_loss.check(autoencoder_loss).status
    'not_attempted'
    >>> def autoencoder_loss(x, x_hat):
    ...     return np.mean(np.sum((x - x_hat) ** 2, axis=tuple(range(1, x.ndim))))
    >>> formulas.autoencoder_loss.check(autoencoder_loss).status
    'correct'

Book: section "sec-formulas" (every chapter's exercises use this package).
"""

from mmtutor.exercises import (  # noqa: E402  (topics build their exercises from the above)
    evaluation,
    formulas,
    fusion,
    interpretability,
    modalities,
    networks,
    scale,
    shared_representations,
)
from mmtutor.exercises._choice import ExperimentAnswer, MultipleChoice, NumericAnswer
from mmtutor.exercises._code import Case, CodeExercise, Mistake
from mmtutor.exercises._display import Hint, Result, Solution
from mmtutor.exercises._exercise import Exercise, PlaceholderError, ____, is_blank
from mmtutor.exercises._language import get_language, set_language, text

__all__ = [
    "____",
    "Case",
    "CodeExercise",
    "Exercise",
    "ExperimentAnswer",
    "Hint",
    "Mistake",
    "MultipleChoice",
    "NumericAnswer",
    "PlaceholderError",
    "Result",
    "Solution",
    "evaluation",
    "formulas",
    "fusion",
    "get_language",
    "interpretability",
    "is_blank",
    "modalities",
    "networks",
    "scale",
    "set_language",
    "shared_representations",
    "text",
]
