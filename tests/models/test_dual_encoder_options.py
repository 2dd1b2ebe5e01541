"""DualEncoder(positives="labels"): label-aware InfoNCE, trained on (inputs, labels)."""

import keras
import numpy as np
import pytest

from mmtutor.losses import info_nce
from mmtutor.models import DualEncoder


def _model(**kwargs):
    keras.utils.set_random_seed(0)
    return DualEncoder({"image": (8, 8, 1), "text": (5,)}, projection_dim=4, embedding_dim=8,
                       vocabulary_size=9, encoder_options={"text": {"pooling": "mean"},
                                                           "image": {"filters": (2, 2)}},
                       **kwargs)


def _data(n=8):
    rng = np.random.default_rng(0)
    inputs = {"image": rng.random((n, 8, 8, 1), dtype="float32"),
              "text": rng.integers(1, 9, size=(n, 5)).astype("int32")}
    return inputs, np.arange(n) % 3


def test_label_positives_loss_is_label_aware_info_nce_of_the_embeddings():
    model = _model(temperature=0.5, positives="labels")
    inputs, labels = _data()
    out = model(inputs)
    expected = float(info_nce(out["image"], out["text"], temperature=0.5, labels=labels))
    got = float(model.compute_loss(x=inputs, y=labels, y_pred=out))
    assert got == pytest.approx(expected, rel=1e-5)
    assert got != pytest.approx(float(info_nce(out["image"], out["text"], temperature=0.5)))


def test_label_positives_fit_on_labels_and_round_trip(tmp_path):
    model = _model(positives="labels")
    inputs, labels = _data()
    model.compile(optimizer=keras.optimizers.Adam(0.01), run_eagerly=True)  # tiny: no tracing
    history = model.fit(inputs, labels, epochs=2, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert DualEncoder.from_config(model.get_config()).positives == "labels"
    model.save(tmp_path / "dual.keras")
    loaded = keras.models.load_model(tmp_path / "dual.keras")
    np.testing.assert_allclose(loaded.embed(inputs["text"], modality="text"),
                               model.embed(inputs["text"], modality="text"), atol=1e-6)


def test_label_positives_need_labels():
    model = _model(positives="labels")
    inputs, _ = _data()
    with pytest.raises(ValueError, match="DualEncoder expects labels y with positives='labels'"):
        model.compute_loss(x=inputs, y=None, y_pred=model(inputs))


def test_dual_encoder_rejects_unknown_positives():
    with pytest.raises(ValueError, match="DualEncoder expects positives to be one of"):
        _model(positives="class")
