"""Tests for mmtutor.experiments: training over seeds, summaries, batched prediction."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from mmtutor import experiments
from mmtutor.experiments import Run

# Eager mode (below) makes TensorFlow note that tf.data still traces; harmless for these tests.
pytestmark = pytest.mark.filterwarnings("ignore:Even though the:UserWarning")


@pytest.fixture(autouse=True)
def _eager():
    """Run these tiny models eagerly: tracing a graph costs more than the training itself."""
    tf.config.run_functions_eagerly(True)
    yield
    tf.config.run_functions_eagerly(False)


def _data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 4
    x = np.eye(4, dtype="float32")[y] + 0.1 * rng.normal(size=(n, 4)).astype("float32")
    return x, y


def _make():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(4, activation="softmax")])


def _run(name, seed, acc, f1=0.5, params=10, seconds=1.0):
    return Run(name, seed, acc, f1, params, seconds, None, None, {})


def test_fit_and_evaluate_measures_with_mmtutor_metrics():
    train, test = _data(), _data(seed=1)
    run = experiments.fit_and_evaluate(_make, train, test, epochs=3, name="dense")
    predictions = np.asarray(run.model.predict(test[0], verbose=0)).argmax(axis=-1)
    np.testing.assert_array_equal(run.predictions, predictions)
    assert run.accuracy == pytest.approx(np.mean(predictions == test[1]))
    assert run.name == "dense" and run.params == 20 and run.seconds > 0
    assert len(run.history["loss"]) == 3


def test_fit_and_evaluate_same_seed_gives_same_model_other_seed_differs():
    train = _data()
    first = experiments.fit_and_evaluate(_make, train, train, seed=3, epochs=1)
    again = experiments.fit_and_evaluate(_make, train, train, seed=3, epochs=1)
    other = experiments.fit_and_evaluate(_make, train, train, seed=4, epochs=1)
    np.testing.assert_allclose(first.model.get_weights()[0], again.model.get_weights()[0])
    assert not np.allclose(first.model.get_weights()[0], other.model.get_weights()[0])


def test_fit_and_evaluate_accepts_split_objects_and_records_validation():
    class Split:
        def __init__(self, x, y):
            self.inputs, self.labels = x, y

    split = Split(*_data())
    run = experiments.fit_and_evaluate(_make, split, split, validation=split, epochs=2)
    assert "val_accuracy" in run.history


def test_fit_and_evaluate_rejects_bad_arguments():
    data = _data()
    with pytest.raises(TypeError, match="fit_and_evaluate expects make_model"):
        experiments.fit_and_evaluate(_make(), data, data)
    with pytest.raises(TypeError, match="fit_and_evaluate expects train"):
        experiments.fit_and_evaluate(_make, data[0], data)
    with pytest.raises(ValueError, match="epochs to be a positive integer"):
        experiments.fit_and_evaluate(_make, data, data, epochs=0)
    with pytest.raises(TypeError, match=r"make_model\(\) to be a keras.Model"):
        experiments.fit_and_evaluate(lambda: "model", data, data)


def test_compare_over_seeds_orders_runs_and_takes_per_candidate_options(monkeypatch):
    calls = []

    def fake_fit(make, train, test, *, seed, name, **options):
        calls.append((name, seed, options))
        return _run(name, seed, 0.5)

    monkeypatch.setattr(experiments, "fit_and_evaluate", fake_fit)
    data = _data()
    runs = experiments.compare_over_seeds({"a": _make, "b": _make}, data, data, seeds=(0, 1),
                                          epochs={"a": 1, "b": 2}, batch_size=8,
                                          reuse_graphs=False)
    assert [(r.name, r.seed) for r in runs] == [("a", 0), ("b", 0), ("a", 1), ("b", 1)]
    assert [c[2] for c in calls[:2]] == [{"epochs": 1, "batch_size": 8},
                                         {"epochs": 2, "batch_size": 8}]


def test_compare_over_seeds_reusing_graphs_matches_separate_training():
    train, test = _data(), _data(seed=1)
    options = {"seeds": (0, 1), "epochs": 2, "batch_size": 20, "learning_rate": 0.05}
    reused = experiments.compare_over_seeds({"a": _make}, train, test, **options)
    separate = experiments.compare_over_seeds({"a": _make}, train, test, reuse_graphs=False,
                                              **options)
    assert reused[0].model is not reused[1].model
    for r, s in zip(reused, separate, strict=True):
        np.testing.assert_allclose(r.model.get_weights()[0], s.model.get_weights()[0],
                                   atol=1e-6)
        np.testing.assert_array_equal(r.predictions, s.predictions)
        assert r.history["loss"] == pytest.approx(s.history["loss"], abs=1e-6)
    assert not np.allclose(reused[0].model.get_weights()[0], reused[1].model.get_weights()[0])


def test_compare_over_seeds_rejects_bad_arguments():
    data = _data()
    with pytest.raises(TypeError, match="candidates to be a non-empty dict"):
        experiments.compare_over_seeds({}, data, data)
    with pytest.raises(ValueError, match="at least one seed"):
        experiments.compare_over_seeds({"a": _make}, data, data, seeds=())
    with pytest.raises(ValueError, match=r"epochs to give a value for every candidate"):
        experiments.compare_over_seeds({"a": _make, "b": _make}, data, data, epochs={"a": 1})


def test_summarize_matches_numpy_mean_and_sample_std():
    accs = [0.7, 0.8, 0.95]
    runs = [_run("fused", s, a) for s, a in enumerate(accs)] + [_run("image", 0, 0.6)]
    summary = experiments.summarize(runs)
    assert list(summary) == ["fused", "image"]
    mean, std = summary["fused"]["accuracy"]
    assert mean == pytest.approx(np.mean(accs)) and std == pytest.approx(np.std(accs, ddof=1))
    assert summary["image"]["accuracy"] == (0.6, 0.0) and summary["fused"]["seeds"] == 3


def test_summarize_rejects_empty_runs_and_unknown_fields():
    with pytest.raises(ValueError, match="summarize expects at least one Run"):
        experiments.summarize([])
    with pytest.raises(ValueError, match="each field to be one of"):
        experiments.summarize([_run("a", 0, 0.5)], fields=("loss",))


def test_format_table_has_one_row_per_candidate_with_mean_and_spread():
    runs = [_run("early", 0, 0.9, params=12345), _run("early", 1, 0.8, params=12345),
            _run("text", 0, 0.5)]
    lines = experiments.format_table(experiments.summarize(runs)).splitlines()
    assert lines[0].split() == ["model", "seeds", "accuracy", "macro_f1", "params", "seconds"]
    assert lines[1].split()[:5] == ["early", "2", "0.850", "±", "0.071"]
    assert "12,345" in lines[1] and lines[2].startswith("text")
    assert experiments.format_table({}) == ""


def test_predict_labels_matches_argmax_of_predict_for_arrays_and_dicts():
    x = np.random.default_rng(0).normal(size=(7, 4)).astype("float32")
    model = _make()
    expected = model.predict(x, verbose=0).argmax(axis=-1)
    np.testing.assert_array_equal(experiments.predict_labels(model, x, batch_size=3), expected)
    inputs = keras.Input((4,), name="image")
    dict_model = keras.Model({"image": inputs}, model(inputs))
    got = experiments.predict_labels(dict_model, {"image": x}, batch_size=2)
    np.testing.assert_array_equal(got, expected)
    assert experiments.predict_labels(model, x[:0]).shape == (0,)


def test_fusion_factory_builds_fresh_models_with_only_their_encoder_options():
    from mmtutor.datasets import load_multidigits

    data = load_multidigits(num_examples=60)
    options = {"audio": {"units": 4}, "text": {"pooling": "mean"}}
    make = experiments.fusion_factory(data, ["audio"], encoder_options=options, embedding_dim=8)
    first, second = make(), make()
    assert first is not second and first.modalities == ("audio",)
    assert first.get_config()["encoder_options"] == {"audio": {"units": 4}}
    assert first(data.test.inputs).shape == (len(data.test), 10)
    with pytest.raises(ValueError, match="fusion_factory expects each modality"):
        experiments.fusion_factory(data, ["video"])
    audio_only = load_multidigits(num_examples=60, modalities=("audio",))
    with pytest.raises(ValueError, match="data with the modality 'image'"):
        experiments.fusion_factory(audio_only, ["image"])
