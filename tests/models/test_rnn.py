"""Unit tests for mmtutor.models.RNN: shapes, sequence labelling, serialization, bad input."""

import keras
import numpy as np
import pytest

from mmtutor.losses import SequenceCrossentropy
from mmtutor.models import RNN


def test_rnn_outputs_one_distribution_per_sequence():
    model = RNN((8, 8), 10, units=4)
    out = np.asarray(model(np.random.default_rng(0).random((3, 8, 8)).astype("float32")))
    assert out.shape == (3, 10)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)


def test_rnn_return_sequences_labels_every_step_and_accepts_any_length():
    model = RNN((None, 2), 3, return_sequences=True, units=4)
    for steps in (4, 7):
        out = np.asarray(model(np.zeros((2, steps, 2), dtype="float32")))
        assert out.shape == (2, steps, 3)
        np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-5)


def test_rnn_get_config_round_trip():
    model = RNN((None, 8), 5, return_sequences=True, units=6, name="tagger")
    config = model.get_config()
    assert config == {"name": "tagger", "trainable": True, "input_shape": [None, 8],
                      "num_classes": 5, "return_sequences": True, "units": 6,
                      "dtype": keras.dtype_policies.serialize(keras.DTypePolicy("float32"))}
    clone = RNN.from_config(config)
    assert clone.get_config() == config and clone.count_params() == model.count_params()


def test_rnn_keras_save_and_load_give_same_predictions(tmp_path):
    keras.utils.set_random_seed(0)
    model = RNN((5, 3), 4, units=4)
    x = np.random.default_rng(1).random((2, 5, 3)).astype("float32")
    path = tmp_path / "rnn.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded, RNN)
    np.testing.assert_allclose(np.asarray(loaded(x)), np.asarray(model(x)), rtol=1e-6)


def test_rnn_sequence_labelling_loss_goes_down(compile_built):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(2)
    x = rng.random((16, 5, 2)).astype("float32")
    y = keras.utils.to_categorical((x[..., 0] > 0.5).astype(int), 2)  # label each step
    model = RNN((5, 2), 2, return_sequences=True, units=8)
    compile_built(model, optimizer=keras.optimizers.Adam(0.02), loss=SequenceCrossentropy(),
                  jit_compile=False)
    history = model.fit(x, y, epochs=10, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < 0.8 * history.history["loss"][0]


def test_rnn_rejects_flat_input_shape_as_the_seed_used():
    with pytest.raises(ValueError, match=r"RNN expects input_shape to be 2 positive integers, "
                       r"\(steps, features\)\. Received: input_shape=\(10,\)\. For images of "
                       r"shape \(height, width, 1\) pass \(height, width\)"):
        RNN((10,), 10)


def test_rnn_rejects_bad_num_classes_and_options():
    with pytest.raises(ValueError, match=r"RNN expects num_classes to be a positive integer\. "
                       r"Received: num_classes=-1\."):
        RNN((8, 8), -1)
    with pytest.raises(TypeError, match="RNN expects return_sequences to be True or False"):
        RNN((8, 8), 10, return_sequences="yes")
    with pytest.raises(ValueError, match="RNN expects units to be a positive integer"):
        RNN((8, 8), 10, units=0)
