"""Symmetric InfoNCE, the loss of CLIP-style dual encoders: a function and a Keras class."""

from __future__ import annotations

import keras
from keras import ops

from mmtutor import _validation as v
from mmtutor.losses._common import CheckedLoss, float_tensors


def _check_pair(name: str, a, b):
    a, b = float_tensors(name, {"a": "(batch_size, dim)", "b": "(batch_size, dim)"}, a=a, b=b)
    v.check_rank(name, "a", a, 2, "(batch_size, dim)",
                 "Pass one embedding vector per example")
    v.check_same_shape(name, "a", a, "b", b,
                       "Row i of a and row i of b must be the two views of example i")
    return a, b


def _check_temperature(name: str, temperature) -> float:
    return v.check_real(name, "temperature", temperature, minimum=0, strict=True,
                        fix="Typical values lie between 0.05 and 1")


def _info_nce(a, b, temperature: float, normalize: bool):
    if normalize:
        a = a / ops.maximum(ops.norm(a, axis=-1, keepdims=True), 1e-12)
        b = b / ops.maximum(ops.norm(b, axis=-1, keepdims=True), 1e-12)
    logits = ops.matmul(a, ops.transpose(b)) / temperature  # (batch_size, batch_size)
    targets = ops.arange(ops.shape(a)[0])  # the match of row i is column i
    a_to_b = keras.losses.sparse_categorical_crossentropy(targets, logits, from_logits=True)
    b_to_a = keras.losses.sparse_categorical_crossentropy(
        targets, ops.transpose(logits), from_logits=True)  # (batch_size,) each
    return 0.5 * (a_to_b + b_to_a)  # (batch_size,)


def _label_info_nce(a, b, labels, temperature: float, normalize: bool):
    """Supervised (label-aware) symmetric InfoNCE: every same-label pair is a positive."""
    if normalize:
        a = a / ops.maximum(ops.norm(a, axis=-1, keepdims=True), 1e-12)
        b = b / ops.maximum(ops.norm(b, axis=-1, keepdims=True), 1e-12)
    logits = ops.matmul(a, ops.transpose(b)) / temperature  # (batch_size, batch_size)
    labels = ops.reshape(labels, (-1,))
    positive = ops.cast(labels[:, None] == labels[None, :], logits.dtype)  # (batch, batch)
    count = ops.sum(positive, axis=1)  # (batch,): >= 1, the pair itself
    a_to_b = ops.log_softmax(logits, axis=1)  # row i: a_i against every b_j
    b_to_a = ops.log_softmax(ops.transpose(logits), axis=1)  # row i: b_i against every a_j
    # positive is symmetric, so the same mask serves both directions.
    a_loss = -ops.sum(positive * a_to_b, axis=1) / count  # (batch_size,)
    b_loss = -ops.sum(positive * b_to_a, axis=1) / count  # (batch_size,)
    return 0.5 * (a_loss + b_loss)  # (batch_size,)


def info_nce(a, b, *, temperature=0.1, normalize=True, labels=None, reduction="mean"):
    """Symmetric InfoNCE loss between two batches of paired embeddings.

    Row ``i`` of ``a`` and row ``i`` of ``b`` are two views of one example (an image and its
    spoken digit); every other row of the batch is a negative. The loss is a softmax
    cross-entropy that asks each ``a_i`` to pick out its own ``b_i`` among all ``b_j``, and
    each ``b_i`` to pick out ``a_i``; the two directions are averaged, so the loss is
    symmetric: ``info_nce(a, b) == info_nce(b, a)``. This is the loss that trains CLIP.

    With ``labels``, the loss becomes label-aware (supervised contrastive, Khosla et al.,
    2020): every ``b_j`` with the label of ``a_i`` is a positive for ``a_i``, and the loss
    averages ``-log softmax`` over those positives. This is the right objective when the two
    views are paired only by their label (an image and *some* recording of the same digit,
    as in MultiDigits): plain InfoNCE then treats the same-class items of the batch as
    negatives and pushes apart what retrieval should find.

    Formula:
        s_ij = cos(a_i, b_j) / tau  (or a_i . b_j / tau when normalize=False)
        L = 1/(2N) sum_i [ -log softmax_j(s_ij)[i] - log softmax_j(s_ji)[i] ]
        with labels: P(i) = {j : y_j = y_i},
        L = 1/(2N) sum_i 1/|P(i)| sum_{p in P(i)} [ -log softmax_j(s_ij)[p]
                                                   - log softmax_j(s_ji)[p] ]

    Args:
        a: embeddings of the first view, shape ``(batch_size, dim)``.
        b: embeddings of the second view, shape ``(batch_size, dim)``.
        temperature: ``tau > 0``; smaller values sharpen the softmax.
        normalize: if True (the default), compare by cosine similarity (rows scaled to unit
            length); if False, by raw dot product.
        labels: optional integer labels shared by row ``i`` of ``a`` and of ``b``, shape
            ``(batch_size,)``; when given, every same-label pair counts as a positive.
        reduction: ``"mean"`` (the loss) or ``"none"``: each row's term, averaged over the
            two directions, shape ``(batch_size,)`` (to weight examples, as a model with
            sample weights does).

    Returns:
        A scalar tensor, the loss averaged over the batch and both directions (or the
        per-row terms with ``reduction="none"``): float64 if ``a`` or ``b`` is float64, else
        float32 (integer inputs are never truncated).

    Raises:
        ValueError: if ``a`` is not rank 2, ``a`` and ``b`` differ in shape, ``labels`` is
            not one label per row, or ``temperature`` is not > 0.
        TypeError: if ``temperature`` is not a real number (Python or NumPy), or ``a``,
            ``b`` or ``labels`` is not numeric.

    Example:
        >>> import numpy as np
        >>> a = np.array([[1.0, 0.0], [0.0, 1.0]])
        >>> round(float(info_nce(a, a, temperature=1.0)), 4)  # log(1 + e^-1)
        0.3133
        >>> round(float(info_nce(a, a[::-1], temperature=1.0)), 4)  # log(1 + e^1)
        1.3133
        >>> # Same label: both columns are positives, the mean of the two values above.
        >>> round(float(info_nce(a, a[::-1], temperature=1.0, labels=[0, 0])), 4)
        0.8133

    Book: section "sec-shared-representations".
    """
    temperature = _check_temperature("info_nce", temperature)
    v.check_option("info_nce", "reduction", reduction, ("mean", "none"))
    reduce = ops.mean if reduction == "mean" else (lambda rows: rows)
    a, b = _check_pair("info_nce", a, b)
    if labels is None:
        return reduce(_info_nce(a, b, temperature, normalize))
    v.check_array("info_nce", "labels", labels, what="(batch_size,)")
    labels = ops.convert_to_tensor(labels)
    shape, rows = v.shape_of(labels), v.shape_of(a)[0]
    if len(shape) not in (1, 2) or (len(shape) == 2 and shape[1] != 1) or (
            shape[0] is not None and rows is not None and shape[0] != rows):
        raise ValueError(
            v.message("info_nce", "labels of shape (batch_size,), one per row of a and b",
                      f"labels with shape {v._fmt(shape)} for a with shape "
                      f"{v._fmt(v.shape_of(a))}")
        )
    return reduce(_label_info_nce(a, b, labels, temperature, normalize))


@keras.saving.register_keras_serializable(package="mmtutor")
class InfoNCE(CheckedLoss):
    """Keras loss for ``compile()``: symmetric InfoNCE between two stacked views.

    A Keras loss sees one prediction tensor, so the two views travel stacked on axis 1:
    ``y_pred[:, 0]`` is ``a`` and ``y_pred[:, 1]`` is ``b``. ``y_true`` is ignored (the
    targets are the pairing itself); pass any array with one row per example, such as the
    labels. With the default reduction the result equals :func:`info_nce`.

    Formula:
        L = info_nce(y_pred[:, 0], y_pred[:, 1], temperature=tau).

    Args:
        temperature: ``tau > 0``, any real number (Python or NumPy).
        normalize: cosine (True) or dot-product (False) similarity.
        name: the loss's name.
        reduction: Keras reduction, default ``"sum_over_batch_size"``.
        dtype: dtype of the loss computation.

    Call arguments:
        y_true: ignored, shape ``(batch_size, ...)``.
        y_pred: the two views, shape ``(batch_size, 2, dim)``.

    Returns:
        The reduced loss (a scalar with the default reduction).

    Raises:
        ValueError: if ``y_pred`` is not ``(batch_size, 2, dim)`` or ``temperature <= 0``.
        TypeError: if ``temperature`` is not a real number, or ``y_pred`` is not numeric.

    Example:
        >>> import numpy as np
        >>> a = np.array([[1.0, 0.0], [0.0, 1.0]])
        >>> loss = InfoNCE(temperature=1.0)
        >>> round(float(loss(np.zeros(2), np.stack([a, a], axis=1))), 4)
        0.3133

    Book: section "sec-shared-representations".
    """

    def __init__(self, temperature=0.1, normalize=True, name="info_nce",
                 reduction="sum_over_batch_size", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.temperature = _check_temperature("InfoNCE", temperature)
        self.normalize = bool(normalize)

    def call(self, y_true, y_pred):
        y_pred = ops.convert_to_tensor(y_pred)
        shape = v.shape_of(y_pred)
        if len(shape) != 3 or shape[1] != 2:
            raise ValueError(
                v.message("InfoNCE", "y_pred of shape (batch_size, 2, dim), the two views "
                          "stacked on axis 1", f"y_pred with shape {v._fmt(shape)}",
                          "Use keras.ops.stack([a, b], axis=1)")
            )
        return _info_nce(y_pred[:, 0], y_pred[:, 1], self.temperature, self.normalize)

    def get_config(self):
        config = super().get_config()
        config.update(temperature=self.temperature, normalize=self.normalize)
        return config
