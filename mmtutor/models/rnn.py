"""The seed's RNN, corrected: an LSTM over ``(steps, features)`` that predicts one label."""

from __future__ import annotations

import keras

from mmtutor import _validation as v
from mmtutor.models._common import output_dtype


@keras.saving.register_keras_serializable(package="mmtutor")
class RNN(keras.Model):
    """LSTM sequence classifier that outputs class probabilities.

    Reads a sequence of feature vectors (image rows, spectrogram frames) with an LSTM and
    classifies its last state; with ``return_sequences=True`` it labels every step instead
    (sequence labeling, trained with :func:`mmtutor.losses.sequence_crossentropy`). The number
    of steps may be ``None`` for sequences of varying length. A functional model built in
    ``__init__``.

    Formula:
        h_t = LSTM(x_t, h_{t-1}),   y_hat = softmax(W h_T + b)  (or y_hat_t from every h_t).

    Args:
        input_shape: ``(steps, features)``; ``steps`` may be ``None``.
        num_classes: number of classes.
        return_sequences: if True, output one prediction per step.
        units: size of the LSTM state.
        **kwargs: standard model arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: ``(batch_size, steps, features)``.

    Returns:
        Probabilities ``(batch_size, num_classes)``, or ``(batch_size, steps, num_classes)``
        with ``return_sequences=True``.

    Raises:
        ValueError: if ``input_shape`` is not ``(steps, features)`` or ``num_classes`` or
            ``units`` is not positive.
        TypeError: if an argument has the wrong type.

    Example:
        >>> import numpy as np
        >>> model = RNN((8, 8), num_classes=10)
        >>> model(np.zeros((2, 8, 8))).shape
        TensorShape([2, 10])
        >>> RNN((None, 8), 3, return_sequences=True)(np.zeros((2, 5, 8))).shape
        TensorShape([2, 5, 3])

    Book: section "sec-seed-fixed".
    """

    def __init__(self, input_shape, num_classes, *, return_sequences=False, units=64, **kwargs):
        name = "RNN"
        shape = v.check_input_shape(name, input_shape, 2, "(steps, features)",
                                    "For images of shape (height, width, 1) pass (height, width)"
                                    " and read each row as a step", allow_none=(0,))
        v.check_positive_int(name, "num_classes", num_classes)
        v.check_type(name, "return_sequences", return_sequences, bool, "True or False")
        v.check_positive_int(name, "units", units)
        # A functional model does not pass its dtype policy on: give it to every layer.
        policy = keras.dtype_policies.get(kwargs.pop("dtype", None))

        inputs = keras.Input(shape=shape, name="sequence")
        x = keras.layers.LSTM(units, return_sequences=return_sequences, dtype=policy)(inputs)
        outputs = keras.layers.Dense(num_classes, activation="softmax",  # float32 if mixed
                                     dtype=output_dtype(policy))(x)  # on the last axis
        super().__init__(inputs, outputs, **kwargs)
        self.dtype_policy = policy
        self.num_classes = int(num_classes)
        self.return_sequences = return_sequences
        self.units = int(units)

    def get_config(self):
        config = super().get_config()
        config.update(input_shape=list(self.input_shape[1:]), num_classes=self.num_classes,
                      return_sequences=self.return_sequences, units=self.units)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["input_shape"] = tuple(config["input_shape"])
        return cls(**config)
