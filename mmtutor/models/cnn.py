"""The seed's CNN, corrected: a small convolutional classifier for 8x8 to 28x28 images."""

from __future__ import annotations

import keras

from mmtutor import _validation as v
from mmtutor.models._common import output_dtype


@keras.saving.register_keras_serializable(package="mmtutor")
class CNN(keras.Model):
    """Convolutional image classifier that outputs class probabilities.

    Two 3x3 convolutions with ``padding="same"`` (so an 8x8 image is not eaten away by its
    borders), one 2x2 max pooling, then a small dense head with dropout and a softmax layer. With
    ``augment=True`` (the default) each training batch is shifted at random by up to an eighth
    of the image (one pixel on 8x8 digits), which is what lets such a small data set train a
    CNN that beats a support vector machine; the shift is off at inference. The same model
    works from 8x8 digits to 28x28 MNIST. It is a functional model built in ``__init__``;
    compile it with ``loss="sparse_categorical_crossentropy"``.

    Formula:
        y_hat = softmax(W h(x) + b),   L = -1/N sum_i sum_c y_ic log(y_hat_ic).

    Args:
        input_shape: ``(height, width, channels)``, e.g. ``(8, 8, 1)``.
        num_classes: number of classes.
        filters: filters of the first convolution (the second has twice as many).
        dropout: dropout rate in the dense head.
        augment: whether to shift training images at random.
        **kwargs: standard model arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: images ``(batch_size, height, width, channels)``.
        training: whether to apply dropout and the random shifts.

    Returns:
        Probabilities of shape ``(batch_size, num_classes)``.

    Raises:
        ValueError: if ``input_shape`` is not three positive sizes, ``num_classes`` or
            ``filters`` is not positive, or ``dropout`` is outside [0, 1).
        TypeError: if an argument has the wrong type.

    Example:
        >>> import numpy as np
        >>> model = CNN((8, 8, 1), num_classes=10)
        >>> model(np.zeros((2, 8, 8, 1))).shape
        TensorShape([2, 10])

    Book: section "sec-seed-fixed".
    """

    def __init__(self, input_shape, num_classes, *, filters=16, dropout=0.3, augment=True,
                 **kwargs):
        name = "CNN"
        shape = v.check_input_shape(name, input_shape, 3, "(height, width, channels)",
                                    "For grayscale images add a channel axis, e.g. (8, 8, 1)")
        v.check_positive_int(name, "num_classes", num_classes)
        v.check_positive_int(name, "filters", filters)
        dropout = v.check_real(name, "dropout", dropout, minimum=0, maximum=1,
                               strict_maximum=True)
        v.check_type(name, "augment", augment, bool, "True or False")
        # A functional model does not pass its dtype policy on: give it to every layer.
        policy = keras.dtype_policies.get(kwargs.pop("dtype", None))
        layers = keras.layers

        inputs = keras.Input(shape=shape, name="image")
        x = inputs
        if augment:  # active only when training
            x = layers.RandomTranslation(0.125, 0.125, fill_mode="constant",
                                         interpolation="nearest", dtype=policy)(x)
        x = layers.Conv2D(filters, 3, padding="same", activation="relu", dtype=policy)(x)
        x = layers.Conv2D(2 * filters, 3, padding="same", activation="relu", dtype=policy)(x)
        x = layers.MaxPooling2D(2, padding="same", dtype=policy)(x)  # (batch, h/2, w/2, 2f)
        x = layers.Flatten(dtype=policy)(x)  # (batch_size, h/2 * w/2 * 2 filters)
        x = layers.Dropout(dropout, dtype=policy)(x)
        x = layers.Dense(64, activation="relu", dtype=policy)(x)
        x = layers.Dropout(dropout, dtype=policy)(x)
        # The softmax in float32 under a mixed policy (output_dtype), so the loss stays stable.
        outputs = layers.Dense(num_classes, activation="softmax",
                               dtype=output_dtype(policy))(x)
        super().__init__(inputs, outputs, **kwargs)
        self.dtype_policy = policy
        self.num_classes = int(num_classes)
        self.filters = int(filters)
        self.dropout = float(dropout)
        self.augment = augment

    def call(self, inputs, training=False, mask=None):
        # Keras's random augmentation layers default to training=True; this default makes a
        # plain model(x) an inference call, as it is for dropout.
        return super().call(inputs, training=training, mask=mask)

    def get_config(self):
        config = super().get_config()
        config.update(input_shape=list(self.input_shape[1:]), num_classes=self.num_classes,
                      filters=self.filters, dropout=self.dropout, augment=self.augment)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["input_shape"] = tuple(config["input_shape"])
        return cls(**config)
