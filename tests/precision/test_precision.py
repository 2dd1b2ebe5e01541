"""Mixed precision and XLA: one training step of every model against float32 without XLA.

Every model of the package trains under Keras's ``mixed_float16`` and ``mixed_bfloat16``
policies (layers compute in 16 bits, weights stay float32) and with ``jit_compile=True``.
Each test takes ONE SGD step from the same initial weights and compares it with the
reference step: float32, no XLA, run eagerly (the same arithmetic as a traced step, without
paying for a trace per model). The mixed-precision steps also run eagerly; a mixed policy
changes the dtypes, not the graph, and the benchmark (benchmarks/bench_scaling.py) trains the
fusion classifier and the dual encoder under both policies through the traced steps.

Dropout, modality dropout and augmentation are off in every model here: their random draws
would make two steps differ for reasons that have nothing to do with precision.

Tolerances, measured on this machine with a margin of at least four:
- the loss of a mixed step: relative difference 1e-3 (float16, 10 mantissa bits) and 1e-2
  (bfloat16, 7 bits) from float32's (largest seen: 1.3e-4 and 2.3e-3);
- the update of a mixed step (new weights minus initial ones): relative difference, in the
  Euclidean norm over all trainable weights, of 5e-2 and 2e-1 (largest seen: 1.1e-2 and
  4.6e-2);
- XLA: the loss to relative 1e-5 and every weight to 1e-5 (largest seen: 1e-7 and 4e-6): XLA
  fuses and reorders the float32 arithmetic, so the results are close, not identical.

Book: section "sec-scaling".
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

from mmtutor.models import (
    CNN,
    RNN,
    Autoencoder,
    BimodalAutoencoder,
    DualEncoder,
    FusionClassifier,
    create_image_encoder,
    create_unimodal_classifier,
)

pytestmark = pytest.mark.scale

BATCH = 8
LEARNING_RATE = 0.01
LOSS_RTOL = {"mixed_float16": 1e-3, "mixed_bfloat16": 1e-2}
UPDATE_RTOL = {"mixed_float16": 5e-2, "mixed_bfloat16": 2e-1}
XLA_TOLERANCE = 1e-5
# Keras's default initial loss scale, 2**15, makes the dual encoder's float16 gradients
# overflow at its first step, which dynamic loss scaling then skips (and halves the scale).
# That is what it is for, but a skipped step has no update to compare: start lower.
INITIAL_LOSS_SCALE = 2.0**7

_SPARSE = "sparse_categorical_crossentropy"
_IMAGE, _AUDIO, _TEXT = (8, 8, 1), (8, 16), (6,)
_VOCABULARY = 12
_ENCODERS = {"image": {"filters": (4, 8)}, "audio": {"units": 4, "conv_filters": 4},
             "text": {"pooling": "mean", "token_dim": 4}}  # the GRU is the audio's


def _data():
    rng = np.random.default_rng(0)
    inputs = {"image": rng.random((BATCH, *_IMAGE), dtype="float32"),
              "audio": rng.normal(size=(BATCH, *_AUDIO)).astype("float32"),
              "text": rng.integers(0, _VOCABULARY, (BATCH, *_TEXT)).astype("int32")}
    return inputs, rng.integers(0, 10, BATCH)


def _fusion(fusion, modalities, **options):
    def make(**dtype):
        return FusionClassifier({m: {"image": _IMAGE, "audio": _AUDIO, "text": _TEXT}[m]
                                 for m in modalities}, fusion=fusion, embedding_dim=8,
                                hidden_units=8, vocabulary_size=_VOCABULARY,
                                encoder_options={m: _ENCODERS[m] for m in modalities},
                                **options, **dtype)
    return make


# name -> (make(**dtype) -> model, inputs from (x, y), targets from (x, y), compiled loss)
MODELS = {
    "cnn": (lambda **d: CNN(_IMAGE, 10, filters=4, dropout=0.0, augment=False, **d),
            lambda x, y: x["image"], lambda x, y: y, _SPARSE),
    "rnn": (lambda **d: RNN(_AUDIO, 10, units=4, **d),
            lambda x, y: x["audio"], lambda x, y: y, _SPARSE),
    "autoencoder": (lambda **d: Autoencoder(_IMAGE, 4, hidden_units=8, **d),
                    lambda x, y: x["image"], lambda x, y: x["image"], "mse"),
    "unimodal": (lambda **d: create_unimodal_classifier(
                     create_image_encoder(_IMAGE, embedding_dim=8, filters=(4, 8), **d), **d),
                 lambda x, y: x["image"], lambda x, y: y, _SPARSE),
    "fusion_early": (_fusion("early", ("image", "audio", "text")),
                     lambda x, y: x, lambda x, y: y, _SPARSE),
    "fusion_intermediate_auxiliary": (
        _fusion("intermediate", ("image", "text"), auxiliary_weight=0.5),
        lambda x, y: x, lambda x, y: y, _SPARSE),
    "fusion_late": (_fusion("late", ("image", "text"), late_weights="learned"),
                    lambda x, y: x, lambda x, y: y, _SPARSE),
    "fusion_attention": (_fusion("attention", ("image", "audio", "text")),
                         lambda x, y: x, lambda x, y: y, _SPARSE),
    "bimodal_autoencoder": (
        lambda **d: BimodalAutoencoder(_IMAGE, _AUDIO, encoding_dim=4, hidden_units=8,
                                       modality_dropout=0.0, **d),
        lambda x, y: x, lambda x, y: None, None),
    "bimodal_autoencoder_recurrent": (
        lambda **d: BimodalAutoencoder(_IMAGE, _AUDIO, encoding_dim=4, hidden_units=8,
                                       modality_dropout=0.0, audio_encoder="recurrent", **d),
        lambda x, y: x, lambda x, y: None, None),
    "dual_encoder": (
        lambda **d: DualEncoder({"image": _IMAGE, "audio": _AUDIO}, projection_dim=4,
                                embedding_dim=8,
                                encoder_options={m: _ENCODERS[m] for m in ("image", "audio")},
                                **d),
        lambda x, y: x, lambda x, y: None, None),
    "dual_encoder_labels": (
        lambda **d: DualEncoder({"image": _IMAGE, "text": _TEXT}, projection_dim=4,
                                embedding_dim=8, vocabulary_size=_VOCABULARY,
                                positives="labels",
                                encoder_options={m: _ENCODERS[m] for m in ("image", "text")},
                                **d),
        lambda x, y: x, lambda x, y: y, None),
}


def _step(name, *, dtype=None, optimizer=None, **compile_options):
    """One SGD step of model ``name``: ``(model, loss, initial weights, new weights)``."""
    make, inputs_of, targets_of, loss = MODELS[name]
    keras.utils.set_random_seed(0)  # the same initial weights under every policy
    model = make() if dtype is None else make(dtype=dtype)
    x, y = _data()
    model.compile(optimizer=optimizer or keras.optimizers.SGD(LEARNING_RATE), loss=loss,
                  **compile_options)
    before = [np.asarray(w) for w in model.trainable_weights]
    value = model.train_on_batch(inputs_of(x, y), targets_of(x, y))
    after = [np.asarray(w) for w in model.trainable_weights]
    return model, float(np.ravel(value)[0]), before, after


_REFERENCE = {}


def _reference(name):
    """The float32 step without XLA, run eagerly; computed once per model."""
    if name not in _REFERENCE:
        _REFERENCE[name] = _step(name, dtype="float32", run_eagerly=True)[1:]
    return _REFERENCE[name]


def _update_difference(reference, other):
    """``||update - reference update|| / ||reference update||`` over every trainable weight."""
    _, before, after = reference
    _, before_other, after_other = other
    difference = sum(float(np.sum(((a1 - b1) - (a0 - b0)) ** 2)) for a0, b0, a1, b1
                     in zip(after, before, after_other, before_other, strict=True))
    size = sum(float(np.sum((a0 - b0) ** 2)) for a0, b0 in zip(after, before, strict=True))
    return np.sqrt(difference / size)


@pytest.fixture(params=["mixed_float16", "mixed_bfloat16"])
def mixed_policy(request):
    """Set Keras's global dtype policy for one test and restore the previous one after it."""
    previous = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy(request.param)
    try:
        yield request.param
    finally:
        keras.mixed_precision.set_global_policy(previous)


def _layers(layer):
    """``layer`` and every layer inside it, depth first."""
    yield layer
    for inner in getattr(layer, "layers", ()):
        yield from _layers(inner)


def _outputs(model, name):
    make, inputs_of, targets_of, loss = MODELS[name]
    x, y = _data()
    return keras.tree.flatten(model(inputs_of(x, y), training=False))


@pytest.mark.parametrize("name", list(MODELS))
def test_mixed_precision_step_matches_float32(mixed_policy, name):
    reference = _reference(name)
    # float16 needs loss scaling (Keras adds it on compile; here with a lower first scale).
    optimizer = (keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(LEARNING_RATE),
                                                     initial_scale=INITIAL_LOSS_SCALE)
                 if mixed_policy == "mixed_float16" else None)
    model, loss, *weights = _step(name, optimizer=optimizer, run_eagerly=True)
    assert model.dtype_policy.name == mixed_policy
    assert np.isfinite(loss)
    assert loss == pytest.approx(reference[0], rel=LOSS_RTOL[mixed_policy])
    assert all(np.all(np.isfinite(w)) for w in weights[1])
    assert _update_difference(reference, (loss, *weights)) < UPDATE_RTOL[mixed_policy]


@pytest.mark.parametrize("name", list(MODELS))
def test_mixed_precision_computes_in_16_bits_and_outputs_float32(mixed_policy, name):
    make, inputs_of, targets_of, loss = MODELS[name]
    model = make()
    compute = keras.dtype_policies.get(mixed_policy).compute_dtype
    # The hidden layers compute in 16 bits (else the policy would not be in use) ...
    assert any(layer.compute_dtype == compute for layer in _layers(model) if layer.weights)
    # ... but what the loss sees (probabilities, reconstructions, embeddings) is float32.
    outputs = _outputs(model, name)
    assert {keras.backend.standardize_dtype(t.dtype) for t in outputs} == {"float32"}
    if loss is None:  # a model with a built-in loss: that loss is float32 too
        x, y = _data()
        value = model.compute_loss(x=x, y=targets_of(x, y),
                                   y_pred=model(inputs_of(x, y), training=True))
        assert keras.backend.standardize_dtype(value.dtype) == "float32"
        assert np.isfinite(float(value))


def test_dual_encoder_embeddings_stay_finite_for_a_zero_projection():
    # A float16 1e-12 is 0: an embedding of norm 0 was divided by 0 (NaN) before the
    # projection moved to float32. Zero weights and biases give exactly that embedding.
    previous = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        model = MODELS["dual_encoder"][0]()
        for projection in model.projections:
            projection.set_weights([np.zeros(w.shape, "float32") for w in projection.weights])
        x, _ = _data()
        z = model(x)
    finally:
        keras.mixed_precision.set_global_policy(previous)
    assert all(np.all(np.isfinite(np.asarray(t))) for t in z.values())


@pytest.mark.parametrize("name", list(MODELS))
def test_xla_step_matches_default_step(name):
    loss_0, _, after_0 = _reference(name)
    model, loss, _, after = _step(name, dtype="float32", jit_compile=True)
    assert model.jit_compile is True  # Keras did not fall back to a step without XLA
    assert loss == pytest.approx(loss_0, rel=XLA_TOLERANCE)
    for w0, w in zip(after_0, after, strict=True):
        np.testing.assert_allclose(w, w0, rtol=0, atol=XLA_TOLERANCE)
