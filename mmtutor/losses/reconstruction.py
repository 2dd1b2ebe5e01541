"""The autoencoder's reconstruction loss, ``||x - D(E(x))||^2``, as a function and a Keras loss."""

from __future__ import annotations

import keras
from keras import ops

from mmtutor import _validation as v
from mmtutor.losses._common import CheckedLoss, float_tensors


def _per_example(x, x_hat, name: str):
    """Squared L2 norm of ``x - x_hat`` for each example: shape ``(batch_size,)``."""
    x, x_hat = float_tensors(name, {"x": "(batch_size, ...)", "x_hat": "(batch_size, ...)"},
                             x=x, x_hat=x_hat)
    if len(x.shape) < 2:
        raise ValueError(
            v.message(name, "x of rank 2 or more, (batch_size, ...)",
                      f"x with shape {v._fmt(x.shape)}",
                      "Add a batch axis, e.g. x[None] for a single example")
        )
    v.check_same_shape(name, "x", x, "x_hat", x_hat,
                       "Reshape the decoder output to the input's shape")
    axes = tuple(range(1, len(x.shape)))
    return ops.sum(ops.square(x - x_hat), axis=axes)  # (batch_size,)


def reconstruction_loss(x, x_hat):
    """Mean over the batch of the squared L2 reconstruction error.

    The autoencoder's loss: how far the reconstruction ``x_hat = D(E(x))`` lies from the input,
    summed over every pixel (or feature) of an example, then averaged over the examples.
    Keras's ``mean_squared_error`` averages over the features instead, so for inputs with
    ``F`` values per example ``reconstruction_loss == F * mean(keras.losses.mean_squared_error)``.
    Integer and boolean inputs (``uint8`` images) are computed in float32, or in float64 when
    either input is float64.

    Formula:
        L = 1/N sum_n ||x_n - x_hat_n||^2, the norm taken over all non-batch axes.

    Args:
        x: inputs, shape ``(batch_size, ...)``.
        x_hat: reconstructions, the same shape as ``x``.

    Returns:
        A scalar tensor, the loss: float64 if ``x`` or ``x_hat`` is float64, else float32.

    Raises:
        ValueError: if ``x`` has rank below 2 or ``x_hat`` has a different shape.
        TypeError: if ``x`` or ``x_hat`` is not numeric (a string, say).

    Example:
        >>> import numpy as np
        >>> x = np.array([[1.0, 2.0], [0.0, 0.0]])
        >>> x_hat = np.array([[1.0, 0.0], [1.0, 1.0]])
        >>> float(reconstruction_loss(x, x_hat))  # ((0 + 4) + (1 + 1)) / 2
        3.0

    Book: section "sec-autoencoder-loss".
    """
    return ops.mean(_per_example(x, x_hat, "reconstruction_loss"))


@keras.saving.register_keras_serializable(package="mmtutor")
class ReconstructionLoss(CheckedLoss):
    """Keras loss for ``compile()``: the squared L2 reconstruction error per example.

    With the default reduction the batch mean equals :func:`reconstruction_loss`.

    Formula:
        L = 1/N sum_n ||x_n - x_hat_n||^2.

    Args:
        name: the loss's name.
        reduction: Keras reduction, default ``"sum_over_batch_size"``.
        dtype: dtype of the loss computation.

    Call arguments:
        y_true: inputs ``x``, shape ``(batch_size, ...)``.
        y_pred: reconstructions, the same shape.

    Returns:
        The reduced loss (a scalar with the default reduction).

    Raises:
        ValueError: if the shapes differ or ``y_true`` has rank below 2.
        TypeError: if ``y_true`` or ``y_pred`` is not numeric.

    Example:
        >>> import numpy as np
        >>> loss = ReconstructionLoss()
        >>> float(loss(np.ones((2, 3)), np.zeros((2, 3))))
        3.0

    Book: section "sec-autoencoder-loss".
    """

    def __init__(self, name="reconstruction_loss", reduction="sum_over_batch_size", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)

    def call(self, y_true, y_pred):
        return _per_example(y_true, y_pred, "ReconstructionLoss")
