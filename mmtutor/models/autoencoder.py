"""The seed's autoencoder, corrected: flattens any input, encodes to ``encoding_dim``, decodes."""

from __future__ import annotations

import math

import keras

from mmtutor import _validation as v
from mmtutor.models._common import output_dtype


@keras.saving.register_keras_serializable(package="mmtutor")
class Autoencoder(keras.Model):
    """Dense autoencoder for inputs of any shape, e.g. ``(8, 8, 1)`` or ``(28, 28, 1)`` images.

    The encoder flattens the input, applies a ReLU hidden layer and a linear layer down to the
    code of size ``encoding_dim``; the decoder mirrors it and reshapes back to ``input_shape``.
    The output uses a sigmoid, so inputs should be scaled to [0, 1]. It is a functional model
    (built in ``__init__``), so ``summary()``, ``plot_model`` and saving work without a first
    call. Train it with :class:`mmtutor.losses.ReconstructionLoss` (or ``"mse"``).

    Formula:
        z = E(x),   x_hat = D(z),   L = ||x - x_hat||^2.

    Args:
        input_shape: shape of one example without the batch axis, e.g. ``(8, 8, 1)``.
        encoding_dim: size of the code ``z``.
        hidden_units: width of the hidden layer of the encoder and of the decoder.
        **kwargs: standard model arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: ``(batch_size, *input_shape)``.

    Returns:
        Reconstructions of shape ``(batch_size, *input_shape)``. ``model.encoder`` maps inputs to
        codes ``(batch_size, encoding_dim)``; ``model.decoder`` maps codes back.

    Raises:
        ValueError: if ``input_shape`` holds non-positive sizes, or ``encoding_dim`` or
            ``hidden_units`` is not positive.
        TypeError: if ``input_shape`` is not a tuple or the sizes are not integers.

    Example:
        >>> import numpy as np
        >>> model = Autoencoder((8, 8, 1), encoding_dim=4)
        >>> model.encoder(np.zeros((2, 8, 8, 1))).shape, model(np.zeros((2, 8, 8, 1))).shape
        (TensorShape([2, 4]), TensorShape([2, 8, 8, 1]))

    Book: section "sec-seed-fixed".
    """

    def __init__(self, input_shape, encoding_dim, *, hidden_units=128, **kwargs):
        name = "Autoencoder"
        shape = v.check_input_shape(name, input_shape, None, "the shape of one example, e.g. "
                                    "(8, 8, 1)", "Leave out the batch axis")
        v.check_positive_int(name, "encoding_dim", encoding_dim)
        v.check_positive_int(name, "hidden_units", hidden_units)
        size = math.prod(shape)
        # A functional model does not pass its dtype policy on: give it to every layer.
        policy = keras.dtype_policies.get(kwargs.pop("dtype", None))
        layers = keras.layers

        inputs = keras.Input(shape=shape, name="image")
        x = layers.Flatten(dtype=policy)(inputs)  # (batch_size, size)
        x = layers.Dense(hidden_units, activation="relu", dtype=policy)(x)
        code = layers.Dense(encoding_dim, name="code", dtype=policy)(x)  # (batch, encoding_dim)
        encoder = keras.Model(inputs, code, name="encoder")

        code_in = keras.Input(shape=(encoding_dim,), name="code")
        y = layers.Dense(hidden_units, activation="relu", dtype=policy)(code_in)
        out_policy = output_dtype(policy)  # float32 under a mixed policy
        y = layers.Dense(size, activation="sigmoid", dtype=out_policy)(y)  # (batch_size, size)
        outputs = layers.Reshape(shape, dtype=out_policy)(y)  # (batch_size, *input_shape)
        decoder = keras.Model(code_in, outputs, name="decoder")

        super().__init__(inputs, decoder(encoder(inputs)), **kwargs)
        self.dtype_policy = policy
        self.encoding_dim = int(encoding_dim)
        self.hidden_units = int(hidden_units)

    @property
    def encoder(self):
        """The encoder, a ``keras.Model`` from inputs to codes ``(batch_size, encoding_dim)``."""
        return self.get_layer("encoder")

    @property
    def decoder(self):
        """The decoder, a ``keras.Model`` from codes back to ``(batch_size, *input_shape)``."""
        return self.get_layer("decoder")

    def get_config(self):
        config = super().get_config()
        config.update(input_shape=list(self.input_shape[1:]), encoding_dim=self.encoding_dim,
                      hidden_units=self.hidden_units)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["input_shape"] = tuple(config["input_shape"])
        return cls(**config)
