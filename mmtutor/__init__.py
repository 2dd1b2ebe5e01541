"""mmtutor: multimodal deep learning, taught by running it.

The package behind the mmtutor book. Every chapter imports it; learners import it in exercises.
Subpackages: ``datasets`` (data), ``layers`` and ``models`` (Keras building blocks), ``losses``
and ``metrics`` (the formulas the book derives), ``impute``, ``plotting`` and ``experiments``
(helpers for the chapters).

``import mmtutor`` makes every subpackage available, e.g. ``mmtutor.metrics.accuracy``.
"""

__version__ = "0.1.0"

from mmtutor import (  # noqa: E402  (the version is set first: subpackages may read it)
    datasets,
    experiments,
    impute,
    layers,
    losses,
    metrics,
    models,
    plotting,
)

__all__ = [
    "__version__",
    "datasets",
    "experiments",
    "impute",
    "layers",
    "losses",
    "metrics",
    "models",
    "plotting",
]
