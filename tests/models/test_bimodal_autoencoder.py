"""BimodalAutoencoder: shared code, zeroed inputs in training, cross-modal reconstruction."""

import keras
import numpy as np
import pytest

from mmtutor.models import BimodalAutoencoder


def _model(**kwargs):
    keras.utils.set_random_seed(0)
    return BimodalAutoencoder((8, 8, 1), (4, 6), encoding_dim=4, hidden_units=16, seed=0,
                              **kwargs)


def _data(n=32, seed=0):
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 4
    image = np.zeros((n, 8, 8, 1), "float32")
    image[np.arange(n), 2 * labels, :, 0] = 1.0
    audio = rng.normal(scale=0.1, size=(n, 4, 6)).astype("float32")
    audio[np.arange(n), :, labels] += 1.0
    return {"image": image, "audio": audio}, labels


def test_bimodal_autoencoder_reconstructs_both_shapes_from_either_source():
    model = _model()
    inputs, _ = _data(5)
    for source in ("both", "image", "audio"):
        given = inputs if source == "both" else {source: inputs[source]}
        out = model.reconstruct(given, source=source, batch_size=2)
        assert out["image"].shape == (5, 8, 8, 1) and out["audio"].shape == (5, 4, 6)
        assert out["image"].min() >= 0 and out["image"].max() <= 1
    assert model.encode(inputs).shape == (5, 4)


def test_absent_input_does_not_change_the_code():
    model = _model()
    inputs, _ = _data(4)
    code = model.encode({"audio": inputs["audio"]}, source="audio")
    noisy = {"image": inputs["image"] + 5.0, "audio": inputs["audio"]}
    np.testing.assert_allclose(model.encode(noisy, source="audio"), code, atol=1e-6)
    assert not np.allclose(model.encode(inputs), code, atol=1e-6)


def test_training_zeroes_about_modality_dropout_of_the_examples():
    model = _model(modality_dropout=0.5)
    presence = np.asarray(model._presence({}, 4000, training=True))
    assert (presence.sum(axis=1) >= 1).all()  # never both zeroed
    assert (presence.sum(axis=1) == 1).mean() == pytest.approx(0.5, abs=0.03)
    assert (presence[:, 0] == 0).mean() == pytest.approx(0.25, abs=0.03)


def test_loss_is_mse_of_both_reconstructions_against_clean_inputs():
    model = _model(audio_weight=0.5)
    inputs, _ = _data(3)
    out = model(inputs)
    expected = (np.mean((inputs["image"] - np.asarray(out["image"])) ** 2)
                + 0.5 * np.mean((inputs["audio"] - np.asarray(out["audio"])) ** 2))
    assert float(model.compute_loss(x=inputs, y_pred=out)) == pytest.approx(expected, rel=1e-5)


def test_training_teaches_audio_to_image_generation(tmp_path, compile_built):
    model = _model()
    inputs, labels = _data()
    compile_built(model, optimizer=keras.optimizers.Adam(0.01))
    history = model.fit(inputs, epochs=8, batch_size=4, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    generated = model.reconstruct({"audio": inputs["audio"]}, source="audio")["image"]
    rows = generated[..., 0].mean(axis=2)  # (n, 8): brightness of each row
    assert (rows.argmax(axis=1) == 2 * labels).mean() > 0.9
    model.save(tmp_path / "bae.keras")
    loaded = keras.models.load_model(tmp_path / "bae.keras")
    np.testing.assert_allclose(loaded.reconstruct(inputs)["image"],
                               model.reconstruct(inputs)["image"], atol=1e-6)


def test_bimodal_autoencoder_config_round_trip():
    model = _model(modality_dropout=0.4)
    clone = BimodalAutoencoder.from_config(model.get_config())
    assert clone.get_config() == model.get_config()


def test_reconstruct_rejects_unknown_source():
    with pytest.raises(ValueError, match=r"source to be one of 'both', 'image', 'audio'"):
        _model().reconstruct(_data(2)[0], source="text")


def test_reconstruct_rejects_missing_source_input():
    with pytest.raises(ValueError, match=r"BimodalAutoencoder expects inputs to be a dict "
                                         r"with the keys \['audio'\]"):
        _model().reconstruct({"image": np.zeros((2, 8, 8, 1))}, source="audio")


def test_bimodal_autoencoder_rejects_modality_dropout_above_one():
    with pytest.raises(ValueError, match=r"BimodalAutoencoder expects modality_dropout to be a "
                                         r"real number in \[0, 1\]. Received: "
                                         r"modality_dropout=1.5"):
        _model(modality_dropout=1.5)


def test_recurrent_audio_encoder_ignores_an_absent_clip_and_round_trips():
    model = _model(audio_encoder="recurrent")
    inputs, _ = _data(3)
    code = model.encode({"image": inputs["image"]}, source="image")
    noisy = {"image": inputs["image"], "audio": inputs["audio"] * 9 + 2}
    np.testing.assert_allclose(model.encode(noisy, source="image"), code, atol=1e-6)
    assert model.reconstruct({"audio": inputs["audio"]}, source="audio")["image"].shape == (
        3, 8, 8, 1)
    clone = BimodalAutoencoder.from_config(model.get_config())
    assert clone.audio_encoder == "recurrent" and clone.count_params() == model.count_params()


def test_bimodal_autoencoder_rejects_unknown_audio_encoder():
    with pytest.raises(ValueError, match=r"audio_encoder to be one of 'dense', 'recurrent'"):
        _model(audio_encoder="transformer")
