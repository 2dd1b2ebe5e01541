"""info_nce(labels=...): label-aware (supervised) InfoNCE against a NumPy loop."""

import numpy as np
import pytest

from mmtutor.losses import info_nce


def _numpy_label_info_nce(a, b, labels, temperature):
    """Every same-label column is a positive; mean -log softmax over them, both directions."""
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    n = len(a)
    total = 0.0
    for i in range(n):
        row = np.array([a[i] @ b[j] for j in range(n)]) / temperature
        col = np.array([b[i] @ a[j] for j in range(n)]) / temperature
        positives = [j for j in range(n) if labels[j] == labels[i]]
        for s in (row, col):
            log_softmax = s - np.log(np.sum(np.exp(s)))
            total -= np.mean([log_softmax[j] for j in positives])
    return total / (2 * n)


@pytest.mark.parametrize("temperature", [0.1, 1.0])
def test_label_info_nce_matches_numpy_reference(temperature):
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 6, 3))
    labels = np.array([0, 1, 0, 2, 1, 0])
    got = float(info_nce(a, b, temperature=temperature, labels=labels))
    assert got == pytest.approx(_numpy_label_info_nce(a, b, labels, temperature), rel=1e-5)


def test_label_info_nce_with_distinct_labels_equals_plain_info_nce():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(2, 5, 4))
    plain = float(info_nce(a, b, temperature=0.3))
    labelled = float(info_nce(a, b, temperature=0.3, labels=np.arange(5)))
    assert labelled == pytest.approx(plain, rel=1e-6)


def test_label_info_nce_is_symmetric_in_its_two_views():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(2, 6, 4))
    labels = np.array([1, 1, 0, 0, 2, 2])
    assert float(info_nce(a, b, labels=labels)) == pytest.approx(
        float(info_nce(b, a, labels=labels)), rel=1e-6)


def test_label_info_nce_no_longer_penalises_same_label_neighbours():
    # Two examples of one class with swapped views: plain InfoNCE calls the swap a mistake.
    a = np.array([[1.0, 0.0], [0.0, 1.0]])
    b = a[::-1]
    assert float(info_nce(a, b, temperature=0.1, labels=[0, 0])) < float(
        info_nce(a, b, temperature=0.1))


def test_label_info_nce_rejects_labels_of_the_wrong_size():
    a = np.ones((4, 2))
    with pytest.raises(ValueError, match=r"info_nce expects labels of shape \(batch_size,\)"):
        info_nce(a, a, labels=[0, 1, 2])
