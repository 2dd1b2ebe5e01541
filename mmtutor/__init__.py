"""mmtutor: multimodal deep learning, taught by running it.

The package behind the mmtutor book. Every chapter imports it; learners import it in exercises.
Subpackages: ``datasets`` (data), ``modalities`` (the names of the modalities), ``layers`` and
``models`` (Keras building blocks), ``losses`` and ``metrics`` (the formulas the book derives),
``impute``, ``plotting``, ``notebook`` (numbers from cells to the book's prose), and the
protocol every chapter and benchmark follows: ``training``
(fit over seeds), ``evaluation`` (scores, modalities removed, retrieval), ``reports`` (means
over seeds, tables, JSON), ``recipes`` (the book's models and schedules) and ``protocol`` (the
benchmark of one seed); ``exercises`` checks the learner's answers.

``import mmtutor`` makes every subpackage available, e.g. ``mmtutor.metrics.accuracy``.
"""

__version__ = "0.2.0"

from mmtutor import (  # noqa: E402  (the version is set first: subpackages may read it)
    datasets,
    evaluation,
    exercises,
    impute,
    layers,
    losses,
    metrics,
    modalities,
    models,
    notebook,
    plotting,
    protocol,
    recipes,
    reports,
    training,
)

__all__ = [
    "__version__",
    "datasets",
    "evaluation",
    "exercises",
    "impute",
    "layers",
    "losses",
    "metrics",
    "modalities",
    "models",
    "notebook",
    "plotting",
    "protocol",
    "recipes",
    "reports",
    "training",
]
