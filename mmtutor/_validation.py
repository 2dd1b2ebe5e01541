"""Input checks shared by every public function and layer.

Every message has one shape, Keras's wording plus scikit-learn's "how to fix":

    <Name> expects <what>. Received: <arg>=<value or shape>. <How to fix>.

Value checks run only on eager tensors and NumPy arrays (what a learner passes to a function);
inside a traced ``tf.function`` only static shapes are checked, so training steps stay fast.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import tensorflow as tf


def message(name: str, expects: str, received: str, fix: str = "") -> str:
    """Build one error message in the house format."""
    text = f"{name} expects {expects}. Received: {received}."
    if fix:
        text += f" {fix.rstrip('.')}."
    return text


def shape_of(x) -> tuple:
    """Return the static shape of a tensor or array as a tuple (``None`` for unknown dims)."""
    shape = getattr(x, "shape", None)
    if shape is None:
        shape = np.shape(x)
    return tuple(shape)


def is_eager(*tensors) -> bool:
    """True when values can be inspected: NumPy data, or eager tensors outside a trace."""
    if not tf.executing_eagerly():
        return False
    return all(not isinstance(t, tf.Tensor) or hasattr(t, "numpy") for t in tensors)


def check_option(name: str, arg: str, value, options: Iterable) -> None:
    """Raise ``ValueError`` unless ``value`` is one of ``options``."""
    options = tuple(options)
    if value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise ValueError(
            message(name, f"{arg} to be one of {listed}", f"{arg}={value!r}",
                    f"Pass one of {listed}")
        )


def check_type(name: str, arg: str, value, types, what: str) -> None:
    """Raise ``TypeError`` unless ``value`` is an instance of ``types``.

    ``True`` and ``False`` are ints to Python; they pass only where ``types`` names ``bool``.
    """
    is_stray_bool = isinstance(value, bool) and bool not in _as_tuple(types)
    if not isinstance(value, types) or is_stray_bool:
        raise TypeError(
            message(name, f"{arg} to be {what}", f"{arg}={value!r} of type {type(value).__name__}")
        )


def check_positive_int(name: str, arg: str, value) -> None:
    """Raise ``TypeError``/``ValueError`` unless ``value`` is an int greater than zero."""
    check_type(name, arg, value, (int, np.integer), "a positive integer")
    if value <= 0:
        raise ValueError(
            message(name, f"{arg} to be a positive integer", f"{arg}={value!r}")
        )


def check_rank(name: str, arg: str, x, ranks, what: str, fix: str = "") -> None:
    """Raise ``ValueError`` unless ``x`` has one of ``ranks`` (an int or a tuple of ints)."""
    ranks = _as_tuple(ranks)
    shape = shape_of(x)
    if len(shape) not in ranks:
        rank_text = " or ".join(str(r) for r in ranks)
        raise ValueError(
            message(name, f"{arg} of rank {rank_text}, {what}",
                    f"{arg} with shape {_fmt(shape)}", fix)
        )


def check_same_shape(name: str, arg_a: str, a, arg_b: str, b, fix: str = "") -> None:
    """Raise ``ValueError`` unless the static shapes of ``a`` and ``b`` agree where known."""
    sa, sb = shape_of(a), shape_of(b)
    if len(sa) != len(sb) or any(x is not None and y is not None and x != y
                                 for x, y in zip(sa, sb, strict=True)):
        raise ValueError(
            message(name, f"{arg_a} and {arg_b} to have the same shape",
                    f"{arg_a} with shape {_fmt(sa)} and {arg_b} with shape {_fmt(sb)}", fix)
        )


def check_probabilities(name: str, arg: str, p, axis: int = -1, atol: float = 1e-3) -> None:
    """Raise ``ValueError`` unless ``p`` holds values in [0, 1] that sum to 1 along ``axis``.

    Only checked eagerly; a traced call skips it.
    """
    if not is_eager(p):
        return
    values = np.asarray(p, dtype=np.float64)
    if values.size == 0:
        return
    sums = values.sum(axis=axis)
    if values.min() < -atol or values.max() > 1 + atol or np.abs(sums - 1).max() > atol:
        raise ValueError(
            message(name, f"{arg} to hold probabilities: values in [0, 1] that sum to 1 over the "
                    "last axis", f"{arg} with values in [{values.min():.4g}, {values.max():.4g}] "
                    f"and sums in [{sums.min():.4g}, {sums.max():.4g}]",
                    "If these are logits (raw scores before softmax), pass from_logits=True")
        )


def check_labels(name: str, arg: str, y, num_classes: int | None = None) -> np.ndarray:
    """Return ``y`` as a 1-D int64 array, raising if it is not integer labels in range."""
    values = np.asarray(y)
    if values.ndim != 1:
        raise ValueError(
            message(name, f"{arg} to be integer class labels of shape (batch_size,)",
                    f"{arg} with shape {_fmt(values.shape)}",
                    "If these are one-hot rows or probabilities, take argmax(axis=-1) first")
        )
    if values.size and not np.issubdtype(values.dtype, np.integer):
        if not np.all(np.equal(np.mod(values, 1), 0)):
            raise ValueError(
                message(name, f"{arg} to be integer class labels",
                        f"{arg} with dtype {values.dtype} and non-integer values",
                        "Pass class indices, not scores")
            )
    values = values.astype(np.int64)
    if values.size and values.min() < 0:
        raise ValueError(
            message(name, f"{arg} to be class labels >= 0", f"{arg} with minimum {values.min()}")
        )
    if num_classes is not None and values.size and values.max() >= num_classes:
        raise ValueError(
            message(name, f"{arg} to be class labels in [0, {num_classes - 1}]",
                    f"{arg} with maximum {values.max()} (num_classes={num_classes})",
                    "Raise num_classes or fix the labels")
        )
    return values


def _as_tuple(x) -> tuple:
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _fmt(shape) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def check_input_shape(name: str, value, rank: int | None, what: str, fix: str = "",
                      allow_none: tuple = ()) -> tuple:
    """Return ``input_shape`` as a tuple, raising unless it holds positive ints.

    ``rank`` is the required length (``None``: any length >= 1); positions listed in
    ``allow_none`` may be ``None`` (an unknown size, such as a variable number of steps).
    """
    if not isinstance(value, (tuple, list)):
        raise TypeError(
            message(name, f"input_shape to be a tuple, {what}",
                    f"input_shape={value!r} of type {type(value).__name__}", fix)
        )
    shape = tuple(value)
    ok_rank = len(shape) >= 1 if rank is None else len(shape) == rank
    ok_dims = all(
        (d is None and i in allow_none)
        or (isinstance(d, (int, np.integer)) and not isinstance(d, bool) and d > 0)
        for i, d in enumerate(shape)
    )
    if not (ok_rank and ok_dims):
        count = "one or more" if rank is None else str(rank)
        raise ValueError(
            message(name, f"input_shape to be {count} positive integers, {what}",
                    f"input_shape={shape!r}", fix)
        )
    return tuple(None if d is None else int(d) for d in shape)


def check_distribution(name: str, arg: str, p, fix: str, atol: float = 1e-3) -> None:
    """Like ``check_probabilities`` but with a caller-chosen fix (e.g. for targets)."""
    if not is_eager(p):
        return
    values = np.asarray(p, dtype=np.float64)
    if values.size == 0:
        return
    sums = values.sum(axis=-1)
    if values.min() < -atol or values.max() > 1 + atol or np.abs(sums - 1).max() > atol:
        raise ValueError(
            message(name, f"{arg} to hold probabilities: values in [0, 1] that sum to 1 over the "
                    "last axis", f"{arg} with values in [{values.min():.4g}, {values.max():.4g}] "
                    f"and sums in [{sums.min():.4g}, {sums.max():.4g}]", fix)
        )
