"""Categorical and sequence cross-entropy, as functions and as Keras losses.

Both take probabilities (``from_logits=False``, clipped at ``keras.config.epsilon()`` so that a
probability of exactly 0 gives a large but finite loss) or logits (``from_logits=True``, computed
with log-softmax, i.e. the log-sum-exp trick, so logits of +-1e4 stay finite).
"""

from __future__ import annotations

import keras
from keras import ops

from mmtutor import _validation as v
from mmtutor.losses._common import CheckedLoss, float_tensors

_TARGET_FIX = "Pass one-hot rows, e.g. keras.utils.to_categorical(labels, num_classes)"


def _log_probs(y_pred, from_logits: bool):
    """Log-probabilities over the last axis, finite for zero probabilities and huge logits."""
    if from_logits:
        return ops.log_softmax(y_pred, axis=-1)  # log-sum-exp: subtracts the max logit first
    eps = keras.config.epsilon()
    return ops.log(ops.clip(y_pred, eps, 1.0))


def _check(name, y_true, y_pred, rank, what, from_logits, fix, check_targets=True):
    v.check_type(name, "from_logits", from_logits, bool, "True or False")
    v.check_rank(name, "y_pred", y_pred, rank, what, fix)
    v.check_same_shape(name, "y_true", y_true, "y_pred", y_pred,
                       "One-hot encode the labels with keras.utils.to_categorical")
    if not from_logits:
        v.check_probabilities(name, "y_pred", y_pred)
    if check_targets:
        v.check_distribution(name, "y_true", y_true, _TARGET_FIX)


def _categorical(y_true, y_pred, from_logits, name):
    """Cross-entropy of each example, shape ``(batch_size,)``."""
    shape = "(batch_size, num_classes)"
    y_true, y_pred = float_tensors(name, {"y_true": shape, "y_pred": shape},
                                   y_true=y_true, y_pred=y_pred)
    _check(name, y_true, y_pred, 2, "(batch_size, num_classes)", from_logits,
           "For integer labels use keras.losses.sparse_categorical_crossentropy or one-hot them")
    return -ops.sum(y_true * _log_probs(y_pred, from_logits), axis=-1)  # (batch_size,)


def categorical_crossentropy(y_true, y_pred, *, from_logits=False):
    """Mean cross-entropy between one-hot (or probability) targets and predictions.

    The loss of a classifier that outputs a distribution over classes: the negative
    log-likelihood of the true class, averaged over the batch. Its gradient with respect to the
    logits is ``(y_hat - y) / N``.

    Formula:
        L = -1/N sum_i sum_c y_ic log(y_hat_ic),  y_hat = softmax(logits) when from_logits.

    Args:
        y_true: targets, shape ``(batch_size, num_classes)``, each row summing to 1.
        y_pred: probabilities of the same shape, or logits when ``from_logits=True``.
        from_logits: whether ``y_pred`` holds logits (raw scores) instead of probabilities.

    Returns:
        A scalar tensor, the loss: float64 if either input is float64, else float32 (integer
        and boolean one-hot targets or logits are converted, never truncated).

    Raises:
        ValueError: if the ranks or shapes are wrong, or (eagerly) if ``y_pred`` is not a
            distribution when ``from_logits=False`` or ``y_true`` is not one.
        TypeError: if ``from_logits`` is not a bool, or an input is not numeric.

    Example:
        >>> import numpy as np
        >>> y = np.array([[0.0, 1.0], [1.0, 0.0]])
        >>> p = np.array([[0.5, 0.5], [1.0, 0.0]])
        >>> round(float(categorical_crossentropy(y, p)), 4)  # (log 2 + 0) / 2
        0.3466

    Book: section "sec-cross-entropy".
    """
    return ops.mean(_categorical(y_true, y_pred, from_logits, "categorical_crossentropy"))


def _sequence(y_true, y_pred, mask, from_logits, name):
    """Cross-entropy of each sequence, averaged over its real steps: ``(batch_size,)``."""
    shape = "(batch_size, steps, num_classes)"
    y_true, y_pred = float_tensors(name, {"y_true": shape, "y_pred": shape},
                                   y_true=y_true, y_pred=y_pred)
    _check(name, y_true, y_pred, 3, "(batch_size, steps, num_classes)", from_logits,
           "For one label per sequence use categorical_crossentropy",
           check_targets=False)  # padded steps often carry all-zero targets
    per_step = -ops.sum(y_true * _log_probs(y_pred, from_logits), axis=-1)  # (batch_size, steps)
    if mask is None:
        return ops.mean(per_step, axis=-1)  # (batch_size,)
    v.check_array(name, "mask", mask, what="(batch_size, steps)")
    mask = ops.convert_to_tensor(mask)
    v.check_same_shape(name, "mask", mask, "y_pred[..., 0]", per_step,
                       "The mask has one entry per step: True for real steps, False for padding")
    mask = ops.cast(mask, per_step.dtype)
    counts = ops.sum(mask, axis=-1)  # (batch_size,)
    # A fully masked sequence has no real steps: it contributes 0, never 0/0.
    return ops.sum(per_step * mask, axis=-1) / ops.maximum(counts, 1.0)  # (batch_size,)


def sequence_crossentropy(y_true, y_pred, *, mask=None, from_logits=False):
    """Cross-entropy of sequence labeling: per-step loss averaged per sequence, then per batch.

    Each sequence is divided by its own number of real steps ``T_n`` (all ``T`` steps without
    a mask), so a short padded sequence weighs as much as a long one. A sequence with no real
    step contributes 0.

    Formula:
        L = 1/N sum_n [ -1/T_n sum_{t real} sum_c y_ntc log(y_hat_ntc) ].

    Args:
        y_true: targets, shape ``(batch_size, steps, num_classes)``.
        y_pred: probabilities of the same shape, or logits when ``from_logits=True``.
        mask: optional boolean ``(batch_size, steps)``, True for real steps.
        from_logits: whether ``y_pred`` holds logits.

    Returns:
        A scalar tensor, the loss: float64 if either input is float64, else float32.

    Raises:
        ValueError: for wrong ranks or shapes (including the mask's), or (eagerly) if
            ``y_pred`` is not a distribution when ``from_logits=False``.
        TypeError: if ``from_logits`` is not a bool, or an input or the mask is not numeric.

    Example:
        >>> import numpy as np
        >>> y = np.array([[[1.0, 0.0], [0.0, 1.0]]])     # one sequence, two steps
        >>> p = np.array([[[0.5, 0.5], [0.0, 1.0]]])
        >>> round(float(sequence_crossentropy(y, p)), 4)  # (log 2 + 0) / 2
        0.3466
        >>> round(float(sequence_crossentropy(y, p, mask=[[True, False]])), 4)  # log 2 / 1
        0.6931

    Book: section "sec-sequence-cross-entropy".
    """
    return ops.mean(_sequence(y_true, y_pred, mask, from_logits, "sequence_crossentropy"))


@keras.saving.register_keras_serializable(package="mmtutor")
class CategoricalCrossentropy(CheckedLoss):
    """Keras loss for ``compile()``: :func:`categorical_crossentropy` per example.

    Formula:
        L = -1/N sum_i sum_c y_ic log(y_hat_ic).

    Args:
        from_logits: whether predictions are logits.
        name: the loss's name.
        reduction: Keras reduction, default ``"sum_over_batch_size"`` (the batch mean).
        dtype: dtype of the loss computation.

    Call arguments:
        y_true: one-hot targets ``(batch_size, num_classes)``.
        y_pred: probabilities (or logits) of the same shape.

    Returns:
        The reduced loss.

    Raises:
        ValueError: for wrong ranks or shapes; eagerly, for predictions that are not
            probabilities when ``from_logits=False``.

    Example:
        >>> import numpy as np
        >>> loss = CategoricalCrossentropy(from_logits=True)
        >>> round(float(loss(np.array([[1.0, 0.0]]), np.array([[0.0, 0.0]]))), 4)  # log 2
        0.6931

    Book: section "sec-cross-entropy".
    """

    def __init__(self, from_logits=False, name="categorical_crossentropy",
                 reduction="sum_over_batch_size", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        v.check_type("CategoricalCrossentropy", "from_logits", from_logits, bool, "True or False")
        self.from_logits = from_logits

    def call(self, y_true, y_pred):
        return _categorical(y_true, y_pred, self.from_logits, "CategoricalCrossentropy")

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits}


@keras.saving.register_keras_serializable(package="mmtutor")
class SequenceCrossentropy(CheckedLoss):
    """Keras loss for ``compile()``: :func:`sequence_crossentropy` per sequence.

    A Keras mask on the predictions (from ``Masking`` or ``Embedding(mask_zero=True)``) is
    applied per sequence, as ``mask=`` is in the function: each sequence is divided by its own
    number of real steps. (Keras's own losses would instead average over all real steps of the
    batch.)

    Formula:
        L = 1/N sum_n [ -1/T_n sum_{t real} sum_c y_ntc log(y_hat_ntc) ].

    Args:
        from_logits: whether predictions are logits.
        name: the loss's name.
        reduction: Keras reduction over sequences, default ``"sum_over_batch_size"``.
        dtype: dtype of the loss computation.

    Call arguments:
        y_true: one-hot targets ``(batch_size, steps, num_classes)``.
        y_pred: probabilities (or logits) of the same shape, possibly carrying a Keras mask.
        sample_weight: optional weights, shape ``(batch_size,)``.

    Returns:
        The reduced loss.

    Raises:
        ValueError: for wrong ranks or shapes.

    Example:
        >>> import numpy as np
        >>> loss = SequenceCrossentropy()
        >>> y = np.array([[[1.0, 0.0], [0.0, 1.0]]])
        >>> round(float(loss(y, np.full((1, 2, 2), 0.5))), 4)
        0.6931

    Book: section "sec-sequence-cross-entropy".
    """

    def __init__(self, from_logits=False, name="sequence_crossentropy",
                 reduction="sum_over_batch_size", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        v.check_type("SequenceCrossentropy", "from_logits", from_logits, bool, "True or False")
        self.from_logits = from_logits
        self._step_mask = None

    def __call__(self, y_true, y_pred, sample_weight=None):
        # Keras attaches a masked layer's mask to its output as `_keras_mask` and offers no
        # public accessor for it; this is the one place the package reads the attribute.
        mask = getattr(y_pred, "_keras_mask", None)
        if mask is None:
            return super().__call__(y_true, y_pred, sample_weight)
        # Keras would apply this (batch_size, steps) mask to our (batch_size,) losses; hand it
        # to call() instead and give Keras a copy of y_pred without it.
        self._step_mask = mask
        try:
            return super().__call__(y_true, ops.copy(y_pred), sample_weight)
        finally:
            self._step_mask = None

    def call(self, y_true, y_pred):
        return _sequence(y_true, y_pred, self._step_mask, self.from_logits,
                         "SequenceCrossentropy")

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits}
