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


def _numpy_rows(a, b, temperature, labels=None):
    """Each row's symmetric InfoNCE term, by a plain loop."""
    n = len(a)
    labels = np.arange(n) if labels is None else np.asarray(labels)
    logits = a @ b.T / temperature
    rows = []
    for i in range(n):
        positives = np.flatnonzero(labels == labels[i])
        a_to_b = logits[i] - np.log(np.exp(logits[i]).sum())
        b_to_a = logits[:, i] - np.log(np.exp(logits[:, i]).sum())
        rows.append(-0.5 * (a_to_b[positives].mean() + b_to_a[positives].mean()))
    return np.array(rows)


@pytest.mark.parametrize("positives", ["pairs", "labels"])
def test_sample_weight_weighs_each_rows_info_nce_term(positives):
    model = _model(temperature=0.5, positives=positives)
    inputs, labels = _data()
    out = model(inputs)
    a, b = (np.asarray(out[m], dtype=np.float64) for m in ("image", "text"))
    weights = np.array([1.0, 0.0, 2.0, 0.5, 1.0, 0.0, 1.0, 3.0])
    rows = _numpy_rows(a, b, 0.5, labels if positives == "labels" else None)
    got = float(model.compute_loss(x=inputs, y=labels, y_pred=out, sample_weight=weights))
    assert got == pytest.approx(np.sum(weights * rows) / 8, rel=1e-5)
    unweighted = float(model.compute_loss(x=inputs, y=labels, y_pred=out))
    assert unweighted == pytest.approx(rows.mean(), rel=1e-5)


def test_label_positives_reject_one_hot_labels():
    model = _model(positives="labels")
    inputs, labels = _data()
    with pytest.raises(ValueError, match=r"DualEncoder expects labels y of shape \(batch_size,\)"):
        model.compute_loss(x=inputs, y=np.eye(3)[labels], y_pred=model(inputs))
