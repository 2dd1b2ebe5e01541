"""DualEncoder: unit-length embeddings, InfoNCE training, saving, errors."""

import keras
import numpy as np
import pytest

from mmtutor.losses import info_nce
from mmtutor.metrics import recall_at_k
from mmtutor.models import DualEncoder


def _model(**kwargs):
    keras.utils.set_random_seed(0)
    return DualEncoder({"text": (5,), "image": (8, 8, 1)}, projection_dim=4, embedding_dim=8,
                       vocabulary_size=9, encoder_options={"text": {"pooling": "mean"},
                                                           "image": {"filters": (4, 4)}},
                       **kwargs)


def _paired_data(n=40, seed=0):
    """Two views that share only a class label (0-3), each with noise."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 4
    image = np.zeros((n, 8, 8, 1), "float32")
    image[np.arange(n), 2 * labels, :, 0] = 1.0  # the class is the lit row
    image += rng.random(image.shape).astype("float32") * 0.2
    text = rng.integers(5, 9, size=(n, 5)).astype("int32")  # filler words 5-8
    text[:, 1:4] = (labels + 1)[:, None]  # the class is the word in the middle (ids 1-4)
    return {"image": image, "text": text}, labels


def test_dual_encoder_outputs_unit_length_embeddings_in_fixed_order():
    model = _model()
    assert model.modalities == ("image", "text")  # fixed order, whatever the dict order
    out = model(_paired_data(3)[0])
    for m in model.modalities:
        assert tuple(out[m].shape) == (3, 4)
        np.testing.assert_allclose(np.linalg.norm(out[m], axis=1), 1.0, atol=1e-5)


def test_dual_encoder_loss_is_info_nce_of_its_embeddings():
    model = _model(temperature=0.5)
    inputs, _ = _paired_data(6)
    out = model(inputs)
    expected = float(info_nce(out["image"], out["text"], temperature=0.5))
    assert float(model.compute_loss(x=inputs, y_pred=out)) == pytest.approx(expected, rel=1e-5)


def test_dual_encoder_training_lowers_loss_and_retrieves_the_class(tmp_path, compile_built):
    model = _model(temperature=0.2)
    inputs, labels = _paired_data()
    compile_built(model, optimizer=keras.optimizers.Adam(0.02))
    history = model.fit(inputs, epochs=4, batch_size=10, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] - 0.3
    text = model.embed(inputs["text"], modality="text", batch_size=16)
    image = model.embed(inputs["image"], modality="image")
    assert recall_at_k(text, image, k=1, level="class", labels=labels) > 0.6  # chance: 0.25
    model.save(tmp_path / "dual.keras")
    loaded = keras.models.load_model(tmp_path / "dual.keras")
    np.testing.assert_allclose(loaded.embed(inputs["text"], modality="text"), text,
                               atol=1e-5)


def test_dual_encoder_config_round_trip():
    model = _model(temperature=0.3)
    assert DualEncoder.from_config(model.get_config()).get_config() == model.get_config()


def test_dual_encoder_rejects_three_modalities():
    with pytest.raises(ValueError, match=r"DualEncoder expects exactly two modalities"):
        DualEncoder({"image": (8, 8, 1), "audio": (4, 6), "text": (5,)}, vocabulary_size=9)


def test_dual_encoder_with_audio_embeds_clips():
    keras.utils.set_random_seed(0)
    model = DualEncoder({"image": (8, 8, 1), "audio": (4, 6)}, projection_dim=3,
                        embedding_dim=4, encoder_options={"audio": {"units": 2}})
    z = model.embed(np.ones((5, 4, 6), "float32"), modality="audio", batch_size=2)
    assert z.shape == (5, 3)


def test_dual_encoder_rejects_inputs_missing_a_modality():
    with pytest.raises(ValueError, match=r"DualEncoder expects inputs with the keys"):
        _model()({"image": np.zeros((2, 8, 8, 1), "float32")})


def test_dual_encoder_embed_rejects_unknown_modality():
    with pytest.raises(ValueError, match=r"modality to be one of 'image', 'text'"):
        _model().embed(np.zeros((2, 5)), modality="audio")
