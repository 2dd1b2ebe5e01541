"""Train a model the same way everywhere: seeds, a validation split, best-epoch restore, timing.

The book's chapters, its benchmark scripts and a learner's notebook all train through these
functions, so a number measured in one place can be reproduced in another:

- :func:`fit` compiles a model with Adam, trains it, watches the validation loss, restores
  the weights of the best epoch and records the history and the wall-clock and CPU time;
- :class:`Trainer` trains a fresh model per seed on one compiled twin per architecture, so
  TensorFlow traces each training step once (on the book's small models tracing costs more
  than training), while every seed's numbers stay those of a model trained alone;
- :func:`fit_over_seeds` is the loop a comparison needs: every candidate, every seed;
- :func:`fit` with ``strategy=`` trains data-parallel under ``tf.distribute``;
  :func:`fit_custom_loop` is its loop over ``strategy.run`` for multi-worker training.

The test split is never touched here: evaluation lives in :mod:`mmtutor.evaluation`.
"""

from mmtutor.training._distribute import fit_custom_loop
from mmtutor.training._fit import (
    TrainingResult,
    build_training_state,
    fit,
    reset_optimizer,
    split_arrays,
)
from mmtutor.training._seeds import Trainer, fit_over_seeds

__all__ = [
    "Trainer",
    "TrainingResult",
    "build_training_state",
    "fit",
    "fit_custom_loop",
    "fit_over_seeds",
    "reset_optimizer",
    "split_arrays",
]
