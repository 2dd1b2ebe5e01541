"""FusionClassifier(auxiliary_weight=...): the auxiliary loss, labels and sample weights in fit."""

import keras
import numpy as np
import pytest

from mmtutor.models import FusionClassifier

# Image and text only: neither encoder has batch statistics, so a weight-0 example cannot reach
# the others through a BatchNormalization layer (which sees every row of a batch, in Keras too).
SHAPES = {"image": (8, 8, 1), "text": (5,)}
SMALL = {"image": {"filters": (2, 2)}, "text": {"pooling": "mean", "token_dim": 3}}
AUXILIARY_FUSIONS = ["intermediate", "late", "attention"]


def _model(fusion="intermediate", **kwargs):
    keras.utils.set_random_seed(0)
    return FusionClassifier(SHAPES, fusion=fusion, num_classes=3, embedding_dim=4,
                            hidden_units=5, vocabulary_size=9, encoder_options=SMALL, **kwargs)


def _data(n=6, seed=0):
    rng = np.random.default_rng(seed)
    inputs = {"image": rng.random((n, 8, 8, 1), dtype="float32"),
              "text": rng.integers(0, 9, size=(n, 5)).astype("int32"),
              "presence": np.array([[1, 1], [1, 0], [0, 1]] * (n // 3), "float32")}
    return inputs, rng.integers(0, 3, size=n)


def _numpy_auxiliary_loss(model, inputs, labels, weights):
    """1/N sum_i w_i mean over the present modalities m of -log q_im(y_i), head by head."""
    heads = model.heads if model.fusion == "late" else model.auxiliary_heads
    probs = [np.asarray(head(encoder(inputs[m])), dtype=np.float64)
             for m, encoder, head in zip(model.modalities, model.encoders, heads, strict=True)]
    total = 0.0
    for i, (y, w) in enumerate(zip(labels, weights, strict=True)):
        present = [index for index in range(len(probs)) if inputs["presence"][i, index]]
        total += w * np.mean([-np.log(probs[index][i, y]) for index in present])
    return total / len(labels)


def _fit(model, inputs, labels, *, loss="sparse_categorical_crossentropy", epochs=3,
         learning_rate=0.01, **fit_options):
    # Eagerly: tracing a training step costs far more than these tiny steps.
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss=loss, run_eagerly=True)
    return model.fit(inputs, labels, epochs=epochs, batch_size=len(labels), shuffle=False,
                     verbose=0, **fit_options).history


@pytest.mark.parametrize("fusion", AUXILIARY_FUSIONS)
def test_fit_loss_is_compiled_loss_plus_weighted_auxiliary_loss(fusion):
    model = _model(fusion, auxiliary_weight=0.5)
    inputs, labels = _data()
    weights = np.array([1.0, 0.0, 2.0, 0.5, 1.0, 0.0])
    probs = np.asarray(model(inputs), dtype=np.float64)  # no dropout: same as in training
    main = np.mean(weights * -np.log(probs[np.arange(6), labels]))
    expected = main + 0.5 * _numpy_auxiliary_loss(model, inputs, labels, weights)
    history = _fit(model, inputs, labels, epochs=1, learning_rate=0.0, sample_weight=weights)
    assert history["loss"][0] == pytest.approx(expected, rel=1e-5)


def test_auxiliary_loss_is_left_out_of_validation_loss():
    model = _model("attention", auxiliary_weight=2.0)
    inputs, labels = _data()
    probs = np.asarray(model(inputs), dtype=np.float64)
    main = np.mean(-np.log(probs[np.arange(6), labels]))
    history = _fit(model, inputs, labels, epochs=1, learning_rate=0.0,
                   validation_data=(inputs, labels))
    assert history["val_loss"][0] == pytest.approx(main, rel=1e-5)
    assert history["loss"][0] > history["val_loss"][0] + 0.5  # the auxiliary term, lambda = 2


@pytest.mark.parametrize("fusion", AUXILIARY_FUSIONS)
def test_one_hot_and_sparse_labels_train_alike(fusion):
    inputs, labels = _data()
    sparse = _model(fusion, auxiliary_weight=0.5, modality_dropout=0.3, seed=1)
    one_hot = _model(fusion, auxiliary_weight=0.5, modality_dropout=0.3, seed=1)
    history = _fit(sparse, inputs, labels)
    history_one_hot = _fit(one_hot, inputs, np.eye(3, dtype="float32")[labels],
                           loss="categorical_crossentropy")
    np.testing.assert_allclose(history_one_hot["loss"], history["loss"], rtol=1e-5)
    for got, expected in zip(one_hot.get_weights(), sparse.get_weights(), strict=True):
        np.testing.assert_allclose(got, expected, atol=1e-6)


@pytest.mark.parametrize("fusion", ["early", *AUXILIARY_FUSIONS])
def test_examples_of_weight_zero_change_nothing_in_training(fusion):
    inputs, labels = _data()
    weights = np.array([1.0, 0.0, 1.0, 0.0, 2.0, 1.0])
    other_inputs, other_labels = _data(seed=1)
    changed = {k: np.where((weights == 0).reshape(-1, *[1] * (x.ndim - 1)), other_inputs[k], x)
               for k, x in inputs.items()}
    changed_labels = np.where(weights == 0, other_labels, labels)
    assert not np.array_equal(changed["image"], inputs["image"])
    auxiliary_weight = 0.0 if fusion == "early" else 0.5
    models = [_model(fusion, auxiliary_weight=auxiliary_weight, modality_dropout=0.3, seed=1)
              for _ in range(2)]
    _fit(models[0], inputs, labels, sample_weight=weights)
    _fit(models[1], changed, changed_labels, sample_weight=weights)
    for got, expected in zip(models[1].get_weights(), models[0].get_weights(), strict=True):
        np.testing.assert_allclose(got, expected, atol=1e-7)


def test_auxiliary_training_step_traces(compile_built):
    model = _model("late", auxiliary_weight=1.0, late_weights="learned")
    inputs, labels = _data()
    compile_built(model, optimizer=keras.optimizers.Adam(0.05),
                  loss="categorical_crossentropy")
    history = model.fit(inputs, np.eye(3)[labels], epochs=2, batch_size=6, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert not np.allclose(np.asarray(model.weight_logits), 0.0)  # learned weights moved


def test_auxiliary_weight_zero_builds_no_auxiliary_heads():
    assert not hasattr(_model("intermediate"), "auxiliary_heads")
    assert len(_model("intermediate", auxiliary_weight=1.0).auxiliary_heads) == 2


def test_auxiliary_model_survives_config_and_save_round_trip(tmp_path):
    model = _model("intermediate", auxiliary_weight=1.0, modality_dropout=0.5, seed=1)
    inputs, labels = _data()
    _fit(model, inputs, labels, epochs=2)
    assert FusionClassifier.from_config(model.get_config()).auxiliary_weight == 1.0
    model.save(tmp_path / "aux.keras")
    loaded = keras.models.load_model(tmp_path / "aux.keras")
    np.testing.assert_allclose(np.asarray(loaded(inputs)), np.asarray(model(inputs)),
                               atol=1e-6)


def test_auxiliary_loss_rejects_labels_of_the_wrong_shape():
    model = _model(auxiliary_weight=1.0)
    inputs, labels = _data()
    with pytest.raises(ValueError, match=r"FusionClassifier expects labels of shape "
                                         r"\(batch_size,\) or one-hot labels"):
        _fit(model, inputs, np.zeros((6, 5), "float32"), loss="categorical_crossentropy",
             epochs=1)


def test_early_fusion_rejects_auxiliary_weight():
    with pytest.raises(ValueError, match=r"FusionClassifier expects auxiliary_weight=0 with "
                                         r"fusion='early'. Received: auxiliary_weight=0.5"):
        _model("early", auxiliary_weight=0.5)


def test_auxiliary_weight_rejects_negative_values():
    with pytest.raises(ValueError, match=r"FusionClassifier expects auxiliary_weight to be a real "
                                         r"number >= 0. Received: auxiliary_weight=-1.0"):
        _model(auxiliary_weight=-1.0)


def test_auxiliary_weight_rejects_non_numbers():
    with pytest.raises(TypeError, match="FusionClassifier expects auxiliary_weight to be"):
        _model(auxiliary_weight="1")


def test_rates_and_weights_accept_numpy_floats_and_refuse_bools():
    model = _model(modality_dropout=np.float32(0.25), dropout=np.float64(0.1),
                   auxiliary_weight=np.float32(0.5))
    config = model.get_config()
    assert (config["modality_dropout"], config["dropout"], config["auxiliary_weight"]) == (
        0.25, 0.1, 0.5)
    assert all(type(config[k]) is float for k in ("modality_dropout", "dropout",
                                                   "auxiliary_weight"))
    with pytest.raises(TypeError, match=r"FusionClassifier expects dropout to be a real number "
                                        r"in \[0, 1\). Received: dropout=True of type bool"):
        _model(dropout=True)
