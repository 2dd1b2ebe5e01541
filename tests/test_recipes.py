"""Tests for mmtutor.recipes and mmtutor.protocol: the book's models and its benchmark seed."""

import keras
import numpy as np
import pytest

from mmtutor import protocol, recipes, reports
from mmtutor.datasets import load_multidigits
from mmtutor.training import Trainer


@pytest.fixture(scope="module")
def data():
    return load_multidigits(num_examples=60)


def test_input_shapes_follow_the_fixed_modality_order(data):
    shapes = recipes.input_shapes(data, ["text", "image"])
    assert list(shapes) == ["image", "text"] and shapes["image"] == (8, 8, 1)
    audio_only = load_multidigits(num_examples=50, modalities=("audio",))
    with pytest.raises(ValueError, match="input_shapes expects data with the modality 'image'"):
        recipes.input_shapes(audio_only, ["image"])


def test_fusion_classifier_starts_from_trained_encoders_and_freezes_them(data):
    keras.utils.set_random_seed(0)
    single = recipes.unimodal_classifier(data, "image")
    encoder = recipes.encoder_of(single)
    model = recipes.fusion_classifier(data, ["image", "text"], fusion="late",
                                      encoders={"image": encoder})
    image_encoder = model.encoders[model.modalities.index("image")]
    for a, b in zip(image_encoder.get_weights(), encoder.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert not image_encoder.trainable
    assert model.encoders[model.modalities.index("text")].trainable


def test_fusion_classifier_applies_the_dropout_schedule(data):
    schedule = recipes.DropoutSchedule(rate=0.3, auxiliary_weight=0.5)
    model = recipes.fusion_classifier(data, fusion="attention", schedule=schedule)
    config = model.get_config()
    assert config["modality_dropout"] == 0.3 and config["auxiliary_weight"] == 0.5
    with pytest.raises(ValueError, match="fusion_classifier expects no encoders for "
                                         "fusion='early'"):
        recipes.fusion_classifier(data, fusion="early", encoders={"image": None})
    with pytest.raises(ValueError, match="DropoutSchedule expects rate"):
        recipes.DropoutSchedule(rate=1.5)


def test_fusion_classifier_keeps_only_the_encoder_options_of_its_modalities(data):
    options = {"audio": {"units": 4}, "text": {"pooling": "mean"}}
    model = recipes.fusion_classifier(data, ["audio"], encoder_options=options,
                                      embedding_dim=8)
    assert model.get_config()["encoder_options"] == {"audio": {"units": 4}}


def test_subset_validation_stacks_all_then_each_modality_alone(data):
    inputs, labels = recipes.subset_validation(data.validation)
    n = len(data.validation)
    assert len(labels) == 4 * n and inputs["presence"].shape == (4 * n, 3)
    assert inputs["presence"][:n].tolist() == [[1, 1, 1]] * n
    assert inputs["presence"][n:2 * n].tolist() == [[1, 0, 0]] * n
    np.testing.assert_array_equal(labels[3 * n:], data.validation.labels)


def test_encoder_of_rejects_a_model_without_a_nested_encoder():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="encoder_of expects a model built by"):
        recipes.encoder_of(model)


@pytest.mark.slow
def test_run_seed_measures_every_part_the_report_needs(data):
    trainer = Trainer(epochs=1, batch_size=64, learning_rate=2e-3, patience=1)
    config = protocol.BenchmarkConfig(fusions=("early", "late"), bae_epochs=1, dual_epochs=1)
    out = protocol.run_seed(data, 0, trainer=trainer, config=config, log=None)
    assert set(out) == {"seed", "single", "fusion", "dual_encoder", "classifier_retrieval",
                        "bimodal_autoencoder"}
    assert list(out["fusion"]) == ["early", "early+dropout", "late", "late+dropout"]
    assert "imputed" in out["fusion"]["late"]["only"]["image"]
    assert "imputed" not in out["fusion"]["late+dropout"]["only"]["image"]
    assert 0.0 <= out["dual_encoder"]["audio->image class mAP"] <= 1.0
    assert out["bimodal_autoencoder"]["epochs"] == 1


def _fake_run(seed, accuracy):
    """A run with every key run_seed writes, every score ``accuracy``."""
    scores = {"accuracy": accuracy, "macro_f1": accuracy}
    timing = {"params": 10, "seconds": 1.0 + seed, "cpu_seconds": 1.0, "epochs": 3}
    modalities = ("image", "audio", "text")
    fusion = {**scores, **timing,
              "without": {m: {**scores, "imputed": accuracy} for m in modalities},
              "only": {m: {**scores, "imputed": accuracy} for m in modalities}}
    keys = [f"{lv} {k}" for lv in ("class", "instance")
            for k in ("R@1", "R@5", "mAP", "median rank")]
    dual = {**timing, **{f"{d} {k}": accuracy for d in ("audio->image", "image->audio")
                         for k in keys},
            **{f"{d} prototype {k}": accuracy for d in ("audio->image", "image->audio")
               for k in keys if k.startswith("class")}}
    return {"seed": seed, "single": {m: {**scores, **timing} for m in modalities},
            "fusion": {"late": fusion, "late+dropout": fusion}, "dual_encoder": dual,
            "classifier_retrieval": {k: v for k, v in dual.items() if "class" in k},
            "bimodal_autoencoder": {**timing, "audio->image recognised": accuracy,
                                    "image->image recognised": accuracy,
                                    "real images recognised": accuracy}}


def test_summary_tables_and_targets_read_every_part_of_a_summary():
    runs = [_fake_run(0, 0.8), _fake_run(1, 0.9)]
    summary = reports.summarize([{k: x for k, x in r.items() if k != "seed"} for r in runs])
    tables = protocol.summary_tables(summary)
    assert "| late+dropout | 0.850 ± 0.050 |" in tables
    assert "| audio->image (prototype queries) | 0.850 ± 0.050 |" in tables
    targets = protocol.check_targets(summary, runs)
    assert targets["fusion gain >= 8 points"] is False  # fused = single here
    assert targets["late+dropout: every deficit <= 3 points"] is True
    assert targets["audio->image recognised >= 0.70"] is True
    assert targets["slowest model (s)"] == 2.0
    assert any(k.startswith("image->audio prototype class R@1") and v
               for k, v in targets.items())
