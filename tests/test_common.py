"""The common harness (tests/common.py) applied to every public layer and model of mmtutor."""

import keras
import numpy as np
import pytest
from common import run_layer_test, run_model_test

from mmtutor import layers, models
from mmtutor.layers import AttentionPooling, ModalityDropout
from mmtutor.models import (
    CNN,
    FUSIONS,
    RNN,
    Autoencoder,
    BimodalAutoencoder,
    DualEncoder,
    FusionClassifier,
    create_audio_encoder,
    create_encoder,
    create_image_encoder,
    create_text_encoder,
    create_unimodal_classifier,
)

# Builds, trains, saves and reloads every layer and model: about a minute of CPU, so it runs
# in its own step (`make slow`) and `make unit` keeps its one-minute budget.
pytestmark = pytest.mark.slow

RNG = np.random.default_rng(0)
N = 4
DATA = {"image": RNG.random((N, 4, 4, 1), dtype="float32"),
        "audio": RNG.normal(2.0, 1.0, size=(N, 3, 5)).astype("float32"),
        "text": RNG.integers(0, 7, size=(N, 4)).astype("int32"),
        "presence": np.array([[1, 1, 1], [1, 0, 1], [0, 1, 0], [0, 0, 1]], "float32")}
LABELS = np.arange(N) % 3
SHAPES = {"image": (4, 4, 1), "audio": (3, 5), "text": (4,)}
SMALL = {"image": {"filters": (2, 2)}, "audio": {"units": 2, "conv_filters": 2},
         "text": {"pooling": "mean", "token_dim": 2}}

# Every fusion kind, and one, two and three modalities; test_fusion.py covers every subset.
FUSION_CASES = [("early", ("image", "audio", "text")), ("intermediate", ("audio", "text")),
                ("late", ("image",)), ("late", ("image", "audio", "text")),
                ("attention", ("image", "text"))]


def _subset(modalities, presence=True):
    columns = [list(SHAPES).index(m) for m in modalities]
    inputs = {m: DATA[m] for m in modalities}
    if presence:
        present = DATA["presence"][:, columns]
        present[present.sum(axis=1) == 0, 0] = 1.0  # every example keeps one modality
        inputs["presence"] = present
    return inputs


@pytest.mark.parametrize(("fusion", "modalities"), FUSION_CASES,
                         ids=[f"{f}-{'+'.join(m)}" for f, m in FUSION_CASES])
def test_fusion_classifier(fusion, modalities, tmp_path):
    def make(**kwargs):
        return FusionClassifier({m: SHAPES[m] for m in modalities}, fusion=fusion,
                                num_classes=3, embedding_dim=3, hidden_units=4,
                                vocabulary_size=7, modality_dropout=0.2, seed=0,
                                encoder_options={m: SMALL[m] for m in modalities},
                                late_weights="learned",
                                auxiliary_weight=0.0 if fusion == "early" else 0.5, **kwargs)

    run_model_test(make, _subset(modalities), labels=LABELS, tmp_path=tmp_path,
                   loss="sparse_categorical_crossentropy", expected_shapes=[(N, 3)])


@pytest.mark.parametrize("positives", ["pairs", "labels"])
def test_dual_encoder(positives, tmp_path):
    def make(**kwargs):
        return DualEncoder({"image": SHAPES["image"], "text": SHAPES["text"]},
                           projection_dim=2, embedding_dim=3, vocabulary_size=7,
                           encoder_options={m: SMALL[m] for m in ("image", "text")},
                           positives=positives, **kwargs)

    run_model_test(make, _subset(("image", "text"), presence=False), tmp_path=tmp_path,
                   labels=LABELS if positives == "labels" else None,
                   expected_shapes=[(N, 2), (N, 2)])


@pytest.mark.parametrize("audio_encoder", ["dense", "recurrent"])
def test_bimodal_autoencoder(audio_encoder, tmp_path):
    def make(**kwargs):
        return BimodalAutoencoder(SHAPES["image"], SHAPES["audio"], encoding_dim=2,
                                  hidden_units=3, audio_encoder=audio_encoder, seed=0, **kwargs)

    inputs = _subset(("image", "audio"), presence=False)
    run_model_test(make, inputs, tmp_path=tmp_path, expected_shapes=[(N, 3, 5), (N, 4, 4, 1)])


def test_cnn(tmp_path):
    run_model_test(lambda **kw: CNN(SHAPES["image"], 3, filters=2, **kw), DATA["image"],
                   labels=LABELS, loss="sparse_categorical_crossentropy", tmp_path=tmp_path,
                   expected_shapes=[(N, 3)])


@pytest.mark.parametrize("return_sequences", [False, True])
def test_rnn(return_sequences, tmp_path):
    labels = np.tile(LABELS[:, None], (1, 3)) if return_sequences else LABELS
    # Keras weighs each step of a sequence output: one weight per (example, step).
    steps = np.ones((N, 3))
    weights = np.where(np.arange(N)[:, None] == 1, 0.0, steps) if return_sequences else None
    run_model_test(lambda **kw: RNN(SHAPES["audio"], 3, units=2,
                                    return_sequences=return_sequences, **kw),
                   DATA["audio"], labels=labels, loss="sparse_categorical_crossentropy",
                   tmp_path=tmp_path, expected_shapes=[(N, 3, 3) if return_sequences else (N, 3)],
                   sample_weight=weights)


def test_autoencoder(tmp_path):
    run_model_test(lambda **kw: Autoencoder(SHAPES["image"], 2, hidden_units=3, **kw),
                   DATA["image"], labels=DATA["image"], loss="mse", tmp_path=tmp_path,
                   expected_shapes=[(N, 4, 4, 1)])


ENCODERS = {
    "image": lambda **kw: create_image_encoder(SHAPES["image"], embedding_dim=3, **SMALL["image"],
                                               **kw),
    "audio": lambda **kw: create_audio_encoder(SHAPES["audio"], embedding_dim=3, **SMALL["audio"],
                                               **kw),
    "text": lambda **kw: create_text_encoder(7, 4, embedding_dim=3, **SMALL["text"], **kw),
    "text-by-name": lambda **kw: create_encoder("text", SHAPES["text"], embedding_dim=3,
                                                vocabulary_size=7, **SMALL["text"], **kw),
    "unimodal": lambda **kw: create_unimodal_classifier(
        create_image_encoder(SHAPES["image"], embedding_dim=3, **SMALL["image"], **kw),
        num_classes=3, dropout=0.1, **kw),
}


@pytest.mark.parametrize("kind", list(ENCODERS))
def test_functional_encoders(kind, tmp_path):
    modality = "image" if kind == "unimodal" else kind.split("-")[0]
    out_dim = 3
    labels = LABELS if kind == "unimodal" else np.zeros((N, out_dim), "float32")
    loss = "sparse_categorical_crossentropy" if kind == "unimodal" else "mse"
    run_model_test(ENCODERS[kind], DATA[modality], labels=labels, loss=loss,
                   tmp_path=tmp_path, expected_shapes=[(N, out_dim)])


@pytest.mark.parametrize("return_weights", [False, True])
def test_attention_pooling(return_weights, tmp_path):
    values = RNG.normal(size=(N, 5, 3)).astype("float32")
    mask = np.array([[1, 1, 1, 0, 0], [1, 0, 0, 0, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0]], bool)
    shapes = [(N, 3), (N, 5)] if return_weights else [(N, 3)]
    run_layer_test(lambda **kw: AttentionPooling(return_weights=return_weights, **kw), values,
                   mask=mask, tmp_path=tmp_path, expected_shapes=shapes)


def test_modality_dropout(tmp_path):
    # No weights to train; training=True exercises the random draws in every dtype.
    run_layer_test(lambda **kw: ModalityDropout(0.5, seed=0, **kw), DATA["presence"],
                   tmp_path=tmp_path, expected_shapes=[(N, 3)], train=False,
                   call_options={"training": True})


def test_every_public_layer_and_model_is_covered():
    covered = {AttentionPooling, ModalityDropout, CNN, RNN, Autoencoder, BimodalAutoencoder,
               DualEncoder, FusionClassifier, create_audio_encoder, create_encoder,
               create_image_encoder, create_text_encoder, create_unimodal_classifier}
    public = {getattr(module, name) for module in (layers, models) for name in module.__all__}
    callables = {p for p in public
                 if isinstance(p, type) and issubclass(p, keras.layers.Layer)
                 or callable(p) and p.__name__.startswith("create_")}
    assert callables - covered == set()


def test_fusion_cases_cover_every_fusion():
    assert {fusion for fusion, _ in FUSION_CASES} == set(FUSIONS)
    assert {len(modalities) for _, modalities in FUSION_CASES} == {1, 2, 3}
