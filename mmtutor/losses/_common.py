"""What every loss does first: check that its inputs are numeric, and pick a float dtype."""

from __future__ import annotations

import keras
from keras import ops

from mmtutor import _validation as v


def float_tensors(name: str, what: dict, **inputs) -> list:
    """Check each input, convert it to a tensor and cast all of them to one float dtype.

    The dtype is float64 if any input is float64, else float32, so integer, uint8 and boolean
    inputs (images, one-hot targets) are never truncated to each other's dtype. ``what`` maps
    an argument to its expected shape, for the error message.
    """
    for arg, x in inputs.items():
        v.check_array(name, arg, x, what=what.get(arg, ""))
    tensors = [ops.convert_to_tensor(x) for x in inputs.values()]
    names = {keras.backend.standardize_dtype(t.dtype) for t in tensors}
    dtype = "float64" if "float64" in names else "float32"
    return [ops.cast(t, dtype) for t in tensors]


class CheckedLoss(keras.losses.Loss):
    """A Keras loss that names a non-numeric ``y_true`` or ``y_pred`` in the house format.

    ``keras.losses.Loss.__call__`` converts both to the loss's ``dtype`` (float32 by default)
    before ``call`` sees them; a string would otherwise surface TensorFlow's conversion error.
    """

    def __call__(self, y_true, y_pred, sample_weight=None):
        name = type(self).__name__
        v.check_array(name, "y_true", y_true)
        v.check_array(name, "y_pred", y_pred)
        return super().__call__(y_true, y_pred, sample_weight)
