"""Every metric refuses what it cannot score: non-finite values, empty inputs, strings.

A NaN embedding would otherwise rank somewhere and give a plausible recall; an empty batch a
score of 0.0 or NaN. Each is a ValueError (a TypeError for a string) naming what it received.
"""

import numpy as np
import pytest

from mmtutor.metrics import (
    accuracy,
    confusion_matrix,
    mean_average_precision,
    median_rank,
    precision_recall_f1,
    recall_at_k,
    similarity_matrix,
)

LABEL_METRICS = {"accuracy": accuracy, "confusion_matrix": confusion_matrix,
                 "precision_recall_f1": precision_recall_f1}
EMBEDDING_METRICS = {"similarity_matrix": similarity_matrix, "recall_at_k": recall_at_k,
                     "mean_average_precision": mean_average_precision,
                     "median_rank": median_rank}
Q = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, -1.0]])


@pytest.mark.parametrize("name", list(LABEL_METRICS))
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_label_metrics_reject_non_finite_labels(name, bad):
    metric = LABEL_METRICS[name]
    with pytest.raises(ValueError, match=rf"^{name} expects y_pred to hold finite values\. "
                       r"Received: y_pred with \d NaN and \d infinite values among 3 \(the "
                       r"first at index \(1,\)\)\. Drop or impute"):
        metric([0, 1, 1], [0.0, bad, 1.0])
    with pytest.raises(ValueError, match=rf"^{name} expects y_true to hold finite values"):
        metric([bad, 1.0, 1.0], [0, 1, 1])


@pytest.mark.parametrize("name", list(LABEL_METRICS))
def test_label_metrics_reject_empty_labels(name):
    with pytest.raises(ValueError, match=rf"^{name} expects y_true to be non-empty, integer "
                       r"class labels of shape \(batch_size,\)\. Received: y_true with shape "
                       r"\(0,\)\. Pass at least one example\."):
        LABEL_METRICS[name]([], [])


@pytest.mark.parametrize("name", list(LABEL_METRICS))
def test_label_metrics_name_a_string_given_for_labels(name):
    with pytest.raises(TypeError, match=rf"^{name} expects y_true to be a numeric array or "
                       r"tensor, integer class labels of shape \(batch_size,\)\. Received: "
                       r"y_true='012' of type str\. Pass a NumPy array"):
        LABEL_METRICS[name]("012", [0, 1, 2])
    with pytest.raises(TypeError, match=rf"^{name} expects y_pred to be a numeric array.*"
                       r"Received: y_pred with dtype <U1 and shape \(3,\)"):
        LABEL_METRICS[name]([0, 1, 2], np.array(["0", "1", "2"]))


def _call(name, queries, candidates):
    options = {} if name == "similarity_matrix" else {"level": "class", "labels": [0, 1, 0, 1]}
    return EMBEDDING_METRICS[name](queries, candidates, **options)


@pytest.mark.parametrize("name", list(EMBEDDING_METRICS))
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_embedding_metrics_reject_non_finite_embeddings(name, bad):
    broken = Q.copy()
    broken[2, 1] = bad
    nan, inf = (1, 0) if np.isnan(bad) else (0, 1)
    with pytest.raises(ValueError, match=rf"^{name} expects queries to hold finite values\. "
                       rf"Received: queries with {nan} NaN and {inf} infinite values among 8 "
                       r"\(the first at index \(2, 1\)\)\."):
        _call(name, broken, Q)
    with pytest.raises(ValueError, match=rf"^{name} expects candidates to hold finite values"):
        _call(name, Q, broken)


def test_recall_at_k_of_nan_embeddings_is_an_error_not_a_score():
    # The reviewer's case: NaN queries used to rank "first" and score R@1 = 0.8 or 1.0.
    rng = np.random.default_rng(0)
    candidates = rng.normal(size=(5, 3))
    with pytest.raises(ValueError, match="recall_at_k expects queries to hold finite values"):
        recall_at_k(np.full((5, 3), np.nan), candidates, k=1)
    with pytest.raises(ValueError, match="recall_at_k expects queries to hold finite values"):
        recall_at_k(np.full((5, 3), np.inf), candidates, k=5)


@pytest.mark.parametrize("name", list(EMBEDDING_METRICS))
def test_embedding_metrics_reject_empty_embeddings(name):
    with pytest.raises(ValueError, match=rf"^{name} expects queries to be non-empty, "
                       r"\(num_queries, dim\)\. Received: queries with shape \(0, 2\)\. Pass "
                       r"at least one example\."):
        EMBEDDING_METRICS[name](np.zeros((0, 2)), np.zeros((0, 2)))
    with pytest.raises(ValueError, match=rf"^{name} expects candidates to be non-empty"):
        _call(name, Q, np.zeros((0, 2)))


@pytest.mark.parametrize("name", list(EMBEDDING_METRICS))
def test_embedding_metrics_name_a_string_given_for_embeddings(name):
    with pytest.raises(TypeError, match=rf"^{name} expects queries to be a numeric array or "
                       r"tensor, \(num_queries, dim\)\. Received: queries='abc' of type str"):
        EMBEDDING_METRICS[name]("abc", Q)
    with pytest.raises(TypeError, match=rf"^{name} expects candidates to be a numeric array.*"
                       r"Received: candidates=\[\[1, 'a'\]\] of type list"):
        EMBEDDING_METRICS[name](Q[:1], [[1, "a"]])


@pytest.mark.parametrize("name", ["recall_at_k", "mean_average_precision", "median_rank"])
def test_retrieval_metrics_reject_non_finite_labels(name):
    with pytest.raises(ValueError, match=rf"^{name} expects labels to hold finite values"):
        EMBEDDING_METRICS[name](Q, Q, level="class", labels=[0.0, np.nan, 1.0, 1.0])
    with pytest.raises(ValueError, match=rf"^{name} expects candidate_labels to hold finite"):
        EMBEDDING_METRICS[name](Q, Q, level="class", labels=[0, 1, 0, 1],
                                candidate_labels=[0, 1, np.inf, 1])
