"""Input checks shared by every public function and layer.

Every message has one shape, Keras's wording plus scikit-learn's "how to fix":

    <Name> expects <what>. Received: <arg>=<value or shape>. <How to fix>.

Value checks run only on eager tensors and NumPy arrays (what a learner passes to a function);
inside a traced ``tf.function`` only static shapes are checked, so training steps stay fast.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

import keras
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
    return all((not isinstance(t, tf.Tensor) or hasattr(t, "numpy"))
               and not isinstance(t, keras.KerasTensor) for t in tensors)


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


def check_real(name: str, arg: str, value, *, minimum=None, maximum=None, strict: bool = False,
               strict_minimum: bool | None = None, strict_maximum: bool | None = None,
               fix: str = "") -> float:
    """Return ``value`` as a Python float, raising unless it is a real number in range.

    Any real number passes: Python ``int`` and ``float``, NumPy integer and floating scalars;
    booleans, strings, arrays, NaN and infinities do not. ``minimum`` and ``maximum`` are
    inclusive bounds; ``strict=True`` excludes both, and ``strict_minimum`` or
    ``strict_maximum`` (when not ``None``) decide for one bound alone. For example
    ``minimum=0, strict=True`` is "> 0" and ``minimum=0, maximum=1, strict_maximum=True`` is
    "in [0, 1)".

    Raises:
        TypeError: if ``value`` is not a real number (the message names its type).
        ValueError: if ``value`` is NaN, infinite, or out of range.
    """
    low_open = strict if strict_minimum is None else strict_minimum
    high_open = strict if strict_maximum is None else strict_maximum
    what = f"{arg} to be a real number{_range_text(minimum, maximum, low_open, high_open)}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(
            message(name, what, f"{arg}={value!r} of type {type(value).__name__}",
                    fix or "Pass a Python int or float (or a NumPy number)")
        )
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        number = math.inf
    too_low = minimum is not None and (number <= minimum if low_open else number < minimum)
    too_high = maximum is not None and (number >= maximum if high_open else number > maximum)
    if not math.isfinite(number) or too_low or too_high:
        raise ValueError(message(name, what, f"{arg}={value!r}", fix))
    return number


def _range_text(minimum, maximum, low_open: bool, high_open: bool) -> str:
    if minimum is not None and maximum is not None:
        return (f" in {'(' if low_open else '['}{minimum:g}, {maximum:g}"
                f"{')' if high_open else ']'}")
    if minimum is not None:
        return f" {'>' if low_open else '>='} {minimum:g}"
    if maximum is not None:
        return f" {'<' if high_open else '<='} {maximum:g}"
    return ""


def check_array(name: str, arg: str, x, *, what: str = "", finite: bool = False,
                allow_empty: bool = True) -> None:
    """Raise unless ``x`` is numeric array data: an array, a tensor, or (nested) numbers.

    Booleans, integers and floats pass; strings, ``None``, objects and ragged lists raise
    ``TypeError``. Where values can be inspected (NumPy data, eager tensors; see
    :func:`is_eager`), ``finite=True`` also rejects NaN and infinities and
    ``allow_empty=False`` rejects arrays with no values, each with a ``ValueError``.
    ``what`` is the expected shape in the docstring's notation, e.g. ``"(batch_size, dim)"``.
    """
    expects = f"{arg} to be a numeric array or tensor" + (f", {what}" if what else "")
    dtype = _numeric_dtype(x)
    if dtype is None:
        if isinstance(x, np.ndarray):
            received = f"{arg} with dtype {x.dtype} and shape {_fmt(x.shape)}"
        else:
            text = repr(x)
            text = text if len(text) <= 60 else text[:57] + "..."
            received = f"{arg}={text} of type {type(x).__name__}"
        raise TypeError(
            message(name, expects, received, "Pass a NumPy array, a tensor or a (nested) list "
                    "of numbers, with the same length in every row")
        )
    if (finite or not allow_empty) and is_eager(x):
        values = np.asarray(x)
        if not allow_empty and values.size == 0:
            raise ValueError(
                message(name, f"{arg} to be non-empty" + (f", {what}" if what else ""),
                        f"{arg} with shape {_fmt(values.shape)}", "Pass at least one example")
            )
        if finite and values.dtype.kind == "f":
            bad = ~np.isfinite(values)
            if bad.any():
                nan = int(np.isnan(values).sum())
                first = tuple(int(i) for i in np.argwhere(bad)[0])
                raise ValueError(
                    message(name, f"{arg} to hold finite values",
                            f"{arg} with {nan} NaN and {int(bad.sum()) - nan} infinite "
                            f"values among {values.size} (the first at index {first})",
                            "Drop or impute the non-finite values first (e.g. "
                            "mmtutor.impute.mean_fill); NaN outputs often mean that "
                            "training diverged")
                )


def _numeric_dtype(x) -> str | None:
    """The dtype name of numeric array data (bool, int, uint, float), else ``None``."""
    if x is None or isinstance(x, (str, bytes)):
        return None
    dtype = getattr(x, "dtype", None)
    if dtype is None or not hasattr(x, "shape"):
        try:
            dtype = np.asarray(x).dtype
        except (ValueError, TypeError):  # ragged lists, unconvertible objects
            return None
    dtype_name = str(getattr(dtype, "name", dtype))
    numeric = dtype_name == "bool" or dtype_name.startswith(("float", "int", "uint", "bfloat"))
    return dtype_name if numeric else None


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
    _check_sums(name, arg, p, axis, atol,
                "If these are logits (raw scores before softmax), pass from_logits=True")


def _check_sums(name: str, arg: str, p, axis: int, atol: float, fix: str) -> None:
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
                    f"and sums in [{sums.min():.4g}, {sums.max():.4g}]", fix)
        )


def check_labels(name: str, arg: str, y, num_classes: int | None = None) -> np.ndarray:
    """Return ``y`` as a 1-D int64 array, raising if it is not integer labels in range."""
    check_array(name, arg, y, what="integer class labels of shape (batch_size,)", finite=True)
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
    _check_sums(name, arg, p, -1, atol, fix)
