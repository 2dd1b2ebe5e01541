"""Small experiment helpers the chapters share: train candidates over seeds and tabulate.

A claim such as "fusion beats the best single modality" means little from one training run: a
different seed moves small models by a point or two. These helpers train each candidate model
over a few seeds, measure it the same way every time (accuracy and macro-F1 from
:mod:`mmtutor.metrics`, parameters, training time) and summarise mean and spread, so that a
chapter shows a gain together with its noise.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence

import keras
import numpy as np

from mmtutor import _validation as v
from mmtutor.metrics import accuracy, precision_recall_f1

_MODALITIES = ("image", "audio", "text")

__all__ = [
    "Run",
    "build_training_state",
    "compare_over_seeds",
    "fit_and_evaluate",
    "format_table",
    "fusion_factory",
    "predict_labels",
    "reset_optimizer",
    "summarize",
]


@dataclasses.dataclass
class Run:
    """One trained model and its measurements on the test data.

    Attributes:
        name: the candidate's name.
        seed: the seed it was trained with.
        accuracy: test accuracy.
        macro_f1: test macro-F1.
        params: number of parameters.
        seconds: wall-clock training time (``fit`` and the optimizer state it needs).
        predictions: predicted test labels, shape ``(num_examples,)``.
        model: the trained ``keras.Model``.
        history: ``History.history``, the per-epoch losses and metrics.
    """

    name: str
    seed: int
    accuracy: float
    macro_f1: float
    params: int
    seconds: float
    predictions: np.ndarray
    model: keras.Model
    history: dict


def _as_pair(name: str, arg: str, data):
    """Return ``(inputs, labels)`` from a split object or an ``(inputs, labels)`` pair."""
    if hasattr(data, "inputs") and hasattr(data, "labels"):
        return data.inputs, np.asarray(data.labels)
    if isinstance(data, (tuple, list)) and len(data) == 2:
        return data[0], np.asarray(data[1])
    raise TypeError(
        v.message(name, f"{arg} to be a data split with .inputs and .labels, or a pair "
                  "(inputs, labels)", f"{arg} of type {type(data).__name__}",
                  "Pass data.train, or (x_train, y_train)")
    )


def predict_labels(model: keras.Model, inputs, *, batch_size=512) -> np.ndarray:
    """Predicted class labels of a classifier, computed batch by batch in eager mode.

    Calling the model directly rather than through ``model.predict`` skips tracing a new
    ``tf.function`` for every model, which on the small test sets of the book costs more than
    the prediction itself (and makes TensorFlow warn about retracing when many models are
    compared).

    Args:
        model: a classifier that outputs class scores, ``(batch_size, num_classes)``.
        inputs: an array, or a dict of arrays keyed by modality, one row per example.
        batch_size: examples per forward pass.

    Returns:
        int64 labels of shape ``(num_examples,)``.

    Example:
        >>> import keras, numpy as np
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Softmax()])
        >>> predict_labels(model, np.array([[0.0, 2.0, 1.0], [5.0, 0.0, 0.0]])).tolist()
        [1, 0]

    Book: section "sec-multimodal-classifier".
    """
    v.check_positive_int("predict_labels", "batch_size", batch_size)
    first = next(iter(inputs.values())) if isinstance(inputs, Mapping) else inputs
    total = len(first)
    labels = []
    for start in range(0, total, batch_size):
        if isinstance(inputs, Mapping):
            batch = {k: np.asarray(x[start:start + batch_size]) for k, x in inputs.items()}
        else:
            batch = np.asarray(inputs[start:start + batch_size])
        scores = model(batch, training=False)  # (batch, num_classes)
        labels.append(np.asarray(scores).argmax(axis=-1))
    return np.concatenate(labels).astype(np.int64) if labels else np.zeros(0, np.int64)


def _compile(model, learning_rate):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])


def build_training_state(model: keras.Model, inputs, labels) -> None:
    """Create a compiled model's optimizer and metric variables before its first ``fit``.

    Without a distribution strategy, Keras on TensorFlow creates the optimizer's slots (Adam's
    two moments per weight) and the metrics' counters inside the first trace of the training
    step. A ``tf.function`` that creates variables is traced a second time without creating
    them, so the first epoch pays for two traces. Creating the variables first leaves one
    trace, which on the book's small models halves the first epoch. Training is unchanged:
    the variables start at the same zeros either way.

    Args:
        model: a compiled ``keras.Model``.
        inputs: one batch (or more) of inputs, an array or a dict of arrays; only shapes and
            dtypes are used.
        labels: the matching labels.

    Raises:
        ValueError: if the model is not compiled.

    Example:
        >>> import keras, numpy as np
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        >>> model.compile(optimizer="adam", loss="mse")
        >>> build_training_state(model, np.zeros((4, 3)), np.zeros((4, 2)))
        >>> model.optimizer.built
        True

    Book: section "sec-multimodal-classifier".
    """
    if getattr(model, "optimizer", None) is None:
        raise ValueError(v.message("build_training_state", "a compiled model",
                                   "a model without an optimizer",
                                   "Call model.compile(optimizer=..., loss=...) first"))
    symbolic_build = getattr(model, "_symbolic_build", None)  # Keras 3's own pre-build
    if symbolic_build is not None:
        try:
            symbolic_build(data_batch=(inputs, labels, None))
            return
        except TypeError:  # a Keras version with another signature: build what is public
            pass
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)


def reset_optimizer(optimizer: keras.optimizers.Optimizer, learning_rate: float) -> None:
    """Put a built optimizer back in its initial state: step 0, zero moments.

    With :func:`build_training_state` this lets one compiled (and already traced) model train
    again from new initial weights exactly as a fresh model would: set the weights, reset the
    optimizer, call ``fit``. Retracing a small model's training step costs more than training
    it, so comparisons over seeds reuse one such twin per architecture.

    Args:
        optimizer: a built Keras optimizer (after ``fit`` or :func:`build_training_state`).
        learning_rate: the learning rate to start from again.

    Example:
        >>> import keras, numpy as np
        >>> optimizer = keras.optimizers.Adam(0.01)
        >>> weight = keras.Variable(np.ones(2, "float32"))
        >>> optimizer.apply([np.ones(2, "float32")], [weight])  # one step
        >>> int(optimizer.iterations)
        1
        >>> reset_optimizer(optimizer, 0.01)
        >>> int(optimizer.iterations), float(np.abs(optimizer.variables[-1]).sum())
        (0, 0.0)

    Book: section "sec-multimodal-classifier".
    """
    for variable in optimizer.variables:
        if variable.name == "learning_rate":
            variable.assign(learning_rate)
        else:
            variable.assign(np.zeros(variable.shape, dtype=variable.dtype))


def fit_and_evaluate(make_model: Callable[[], keras.Model], train, test, *, seed=0, epochs=10,
                     batch_size=32, learning_rate=1e-3, validation=None, name="model",
                     _runner=None):
    """Train a fresh model with a fixed seed and measure it on the test data.

    Seeds Python, NumPy and the backend with ``keras.utils.set_random_seed(seed)`` *before*
    ``make_model`` runs, so the initial weights, the shuffling and any dropout depend on ``seed``
    alone. The model is compiled with Adam and sparse categorical cross-entropy, so
    ``make_model`` must return a classifier that outputs class probabilities.

    Args:
        make_model: function of no arguments returning a new, uncompiled ``keras.Model``.
        train: the training data, a split (``data.train``) or a pair ``(inputs, labels)``;
            inputs may be an array or a dict of arrays keyed by modality.
        test: the test data, in the same form.
        seed: integer seed.
        epochs: number of training epochs.
        batch_size: training batch size.
        learning_rate: Adam's learning rate.
        validation: optional data (same form) evaluated after each epoch, so the history
            holds ``val_loss`` and ``val_accuracy``.
        name: the candidate's name in the returned :class:`Run`.

    Returns:
        A :class:`Run`.

    Raises:
        TypeError: if ``make_model`` is not callable or does not return a ``keras.Model``, or
            if a data argument is neither a split nor a pair.
        ValueError: if ``epochs`` or ``batch_size`` is not a positive integer.

    Example:
        >>> import keras, numpy as np
        >>> x = np.eye(4, dtype="float32").repeat(8, axis=0)  # 32 one-hot rows
        >>> y = np.arange(4).repeat(8)
        >>> make = lambda: keras.Sequential([keras.Input((4,)),
        ...                                  keras.layers.Dense(4, activation="softmax")])
        >>> run = fit_and_evaluate(make, (x, y), (x, y), epochs=5, learning_rate=0.5)
        >>> run.accuracy, run.params
        (1.0, 20)

    Book: section "sec-multimodal-classifier".
    """
    fname = "fit_and_evaluate"
    if not callable(make_model) or isinstance(make_model, keras.Model):
        raise TypeError(v.message(fname, "make_model to be a function returning a new "
                                  "keras.Model", f"make_model={make_model!r}",
                                  "Pass e.g. lambda: FusionClassifier(...)"))
    v.check_positive_int(fname, "epochs", epochs)
    v.check_positive_int(fname, "batch_size", batch_size)
    x_train, y_train = _as_pair(fname, "train", train)
    x_test, y_test = _as_pair(fname, "test", test)
    val = None if validation is None else _as_pair(fname, "validation", validation)
    keras.utils.set_random_seed(int(seed))
    model = make_model()
    v.check_type(fname, "make_model()", model, keras.Model, "a keras.Model")
    _compile(model, learning_rate)
    runner = model if _runner is None else _runner
    start = time.perf_counter()
    if runner is not model:
        # Train the already-traced twin from this seed's fresh weights and a fresh optimizer
        # state, then hand the trained weights back to the new model.
        runner.set_weights(model.get_weights())
        reset_optimizer(runner.optimizer, learning_rate)
    else:
        build_training_state(model, x_train, y_train)
    history = runner.fit(x_train, y_train, validation_data=val, epochs=int(epochs),
                         batch_size=int(batch_size), verbose=0)
    seconds = time.perf_counter() - start
    if runner is not model:
        model.set_weights(runner.get_weights())
    predictions = predict_labels(model, x_test)  # (n,)
    _, _, f1 = precision_recall_f1(y_test, predictions, average="macro")
    return Run(name=name, seed=int(seed), accuracy=accuracy(y_test, predictions),
               macro_f1=f1, params=int(model.count_params()), seconds=seconds,
               predictions=predictions, model=model, history=dict(history.history))


def compare_over_seeds(candidates: Mapping[str, Callable[[], keras.Model]], train, test, *,
                       seeds: Sequence[int] = (0, 1, 2), reuse_graphs=True,
                       **fit_options) -> list[Run]:
    """Train every candidate once per seed with :func:`fit_and_evaluate`.

    Every seed gets a new model from the candidate's function (its own initial weights), but
    with ``reuse_graphs`` the training itself runs on one compiled twin per candidate, so
    TensorFlow traces each architecture's training step once instead of once per seed. On the
    book's small data the tracing costs more than the training, so this roughly halves the
    time of a three-seed comparison. The twin starts every seed from that seed's initial
    weights and a freshly reset optimizer; for models without random layers (dropout) the
    results equal those of separate training.

    Args:
        candidates: dict from a name to a function of no arguments that returns a new model.
        train: training data, as for :func:`fit_and_evaluate`.
        test: test data, as for :func:`fit_and_evaluate`.
        seeds: the seeds; every candidate is trained once with each.
        reuse_graphs: train each candidate's seeds on one compiled twin (see above).
        **fit_options: passed to :func:`fit_and_evaluate` (``epochs``, ``batch_size``,
            ``learning_rate``, ``validation``). A value may also be a dict from candidate name
            to value, to give one candidate its own setting, e.g. ``epochs={"text": 20,
            "image": 10}`` (every candidate must then be listed).

    Returns:
        A list of :class:`Run`, seed by seed, candidates in the order given.

    Raises:
        TypeError: if ``candidates`` is not a non-empty dict.
        ValueError: if ``seeds`` is empty, or a per-candidate option misses a candidate.

    Example:
        >>> import keras, numpy as np
        >>> x, y = np.eye(2, dtype="float32").repeat(4, axis=0), np.arange(2).repeat(4)
        >>> make = lambda: keras.Sequential([keras.Input((2,)), keras.layers.Dense(2,
        ...                                  activation="softmax")])
        >>> runs = compare_over_seeds({"dense": make}, (x, y), (x, y), seeds=(0, 1), epochs=1)
        >>> [(r.name, r.seed) for r in runs]
        [('dense', 0), ('dense', 1)]

    Book: section "sec-multimodal-classifier".
    """
    fname = "compare_over_seeds"
    if not isinstance(candidates, Mapping) or not candidates:
        raise TypeError(v.message(fname, "candidates to be a non-empty dict from name to a "
                                  "function returning a new model",
                                  f"candidates={candidates!r}"))
    seeds = tuple(seeds)
    if not seeds:
        raise ValueError(v.message(fname, "at least one seed", "seeds=()",
                                   "Pass e.g. seeds=(0, 1, 2)"))
    for key, value in fit_options.items():
        if isinstance(value, Mapping):
            missing = [c for c in candidates if c not in value]
            if missing:
                raise ValueError(v.message(fname, f"{key} to give a value for every candidate",
                                           f"{key} without {missing}"))
    runners = {}
    runs = []
    for seed in seeds:
        for name, make in candidates.items():
            options = {k: (val[name] if isinstance(val, Mapping) else val)
                       for k, val in fit_options.items()}
            if reuse_graphs:
                options["_runner"] = runners.get(name)
            run = fit_and_evaluate(make, train, test, seed=seed, name=name, **options)
            if reuse_graphs and name not in runners:
                runners[name] = run.model
                run.model = make()  # the twin keeps training; the run keeps its own copy
                run.model.set_weights(runners[name].get_weights())
                _compile(run.model, options.get("learning_rate", 1e-3))
            runs.append(run)
    return runs


def summarize(runs: Sequence[Run], *,
              fields: Sequence[str] = ("accuracy", "macro_f1", "params", "seconds")) -> dict:
    """Mean and standard deviation over seeds of each candidate's measurements.

    The standard deviation is the sample one (``ddof=1``), 0.0 for a single seed.

    Args:
        runs: the output of :func:`compare_over_seeds`.
        fields: the :class:`Run` attributes to summarise.

    Returns:
        A dict from candidate name (in first-seen order) to a dict from field to
        ``(mean, std)``, plus ``"seeds"``: the number of runs.

    Raises:
        ValueError: if ``runs`` is empty or a field is not a numeric attribute of :class:`Run`.

    Example:
        >>> runs = [Run("a", s, acc, 0.0, 10, 1.0, None, None, {})
        ...         for s, acc in enumerate([0.8, 0.9])]
        >>> mean, std = summarize(runs, fields=("accuracy",))["a"]["accuracy"]
        >>> round(mean, 3), round(std, 4)
        (0.85, 0.0707)

    Book: section "sec-multimodal-classifier".
    """
    fname = "summarize"
    if not runs:
        raise ValueError(v.message(fname, "at least one Run", "runs=[]",
                                   "Pass the list that compare_over_seeds returned"))
    for field in fields:
        v.check_option(fname, "each field", field, ("accuracy", "macro_f1", "params", "seconds"))
    table: dict = {}
    for run in runs:
        table.setdefault(run.name, []).append(run)
    summary = {}
    for name, group in table.items():
        row = {"seeds": len(group)}
        for field in fields:
            values = np.array([getattr(r, field) for r in group], dtype=np.float64)
            std = float(values.std(ddof=1)) if len(values) > 1 else 0.0
            row[field] = (float(values.mean()), std)
        summary[name] = row
    return summary


def format_table(summary: Mapping) -> str:
    """Format :func:`summarize`'s output as a fixed-width text table, one candidate per row.

    Rates (accuracy, macro-F1) print as ``mean ± std`` with three decimals, parameters as an
    integer with thousands separators, seconds with one decimal.

    Args:
        summary: the output of :func:`summarize`.

    Returns:
        The table as a string (no trailing newline).

    Example:
        >>> runs = [Run("image", 0, 0.8, 0.75, 1200, 2.0, None, None, {})]
        >>> print(format_table(summarize(runs)))
        model   seeds  accuracy       macro_f1       params  seconds
        image       1  0.800 ± 0.000  0.750 ± 0.000   1,200      2.0

    Book: section "sec-multimodal-classifier".
    """
    rows = list(summary.items())
    if not rows:
        return ""
    fields = [f for f in ("accuracy", "macro_f1", "params", "seconds") if f in rows[0][1]]
    width = max(5, *(len(name) for name, _ in rows))
    header = f"{'model':<{width}}  seeds"
    for field in fields:
        header += {"accuracy": "  accuracy     ", "macro_f1": "  macro_f1     ",
                   "params": "    params", "seconds": "  seconds"}[field]
    lines = [header.rstrip()]
    for name, row in rows:
        line = f"{name:<{width}}  {row['seeds']:>5}"
        for field in fields:
            mean, std = row[field]
            if field in ("accuracy", "macro_f1"):
                line += f"  {mean:.3f} ± {std:.3f}"
            elif field == "params":
                line += f"  {round(mean):>8,}"
            else:
                line += f"  {mean:>7.1f}"
        lines.append(line)
    return "\n".join(lines)


def fusion_factory(data, modalities: Sequence[str], *, fusion="early", encoder_options=None,
                   **options) -> Callable[[], keras.Model]:
    """A function that builds a fresh :class:`~mmtutor.models.FusionClassifier` for ``data``.

    Reads the input shapes and the vocabulary size from the data set, and keeps only the
    ``encoder_options`` of the modalities asked for, so one set of options serves the
    single-modality baselines and the fused models alike. Pass the result to
    :func:`compare_over_seeds`.

    Args:
        data: a :class:`~mmtutor.datasets.MultiDigits` (or anything with ``.train.inputs``
            and ``.metadata["vocabulary"]``).
        modalities: the modalities the model reads, e.g. ``["image"]`` or ``["image",
            "audio", "text"]``.
        fusion: ``"early"``, ``"late"`` or ``"attention"``.
        encoder_options: dict from modality name to keyword arguments of its encoder; entries
            for modalities not in ``modalities`` are ignored.
        **options: other ``FusionClassifier`` arguments (``embedding_dim``,
            ``modality_dropout``, ...).

    Returns:
        A function of no arguments returning a new, uncompiled ``FusionClassifier``.

    Raises:
        ValueError: if a modality is unknown or not in ``data``.

    Example:
        >>> from mmtutor.datasets import load_multidigits
        >>> data = load_multidigits(num_examples=100)
        >>> make = fusion_factory(data, ["image", "text"], embedding_dim=8,
        ...                       encoder_options={"audio": {"units": 8}})
        >>> model = make()
        >>> model.modalities, model(data.test.inputs).shape
        (('image', 'text'), TensorShape([20, 10]))

    Book: section "sec-multimodal-classifier".
    """
    from mmtutor.models import FusionClassifier

    fname = "fusion_factory"
    inputs = data.train.inputs
    modalities = (modalities,) if isinstance(modalities, str) else tuple(modalities)
    for modality in modalities:
        v.check_option(fname, "each modality", modality, _MODALITIES)
        if modality not in inputs:
            raise ValueError(v.message(fname, f"data with the modality {modality!r}",
                                       f"data with {sorted(inputs)}",
                                       "Load it with that modality"))
    shapes = {m: tuple(inputs[m].shape[1:]) for m in modalities}
    chosen = {m: dict(o) for m, o in (encoder_options or {}).items() if m in shapes}
    vocabulary_size = len(data.metadata["vocabulary"]) if "text" in shapes else None

    def make():
        return FusionClassifier(shapes, fusion=fusion, vocabulary_size=vocabulary_size,
                                encoder_options=chosen, **options)

    return make
