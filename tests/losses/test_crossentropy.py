"""Unit tests for mmtutor.losses.crossentropy: categorical and sequence cross-entropy."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mmtutor.losses import (
    CategoricalCrossentropy,
    SequenceCrossentropy,
    categorical_crossentropy,
    sequence_crossentropy,
)


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def one_hot(labels, num_classes):
    return np.eye(num_classes)[labels]


def categorical_reference(y, p):
    total = 0.0
    for yi, pi in zip(y, p, strict=True):
        total -= sum(yc * math.log(pc) for yc, pc in zip(yi, pi, strict=True) if yc > 0)
    return total / len(y)


def sequence_reference(y, p, mask):
    total = 0.0
    for yn, pn, mn in zip(y, p, mask, strict=True):
        steps = [t for t in range(len(yn)) if mn[t]]
        if steps:
            total += sum(-sum(yc * math.log(pc) for yc, pc in zip(yn[t], pn[t], strict=True))
                         for t in steps) / len(steps)
    return total / len(y)


@pytest.fixture
def batch():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(6, 4))
    return one_hot(rng.integers(0, 4, 6), 4), logits


def test_categorical_crossentropy_matches_numpy_loop(batch):
    y, logits = batch
    np.testing.assert_allclose(float(categorical_crossentropy(y, softmax(logits))),
                               categorical_reference(y, softmax(logits)), rtol=1e-6)


def test_categorical_crossentropy_from_logits_matches_probabilities(batch):
    y, logits = batch
    np.testing.assert_allclose(float(categorical_crossentropy(y, logits, from_logits=True)),
                               categorical_reference(y, softmax(logits)), rtol=1e-6)


def test_categorical_crossentropy_hand_value():
    # -(log 0.8 + log 0.5) / 2
    y = [[1.0, 0.0], [0.0, 1.0]]
    p = [[0.8, 0.2], [0.5, 0.5]]
    assert float(categorical_crossentropy(y, p)) == pytest.approx(
        -(math.log(0.8) + math.log(0.5)) / 2, rel=1e-6)


@pytest.mark.parametrize("from_logits", [False, True])
def test_categorical_crossentropy_matches_keras_builtin(batch, from_logits):
    y, logits = batch
    y_pred = logits if from_logits else softmax(logits)
    expected = keras.losses.CategoricalCrossentropy(from_logits=from_logits)(y, y_pred)
    np.testing.assert_allclose(float(categorical_crossentropy(y, y_pred, from_logits=from_logits)),
                               float(expected), rtol=1e-5)


def test_categorical_crossentropy_gradient_wrt_logits_is_yhat_minus_y(batch):
    y, logits = batch
    z = tf.Variable(logits)
    with tf.GradientTape() as tape:
        loss = categorical_crossentropy(y, z, from_logits=True)
    grad = tape.gradient(loss, z).numpy()
    np.testing.assert_allclose(grad * len(y), softmax(logits) - y, atol=1e-6)


def test_categorical_crossentropy_is_finite_for_zero_probability():
    loss = float(categorical_crossentropy([[1.0, 0.0]], [[0.0, 1.0]]))
    assert math.isfinite(loss)
    assert loss == pytest.approx(-math.log(keras.config.epsilon()), rel=1e-3)


def test_categorical_crossentropy_is_finite_for_huge_logits():
    y = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    logits = tf.Variable([[1e4, -1e4, 0.0], [1e4, -1e4, 0.0]])
    with tf.GradientTape() as tape:
        loss = categorical_crossentropy(y, logits, from_logits=True)
    # example 1: correct with margin 1e4 -> 0; example 2: true logit -1e4 vs max 1e4 -> 2e4
    assert float(loss) == pytest.approx(1e4, rel=1e-6)
    assert np.isfinite(tape.gradient(loss, logits).numpy()).all()


@settings(max_examples=25, deadline=None)
@given(hnp.arrays(np.float64, (3, 4), elements=st.floats(-50, 50)),
       st.lists(st.integers(0, 3), min_size=3, max_size=3))
def test_categorical_crossentropy_is_non_negative(logits, labels):
    y = one_hot(labels, 4)
    assert float(categorical_crossentropy(y, logits, from_logits=True)) >= 0.0
    assert float(categorical_crossentropy(y, softmax(logits))) >= 0.0


def test_categorical_crossentropy_class_equals_function_and_round_trips(batch):
    y, logits = batch
    loss = CategoricalCrossentropy(from_logits=True)
    np.testing.assert_allclose(float(loss(y, logits)),
                               float(categorical_crossentropy(y, logits, from_logits=True)),
                               rtol=1e-6)
    config = loss.get_config()
    assert config["from_logits"] is True
    assert CategoricalCrossentropy.from_config(config).from_logits is True
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(loss))
    assert isinstance(restored, CategoricalCrossentropy) and restored.from_logits


def test_categorical_crossentropy_rejects_non_probabilities():
    with pytest.raises(ValueError, match=r"categorical_crossentropy expects y_pred to hold "
                       r"probabilities.*Received: y_pred with values in \[-1, 2\].*pass "
                       r"from_logits=True"):
        categorical_crossentropy([[1.0, 0.0]], [[-1.0, 2.0]])


def test_categorical_crossentropy_rejects_targets_that_are_not_one_hot():
    with pytest.raises(ValueError, match=r"expects y_true to hold probabilities.*"
                       r"keras\.utils\.to_categorical"):
        categorical_crossentropy([[2.0, 0.0]], [[0.5, 0.5]])


def test_categorical_crossentropy_rejects_integer_labels():
    with pytest.raises(ValueError, match=r"expects y_pred of rank 2, \(batch_size, "
                       r"num_classes\)\. Received: y_pred with shape \(3,\)\. For integer"):
        categorical_crossentropy([0, 1, 1], [0.2, 0.3, 0.5])


def test_categorical_crossentropy_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"expects y_true and y_pred to have the same shape\. "
                       r"Received: y_true with shape \(1, 3\) and y_pred with shape \(1, 2\)"):
        categorical_crossentropy([[1.0, 0.0, 0.0]], [[0.5, 0.5]])


def test_categorical_crossentropy_rejects_non_bool_from_logits():
    with pytest.raises(TypeError, match="expects from_logits to be True or False"):
        categorical_crossentropy([[1.0, 0.0]], [[0.5, 0.5]], from_logits="yes")
    with pytest.raises(TypeError, match="CategoricalCrossentropy expects from_logits"):
        CategoricalCrossentropy(from_logits=1)


@pytest.fixture
def sequences():
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(3, 5, 4))
    y = one_hot(rng.integers(0, 4, (3, 5)), 4)
    mask = np.array([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0], [1, 0, 0, 0, 0]], dtype=bool)
    return y, logits, mask


def test_sequence_crossentropy_matches_numpy_loop(sequences):
    y, logits, mask = sequences
    full = np.ones_like(mask)
    np.testing.assert_allclose(float(sequence_crossentropy(y, softmax(logits))),
                               sequence_reference(y, softmax(logits), full), rtol=1e-6)
    np.testing.assert_allclose(float(sequence_crossentropy(y, logits, mask=mask,
                                                           from_logits=True)),
                               sequence_reference(y, softmax(logits), mask), rtol=1e-6)


def test_sequence_crossentropy_divides_each_sequence_by_its_own_length():
    y = one_hot(np.zeros((2, 4), dtype=int), 2)
    p = np.full((2, 4, 2), 0.5)
    p[1, :2] = [0.25, 0.75]
    mask = np.array([[True] * 4, [True, True, False, False]])
    # sequence 1: log 2 per step; sequence 2: two real steps of -log 0.25 each
    expected = (math.log(2) + math.log(4)) / 2
    assert float(sequence_crossentropy(y, p, mask=mask)) == pytest.approx(expected, rel=1e-6)


def test_sequence_crossentropy_fully_masked_sequence_contributes_zero():
    y = one_hot(np.zeros((2, 3), dtype=int), 2)
    p = np.full((2, 3, 2), 0.5)
    mask = np.array([[True] * 3, [False] * 3])
    assert float(sequence_crossentropy(y, p, mask=mask)) == pytest.approx(math.log(2) / 2)


def test_sequence_crossentropy_matches_keras_when_every_sequence_is_full(sequences):
    y, logits, _ = sequences
    expected = keras.losses.CategoricalCrossentropy(from_logits=True)(y, logits)
    np.testing.assert_allclose(float(sequence_crossentropy(y, logits, from_logits=True)),
                               float(expected), rtol=1e-5)


@settings(max_examples=25, deadline=None)
@given(hnp.arrays(np.float64, (2, 3, 4), elements=st.floats(-30, 30)),
       hnp.arrays(np.bool_, (2, 3)))
def test_sequence_crossentropy_is_non_negative(logits, mask):
    y = one_hot(np.zeros((2, 3), dtype=int), 4)
    assert float(sequence_crossentropy(y, logits, mask=mask, from_logits=True)) >= 0.0


def test_sequence_crossentropy_class_applies_keras_mask_per_sequence(sequences):
    y, logits, mask = sequences
    keras.utils.set_random_seed(0)
    x = np.where(mask[..., None], np.ones((3, 5, 2)), 0.0).astype("float32")
    inputs = keras.Input((5, 2))
    hidden = keras.layers.Masking(0.0)(inputs)
    outputs = keras.layers.Dense(4, activation="softmax")(hidden)
    model = keras.Model(inputs, outputs)
    y_pred = model(x)
    expected = sequence_crossentropy(y, np.asarray(y_pred), mask=mask)
    np.testing.assert_allclose(float(SequenceCrossentropy()(y, y_pred)), float(expected),
                               rtol=1e-6)
    model.compile(optimizer="sgd", loss=SequenceCrossentropy())
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0), float(expected), rtol=1e-5)


def test_sequence_crossentropy_class_round_trips_config(sequences):
    y, logits, _ = sequences
    loss = SequenceCrossentropy(from_logits=True, name="seq")
    np.testing.assert_allclose(float(loss(y, logits)),
                               float(sequence_crossentropy(y, logits, from_logits=True)),
                               rtol=1e-6)
    clone = SequenceCrossentropy.from_config(loss.get_config())
    assert clone.from_logits and clone.name == "seq"
    with pytest.raises(TypeError, match="SequenceCrossentropy expects from_logits"):
        SequenceCrossentropy(from_logits=None)


def test_sequence_crossentropy_rejects_mask_of_wrong_shape(sequences):
    y, logits, _ = sequences
    with pytest.raises(ValueError, match=r"sequence_crossentropy expects mask and y_pred\[\.\.\., "
                       r"0\] to have the same shape\. Received: mask with shape \(3, 4\)"):
        sequence_crossentropy(y, logits, mask=np.ones((3, 4), bool), from_logits=True)


def test_sequence_crossentropy_rejects_rank_2_predictions():
    with pytest.raises(ValueError, match=r"expects y_pred of rank 3, \(batch_size, steps, "
                       r"num_classes\).*use categorical_crossentropy"):
        sequence_crossentropy([[1.0, 0.0]], [[0.5, 0.5]])


def test_sequence_crossentropy_rejects_non_probabilities(sequences):
    y, logits, _ = sequences
    with pytest.raises(ValueError, match="expects y_pred to hold probabilities"):
        sequence_crossentropy(y, logits)
