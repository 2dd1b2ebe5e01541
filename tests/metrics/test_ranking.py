"""mean_average_precision and median_rank against a NumPy loop, hand values and scikit-learn."""

import numpy as np
import pytest
import sklearn.metrics

from mmtutor.metrics import mean_average_precision, median_rank, recall_at_k


def _ranked_relevance(queries, candidates, query_labels=None, candidate_labels=None):
    """For each query, the candidates' relevance in rank order, with Python loops.

    Candidates are sorted by decreasing cosine similarity, equal similarities by index.
    """
    rows = []
    for i, q in enumerate(queries):
        scores = []
        for j, c in enumerate(candidates):
            cos = float(q @ c / (np.linalg.norm(q) * np.linalg.norm(c)))
            scores.append((-cos, j))
        order = [j for _, j in sorted(scores)]
        if query_labels is None:
            rows.append([j == i for j in order])
        else:
            rows.append([candidate_labels[j] == query_labels[i] for j in order])
    return rows


def _reference_map(rows):
    total = 0.0
    for relevant in rows:
        hits, precisions = 0, []
        for rank, is_relevant in enumerate(relevant, start=1):
            if is_relevant:
                hits += 1
                precisions.append(hits / rank)
        total += sum(precisions) / len(precisions)
    return total / len(rows)


def _reference_median_rank(rows):
    return float(np.median([relevant.index(True) + 1 for relevant in rows]))


Q = [[1.0, 0.0], [0.0, 1.0], [1.0, 0.1]]
C = [[0.0, 1.0], [1.0, 0.0], [1.0, 0.1]]


def test_hand_values_at_instance_level():
    # Pairs ranked 3rd, 3rd and 1st: AP = 1/rank.
    assert mean_average_precision(Q, C) == pytest.approx((1 / 3 + 1 / 3 + 1) / 3)
    assert median_rank(Q, C) == 3.0


def test_hand_values_at_class_level():
    # Query 0 (label 0) ranks c1 (0), c2 (1), c0 (0): AP = (1/1 + 2/3) / 2 = 5/6; same for
    # query 1; query 2 (label 1) finds its only relevant candidate first: AP = 1.
    labels = [0, 0, 1]
    assert mean_average_precision(Q, C, level="class", labels=labels) == pytest.approx(8 / 9)
    assert median_rank(Q, C, level="class", labels=labels) == 1.0


def test_ties_are_broken_by_candidate_index_as_in_recall_at_k():
    # Every candidate is equally similar to every query: candidate j is ranked j + 1.
    queries, candidates = [[1.0, 0.0], [0.0, 1.0], [2.0, 1.0]], np.ones((3, 2))
    assert median_rank(queries, candidates) == 2.0  # ranks 1, 2, 3
    assert mean_average_precision(queries, candidates) == pytest.approx((1 + 1 / 2 + 1 / 3) / 3)
    assert recall_at_k(queries, candidates, k=1) == pytest.approx(1 / 3)


def test_ties_at_class_level_rank_the_lower_index_first():
    # All tied: the first candidate of the query's label is the first relevant one.
    queries, candidates = [[1.0, 0.0], [0.0, 1.0], [2.0, 1.0]], np.ones((3, 2))
    kwargs = {"level": "class", "labels": [1, 0, 1], "candidate_labels": [0, 0, 1]}
    assert median_rank(queries, candidates, **kwargs) == 3.0  # ranks 3, 1, 3
    # Label 1: relevant only at rank 3 (AP 1/3); label 0: ranks 1 and 2 (AP 1).
    assert mean_average_precision(queries, candidates, **kwargs) == pytest.approx(
        (1 / 3 + 1 + 1 / 3) / 3)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_instance_level_matches_numpy_loop(seed):
    rng = np.random.default_rng(seed)
    q = rng.normal(size=(12, 4))
    c = q + rng.normal(scale=1.5, size=q.shape)
    rows = _ranked_relevance(q, c)
    assert mean_average_precision(q, c) == pytest.approx(_reference_map(rows), rel=1e-12)
    assert median_rank(q, c) == _reference_median_rank(rows)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_class_level_matches_numpy_loop_and_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    q, c = rng.normal(size=(15, 3)), rng.normal(size=(11, 3))
    ql, cl = rng.integers(0, 3, 15), np.arange(11) % 3  # every label among the candidates
    rows = _ranked_relevance(q, c, ql, cl)
    got = mean_average_precision(q, c, level="class", labels=ql, candidate_labels=cl)
    assert got == pytest.approx(_reference_map(rows), rel=1e-12)
    # scikit-learn's average precision of the same ranking (no ties in random data).
    sims = (q / np.linalg.norm(q, axis=1, keepdims=True)) @ (
        c / np.linalg.norm(c, axis=1, keepdims=True)).T
    sk = np.mean([sklearn.metrics.average_precision_score(cl == ql[i], sims[i])
                  for i in range(len(q))])
    assert got == pytest.approx(sk, rel=1e-9)
    assert median_rank(q, c, level="class", labels=ql, candidate_labels=cl) == (
        _reference_median_rank(rows))


def test_dot_similarity_ranks_by_the_raw_product():
    queries, candidates = [[1.0, 0.0]], [[3.0, 3.0], [1.0, 0.0]]
    assert median_rank(queries, candidates, level="class", labels=[0],
                       candidate_labels=[1, 0]) == 1.0  # cosine: (1, 0) is the closest
    assert median_rank(queries, candidates, level="class", labels=[0], candidate_labels=[1, 0],
                       similarity="dot") == 2.0  # dot: 3 > 1


def test_perfect_retrieval_scores_one():
    z = np.eye(4)
    assert mean_average_precision(z, z) == 1.0 and median_rank(z, z) == 1.0


@pytest.mark.parametrize("metric", [mean_average_precision, median_rank])
def test_a_query_without_relevant_candidates_is_an_error(metric):
    name = metric.__name__
    with pytest.raises(ValueError, match=rf"^{name} expects every query to have a relevant "
                       r"candidate \(one with its label\)\. Received: 1 of 3 queries whose "
                       r"label is in no candidate_labels \(the first: query 2, label 5\)\."):
        metric(Q, C, level="class", labels=[0, 1, 5], candidate_labels=[0, 1, 1])


@pytest.mark.parametrize("metric", [mean_average_precision, median_rank])
def test_ranking_metrics_check_their_options(metric):
    name = metric.__name__
    with pytest.raises(ValueError, match=rf"^{name} expects level to be one of 'instance', "
                       r"'class'"):
        metric(Q, C, level="pair")
    with pytest.raises(ValueError, match=rf"^{name} expects labels at level='class'"):
        metric(Q, C, level="class")
    with pytest.raises(ValueError, match=rf"^{name} expects as many candidates as queries"):
        metric(Q, C[:2])
    with pytest.raises(ValueError, match=rf"^{name} expects queries and candidates with the "
                       r"same dim"):
        metric(Q, np.ones((3, 3)))
    with pytest.raises(ValueError, match=rf"^{name} expects similarity to be one of 'cosine'"):
        metric(Q, C, similarity="l2")
