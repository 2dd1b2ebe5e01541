"""Unit tests for mmtutor.layers.attention_pooling: attention_pool and AttentionPooling."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mmtutor.layers import AttentionPooling, attention_pool


def numpy_reference(values, query, mask):
    contexts, all_weights = [], []
    for n in range(values.shape[0]):
        a = query if query.ndim == 1 else query[n]
        real = [t for t in range(values.shape[1]) if mask[n, t]]
        scores = {t: float(np.dot(a, values[n, t])) for t in real}
        top = max(scores.values(), default=0.0)
        exps = {t: np.exp(s - top) for t, s in scores.items()}
        total = sum(exps.values())
        weights = np.array([exps[t] / total if t in exps else 0.0
                            for t in range(values.shape[1])])
        all_weights.append(weights)
        contexts.append(sum(w * values[n, t] for t, w in enumerate(weights)))
    return np.array(contexts), np.array(all_weights)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    values = rng.normal(size=(3, 4, 5))
    mask = np.array([[1, 1, 1, 1], [1, 1, 0, 0], [0, 1, 0, 1]], dtype=bool)
    return values, rng.normal(size=5), mask


def test_attention_pool_matches_numpy_loop_with_shared_query(data):
    values, query, mask = data
    context, weights = attention_pool(values, query, mask=mask)
    ref_context, ref_weights = numpy_reference(values, query, mask)
    np.testing.assert_allclose(np.asarray(weights), ref_weights, rtol=1e-6)
    np.testing.assert_allclose(np.asarray(context), ref_context, rtol=1e-6, atol=1e-12)


def test_attention_pool_matches_numpy_loop_with_per_example_query(data):
    values, _, mask = data
    query = np.random.default_rng(1).normal(size=(3, 5))
    context, weights = attention_pool(values, query)
    ref_context, ref_weights = numpy_reference(values, query, np.ones_like(mask))
    np.testing.assert_allclose(np.asarray(weights), ref_weights, rtol=1e-6)
    np.testing.assert_allclose(np.asarray(context), ref_context, rtol=1e-6, atol=1e-12)


def test_attention_pool_hand_value():
    # scores log 1 = 0 and log 3: weights 1/4 and 3/4
    values = np.array([[[0.0, 0.0], [np.log(3.0), 1.0]]])
    context, weights = attention_pool(values, np.array([1.0, 0.0]))
    np.testing.assert_allclose(np.asarray(weights), [[0.25, 0.75]], rtol=1e-6)
    np.testing.assert_allclose(np.asarray(context), [[0.75 * np.log(3.0), 0.75]], rtol=1e-6)


def test_attention_pool_matches_keras_dot_product_attention_with_one_query(data):
    values, query, _ = data
    layer = keras.layers.Attention()  # softmax(q . k) v, without scaling
    q = np.broadcast_to(query, (3, 1, 5))
    expected = layer([q, values, values])[:, 0]
    context, _ = attention_pool(values, query)
    np.testing.assert_allclose(np.asarray(context), np.asarray(expected), rtol=1e-4, atol=1e-6)


def test_attention_pool_masked_steps_get_exactly_zero_weight(data):
    values, query, mask = data
    _, weights = attention_pool(values, query, mask=mask)
    assert np.all(np.asarray(weights)[~mask] == 0.0)


def test_attention_pool_fully_masked_row_gives_zeros_not_nan(data):
    values, query, mask = data
    mask[1] = False
    context, weights = attention_pool(values, query, mask=mask)
    assert np.all(np.asarray(weights)[1] == 0.0) and np.all(np.asarray(context)[1] == 0.0)
    assert np.isfinite(np.asarray(context)).all()


def test_attention_pool_is_stable_for_huge_scores_and_gradients_stay_finite(data):
    values, query, mask = data
    mask[1] = False
    big = tf.Variable(values * 1e4)
    with tf.GradientTape() as tape:
        context, weights = attention_pool(big, query, mask=mask)
        total = tf.reduce_sum(context)
    assert np.isfinite(np.asarray(weights)).all()
    np.testing.assert_allclose(np.asarray(weights).sum(axis=1), [1.0, 0.0, 1.0], rtol=1e-6)
    assert np.isfinite(tape.gradient(total, big).numpy()).all()


@settings(max_examples=25, deadline=None)
@given(hnp.arrays(np.float64, (2, 4, 3), elements=st.floats(-20, 20)),
       hnp.arrays(np.bool_, (2, 4)))
def test_attention_pool_weights_are_a_distribution_over_unmasked_steps(values, mask):
    _, weights = attention_pool(values, np.ones(3), mask=mask)
    weights = np.asarray(weights)
    assert np.all(weights >= 0.0)
    assert np.all(weights[~mask] == 0.0)
    expected = np.where(mask.any(axis=1), 1.0, 0.0)
    np.testing.assert_allclose(weights.sum(axis=1), expected, rtol=1e-6)


@settings(max_examples=25, deadline=None)
@given(hnp.arrays(np.float64, (2, 5, 3), elements=st.floats(-5, 5)),
       st.permutations(list(range(5))))
def test_attention_pool_is_invariant_to_permuting_steps(values, order):
    mask = np.array([[1, 1, 0, 1, 1], [1, 0, 1, 1, 1]], dtype=bool)
    context, weights = attention_pool(values, np.array([0.5, -1.0, 2.0]), mask=mask)
    permuted, permuted_weights = attention_pool(values[:, order], np.array([0.5, -1.0, 2.0]),
                                                mask=mask[:, order])
    np.testing.assert_allclose(np.asarray(permuted), np.asarray(context), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(np.asarray(permuted_weights), np.asarray(weights)[:, order],
                               rtol=1e-6, atol=1e-12)


def test_attention_pool_accepts_integer_values():
    context, weights = attention_pool(np.ones((1, 2, 2), dtype="int32"), np.zeros(2))
    np.testing.assert_allclose(np.asarray(context), [[1.0, 1.0]])


def test_attention_pool_rejects_rank_2_values():
    with pytest.raises(ValueError, match=r"attention_pool expects values of rank 3, \(batch_size, "
                       r"steps, features\)\. Received: values with shape \(32, 64\)\. If each "
                       r"example is one vector, no pooling is needed\."):
        attention_pool(np.zeros((32, 64)), np.zeros(64))


@pytest.mark.parametrize("shape", [(4,), (3, 4), (2, 5), (1, 2, 5)])
def test_attention_pool_rejects_query_that_does_not_fit(data, shape):
    values, _, _ = data
    with pytest.raises(ValueError, match=r"attention_pool expects query of shape \(features,\) or "
                       r"\(batch_size, features\) with features=5\. Received: query with shape"):
        attention_pool(values, np.zeros(shape))


def test_attention_pool_rejects_mask_of_wrong_shape(data):
    values, query, _ = data
    with pytest.raises(ValueError, match=r"expects mask of shape \(batch_size, steps\) = \(3, 4\)"
                       r"\. Received: mask with shape \(3, 5\)"):
        attention_pool(values, query, mask=np.ones((3, 5), bool))


def test_attention_pooling_layer_shapes_and_weights():
    layer = AttentionPooling()
    out = layer(np.ones((2, 6, 3), dtype="float32"))
    assert tuple(out.shape) == (2, 3)
    assert [w.name for w in layer.trainable_weights] == ["query"]
    assert tuple(layer.query.shape) == (3,)
    assert layer.compute_output_shape((None, 6, 3)) == (None, 3)
    both = AttentionPooling(return_weights=True)
    assert both.compute_output_shape((None, 6, 3)) == ((None, 3), (None, 6))


def test_attention_pooling_layer_equals_function_with_its_query():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 4, 3)).astype("float32")
    layer = AttentionPooling(return_weights=True)
    context, weights = layer(x)
    ref_context, ref_weights = attention_pool(x, layer.query.numpy())
    np.testing.assert_allclose(np.asarray(context), np.asarray(ref_context), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(weights), np.asarray(ref_weights), rtol=1e-6)


def make_masked_model():
    keras.utils.set_random_seed(0)
    tokens = keras.Input((None,), dtype="int32")
    embedded = keras.layers.Embedding(10, 4, mask_zero=True)(tokens)
    context, weights = AttentionPooling(return_weights=True, name="pool")(embedded)
    return keras.Model(tokens, [keras.layers.Dense(2)(context), weights])


def test_attention_pooling_honours_keras_mask_from_embedding():
    model = make_masked_model()
    _, weights = model(np.array([[3, 4, 0, 0], [5, 0, 0, 0]]))
    weights = np.asarray(weights)
    np.testing.assert_array_equal(weights[:, 2:], 0.0)
    np.testing.assert_allclose(weights[1], [1.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-6)


def test_attention_pooling_passes_no_mask_on():
    layer = AttentionPooling()
    assert layer.compute_mask(np.ones((1, 2, 3)), np.ones((1, 2), bool)) is None


def test_attention_pooling_get_config_round_trip():
    layer = AttentionPooling(return_weights=True, query_initializer="zeros", name="p")
    clone = AttentionPooling.from_config(layer.get_config())
    assert clone.return_weights is True and clone.name == "p"
    assert clone.get_config() == layer.get_config()
    context, weights = clone(np.ones((1, 3, 2), dtype="float32"))
    np.testing.assert_allclose(np.asarray(weights), [[1 / 3] * 3], rtol=1e-6)


def test_attention_pooling_keras_save_and_load_give_same_predictions(tmp_path):
    model = make_masked_model()
    x = np.array([[3, 4, 0, 0], [5, 6, 7, 0]])
    path = tmp_path / "pool.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    for a, b in zip(model(x), loaded(x), strict=True):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6)
    assert isinstance(loaded.get_layer("pool"), AttentionPooling)


def test_attention_pooling_rejects_rank_2_inputs():
    with pytest.raises(ValueError, match=r"AttentionPooling expects inputs of rank 3, \(batch_size,"
                       r" steps, features\)\. Received: inputs with shape \(32, 64\)\. If each "
                       r"example is one vector, no pooling is needed\."):
        AttentionPooling()(np.zeros((32, 64), dtype="float32"))


def test_attention_pooling_rejects_unknown_feature_axis():
    with pytest.raises(ValueError, match=r"expects inputs whose last axis \(features\) is known\. "
                       r"Received: inputs with shape \(None, 3, None\)"):
        AttentionPooling().build((None, 3, None))


def test_attention_pooling_rejects_non_bool_return_weights():
    with pytest.raises(TypeError, match=r"AttentionPooling expects return_weights to be True or "
                       r"False\. Received: return_weights='yes' of type str\."):
        AttentionPooling(return_weights="yes")
