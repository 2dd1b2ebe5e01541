"""Train one model: compile, build its state, fit with best-epoch restore, time it."""


from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping

import keras
import numpy as np
import tensorflow as tf

from mmtutor import _validation as v
from mmtutor.datasets import to_dataset
from mmtutor.training import _distribute

_DEFAULT_LOSS = "sparse_categorical_crossentropy"


@dataclasses.dataclass
class TrainingResult:
    """One trained model and how its training went.

    Attributes:
        model: the trained ``keras.Model``, holding the weights of the best validation epoch
            when a validation split was given (else of the last epoch).
        history: ``History.history``: per-epoch ``loss`` (and ``val_loss``, metrics).
        seconds: wall-clock seconds of compiling, first-time tracing and training.
        cpu_seconds: CPU seconds of the same (all threads of this process).
        epochs: number of epochs run (fewer than asked when training stopped early).
        best_epoch: the 1-based epoch whose weights the model holds, or None without
            validation data.
        name: the candidate's name ("" when not given).
        seed: the seed the model was created and trained with, or None.
    """

    model: keras.Model
    history: dict
    seconds: float
    cpu_seconds: float
    epochs: int
    best_epoch: int | None
    name: str = ""
    seed: int | None = None


def split_arrays(name: str, arg: str, data):
    """Return ``(inputs, labels)`` from a data split or a tuple; labels may be None.

    Accepts a split object (``data.train``: ``.inputs`` and ``.labels``), a pair
    ``(inputs, labels)``, a 1-tuple ``(inputs,)`` for models whose loss needs no labels, or
    the inputs dict alone. Inputs are an array or a dict of arrays keyed by modality.

    Raises:
        TypeError: for anything else.

    Example:
        >>> import numpy as np
        >>> x, y = split_arrays("fit", "train", (np.zeros((2, 3)), [0, 1]))
        >>> x.shape, y.tolist()
        ((2, 3), [0, 1])
    """
    if hasattr(data, "inputs") and hasattr(data, "labels"):
        return data.inputs, np.asarray(data.labels)
    if isinstance(data, Mapping):
        return data, None
    if isinstance(data, (tuple, list)) and len(data) in (1, 2):
        labels = None if len(data) == 1 or data[1] is None else np.asarray(data[1])
        return data[0], labels
    raise TypeError(
        v.message(name, f"{arg} to be a data split with .inputs and .labels, a pair "
                  "(inputs, labels) or (inputs,) for a model with a built-in loss",
                  f"{arg} of type {type(data).__name__}",
                  "Pass data.train, or (x_train, y_train)")
    )


def _first(inputs, count):
    """The first ``count`` examples of an array or a dict of arrays."""
    if isinstance(inputs, Mapping):
        return {k: np.asarray(x[:count]) for k, x in inputs.items()}
    return np.asarray(inputs[:count])


def build_training_state(model: keras.Model, inputs, labels=None) -> None:
    """Create a compiled model's loss, metric and optimizer variables before its first ``fit``.

    Left to itself, Keras on TensorFlow creates the optimizer's slots (Adam's two moments per
    weight) and the metrics' counters inside the first trace of the training step; a
    ``tf.function`` that creates variables is traced a second time, so the first epoch pays
    for two traces. One forward pass on two examples through the public ``compute_loss``
    and ``compute_metrics`` (whose counters are then reset) and ``optimizer.build`` create
    them first. Training is unchanged: every variable starts at the same value either way.

    Args:
        model: a compiled ``keras.Model``.
        inputs: training inputs (an array or a dict of arrays); only two examples are used.
        labels: the matching labels, or None for a model whose loss needs none.

    Raises:
        ValueError: if the model is not compiled.

    Example:
        >>> import keras, numpy as np
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        >>> model.compile(optimizer="adam", loss="mse")
        >>> build_training_state(model, np.zeros((4, 3)), np.zeros((4, 2)))
        >>> model.optimizer.built
        True

    Book: section "sec-training-protocol".
    """
    if getattr(model, "optimizer", None) is None:
        raise ValueError(v.message("build_training_state", "a compiled model",
                                   "a model without an optimizer",
                                   "Call model.compile(optimizer=..., loss=...) first"))
    x = _first(inputs, 2)
    y = None if labels is None else np.asarray(labels[:2])
    y_pred = model(x, training=False)
    model.compute_loss(x=x, y=y, y_pred=y_pred, training=False)
    if y is not None:
        model.compute_metrics(x, y, y_pred, sample_weight=None)
    model.reset_metrics()
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)


def reset_optimizer(optimizer: keras.optimizers.Optimizer, learning_rate: float) -> None:
    """Put a built optimizer back in its initial state: step 0, zero moments.

    With :func:`build_training_state` this lets one compiled (and already traced) model train
    again from new initial weights exactly as a fresh model would.

    Args:
        optimizer: a built Keras optimizer.
        learning_rate: the learning rate to start from again.

    Example:
        >>> import keras, numpy as np
        >>> optimizer = keras.optimizers.Adam(0.01)
        >>> weight = keras.Variable(np.ones(2, "float32"))
        >>> optimizer.apply([np.ones(2, "float32")], [weight])  # one step
        >>> reset_optimizer(optimizer, 0.01)
        >>> int(optimizer.iterations), float(np.abs(optimizer.variables[-1]).sum())
        (0, 0.0)

    Book: section "sec-training-protocol".
    """
    learning_rate = v.check_real("reset_optimizer", "learning_rate", learning_rate,
                                 minimum=0.0, strict=True)
    for variable in optimizer.variables:
        if variable.name == "learning_rate":
            variable.assign(learning_rate)
        else:
            variable.assign(np.zeros(variable.shape, dtype=variable.dtype))


def _compile(model, learning_rate, loss, metrics):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss,
                  metrics=list(metrics) if loss is not None else None)


def _check_options(name, epochs, batch_size, learning_rate, patience):
    v.check_positive_int(name, "epochs", epochs)
    v.check_positive_int(name, "batch_size", batch_size)
    if patience is not None:
        v.check_positive_int(name, "patience", patience)
    return v.check_real(name, "learning_rate", learning_rate, minimum=0.0, strict=True)


def _first_batch(dataset):
    """``(inputs, labels or None)`` of a dataset's first batch."""
    x, y, _ = keras.utils.unpack_x_y_sample_weight(next(iter(dataset)))
    x = {k: np.asarray(t) for k, t in x.items()} if isinstance(x, Mapping) else np.asarray(x)
    return x, None if y is None else np.asarray(y)


def _as_datasets(train, validation, *, batch_size, drop_remainder):
    """Array data as ``tf.data`` pipelines; the shuffle seed drawn from NumPy's generator.

    ``keras.utils.set_random_seed`` seeds NumPy, so a seeded run (on every worker alike)
    draws the same shuffling seed.
    """
    if not isinstance(train, tf.data.Dataset):
        seed = int(np.random.randint(2**31 - 1))  # noqa: NPY002 (what set_random_seed seeds)
        train = to_dataset(train, batch_size=batch_size, shuffle=True, seed=seed,
                           drop_remainder=drop_remainder)
    if validation is not None and not isinstance(validation, tf.data.Dataset):
        validation = to_dataset(validation, batch_size=batch_size, shuffle=False,
                                drop_remainder=drop_remainder)
    return train, validation


def _train(model, train, validation, *, epochs, batch_size, patience, verbose, callbacks):
    """Run ``model.fit``; return (history dict, epochs run, best epoch or None)."""
    if isinstance(train, tf.data.Dataset):  # batched already
        x, y, batch_size = train, None, None
    else:
        x, y = train
    callbacks = list(callbacks)
    stop = None
    if validation is not None:
        # Without a patience, train every epoch but still keep the best one's weights.
        stop = keras.callbacks.EarlyStopping("val_loss", patience=patience or epochs,
                                             restore_best_weights=True)
        callbacks.append(stop)
    val = validation
    if validation is not None and not isinstance(validation, tf.data.Dataset):
        val = validation if validation[1] is not None else (validation[0],)
    # A dataset is shuffled by its pipeline; Keras warns if fit is asked to shuffle it.
    history = model.fit(x, y, validation_data=val, epochs=epochs, batch_size=batch_size,
                        callbacks=callbacks, verbose=verbose,
                        shuffle=not isinstance(x, tf.data.Dataset))
    logs = {k: [float(x) for x in vals] for k, vals in history.history.items()}
    best = None
    if stop is not None and "val_loss" in logs:
        best = int(np.argmin(logs["val_loss"])) + 1
    return logs, len(logs.get("loss", [])), best


def _data(name, arg, data):
    if isinstance(data, tf.data.Dataset):
        return data
    return split_arrays(name, arg, data)


def fit(model: keras.Model, train, *, validation=None, epochs=10, batch_size=32,
        learning_rate=1e-3, loss=_DEFAULT_LOSS, metrics=("accuracy",), patience=None,
        verbose=0, callbacks=(), strategy=None) -> TrainingResult:
    """Compile a model with Adam, train it, and keep the weights of its best validation epoch.

    The model is compiled here (``loss=None`` for a model with a built-in loss, such as
    :class:`~mmtutor.models.DualEncoder`), its training state is built before the first step
    (:func:`build_training_state`), and with ``validation`` data the validation loss is
    watched after every epoch: training stops after ``patience`` epochs without
    improvement (never, if ``patience`` is None) and the best epoch's weights are restored.
    Seed the run by calling ``keras.utils.set_random_seed(seed)`` *before* creating the
    model, or use :class:`Trainer`, which does it for you.

    With a ``tf.distribute`` ``strategy``, the model is created (pass a function that builds
    it) and compiled inside ``strategy.scope()``, array data becomes a shuffled ``tf.data``
    pipeline (:func:`~mmtutor.datasets.to_dataset`, seeded from NumPy's generator, which
    ``keras.utils.set_random_seed`` seeds) and ``batch_size`` is the global batch, split
    across the replicas by the strategy's ``experimental_distribute_dataset``. Keras's
    ``fit`` trains, except under ``tf.distribute.MultiWorkerMirroredStrategy``, where it
    fails (keras-team/keras#20585) and a loop over ``strategy.run`` trains instead
    (:func:`~mmtutor.training.fit_custom_loop`: ``loss`` and ``val_loss`` only, no
    callbacks, every batch full).

    Args:
        model: a new ``keras.Model``; with a ``strategy``, a function of no arguments that
            builds one (called inside the strategy's scope), or a model created inside it.
        train: the training data: a split (``data.train``), ``(inputs, labels)``,
            ``(inputs,)`` for a model with a built-in loss, or a batched
            ``tf.data.Dataset`` (``batch_size`` is then not used).
        validation: validation data in the same form, or None.
        epochs: the most epochs to train.
        batch_size: training batch size (the global batch, over all replicas).
        learning_rate: Adam's learning rate.
        loss: the loss to compile with; None for a model that computes its own.
        metrics: metrics to compile with (ignored when ``loss`` is None).
        patience: epochs without a better validation loss before stopping, or None.
        verbose: ``model.fit``'s verbosity (the book uses 0 or 2, never progress bars).
        callbacks: extra Keras callbacks.
        strategy: a ``tf.distribute.Strategy`` to train under, or None for the default
            (one device).

    Returns:
        A :class:`TrainingResult`.

    Raises:
        TypeError: if ``model`` is not a ``keras.Model`` (with a strategy: nor a function
            returning one), ``strategy`` not a ``tf.distribute.Strategy``, or a data
            argument has another form.
        ValueError: for a non-positive ``epochs``, ``batch_size``, ``learning_rate`` or
            ``patience``, a model created outside the strategy's scope, or callbacks under
            ``MultiWorkerMirroredStrategy``.

    Example:
        >>> import keras, numpy as np
        >>> keras.utils.set_random_seed(0)
        >>> x = np.eye(4, dtype="float32").repeat(8, axis=0)  # 32 one-hot rows
        >>> y = np.arange(4).repeat(8)
        >>> model = keras.Sequential([keras.Input((4,)),
        ...                           keras.layers.Dense(4, activation="softmax")])
        >>> result = fit(model, (x, y), validation=(x, y), epochs=5, learning_rate=0.5)
        >>> result.epochs, result.best_epoch, len(result.history["val_loss"])
        (5, 5, 5)

    Book: section "sec-training-protocol".
    """
    name = "fit"
    _distribute.check_strategy(name, strategy)
    learning_rate = _check_options(name, epochs, batch_size, learning_rate, patience)
    train = _data(name, "train", train)
    validation = None if validation is None else _data(name, "validation", validation)
    if strategy is not None:
        model = _distribute.model_in_scope(name, model, strategy)
        return _fit_distributed(model, train, validation, strategy, epochs=int(epochs),
                                batch_size=int(batch_size), learning_rate=learning_rate,
                                loss=loss, metrics=metrics, patience=patience,
                                verbose=verbose, callbacks=callbacks)
    v.check_type(name, "model", model, keras.Model, "a keras.Model")
    start, cpu_start = time.perf_counter(), time.process_time()
    _compile(model, learning_rate, loss, metrics)
    build_training_state(model, *(_first_batch(train) if isinstance(train, tf.data.Dataset)
                                  else train))
    history, run, best = _train(model, train, validation, epochs=int(epochs),
                                batch_size=int(batch_size), patience=patience,
                                verbose=verbose, callbacks=callbacks)
    return TrainingResult(model, history, time.perf_counter() - start,
                          time.process_time() - cpu_start, run, best)


def _fit_distributed(model, train, validation, strategy, *, epochs, batch_size,
                     learning_rate, loss, metrics, patience, verbose, callbacks):
    """:func:`fit` under a strategy: compile in its scope, train on distributed datasets."""
    custom = _distribute.is_multi_worker(strategy)
    if custom and list(callbacks):
        raise ValueError(
            v.message("fit", "no callbacks under MultiWorkerMirroredStrategy",
                      f"callbacks={list(callbacks)!r}",
                      "Keras's fit fails under it (keras-team/keras#20585) and the "
                      "package's loop over strategy.run runs no callbacks; pass callbacks=()")
        )
    start, cpu_start = time.perf_counter(), time.process_time()
    # Every batch full under the custom loop: workers must run the same number of steps.
    train, validation = _as_datasets(train, validation, batch_size=batch_size,
                                     drop_remainder=custom)
    with strategy.scope():
        _compile(model, learning_rate, loss, metrics)
        build_training_state(model, *_first_batch(train))
    if custom:
        history, run, best = _distribute.fit_custom_loop(
            model, strategy, train, validation, epochs=epochs, patience=patience,
            verbose=verbose)
    else:
        history, run, best = _train(model, train, validation, epochs=epochs,
                                    batch_size=batch_size, patience=patience,
                                    verbose=verbose, callbacks=callbacks)
    return TrainingResult(model, history, time.perf_counter() - start,
                          time.process_time() - cpu_start, run, best)
