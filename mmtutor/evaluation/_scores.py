"""Scores of classifiers, with every modality and with modalities removed or imputed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from mmtutor import _validation as v
from mmtutor.impute import feature_means, remove_modality
from mmtutor.metrics import accuracy, precision_recall_f1
from mmtutor.modalities import MODALITIES, ordered


def classification_scores(y_true, probabilities) -> dict:
    """Accuracy and macro-F1 of class probabilities (or predicted labels) against labels.

    Args:
        y_true: integer labels, shape ``(num_examples,)``.
        probabilities: class probabilities or scores ``(num_examples, num_classes)``, or
            predicted labels ``(num_examples,)``.

    Returns:
        ``{"accuracy": float, "macro_f1": float}``.

    Example:
        >>> import numpy as np
        >>> classification_scores([0, 1, 1], np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]))
        {'accuracy': 0.6666666666666666, 'macro_f1': 0.6666666666666666}

    Book: section "sec-evaluation".
    """
    scores = np.asarray(probabilities)
    predicted = scores.argmax(axis=-1) if scores.ndim == 2 else scores
    _, _, f1 = precision_recall_f1(y_true, predicted, average="macro")
    return {"accuracy": float(accuracy(y_true, predicted)), "macro_f1": float(f1)}


def predict_in_batches(model, inputs, *, batch_size=512) -> np.ndarray:
    """The model's outputs, computed batch by batch by calling it in inference mode.

    Calling the model directly rather than through ``model.predict`` skips building a data
    pipeline and tracing a new function per model, which on the book's small test sets
    costs more than the prediction itself.

    Args:
        model: a ``keras.Model`` with one output.
        inputs: an array, or a dict of arrays keyed by modality.
        batch_size: examples per forward pass.

    Returns:
        The outputs as one NumPy array, one row per example.

    Example:
        >>> import keras, numpy as np
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Softmax()])
        >>> predict_in_batches(model, np.array([[0.0, 2.0, 1.0]])).argmax(axis=-1).tolist()
        [1]

    Book: section "sec-evaluation".
    """
    v.check_positive_int("predict_in_batches", "batch_size", batch_size)
    first = next(iter(inputs.values())) if isinstance(inputs, Mapping) else inputs
    parts = []
    for start in range(0, len(first), batch_size):
        if isinstance(inputs, Mapping):
            batch = {k: np.asarray(x[start:start + batch_size]) for k, x in inputs.items()}
        else:
            batch = np.asarray(inputs[start:start + batch_size])
        parts.append(np.asarray(model(batch, training=False)))
    return np.concatenate(parts, axis=0)


def with_presence(inputs: Mapping, modalities: Sequence[str] | None = None) -> dict:
    """The inputs dict with a presence mask of ones (every modality present) added.

    Args:
        inputs: dict of arrays keyed by modality.
        modalities: the model's modalities (default: those in ``inputs``), in any order;
            the mask's columns follow the fixed order of :data:`~mmtutor.modalities.MODALITIES`.

    Returns:
        A new dict with ``"presence"`` of shape ``(num_examples, num_modalities)``.

    Example:
        >>> import numpy as np
        >>> with_presence({"text": np.zeros((2, 3)), "image": np.zeros((2, 8, 8, 1))})[
        ...     "presence"].shape
        (2, 2)

    Book: section "sec-evaluation".
    """
    names = ordered([m for m in inputs if m != "presence"] if modalities is None
                    else modalities)
    count = len(inputs[names[0]])
    return {**{m: inputs[m] for m in names}, "presence": np.ones((count, len(names)), "float32")}


def only(inputs: Mapping, modality: str) -> dict:
    """``inputs`` with every modality but ``modality`` marked absent in its presence mask.

    Example:
        >>> import numpy as np
        >>> x = with_presence({"image": np.zeros((1, 8, 8, 1)), "audio": np.zeros((1, 5, 4))})
        >>> only(x, "audio")["presence"].tolist()
        [[0.0, 1.0]]

    Book: section "sec-evaluation".
    """
    v.check_option("only", "modality", modality, [m for m in MODALITIES if m in inputs])
    for other in MODALITIES:
        if other != modality and other in inputs:
            inputs = remove_modality(inputs, other)
    return inputs


def imputation_fill(train_inputs: Mapping) -> dict:
    """What mean imputation puts in place of a missing modality, from the training inputs.

    The mean image and the mean clip; for text (token ids, which have no mean) the most
    frequent token at each position.

    Args:
        train_inputs: the training split's inputs dict.

    Returns:
        Dict from modality to one example's worth of values (no batch axis).

    Book: section "sec-missing-modalities".
    """
    fill = {}
    for m in ordered([k for k in train_inputs if k != "presence"]):
        x = np.asarray(train_inputs[m])
        if m == "text":
            fill[m] = np.array([np.bincount(x[:, t]).argmax() for t in range(x.shape[1])],
                               dtype=x.dtype)
        else:
            fill[m] = feature_means(x).astype(x.dtype)
    return fill


def _imputed(inputs, removed, fill):
    out = dict(inputs)
    for m in removed:
        out[m] = np.broadcast_to(fill[m], np.shape(inputs[m])).astype(np.asarray(inputs[m]).dtype)
    return out


def modality_variants(inputs: Mapping, *, fill=None) -> dict:
    """Every version of the test inputs a multimodal evaluation looks at.

    ``"all"`` (every modality present), ``"without m"`` and ``"only m"`` for each modality
    ``m`` (the removed ones marked absent in the presence mask), and, when ``fill`` is given,
    ``"without m imputed"`` and ``"only m imputed"``: the removed modalities replaced by
    ``fill`` and the mask left at ones, what a model that cannot be told sees.

    Args:
        inputs: dict of arrays keyed by modality (a presence mask of ones is added).
        fill: the output of :func:`imputation_fill`, or None.

    Returns:
        Dict from variant name to an inputs dict.

    Example:
        >>> import numpy as np
        >>> x = {"image": np.zeros((1, 8, 8, 1)), "audio": np.zeros((1, 5, 4))}
        >>> list(modality_variants(x))
        ['all', 'without image', 'only image', 'without audio', 'only audio']

    Book: section "sec-missing-modalities".
    """
    full = with_presence(inputs)
    names = [m for m in MODALITIES if m in full]
    variants = {"all": full}
    for m in names:
        variants[f"without {m}"] = remove_modality(full, m)
        variants[f"only {m}"] = only(full, m)
        if fill is not None:
            variants[f"without {m} imputed"] = _imputed(full, [m], fill)
            variants[f"only {m} imputed"] = _imputed(full, [o for o in names if o != m], fill)
    return variants


def evaluate_classifier(model, inputs: Mapping, labels, *, subsets=True, fill=None,
                        batch_size=1024) -> dict:
    """Scores of a fused classifier with all modalities, and with modalities removed.

    Args:
        model: a classifier over an inputs dict that reads ``inputs["presence"]`` (such as
            :class:`~mmtutor.models.FusionClassifier`).
        inputs: the test inputs dict.
        labels: the test labels ``(num_examples,)``.
        subsets: also score every ``"without m"`` and ``"only m"`` variant.
        fill: with :func:`imputation_fill`'s output, also score the imputed variants.
        batch_size: examples per forward pass.

    Returns:
        ``{"accuracy", "macro_f1"}`` with all modalities, plus with ``subsets``
        ``"without"`` and ``"only"``: dicts from modality to the same scores, each with
        ``"imputed"`` (the imputed variant's accuracy) when ``fill`` was given.

    Book: section "sec-missing-modalities".
    """
    variants = modality_variants(inputs, fill=fill) if subsets else {
        "all": with_presence(inputs)}
    names = list(variants)
    count = len(labels)
    stacked = {k: np.concatenate([np.asarray(variants[n][k]) for n in names])
               for k in variants["all"]}  # one pass over every variant: (variants * n, ...)
    probabilities = predict_in_batches(model, stacked, batch_size=batch_size)
    scores = {n: classification_scores(labels, probabilities[i * count:(i + 1) * count])
              for i, n in enumerate(names)}
    result = dict(scores["all"])
    if subsets:
        for part in ("without", "only"):
            result[part] = {}
            for m in (m for m in MODALITIES if m in inputs):
                result[part][m] = dict(scores[f"{part} {m}"])
                if fill is not None:
                    result[part][m]["imputed"] = scores[f"{part} {m} imputed"]["accuracy"]
    return result
