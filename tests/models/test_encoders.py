"""Per-modality encoders and the single-modality classifier built on them."""

import keras
import numpy as np
import pytest

from mmtutor import modalities, models
from mmtutor.models import (
    create_audio_encoder,
    create_encoder,
    create_image_encoder,
    create_text_encoder,
    create_unimodal_classifier,
    encoders,
)


@pytest.mark.parametrize("pooling", ["last", "mean", "attention"])
def test_audio_encoder_output_shape_for_each_pooling(pooling):
    encoder = create_audio_encoder((6, 4), embedding_dim=5, units=3, pooling=pooling)
    assert tuple(encoder(np.zeros((2, 6, 4), "float32")).shape) == (2, 5)


def test_audio_encoder_accepts_lstm_and_variable_length():
    encoder = create_audio_encoder((None, 4), embedding_dim=5, units=3, cell="lstm")
    assert tuple(encoder(np.zeros((2, 9, 4), "float32")).shape) == (2, 5)


@pytest.mark.parametrize(("pool_size", "steps"), [(2, 5), (4, 3)])
def test_audio_encoder_pool_size_sets_the_rnn_steps(pool_size, steps):
    encoder = create_audio_encoder((9, 4), embedding_dim=5, units=3, pool_size=pool_size)
    assert tuple(encoder.get_layer("audio_pool").output.shape) == (None, steps, 32)
    assert tuple(encoder(np.zeros((2, 9, 4), "float32")).shape) == (2, 5)


@pytest.mark.parametrize("pooling", ["rnn", "mean", "attention"])
def test_text_encoder_ignores_padding_for_each_pooling(pooling):
    encoder = create_text_encoder(10, 6, embedding_dim=4, token_dim=3, units=3,
                                  pooling=pooling)
    short = np.array([[3, 5, 0, 0, 0, 0]], dtype="int32")
    assert tuple(encoder(short).shape) == (1, 4)
    # Padding positions are masked, so a caption padded further gives the same embedding.
    longer = create_text_encoder(10, 8, embedding_dim=4, token_dim=3, units=3, pooling=pooling)
    longer.set_weights(encoder.get_weights())
    padded = np.array([[3, 5, 0, 0, 0, 0, 0, 0]], dtype="int32")
    np.testing.assert_allclose(np.asarray(longer(padded)), np.asarray(encoder(short)),
                               atol=1e-6)


@pytest.mark.parametrize("pooling", ["rnn", "mean", "attention"])
def test_text_encoder_gives_finite_embedding_for_all_padding_caption(pooling):
    # A removed text modality arrives as all padding; the embedding must stay finite so that a
    # presence mask of 0 can cancel it (0 * NaN would stay NaN).
    encoder = create_text_encoder(10, 4, embedding_dim=3, token_dim=2, units=2, pooling=pooling)
    empty = np.zeros((2, 4), dtype="int32")
    assert np.all(np.isfinite(np.asarray(encoder(empty))))


def test_text_encoder_mean_pooling_is_the_mean_of_real_token_vectors():
    encoder = create_text_encoder(10, 4, embedding_dim=3, token_dim=2, pooling="mean")
    tokens = encoder.get_layer("text_tokens").get_weights()[0]  # (vocabulary, token_dim)
    pooled = keras.Model(encoder.input, encoder.get_layer("text_mean").output)
    got = np.asarray(pooled(np.array([[3, 5, 0, 0]], dtype="int32")))
    np.testing.assert_allclose(got[0], (tokens[3] + tokens[5]) / 2, atol=1e-6)


def test_image_encoder_output_shape_and_non_negative_embedding():
    encoder = create_image_encoder((8, 8, 1), embedding_dim=7, filters=(2, 3))
    out = np.asarray(encoder(np.random.default_rng(0).random((3, 8, 8, 1), "float32")))
    assert out.shape == (3, 7) and (out >= 0).all()  # ReLU embedding


def test_unimodal_classifier_outputs_probabilities_and_keeps_input_name():
    model = create_unimodal_classifier(create_text_encoder(10, 4, embedding_dim=3),
                                       num_classes=4, dropout=0.1)
    probs = np.asarray(model(np.array([[1, 2, 0, 0]], "int32")))
    assert probs.shape == (1, 4) and np.allclose(probs.sum(axis=1), 1.0, atol=1e-6)
    assert model.name == "text_classifier" and model.inputs[0].name == "text"


def test_unimodal_classifier_saves_and_loads(tmp_path):
    model = create_unimodal_classifier(
        create_audio_encoder((5, 4), embedding_dim=3, units=2, pooling="attention"))
    x = np.random.default_rng(1).normal(size=(2, 5, 4)).astype("float32")
    model.save(tmp_path / "audio.keras")
    import keras

    loaded = keras.models.load_model(tmp_path / "audio.keras")
    np.testing.assert_allclose(np.asarray(loaded(x)), np.asarray(model(x)), atol=1e-6)


def test_audio_encoder_rejects_unknown_pooling():
    with pytest.raises(ValueError, match=r"pooling to be one of 'last', 'mean', 'attention'"):
        create_audio_encoder((5, 4), pooling="max")


def test_audio_encoder_rejects_non_positive_pool_size():
    with pytest.raises(ValueError, match=r"create_audio_encoder expects pool_size to be a posit"):
        create_audio_encoder((5, 4), pool_size=0)


def test_image_encoder_rejects_rank_2_input_shape():
    with pytest.raises(ValueError, match=r"create_image_encoder expects input_shape to be 3"):
        create_image_encoder((8, 8))


def test_text_encoder_rejects_non_positive_vocabulary():
    with pytest.raises(ValueError, match=r"vocabulary_size to be a positive integer"):
        create_text_encoder(0)


def test_unimodal_classifier_rejects_non_model():
    with pytest.raises(TypeError, match=r"create_unimodal_classifier expects encoder to be"):
        create_unimodal_classifier("image")


@pytest.mark.parametrize(("modality", "shape", "function"),
                         [("image", (8, 8, 1), create_image_encoder),
                          ("audio", (5, 4), create_audio_encoder),
                          ("text", (6,), create_text_encoder)])
def test_create_encoder_dispatches_by_modality_name(modality, shape, function):
    keras.utils.set_random_seed(0)
    options = {"text": {"vocabulary_size": 9}}.get(modality, {})
    encoder = create_encoder(modality, shape, embedding_dim=3, **options)
    keras.utils.set_random_seed(0)
    direct = (function(9, 6, embedding_dim=3) if modality == "text"
              else function(shape, embedding_dim=3))
    assert encoder.name == f"{modality}_encoder" and encoder.inputs[0].name == modality
    assert [w.shape for w in encoder.weights] == [w.shape for w in direct.weights]


def test_create_encoder_passes_options_on():
    encoder = create_encoder("audio", (5, 4), embedding_dim=2, units=3, cell="lstm", name="a")
    assert encoder.name == "a" and isinstance(encoder.get_layer("audio_rnn"), keras.layers.LSTM)


def test_create_encoder_rejects_unknown_modality():
    with pytest.raises(ValueError, match=r"create_encoder expects modality to be one of 'image', "
                                         r"'audio', 'text'. Received: modality='video'"):
        create_encoder("video", (8, 8, 1))


def test_create_encoder_requires_vocabulary_size_for_text():
    with pytest.raises(ValueError, match=r"create_encoder expects vocabulary_size with "
                                         r"modality='text'. Received: vocabulary_size=None"):
        create_encoder("text", (6,))


def test_models_modalities_is_the_package_vocabulary():
    assert models.MODALITIES is modalities.MODALITIES
    assert not hasattr(encoders, "MODALITIES") or encoders.MODALITIES is modalities.MODALITIES


@pytest.mark.parametrize("dtype", ["float64", "bfloat16"])
def test_encoders_follow_the_dtype_policy(dtype):
    encoder = create_text_encoder(9, 4, embedding_dim=2, pooling="attention", dtype=dtype)
    assert {layer.dtype_policy.name for layer in encoder.layers[1:]} == {dtype}
    assert encoder(np.ones((1, 4), "int32")).dtype == dtype
