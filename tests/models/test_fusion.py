"""FusionClassifier: every modality subset, masks, attention weights, saving, clear errors."""

import keras
import numpy as np
import pytest

from mmtutor.models import FusionClassifier

SHAPES = {"image": (8, 8, 1), "audio": (4, 6), "text": (5,)}
FUSIONS = ["early", "intermediate", "late", "attention"]
# Every modality subset, and every fusion at one, two and three modalities, each modality
# alone and in a pair: the fusion code loops over the modalities and has no path that depends
# on which subset it got, so this covers it without building all 28 combinations.
SUBSET_FUSIONS = [(("image",), "intermediate"), (("audio",), "late"), (("text",), "attention"),
                  (("image", "audio"), "attention"), (("image", "text"), "late"),
                  (("audio", "text"), "intermediate"), (("audio",), "early"),
                  (("text",), "early"), (("image", "text"), "early")]
# Tiny encoders keep the tests fast; the text encoder's GRU is covered in test_encoders.py.
SMALL = {"image": {"filters": (2, 2)}, "audio": {"units": 3},
         "text": {"pooling": "mean", "token_dim": 3}}


def _model(modalities=tuple(SHAPES), fusion="intermediate", **kwargs):
    keras.utils.set_random_seed(0)
    return FusionClassifier({m: SHAPES[m] for m in modalities}, fusion=fusion, num_classes=4,
                            embedding_dim=4, hidden_units=5, vocabulary_size=12,
                            encoder_options={m: SMALL[m] for m in modalities}, **kwargs)


@pytest.fixture(scope="module")
def models():
    """One model per fusion over all three modalities, shared by the read-only tests."""
    return {fusion: _model(fusion=fusion) for fusion in FUSIONS}


def _inputs(n=3, seed=0):
    rng = np.random.default_rng(seed)
    return {"image": rng.random((n, 8, 8, 1), dtype="float32"),
            "audio": rng.normal(size=(n, 4, 6)).astype("float32"),
            "text": rng.integers(1, 12, size=(n, 5)).astype("int32")}


@pytest.mark.parametrize("modalities, fusion", SUBSET_FUSIONS,
                         ids=[f"{'+'.join(m)}-{f}" for m, f in SUBSET_FUSIONS])
def test_fusion_outputs_probabilities_for_every_modality_subset(modalities, fusion):
    model = _model(modalities, fusion)
    probs = np.asarray(model(_inputs()))  # extra modalities in the dict are ignored
    assert probs.shape == (3, 4)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert model.modalities == modalities


@pytest.mark.parametrize("fusion", FUSIONS)
def test_fusion_outputs_probabilities_for_all_three_modalities(fusion, models):
    model = models[fusion]
    probs = np.asarray(model(_inputs()))
    assert probs.shape == (3, 4)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert model.modalities == ("image", "audio", "text")


@pytest.mark.parametrize("fusion", FUSIONS)
def test_absent_modality_contributes_nothing(fusion, models):
    model = models[fusion]
    inputs = _inputs()
    changed = dict(inputs, audio=inputs["audio"] * 10 + 5)
    presence = np.array([[1, 0, 1]] * 3, dtype="float32")  # audio absent
    masked = np.asarray(model({**inputs, "presence": presence}))
    masked_changed = np.asarray(model({**changed, "presence": presence}))
    np.testing.assert_allclose(masked, masked_changed, atol=1e-6)
    # Sanity: while present, the audio does change the prediction.
    assert not np.allclose(np.asarray(model(inputs)), np.asarray(model(changed)), atol=1e-6)


def test_attention_weights_sum_to_one_over_present_modalities(models):
    model = models["attention"]
    presence = np.array([[1, 1, 1], [1, 0, 1], [0, 0, 1]], dtype="float32")
    weights = model.modality_weights({**_inputs(), "presence": presence}, batch_size=2)
    assert weights.shape == (3, 3)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-6)
    np.testing.assert_array_equal(weights[presence == 0], 0.0)
    np.testing.assert_allclose(weights[2], [0.0, 0.0, 1.0], atol=1e-6)


def test_attention_weights_follow_the_seed_formula(models):
    model = models["attention"]
    inputs = _inputs()
    embeddings = np.stack([np.asarray(e(inputs[m])) for m, e in
                           zip(model.modalities, model.encoders, strict=True)], axis=1)
    scores = embeddings @ np.asarray(model.attention.query)  # (batch, modalities)
    expected = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(model.modality_weights(inputs), expected, atol=1e-5)


def test_late_fusion_mean_is_the_average_of_the_present_heads(models):
    model = models["late"]
    inputs = _inputs()
    heads = [np.asarray(h(e(inputs[m]))) for m, e, h in
             zip(model.modalities, model.encoders, model.heads, strict=True)]
    np.testing.assert_allclose(np.asarray(model(inputs)), np.mean(heads, axis=0), atol=1e-6)
    presence = np.array([[1, 0, 1]] * 3, dtype="float32")
    np.testing.assert_allclose(np.asarray(model({**inputs, "presence": presence})),
                               (heads[0] + heads[2]) / 2, atol=1e-6)


def test_late_fusion_learned_weights_are_trainable_and_mean_weights_are_not():
    assert _model(("image",), fusion="late", late_weights="learned").weight_logits.trainable
    assert _model(("image",), fusion="late").weight_logits is None  # the mean has no weights


@pytest.mark.parametrize("fusion", ["early", "intermediate"])
def test_modality_dropout_changes_training_outputs_only(fusion):
    model = _model(fusion=fusion, modality_dropout=0.5, seed=0)
    inputs = _inputs(n=16)
    np.testing.assert_allclose(np.asarray(model(inputs)), np.asarray(model(inputs)))
    assert not np.allclose(np.asarray(model(inputs, training=True)), np.asarray(model(inputs)),
                           atol=1e-6)


def test_fusion_config_round_trip():
    model = _model(("audio", "text"), "late", late_weights="learned", modality_dropout=0.2)
    clone = FusionClassifier.from_config(model.get_config())
    assert clone.get_config() == model.get_config()
    assert clone.count_params() == model.count_params()


def test_fusion_fits_one_epoch_with_modality_dropout():
    model = _model(("image", "text"), "late", modality_dropout=0.3, late_weights="learned")
    inputs = _inputs(n=8)
    before = np.asarray(model.weight_logits).copy()
    # Eager execution: no graph tracing, which would dominate a one-step test.
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", run_eagerly=True)
    history = model.fit(inputs, np.arange(8) % 4, epochs=1, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert not np.allclose(np.asarray(model.weight_logits), before)  # learned weights moved


@pytest.mark.parametrize("fusion", ["late", "attention"])  # the two with their own weights
def test_fusion_saves_and_loads_with_same_predictions(fusion, tmp_path):
    model = _model(("image", "text"), fusion, modality_dropout=0.3, late_weights="learned")
    inputs = _inputs(n=4)
    model.save(tmp_path / "fusion.keras")
    loaded = keras.models.load_model(tmp_path / "fusion.keras")
    assert loaded.get_config() == model.get_config()
    presence = np.array([[1, 0]] * 4, dtype="float32")
    for batch in (inputs, {**inputs, "presence": presence}):
        np.testing.assert_allclose(np.asarray(loaded(batch)), np.asarray(model(batch)),
                                   atol=1e-6)


def test_fusion_rejects_unknown_fusion_name():
    with pytest.raises(ValueError, match=r"fusion to be one of 'early', 'intermediate', "
                                         r"'late', 'attention'. Received: fusion='middle'"):
        _model(fusion="middle")


def test_fusion_rejects_unknown_modality_name():
    with pytest.raises(ValueError, match=r"each modality name to be one of 'image'"):
        FusionClassifier({"video": (8, 8, 1)})


def test_fusion_requires_vocabulary_size_for_text():
    with pytest.raises(ValueError, match=r"vocabulary_size when 'text' is a modality"):
        FusionClassifier({"text": (5,)})


def test_fusion_rejects_inputs_missing_a_modality(models):
    inputs = _inputs()
    del inputs["audio"]
    with pytest.raises(ValueError, match=r"inputs with the keys \['image', 'audio', 'text'\]. "
                                         r"Received: inputs with keys \['image', 'text'\]"):
        models["intermediate"](inputs)


def test_fusion_rejects_mismatched_batch_sizes(models):
    inputs = dict(_inputs(), audio=_inputs(n=4)["audio"])
    with pytest.raises(ValueError, match=r"the same batch size for every input. Received: "
                                         r"image with 3 examples, audio with 4 examples"):
        models["early"](inputs)


def test_fusion_rejects_presence_with_wrong_columns(models):
    with pytest.raises(ValueError, match=r"inputs\['presence'\] with 3 columns"):
        models["attention"]({**_inputs(), "presence": np.ones((3, 2), "float32")})


def test_fusion_rejects_non_dict_inputs():
    with pytest.raises(TypeError, match=r"FusionClassifier expects inputs to be a dict"):
        _model(("image",))(np.zeros((2, 8, 8, 1), "float32"))


@pytest.mark.parametrize("fusion", ["early", "intermediate"])
def test_early_and_intermediate_fusion_have_no_modality_weights(fusion, models):
    with pytest.raises(ValueError, match=r"modality_weights expects a model with fusion='late' "
                                         rf"or 'attention'. Received: a model with "
                                         rf"fusion='{fusion}'"):
        models[fusion].modality_weights(_inputs())
