"""Unit tests for mmtutor.metrics.classification against hand values and scikit-learn."""

import numpy as np
import pytest
import sklearn.metrics
from hypothesis import given, settings
from hypothesis import strategies as st

from mmtutor.metrics import accuracy, confusion_matrix, precision_recall_f1

labels = st.integers(1, 30).flatmap(
    lambda n: st.tuples(st.lists(st.integers(0, 4), min_size=n, max_size=n),
                        st.lists(st.integers(0, 4), min_size=n, max_size=n)))


def test_accuracy_hand_value_and_numpy_loop():
    y_true, y_pred = [0, 1, 2, 2, 1], [0, 2, 2, 2, 0]
    assert accuracy(y_true, y_pred) == 0.6
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 3, 50), rng.integers(0, 3, 50)
    assert accuracy(a, b) == sum(int(x == y) for x, y in zip(a, b, strict=True)) / 50


def test_accuracy_of_empty_labels_is_an_error():
    with pytest.raises(ValueError, match=r"accuracy expects y_true to be non-empty"):
        accuracy([], [])


def test_confusion_matrix_hand_value():
    matrix = confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2])
    np.testing.assert_array_equal(matrix, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert matrix.dtype == np.int64


def test_confusion_matrix_num_classes_adds_empty_rows():
    matrix = confusion_matrix([0, 1], [1, 1], num_classes=4)
    assert matrix.shape == (4, 4) and matrix.sum() == 2 and matrix[0, 1] == 1


def test_precision_recall_f1_hand_value():
    # class 0: TP 1, FP 0, FN 1 -> P 1, R 0.5; class 1: TP 2, FP 1, FN 0 -> P 2/3, R 1
    p, r, f = precision_recall_f1([0, 0, 1, 1], [0, 1, 1, 1], average=None)
    np.testing.assert_allclose(p, [1.0, 2 / 3])
    np.testing.assert_allclose(r, [0.5, 1.0])
    np.testing.assert_allclose(f, [2 / 3, 0.8])


def test_precision_recall_f1_never_predicted_class_counts_zero():
    p, r, f = precision_recall_f1([0, 1, 2], [0, 1, 1], average=None)
    assert p[2] == 0.0 and r[2] == 0.0 and f[2] == 0.0


def test_precision_recall_f1_micro_equals_accuracy():
    y_true, y_pred = [0, 1, 2, 2, 1], [0, 2, 2, 2, 0]
    assert precision_recall_f1(y_true, y_pred, average="micro") == pytest.approx(
        (0.6, 0.6, 0.6))


def test_precision_recall_f1_with_num_classes_matches_sklearn_labels():
    y_true, y_pred = [0, 1, 1], [0, 1, 0]
    ours = precision_recall_f1(y_true, y_pred, num_classes=4)
    ref = sklearn.metrics.precision_recall_fscore_support(
        y_true, y_pred, labels=range(4), average="macro", zero_division=0)[:3]
    np.testing.assert_allclose(ours, ref)


def test_precision_recall_f1_of_empty_labels_is_an_error():
    with pytest.raises(ValueError, match=r"precision_recall_f1 expects y_true to be non-empty"):
        precision_recall_f1([], [], average="weighted")


@settings(max_examples=25, deadline=None)
@given(labels)
def test_metrics_agree_with_sklearn_on_random_labels(pair):
    y_true, y_pred = np.array(pair[0]), np.array(pair[1])
    assert accuracy(y_true, y_pred) == pytest.approx(
        sklearn.metrics.accuracy_score(y_true, y_pred))
    np.testing.assert_array_equal(
        confusion_matrix(y_true, y_pred, num_classes=5),
        sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(5)))
    for average in ("macro", "micro", "weighted", None):
        ours = precision_recall_f1(y_true, y_pred, average=average)
        ref = sklearn.metrics.precision_recall_fscore_support(
            y_true, y_pred, average=average, zero_division=0)[:3]
        np.testing.assert_allclose(np.array(ours, dtype=float), np.array(ref, dtype=float),
                                   atol=1e-12)


def test_precision_recall_f1_rejects_unknown_average():
    with pytest.raises(ValueError, match=r"precision_recall_f1 expects average to be one of "
                       r"'macro', 'micro', 'weighted', None\. Received: average='binary'\."):
        precision_recall_f1([0, 1], [0, 1], average="binary")


def test_metrics_reject_labels_of_unequal_length():
    with pytest.raises(ValueError, match=r"accuracy expects y_true and y_pred to have the same "
                       r"length\. Received: y_true with shape \(3,\) and y_pred with shape \(2,\)"):
        accuracy([0, 1, 1], [0, 1])


def test_metrics_reject_probabilities_instead_of_labels():
    with pytest.raises(ValueError, match=r"confusion_matrix expects y_pred to be integer class "
                       r"labels of shape \(batch_size,\)\. Received: y_pred with shape \(2, 3\)\."
                       r" If these are one-hot rows or probabilities, take argmax"):
        confusion_matrix([0, 1], np.full((2, 3), 1 / 3))


def test_metrics_reject_labels_out_of_range():
    with pytest.raises(ValueError, match=r"confusion_matrix expects y_true to be class labels in "
                       r"\[0, 1\]\. Received: y_true with maximum 2 \(num_classes=2\)"):
        confusion_matrix([0, 2], [0, 1], num_classes=2)
    with pytest.raises(ValueError, match=r"expects y_pred to be class labels >= 0"):
        precision_recall_f1([0, 1], [0, -1])


def test_metrics_reject_bad_num_classes():
    with pytest.raises(ValueError, match="expects num_classes to be a positive integer. "
                       "Received: num_classes=0"):
        confusion_matrix([0], [0], num_classes=0)
    with pytest.raises(TypeError, match="precision_recall_f1 expects num_classes to be a "
                       "positive integer. Received: num_classes=2.0 of type float"):
        precision_recall_f1([0], [0], num_classes=2.0)
