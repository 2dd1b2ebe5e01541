"""recall_at_k against a brute-force reference."""

import numpy as np
import pytest

from mmtutor.metrics import recall_at_k, similarity_matrix


def _brute_force_recall(queries, candidates, k, query_labels=None, candidate_labels=None):
    """Rank every candidate for every query by cosine similarity with Python loops."""
    hits = 0
    for i, q in enumerate(queries):
        scores = []
        for j, c in enumerate(candidates):
            cos = float(q @ c / (np.linalg.norm(q) * np.linalg.norm(c)))
            scores.append((-cos, j))
        top = [j for _, j in sorted(scores)[:k]]
        if query_labels is None:
            hits += i in top
        else:
            hits += any(candidate_labels[j] == query_labels[i] for j in top)
    return hits / len(queries)


@pytest.mark.parametrize("k", [1, 3, 5])
def test_instance_recall_matches_brute_force(k):
    rng = np.random.default_rng(0)
    q = rng.normal(size=(20, 4))
    c = q + rng.normal(scale=1.0, size=(20, 4))
    assert recall_at_k(q, c, k=k) == pytest.approx(_brute_force_recall(q, c, k))


@pytest.mark.parametrize("k", [1, 2, 5])
def test_class_recall_matches_brute_force(k):
    rng = np.random.default_rng(1)
    q, c = rng.normal(size=(15, 3)), rng.normal(size=(12, 3))
    ql, cl = rng.integers(0, 4, 15), rng.integers(0, 4, 12)
    got = recall_at_k(q, c, k=k, level="class", labels=ql, candidate_labels=cl)
    assert got == pytest.approx(_brute_force_recall(q, c, k, ql, cl))


def test_recall_is_one_for_identical_embeddings_and_grows_with_k():
    rng = np.random.default_rng(2)
    q = rng.normal(size=(10, 5))
    assert recall_at_k(q, q, k=1) == 1.0
    noisy = q + rng.normal(scale=2.0, size=q.shape)
    values = [recall_at_k(q, noisy, k=k) for k in (1, 3, 10)]
    assert values == sorted(values) and values[-1] == 1.0


def test_similarity_matrix_dot_matches_numpy():
    a, b = np.array([[1.0, 2.0]]), np.array([[3.0, 4.0], [0.0, 1.0]])
    np.testing.assert_allclose(similarity_matrix(a, b, similarity="dot"), a @ b.T)


def test_recall_rejects_unknown_level():
    with pytest.raises(ValueError, match=r"level to be one of 'instance', 'class'"):
        recall_at_k(np.ones((2, 2)), np.ones((2, 2)), level="pair")


def test_class_recall_requires_labels():
    with pytest.raises(ValueError, match=r"recall_at_k expects labels at level='class'"):
        recall_at_k(np.ones((2, 2)), np.ones((2, 2)), level="class")


def test_instance_recall_rejects_unpaired_sizes():
    with pytest.raises(ValueError, match=r"as many candidates as queries"):
        recall_at_k(np.ones((2, 2)), np.ones((3, 2)))


def test_similarity_rejects_different_dims():
    with pytest.raises(ValueError, match=r"queries and candidates with the same dim"):
        recall_at_k(np.ones((2, 2)), np.ones((2, 3)))
