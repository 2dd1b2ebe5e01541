"""FusionClassifier: true early fusion of raw features, and examples with no modality."""

import keras
import numpy as np
import pytest

from mmtutor.models import FUSIONS, FusionClassifier

SHAPES = {"image": (4, 4, 1), "audio": (3, 5), "text": (4,)}
SMALL = {"image": {"filters": (2, 2)}, "audio": {"units": 2},
         "text": {"pooling": "mean", "token_dim": 2}}


def _model(fusion="early", modalities=tuple(SHAPES), **kwargs):
    keras.utils.set_random_seed(0)
    return FusionClassifier({m: SHAPES[m] for m in modalities}, fusion=fusion, num_classes=4,
                            embedding_dim=3, hidden_units=5, vocabulary_size=6,
                            encoder_options={m: SMALL[m] for m in modalities}, **kwargs)


def _inputs(n=4, seed=0):
    rng = np.random.default_rng(seed)
    text = rng.integers(0, 6, size=(n, 4)).astype("int32")
    text[:, -1] = 0  # padding
    return {"image": rng.random((n, 4, 4, 1), dtype="float32"),
            "audio": rng.normal(3.0, 2.0, size=(n, 3, 5)).astype("float32"),
            "text": text,
            "presence": np.array([[1, 1, 1], [1, 0, 1], [0, 1, 0], [0, 0, 1]][:n], "float32")}


def _numpy_early_fusion(model, inputs):
    """The early-fusion formula in NumPy, read off the model's weights."""
    gamma, beta, mean, variance = model.audio_norm.get_weights()
    audio = (inputs["audio"] - mean) / np.sqrt(variance + model.audio_norm.epsilon)
    audio = audio * gamma + beta  # standardised per mel bin (the last axis)
    onehot = np.eye(6)[inputs["text"]][..., 1:]  # (n, length, vocabulary - 1): no padding id
    raw = [inputs["image"], audio, onehot]
    p = inputs["presence"]
    x = np.concatenate([r.reshape(len(r), -1) * p[:, i:i + 1] for i, r in enumerate(raw)]
                       + [p], axis=1)
    w1, b1 = model.hidden.get_weights()
    w2, b2 = model.hidden_2.get_weights()
    w3, b3 = model.head.get_weights()
    h = np.maximum(np.maximum(x @ w1 + b1, 0) @ w2 + b2, 0)
    logits = h @ w3 + b3
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_early_fusion_reads_raw_features_with_one_network():
    model = _model()
    assert model.encoders == []
    rng = np.random.default_rng(1)
    # Moving statistics and scales other than the initial ones, so the check can fail.
    model.audio_norm.set_weights([rng.random(5) + 0.5, rng.normal(size=5),
                                  rng.normal(3.0, 1.0, size=5), rng.random(5) + 0.5])
    inputs = _inputs()
    expected = _numpy_early_fusion(model, inputs)
    np.testing.assert_allclose(np.asarray(model(inputs)), expected, rtol=1e-5, atol=1e-6)
    # 16 pixels + 15 audio features + 4 positions x 5 ids (padding id 0 has no column)
    # + 3 presence flags.
    assert model.hidden.kernel.shape == (16 + 15 + 20 + 3, 5)


def test_early_fusion_rejects_variable_length_audio():
    with pytest.raises(ValueError, match=r"FusionClassifier expects a fixed input shape for "
                                         r"every modality with fusion='early'. Received: "
                                         r"modalities\['audio'\]=\(None, 5\)"):
        FusionClassifier({"audio": (None, 5)}, fusion="early")


@pytest.mark.parametrize("fusion", FUSIONS)
def test_every_fusion_gives_uniform_distribution_when_no_modality_is_present(fusion):
    model = _model(fusion)
    rng = np.random.default_rng(2)
    for weight in model.weights:  # non-zero biases: zero inputs no longer give a uniform output
        if weight.path.endswith("bias"):
            weight.assign(rng.normal(size=weight.shape))
    inputs = _inputs()
    empty = dict(inputs, presence=np.array([[1, 1, 1], [0, 0, 0], [0, 1, 0], [0, 0, 0]],
                                           "float32"))
    probs = model.predict(empty, batch_size=4, verbose=0)  # traced: no eager check
    np.testing.assert_allclose(probs[[1, 3]], 0.25, atol=1e-6)
    assert not np.allclose(probs[[0, 2]], 0.25, atol=1e-3)  # the check could fail
    expected = np.asarray(model({k: x[[0, 2]] for k, x in empty.items()}))
    np.testing.assert_allclose(probs[[0, 2]], expected, atol=1e-6)


def test_traced_fit_on_an_example_without_modality_does_not_raise(compile_built):
    model = _model("late", modalities=("image", "text"), late_weights="learned")
    inputs = {k: x for k, x in _inputs().items() if k != "audio"}
    inputs["presence"] = np.array([[1, 1], [0, 0], [1, 0], [0, 1]], "float32")
    compile_built(model, optimizer="sgd", loss="sparse_categorical_crossentropy")
    history = model.fit(inputs, np.arange(4), epochs=1, batch_size=4, verbose=0)
    assert np.isfinite(history.history["loss"][0])


@pytest.mark.parametrize("fusion", FUSIONS)
def test_eager_call_rejects_examples_without_modality(fusion):
    model = _model(fusion, modalities=("image", "text"))
    inputs = {k: x for k, x in _inputs().items() if k != "audio"}
    inputs["presence"] = np.array([[1, 1], [0, 0], [1, 0], [0, 0]], "float32")
    with pytest.raises(ValueError, match=r"FusionClassifier expects at least one present "
                                         r"modality .* in every example. Received: "
                                         r"inputs\['presence'\] with no modality present in "
                                         r"rows \[1, 3\]. Mark at least one modality present"):
        model(inputs)
