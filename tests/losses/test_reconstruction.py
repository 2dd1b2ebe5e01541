"""Unit tests for mmtutor.losses.reconstruction: ||x - D(E(x))||^2 averaged over the batch."""

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mmtutor.losses import ReconstructionLoss, reconstruction_loss


def numpy_reference(x, x_hat):
    total = 0.0
    for xn, hn in zip(x, x_hat, strict=True):
        total += sum((a - b) ** 2 for a, b in zip(np.ravel(xn), np.ravel(hn), strict=True))
    return total / len(x)


def test_reconstruction_loss_matches_numpy_loop():
    rng = np.random.default_rng(0)
    x, x_hat = rng.random((4, 3, 2, 1)), rng.random((4, 3, 2, 1))
    np.testing.assert_allclose(float(reconstruction_loss(x, x_hat)), numpy_reference(x, x_hat),
                               rtol=1e-6)


def test_reconstruction_loss_hand_value():
    # example 1: (1-0)^2 + (2-0)^2 = 5; example 2: (0-3)^2 + 0 = 9; mean 7
    assert float(reconstruction_loss([[1.0, 2.0], [0.0, 0.0]], [[0.0, 0.0], [3.0, 0.0]])) == 7.0


def test_reconstruction_loss_is_features_times_keras_mse():
    rng = np.random.default_rng(1)
    x, x_hat = rng.random((5, 4, 4, 1)).astype("float32"), rng.random((5, 4, 4, 1)).astype(
        "float32")
    mse = float(keras.losses.MeanSquaredError()(x.reshape(5, -1), x_hat.reshape(5, -1)))
    np.testing.assert_allclose(float(reconstruction_loss(x, x_hat)), 16 * mse, rtol=1e-5)


def test_reconstruction_loss_is_zero_for_perfect_reconstruction():
    x = np.arange(6.0).reshape(2, 3)
    assert float(reconstruction_loss(x, x)) == 0.0


@settings(max_examples=25, deadline=None)
@given(hnp.arrays(np.float64, (3, 4), elements=st.floats(-10, 10)),
       hnp.arrays(np.float64, (3, 4), elements=st.floats(-10, 10)))
def test_reconstruction_loss_is_non_negative(x, x_hat):
    assert float(reconstruction_loss(x, x_hat)) >= 0.0


def test_reconstruction_loss_class_equals_function_and_round_trips_config():
    rng = np.random.default_rng(2)
    x, x_hat = rng.random((3, 5)), rng.random((3, 5))
    loss = ReconstructionLoss(name="rec")
    np.testing.assert_allclose(float(loss(x, x_hat)), float(reconstruction_loss(x, x_hat)),
                               rtol=1e-6)
    clone = ReconstructionLoss.from_config(loss.get_config())
    assert clone.name == "rec"
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(loss))
    assert isinstance(restored, ReconstructionLoss)


def test_reconstruction_loss_trains_in_compile(compile_built):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4)])
    compile_built(model, optimizer="sgd", loss=ReconstructionLoss())
    x = np.random.default_rng(0).random((8, 4)).astype("float32")
    history = model.fit(x, x, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_reconstruction_loss_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"reconstruction_loss expects x and x_hat to have the "
                       r"same shape\. Received: x with shape \(2, 4\) and x_hat with shape "
                       r"\(2, 3\)\. Reshape"):
        reconstruction_loss(np.zeros((2, 4)), np.zeros((2, 3)))


def test_reconstruction_loss_rejects_rank_1_inputs():
    with pytest.raises(ValueError, match=r"expects x of rank 2 or more.*Received: x with shape "
                       r"\(4,\)\. Add a batch axis"):
        reconstruction_loss(np.zeros(4), np.zeros(4))


def test_reconstruction_loss_class_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="ReconstructionLoss expects x and x_hat"):
        ReconstructionLoss()(np.zeros((2, 4)), np.zeros((2, 3)))
