"""Attention pooling: a learned query scores every step, softmax turns scores into weights."""

from __future__ import annotations

import keras
from keras import ops

from mmtutor import _validation as v

_VALUES_WHAT = "(batch_size, steps, features)"
_VALUES_FIX = "If each example is one vector, no pooling is needed"


def _check_values(name, arg, values):
    v.check_rank(name, arg, values, 3, _VALUES_WHAT, _VALUES_FIX)


def _fits(shape, expected) -> bool:
    """True when two static shapes agree wherever both are known."""
    return all(a is None or b is None or a == b for a, b in zip(shape, expected, strict=True))


def _pool(values, query, mask):
    """The math of :func:`attention_pool`, without input checks (also used inside the layer)."""
    if len(query.shape) == 1:
        scores = ops.einsum("ntd,d->nt", values, query)  # (batch_size, steps)
    else:
        scores = ops.einsum("ntd,nd->nt", values, query)  # (batch_size, steps)
    if mask is None:
        mask = ops.ones_like(scores, dtype="bool")
    mask = ops.cast(mask, "bool")
    # Subtract each row's largest real score before exp (softmax is shift-invariant), so large
    # scores cannot overflow. A row with no real step shifts by 0 instead of -inf.
    masked_scores = ops.where(mask, scores, float("-inf"))  # (batch_size, steps)
    row_max = ops.max(masked_scores, axis=-1, keepdims=True)  # (batch_size, 1)
    row_max = ops.where(ops.any(mask, axis=-1, keepdims=True), row_max, 0.0)
    row_max = ops.stop_gradient(row_max)
    shifted = ops.where(mask, scores - row_max, 0.0)  # <= 0 on real steps, no inf anywhere
    exps = ops.exp(shifted) * ops.cast(mask, scores.dtype)  # masked steps: exactly 0
    total = ops.sum(exps, axis=-1, keepdims=True)  # (batch_size, 1); >= 1 unless fully masked
    weights = exps / ops.where(total > 0, total, 1.0)  # fully masked row: all zeros
    context = ops.einsum("nt,ntd->nd", weights, values)  # (batch_size, features)
    return context, weights


def attention_pool(values, query, *, mask=None):
    """Pool a sequence of vectors into one vector, weighting steps by their score with a query.

    Each step ``v_i`` gets the score ``a . v_i``; a softmax over the steps turns the scores into
    weights, and the output is the weighted sum of the steps. This is scaled dot-product
    attention with a single query and without the ``1/sqrt(D)`` scale. Masked steps get weight
    exactly 0; a row with every step masked gives a zero context and zero weights (never NaN).
    Large scores are safe: the largest real score is subtracted before ``exp``.

    Formula:
        alpha_i = exp(a . v_i) / sum_j exp(a . v_j),   z = sum_i alpha_i v_i.

    Args:
        values: the steps ``v``, shape ``(batch_size, steps, features)``.
        query: the query ``a``, shape ``(features,)`` (shared) or ``(batch_size, features)``.
        mask: optional boolean ``(batch_size, steps)``, True for real steps.

    Returns:
        ``(context, weights)``: ``context`` of shape ``(batch_size, features)`` and ``weights``
        of shape ``(batch_size, steps)``.

    Raises:
        ValueError: if ``values`` is not rank 3, or ``query`` or ``mask`` do not fit it.

    Example:
        >>> import numpy as np
        >>> values = np.array([[[1.0, 0.0], [0.0, 1.0]]])    # one example, two steps
        >>> context, weights = attention_pool(values, np.array([0.0, 0.0]))
        >>> np.asarray(weights).tolist()                      # equal scores, equal weights
        [[0.5, 0.5]]
        >>> context, weights = attention_pool(values, np.zeros(2), mask=[[True, False]])
        >>> np.asarray(context).tolist()
        [[1.0, 0.0]]

    Book: section "sec-attention".
    """
    name = "attention_pool"
    values = ops.convert_to_tensor(values)
    if values.dtype not in ("float16", "bfloat16", "float32", "float64"):
        values = ops.cast(values, keras.config.floatx())
    query = ops.convert_to_tensor(query, dtype=values.dtype)
    _check_values(name, "values", values)
    batch, steps, features = v.shape_of(values)
    qshape = v.shape_of(query)
    if not ((len(qshape) == 1 and _fits(qshape, (features,)))
            or (len(qshape) == 2 and _fits(qshape, (batch, features)))):
        raise ValueError(
            v.message(name, f"query of shape (features,) or (batch_size, features) with "
                      f"features={features}", f"query with shape {v._fmt(qshape)}",
                      "The query needs as many entries as each step has features")
        )
    if mask is not None:
        mask = ops.convert_to_tensor(mask)
        if len(mask.shape) != 2 or not _fits(v.shape_of(mask), (batch, steps)):
            raise ValueError(
                v.message(name, f"mask of shape (batch_size, steps) = {v._fmt((batch, steps))}",
                          f"mask with shape {v._fmt(v.shape_of(mask))}",
                          "The mask has one entry per step: True for real steps")
            )
    return _pool(values, query, mask)


@keras.saving.register_keras_serializable(package="mmtutor")
class AttentionPooling(keras.layers.Layer):
    """Attention pooling with a trainable query: ``(batch_size, steps, features)`` to one vector.

    The layer learns the query ``a`` of :func:`attention_pool`. It honours Keras masks (for
    example from ``Embedding(mask_zero=True)`` or ``Masking``): padded steps get weight 0. Its
    output has no steps left, so it passes no mask on.

    Formula:
        alpha_i = softmax_i(a . v_i),   z = sum_i alpha_i v_i.

    Args:
        return_weights: if True, the layer returns ``(context, weights)`` instead of
            ``context``.
        query_initializer: initializer of the query ``a``.
        **kwargs: standard layer arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: ``(batch_size, steps, features)``.
        mask: optional boolean ``(batch_size, steps)``; Keras passes it automatically.

    Returns:
        ``context`` of shape ``(batch_size, features)``, or ``(context, weights)`` with
        ``weights`` of shape ``(batch_size, steps)`` when ``return_weights=True``.

    Raises:
        ValueError: if the inputs are not rank 3 or their last axis is unknown.
        TypeError: if ``return_weights`` is not a bool.

    Example:
        >>> import numpy as np
        >>> layer = AttentionPooling(return_weights=True)
        >>> context, weights = layer(np.ones((2, 5, 4), dtype="float32"))
        >>> tuple(context.shape), tuple(weights.shape)
        ((2, 4), (2, 5))

    Book: section "sec-attention".
    """

    def __init__(self, return_weights=False, query_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        v.check_type("AttentionPooling", "return_weights", return_weights, bool, "True or False")
        self.return_weights = return_weights
        self.query_initializer = keras.initializers.get(query_initializer)
        self.supports_masking = True

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != 3:
            raise ValueError(
                v.message("AttentionPooling", f"inputs of rank 3, {_VALUES_WHAT}",
                          f"inputs with shape {v._fmt(input_shape)}", _VALUES_FIX)
            )
        if input_shape[-1] is None:
            raise ValueError(
                v.message("AttentionPooling", "inputs whose last axis (features) is known",
                          f"inputs with shape {v._fmt(input_shape)}",
                          "Give the model's Input a fixed number of features")
            )
        self.query = self.add_weight(shape=(input_shape[-1],), name="query",
                                     initializer=self.query_initializer)

    def call(self, inputs, mask=None):
        context, weights = _pool(inputs, ops.cast(self.query, inputs.dtype), mask)
        return (context, weights) if self.return_weights else context

    def compute_mask(self, inputs, mask=None):
        return None  # the steps are pooled away

    def compute_output_shape(self, input_shape):
        context = (input_shape[0], input_shape[-1])
        return (context, (input_shape[0], input_shape[1])) if self.return_weights else context

    def get_config(self):
        return {
            **super().get_config(),
            "return_weights": self.return_weights,
            "query_initializer": keras.initializers.serialize(self.query_initializer),
        }
