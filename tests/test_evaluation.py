"""Tests for mmtutor.evaluation: scores, modality variants, retrieval tables."""

import keras
import numpy as np
import pytest

from mmtutor import evaluation, metrics


class PresenceModel:
    """A stand-in classifier that predicts the first present modality's index as the class."""

    def __call__(self, inputs, training=False):
        presence = np.asarray(inputs["presence"])
        return np.eye(3)[presence.argmax(axis=1)]


def _inputs(n=4):
    return {"image": np.ones((n, 8, 8, 1), "float32"),
            "audio": np.full((n, 5, 4), 2.0, "float32"),
            "text": np.tile(np.arange(3), (n, 1)).astype("int32")}


def test_classification_scores_match_the_metrics_for_probabilities_and_labels():
    y = np.array([0, 1, 2, 2])
    probabilities = np.eye(3)[[0, 1, 1, 2]]
    expected = {"accuracy": 0.75, "macro_f1": metrics.precision_recall_f1(
        y, [0, 1, 1, 2], average="macro")[2]}
    assert evaluation.classification_scores(y, probabilities) == pytest.approx(expected)
    assert evaluation.classification_scores(y, [0, 1, 1, 2]) == pytest.approx(expected)


def test_predict_in_batches_matches_one_call_for_arrays_and_dicts():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    x = np.random.default_rng(0).normal(size=(7, 4)).astype("float32")
    np.testing.assert_allclose(evaluation.predict_in_batches(model, x, batch_size=3), model(x),
                               rtol=1e-6)
    inputs = keras.Input((4,), name="image")
    dict_model = keras.Model({"image": inputs}, model(inputs))
    np.testing.assert_allclose(evaluation.predict_in_batches(dict_model, {"image": x},
                                                             batch_size=2), model(x), rtol=1e-6)


def test_modality_variants_mark_removed_modalities_absent_in_fixed_order():
    variants = evaluation.modality_variants(_inputs(2))
    assert list(variants) == ["all", "without image", "only image", "without audio",
                              "only audio", "without text", "only text"]
    assert variants["all"]["presence"].tolist() == [[1, 1, 1]] * 2
    assert variants["without audio"]["presence"].tolist() == [[1, 0, 1]] * 2
    assert variants["only text"]["presence"].tolist() == [[0, 0, 1]] * 2


def test_imputed_variants_replace_data_and_keep_the_mask_at_ones():
    inputs = _inputs(3)
    inputs["text"][0] = [5, 5, 5]
    fill = evaluation.imputation_fill(inputs)
    assert fill["text"].tolist() == [0, 1, 2]  # the most frequent token at each position
    np.testing.assert_allclose(fill["audio"], 2.0)
    variants = evaluation.modality_variants({**inputs, "audio": inputs["audio"] * 0}, fill=fill)
    assert variants["without audio imputed"]["presence"].tolist() == [[1, 1, 1]] * 3
    np.testing.assert_allclose(variants["without audio imputed"]["audio"], 2.0)
    np.testing.assert_array_equal(variants["only audio imputed"]["text"][0], [0, 1, 2])


def test_evaluate_classifier_scores_every_variant():
    labels = np.zeros(4, int)  # PresenceModel predicts 0 when the image is present
    result = evaluation.evaluate_classifier(PresenceModel(), _inputs(), labels)
    assert result["accuracy"] == 1.0
    assert result["without"]["image"]["accuracy"] == 0.0
    assert result["only"]["image"]["accuracy"] == 1.0
    assert result["only"]["text"]["accuracy"] == 0.0
    plain = evaluation.evaluate_classifier(PresenceModel(), _inputs(), labels, subsets=False)
    assert set(plain) == {"accuracy", "macro_f1"}


def test_retrieval_scores_report_recall_map_and_median_rank_at_both_levels():
    rng = np.random.default_rng(0)
    queries = rng.normal(size=(12, 5))
    candidates = queries + 0.5 * rng.normal(size=(12, 5))
    labels = np.arange(12) % 3
    scores = evaluation.retrieval_scores(queries, candidates, labels, ks=(1, 5))
    for level in ("class", "instance"):
        assert scores[f"{level} R@1"] == pytest.approx(metrics.recall_at_k(
            queries, candidates, k=1, level=level, labels=labels))
        assert scores[f"{level} mAP"] == pytest.approx(metrics.mean_average_precision(
            queries, candidates, level=level, labels=labels))
        assert scores[f"{level} median rank"] == pytest.approx(metrics.median_rank(
            queries, candidates, level=level, labels=labels))
    assert scores["class R@5"] >= scores["class R@1"]


def test_only_rejects_a_modality_not_in_the_inputs():
    with pytest.raises(ValueError, match="only expects modality to be one of 'image', 'audio'"):
        evaluation.only(evaluation.with_presence({"image": np.zeros((1, 8, 8, 1)),
                                                  "audio": np.zeros((1, 5, 4))}), "text")


def test_class_prototypes_are_unit_means_of_each_class_against_a_loop():
    rng = np.random.default_rng(1)
    z, y = rng.normal(size=(20, 3)), np.arange(20) % 4
    prototypes, classes = evaluation.class_prototypes(z, y)
    assert classes.tolist() == [0, 1, 2, 3]
    for row, c in zip(prototypes, classes, strict=True):
        mean = z[y == c].mean(axis=0)
        np.testing.assert_allclose(row, mean / np.linalg.norm(mean))
    with pytest.raises(ValueError, match="class_prototypes expects one label per embedding"):
        evaluation.class_prototypes(z, y[:5])
    with pytest.raises(ValueError, match="embeddings to hold finite values"):
        evaluation.class_prototypes(np.full((2, 3), np.nan), [0, 1])


def test_snapped_queries_retrieve_at_the_nearest_prototype_classification_accuracy():
    prototypes = np.eye(3)
    queries = np.array([[0.9, 0.5, 0.0], [0.1, 0.2, 1.0], [0.6, 0.7, 0.0]])
    snapped = evaluation.snap_to_prototypes(queries, prototypes)
    np.testing.assert_array_equal(snapped, prototypes[[0, 2, 1]])
    moved = evaluation.snap_to_prototypes(queries, prototypes, targets=2 * prototypes)
    np.testing.assert_array_equal(moved, 2 * snapped)
    with pytest.raises(ValueError, match="targets with one row per prototype"):
        evaluation.snap_to_prototypes(queries, prototypes, targets=prototypes[:2])
    with pytest.raises(TypeError, match="snap_to_prototypes expects queries to be a numeric"):
        evaluation.snap_to_prototypes("abc", prototypes)
