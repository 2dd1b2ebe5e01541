"""Unit tests for mmtutor.models.Autoencoder: shapes, serialization, learning, bad input."""

import keras
import numpy as np
import pytest

from mmtutor.losses import ReconstructionLoss
from mmtutor.models import Autoencoder


@pytest.mark.parametrize("shape", [(8, 8, 1), (28, 28, 1), (5,)])
def test_autoencoder_output_and_code_shapes(shape):
    model = Autoencoder(shape, 3, hidden_units=8)
    x = np.random.default_rng(0).random((2, *shape)).astype("float32")
    assert tuple(model(x).shape) == (2, *shape)
    code = model.encoder(x)
    assert tuple(code.shape) == (2, 3)
    assert tuple(model.decoder(code).shape) == (2, *shape)
    out = np.asarray(model(x))
    assert out.min() >= 0.0 and out.max() <= 1.0  # sigmoid output for [0, 1] inputs


def test_autoencoder_uses_encoding_dim_and_composes_encoder_and_decoder():
    model = Autoencoder((4, 4, 1), encoding_dim=5)
    assert model.encoder.output.shape == (None, 5)
    x = np.random.default_rng(1).random((3, 4, 4, 1)).astype("float32")
    np.testing.assert_allclose(np.asarray(model(x)), np.asarray(model.decoder(model.encoder(x))),
                               rtol=1e-6)


def test_autoencoder_get_config_round_trip():
    model = Autoencoder((8, 8, 1), 4, hidden_units=16, name="ae")
    config = model.get_config()
    assert config == {"name": "ae", "trainable": True, "input_shape": [8, 8, 1],
                      "encoding_dim": 4, "hidden_units": 16,
                      "dtype": keras.dtype_policies.serialize(keras.DTypePolicy("float32"))}
    clone = Autoencoder.from_config(config)
    assert clone.get_config() == config
    assert clone.count_params() == model.count_params()


def test_autoencoder_keras_save_and_load_give_same_predictions(tmp_path):
    keras.utils.set_random_seed(0)
    model = Autoencoder((8, 8, 1), 4, hidden_units=16)
    x = np.random.default_rng(2).random((3, 8, 8, 1)).astype("float32")
    path = tmp_path / "ae.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded, Autoencoder)
    np.testing.assert_allclose(np.asarray(loaded(x)), np.asarray(model(x)), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(loaded.encoder(x)), np.asarray(model.encoder(x)),
                               rtol=1e-6)


def test_autoencoder_reconstruction_loss_goes_down(compile_built):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(3)
    x = (rng.random((32, 2)) @ rng.random((2, 16)) / 2).reshape(32, 4, 4, 1)  # rank-2 data
    model = Autoencoder((4, 4, 1), 2, hidden_units=16)
    compile_built(model, optimizer=keras.optimizers.Adam(0.02), loss=ReconstructionLoss(),
                  jit_compile=False)
    history = model.fit(x.astype("float32"), x, epochs=5, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]


def test_autoencoder_rejects_bad_input_shape():
    with pytest.raises(ValueError, match=r"Autoencoder expects input_shape to be one or more "
                       r"positive integers, the shape of one example, e\.g\. \(8, 8, 1\)\. "
                       r"Received: input_shape=\(None, 8, 8, 1\)\. Leave out the batch axis\."):
        Autoencoder((None, 8, 8, 1), 4)
    with pytest.raises(TypeError, match="Autoencoder expects input_shape to be a tuple"):
        Autoencoder(64, 4)


@pytest.mark.parametrize("dim, error", [(0, ValueError), (-2, ValueError), (2.5, TypeError)])
def test_autoencoder_rejects_bad_encoding_dim(dim, error):
    with pytest.raises(error, match=r"Autoencoder expects encoding_dim to be a positive integer\."
                       rf" Received: encoding_dim={dim}"):
        Autoencoder((8, 8, 1), dim)


def test_autoencoder_rejects_bad_hidden_units():
    with pytest.raises(ValueError, match="expects hidden_units to be a positive integer"):
        Autoencoder((8, 8, 1), 4, hidden_units=0)
