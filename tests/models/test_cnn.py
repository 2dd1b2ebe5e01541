"""Unit tests for mmtutor.models.CNN: shapes, softmax output, serialization, bad input."""

import keras
import numpy as np
import pytest

from mmtutor.models import CNN


@pytest.mark.parametrize("shape", [(8, 8, 1), (28, 28, 1), (5, 7, 3)])
def test_cnn_outputs_probabilities(shape):
    model = CNN(shape, 4, filters=4)
    out = np.asarray(model(np.random.default_rng(0).random((2, *shape)).astype("float32")))
    assert out.shape == (2, 4)
    assert np.all(out >= 0.0)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)


def test_cnn_get_config_round_trip():
    model = CNN((8, 8, 1), 10, filters=4, dropout=0.5, name="cnn8")
    config = model.get_config()
    assert config == {"name": "cnn8", "trainable": True, "input_shape": [8, 8, 1],
                      "num_classes": 10, "filters": 4, "dropout": 0.5, "augment": True,
                      "dtype": keras.dtype_policies.serialize(keras.DTypePolicy("float32"))}
    clone = CNN.from_config(config)
    assert clone.get_config() == config and clone.count_params() == model.count_params()


def test_cnn_keras_save_and_load_give_same_predictions(tmp_path):
    keras.utils.set_random_seed(0)
    model = CNN((8, 8, 1), 3, filters=4)
    x = np.random.default_rng(1).random((4, 8, 8, 1)).astype("float32")
    path = tmp_path / "cnn.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded, CNN)
    np.testing.assert_allclose(np.asarray(loaded(x)), np.asarray(model(x)), rtol=1e-6)


def test_cnn_augmentation_acts_only_in_training():
    keras.utils.set_random_seed(0)
    model = CNN((8, 8, 1), 3, filters=4, dropout=0.0)
    x = np.random.default_rng(2).random((4, 8, 8, 1)).astype("float32")
    np.testing.assert_allclose(np.asarray(model(x)), np.asarray(model(x)))
    assert not np.allclose(np.asarray(model(x, training=True)), np.asarray(model(x)))
    plain = CNN((8, 8, 1), 3, filters=4, dropout=0.0, augment=False)
    np.testing.assert_allclose(np.asarray(plain(x, training=True)), np.asarray(plain(x)),
                               rtol=1e-6)


def test_cnn_learns_a_separable_toy_problem(compile_built):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 64)
    x = rng.random((64, 8, 8, 1)).astype("float32") * 0.2
    x[y == 1, :4] += 0.8  # class 1: bright top half
    model = CNN((8, 8, 1), 2, filters=4, augment=False)
    compile_built(model, optimizer=keras.optimizers.Adam(0.01),
                  loss="sparse_categorical_crossentropy", jit_compile=False)
    model.fit(x, y, epochs=3, batch_size=16, verbose=0)  # an epoch costs more than a step
    assert np.mean(np.asarray(model(x)).argmax(axis=1) == y) > 0.9


def test_cnn_rejects_image_without_channel_axis():
    with pytest.raises(ValueError, match=r"CNN expects input_shape to be 3 positive integers, "
                       r"\(height, width, channels\)\. Received: input_shape=\(28, 28\)\. For "
                       r"grayscale images add a channel axis, e\.g\. \(8, 8, 1\)\."):
        CNN((28, 28), 10)


@pytest.mark.parametrize("num_classes, error", [(0, ValueError), ("10", TypeError)])
def test_cnn_rejects_bad_num_classes(num_classes, error):
    with pytest.raises(error, match="CNN expects num_classes to be a positive integer"):
        CNN((8, 8, 1), num_classes)


def test_cnn_rejects_bad_options():
    with pytest.raises(ValueError, match=r"CNN expects dropout to be a real number in "
                       r"\[0, 1\)\. Received: dropout=1\.0\."):
        CNN((8, 8, 1), 10, dropout=1.0)
    with pytest.raises(TypeError, match="CNN expects dropout to be a real number"):
        CNN((8, 8, 1), 10, dropout="0.1")
    with pytest.raises(TypeError, match="CNN expects augment to be True or False"):
        CNN((8, 8, 1), 10, augment=1)
