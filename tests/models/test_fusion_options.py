"""FusionClassifier(auxiliary_weight=...): the per-modality auxiliary loss."""

import keras
import numpy as np
import pytest

from mmtutor.models import FusionClassifier

SHAPES = {"image": (8, 8, 1), "audio": (4, 6)}
SMALL = {"image": {"filters": (2, 2)}, "audio": {"units": 3}}


def _model(fusion="early", **kwargs):
    keras.utils.set_random_seed(0)
    return FusionClassifier(SHAPES, fusion=fusion, num_classes=3, embedding_dim=4,
                            hidden_units=5, encoder_options=SMALL, **kwargs)


def _data(n=6):
    rng = np.random.default_rng(0)
    inputs = {"image": rng.random((n, 8, 8, 1), dtype="float32"),
              "audio": rng.normal(size=(n, 4, 6)).astype("float32"),
              "presence": np.array([[1, 1], [1, 0], [0, 1]] * (n // 3), "float32")}
    return inputs, rng.integers(0, 3, size=n)


def _numpy_auxiliary_loss(model, inputs, labels):
    """Mean of -log p_m(y) over the present (example, modality) pairs, head by head."""
    heads = model.heads if model.fusion == "late" else model.auxiliary_heads
    total, count = 0.0, 0
    for index, (m, encoder, head) in enumerate(zip(model.modalities, model.encoders, heads,
                                                   strict=True)):
        # training=True: the audio encoder normalises with batch statistics, as in fit.
        probs = np.asarray(head(encoder(inputs[m], training=True)), dtype=np.float64)
        for i, y in enumerate(labels):
            if inputs["presence"][i, index]:
                total -= np.log(probs[i, y])
                count += 1
    return total / count


@pytest.mark.parametrize("fusion", ["early", "late", "attention"])
def test_auxiliary_loss_adds_weighted_per_modality_cross_entropy(fusion):
    model = _model(fusion, auxiliary_weight=0.5)
    model.compile(loss="sparse_categorical_crossentropy")
    inputs, labels = _data()
    y_pred = model(inputs, training=True)  # no dropout layers: same as inference
    total = float(model.compute_loss(x=inputs, y=labels, y_pred=y_pred, training=True))
    main = float(keras.losses.sparse_categorical_crossentropy(labels, y_pred).numpy().mean())
    expected = main + 0.5 * _numpy_auxiliary_loss(model, inputs, labels)
    assert total == pytest.approx(expected, rel=1e-4)


def test_auxiliary_loss_is_left_out_of_validation_loss():
    model = _model("attention", auxiliary_weight=2.0)
    model.compile(loss="sparse_categorical_crossentropy")
    inputs, labels = _data()
    y_pred = model(inputs, training=False)
    main = float(keras.losses.sparse_categorical_crossentropy(labels, y_pred).numpy().mean())
    loss = float(model.compute_loss(x=inputs, y=labels, y_pred=y_pred, training=False))
    assert loss == pytest.approx(main, rel=1e-5)


def test_auxiliary_weight_zero_builds_no_auxiliary_heads():
    assert not hasattr(_model("early"), "auxiliary_heads")
    assert len(_model("early", auxiliary_weight=1.0).auxiliary_heads) == 2


def test_auxiliary_model_trains_and_survives_config_and_save_round_trip(tmp_path):
    model = _model("early", auxiliary_weight=1.0, modality_dropout=0.5, seed=1)
    # Eagerly: tracing a training step costs far more than these two tiny steps.
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy",
                  run_eagerly=True)
    inputs, labels = _data()
    history = model.fit(inputs, labels, epochs=2, batch_size=6, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert FusionClassifier.from_config(model.get_config()).auxiliary_weight == 1.0
    model.save(tmp_path / "aux.keras")
    loaded = keras.models.load_model(tmp_path / "aux.keras")
    np.testing.assert_allclose(np.asarray(loaded(inputs)), np.asarray(model(inputs)),
                               atol=1e-6)


def test_auxiliary_weight_rejects_negative_values():
    with pytest.raises(ValueError, match="FusionClassifier expects auxiliary_weight >= 0"):
        _model(auxiliary_weight=-1.0)


def test_auxiliary_weight_rejects_non_numbers():
    with pytest.raises(TypeError, match="FusionClassifier expects auxiliary_weight to be"):
        _model(auxiliary_weight="1")
