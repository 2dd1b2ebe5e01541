"""Train a fresh model per seed on one traced twin per architecture."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

import keras
import numpy as np

from mmtutor import _validation as v
from mmtutor.training._fit import (
    _DEFAULT_LOSS,
    TrainingResult,
    _check_options,
    _compile,
    _train,
    build_training_state,
    reset_optimizer,
    split_arrays,
)


class Trainer:
    """Train a fresh model per seed on one compiled twin per architecture.

    Tracing a training step costs more than training the book's small models, so each
    architecture (named by ``key``) is compiled and traced once. For every seed,
    ``keras.utils.set_random_seed(seed)`` runs, a fresh model is built (its own initial
    weights), and *every* variable of it, the random layers' seed states included, is
    copied into the twin; the twin's optimizer goes back to step 0. Training then runs
    exactly as on the fresh model, so a seed's numbers do not depend on which seeds this
    trainer ran before. The trained variables are copied back into the fresh model, which
    the result holds: results stay independent of later training.

    The architecture built by ``make_model`` must be the same on every call with one ``key``
    (including which layers are frozen); its weights may differ. A model with a layer that
    keeps state outside its variables (an adapted ``keras.layers.Normalization``, whose
    statistics a traced step holds as constants) is trained on its own, traced anew.

    Args:
        epochs: default most epochs to train.
        batch_size: default batch size.
        learning_rate: default Adam learning rate.
        patience: default early-stopping patience (None: no early stopping).
        loss: default loss (None for models with a built-in loss).
        metrics: metrics compiled with the loss.

    Example:
        >>> import keras, numpy as np
        >>> x, y = np.eye(2, dtype="float32").repeat(4, axis=0), np.arange(2).repeat(4)
        >>> make = lambda: keras.Sequential([keras.Input((2,)),
        ...                                  keras.layers.Dense(2, activation="softmax")])
        >>> trainer = Trainer(epochs=2, batch_size=4)
        >>> results = [trainer.fit("dense", make, (x, y), seed=s) for s in (0, 1)]
        >>> [(r.seed, r.epochs) for r in results]
        [(0, 2), (1, 2)]

    Book: section "sec-training-protocol".
    """

    def __init__(self, *, epochs=30, batch_size=64, learning_rate=2e-3, patience=None,
                 loss=_DEFAULT_LOSS, metrics=("accuracy",)):
        self.learning_rate = _check_options("Trainer", epochs, batch_size, learning_rate,
                                            patience)
        self.epochs = int(epochs)
        self.batch_size = int(batch_size)
        self.patience = patience
        self.loss = loss
        self.metrics = tuple(metrics)
        self._twins = {}

    def fit(self, key: str, make_model: Callable[[], keras.Model], train, *, seed: int,
            validation=None, name=None, **overrides) -> TrainingResult:
        """Build a fresh model with ``seed`` and train it on the twin of ``key``.

        Args:
            key: names the architecture; one twin is compiled and traced per key.
            make_model: function of no arguments returning a new, uncompiled model.
            train: training data, as for :func:`fit`.
            seed: integer seed of the initial weights, the shuffling and random layers.
            validation: validation data, as for :func:`fit`, or None.
            name: the result's name (default: ``key``).
            **overrides: ``epochs``, ``batch_size``, ``learning_rate``, ``patience`` or
                ``loss`` for this call only (a key's ``loss`` is fixed by its first call).

        Returns:
            A :class:`TrainingResult` whose model is the fresh model with trained weights.

        Raises:
            TypeError: if ``make_model`` is not callable or does not return a model.
            ValueError: for an unknown override, or a model whose variables differ from
                the twin's.
        """
        fname = "Trainer.fit"
        unknown = sorted(set(overrides) - {"epochs", "batch_size", "learning_rate",
                                           "patience", "loss"})
        if unknown:
            raise ValueError(v.message(fname, "overrides among epochs, batch_size, "
                                       "learning_rate, patience and loss",
                                       f"{unknown[0]}={overrides[unknown[0]]!r}"))
        if not callable(make_model) or isinstance(make_model, keras.Model):
            raise TypeError(v.message(fname, "make_model to be a function returning a new "
                                      "keras.Model", f"make_model={make_model!r}",
                                      "Pass e.g. lambda: FusionClassifier(...)"))
        v.check_type(fname, "seed", seed, (int, np.integer), "an integer")
        options = {"epochs": self.epochs, "batch_size": self.batch_size,
                   "learning_rate": self.learning_rate, "patience": self.patience,
                   "loss": self.loss, **overrides}
        options["learning_rate"] = _check_options(fname, options["epochs"],
                                                  options["batch_size"],
                                                  options["learning_rate"], options["patience"])
        train = split_arrays(fname, "train", train)
        validation = None if validation is None else split_arrays(fname, "validation",
                                                                  validation)
        start, cpu_start = time.perf_counter(), time.process_time()
        keras.utils.set_random_seed(int(seed))
        fresh = make_model()
        v.check_type(fname, "make_model()", fresh, keras.Model, "a keras.Model")
        twin = self._twins.get(key)
        if twin is None or not _state_in_variables(fresh):
            # First seed of this architecture, or a model whose layers keep state outside
            # their variables (an adapted Normalization's statistics): train it directly.
            twin = self._twins[key] = fresh
            _compile(twin, options["learning_rate"], options["loss"], self.metrics)
            build_training_state(twin, *train)
        else:
            _copy_variables(fname, fresh, twin)
            reset_optimizer(twin.optimizer, options["learning_rate"])
        history, run, best = _train(twin, train, validation, epochs=int(options["epochs"]),
                                    batch_size=int(options["batch_size"]),
                                    patience=options["patience"], verbose=0, callbacks=())
        if twin is fresh:  # the twin keeps training later seeds: the result gets a copy
            fresh = make_model()
        _copy_variables(fname, twin, fresh)
        return TrainingResult(fresh, history, time.perf_counter() - start,
                              time.process_time() - cpu_start, run, best,
                              name=key if name is None else name, seed=int(seed))


def _layers(layer):
    """Yield ``layer`` and every layer nested in it."""
    yield layer
    for child in getattr(layer, "layers", ()):
        if child is not layer:
            yield from _layers(child)


def _state_in_variables(model) -> bool:
    """False if a layer keeps state outside its variables, so a twin cannot take it.

    Keras's preprocessing layers with ``adapt`` (``Normalization``, ``Discretization``, the
    lookups) turn their adapted statistics into constants that a traced step captures.
    """
    return not any(hasattr(layer, "adapt") for layer in _layers(model))


def _copy_variables(name, source, target):
    """Assign every variable of ``source`` (weights and seed states) to ``target``."""
    if len(source.variables) != len(target.variables):
        raise ValueError(v.message(name, "make_model to build the same architecture on every "
                                   "call with one key", f"a model with {len(source.variables)} "
                                   f"variables for a twin with {len(target.variables)}",
                                   "Use another key for another architecture"))
    for to, value in zip(target.variables, source.variables, strict=True):
        to.assign(value)


def fit_over_seeds(candidates: Mapping[str, Callable[[], keras.Model]], train, *,
                   seeds: Sequence[int] = (0, 1, 2), validation=None, trainer=None,
                   **options) -> list[TrainingResult]:
    """Train every candidate once per seed, each from its own fresh model.

    Args:
        candidates: dict from a name to a function of no arguments that returns a new model.
        train: training data, as for :func:`fit`.
        seeds: the seeds; every candidate is trained once with each.
        validation: validation data, or None.
        trainer: the :class:`Trainer` to use (default: a new one built from ``options``).
        **options: :class:`Trainer` arguments (``epochs``, ``batch_size``, ...) when no
            ``trainer`` is given.

    Returns:
        A list of :class:`TrainingResult`, seed by seed, candidates in the order given.

    Raises:
        TypeError: if ``candidates`` is not a non-empty dict.
        ValueError: if ``seeds`` is empty.

    Example:
        >>> import keras, numpy as np
        >>> x, y = np.eye(2, dtype="float32").repeat(4, axis=0), np.arange(2).repeat(4)
        >>> make = lambda: keras.Sequential([keras.Input((2,)),
        ...                                  keras.layers.Dense(2, activation="softmax")])
        >>> results = fit_over_seeds({"dense": make}, (x, y), seeds=(0, 1), epochs=1)
        >>> [(r.name, r.seed) for r in results]
        [('dense', 0), ('dense', 1)]

    Book: section "sec-training-protocol".
    """
    name = "fit_over_seeds"
    if not isinstance(candidates, Mapping) or not candidates:
        raise TypeError(v.message(name, "candidates to be a non-empty dict from name to a "
                                  "function returning a new model",
                                  f"candidates={candidates!r}"))
    seeds = tuple(seeds)
    if not seeds:
        raise ValueError(v.message(name, "at least one seed", "seeds=()",
                                   "Pass e.g. seeds=(0, 1, 2)"))
    trainer = Trainer(**options) if trainer is None else trainer
    return [trainer.fit(key, make, train, seed=seed, validation=validation)
            for seed in seeds for key, make in candidates.items()]
