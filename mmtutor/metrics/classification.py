"""Classification metrics on integer labels: accuracy, confusion matrix, precision/recall/F1.

Plain NumPy, so they work on whatever ``model.predict(...).argmax(-1)`` returns. A class that is
never predicted has precision 0 (and one that never occurs has recall 0), as scikit-learn's
``zero_division=0`` does. Empty or non-finite labels cannot be scored: they raise ``ValueError``.
"""

from __future__ import annotations

import numpy as np

from mmtutor import _validation as v


def _pair(name, y_true, y_pred, num_classes=None):
    for arg, y in (("y_true", y_true), ("y_pred", y_pred)):
        v.check_array(name, arg, y, what="integer class labels of shape (batch_size,)",
                      finite=True, allow_empty=False)
    y_true = v.check_labels(name, "y_true", y_true, num_classes)
    y_pred = v.check_labels(name, "y_pred", y_pred, num_classes)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            v.message(name, "y_true and y_pred to have the same length",
                      f"y_true with shape {v._fmt(y_true.shape)} and y_pred with shape "
                      f"{v._fmt(y_pred.shape)}", "Pass one prediction per example")
        )
    return y_true, y_pred


def accuracy(y_true, y_pred):
    """Fraction of examples whose predicted label equals the true label.

    Formula:
        acc = 1/N sum_i [y_hat_i == y_i].

    Args:
        y_true: integer labels, shape ``(batch_size,)``.
        y_pred: integer predicted labels, shape ``(batch_size,)``.

    Returns:
        A float in [0, 1].

    Raises:
        ValueError: if the labels are empty, not finite, or not 1-D non-negative integers of
            equal length.
        TypeError: if the labels are not numeric (a string, say).

    Example:
        >>> accuracy([0, 1, 2, 2], [0, 1, 1, 2])
        0.75

    Book: section "sec-evaluation".
    """
    y_true, y_pred = _pair("accuracy", y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, *, num_classes=None):
    """Count how often each true class is predicted as each class.

    Row ``i``, column ``j`` counts examples of true class ``i`` predicted as ``j`` (the
    convention of scikit-learn), so the diagonal holds the correct predictions.

    Formula:
        C_ij = sum_n [y_n == i and y_hat_n == j].

    Args:
        y_true: integer labels, shape ``(batch_size,)``.
        y_pred: integer predicted labels, shape ``(batch_size,)``.
        num_classes: number of classes; default ``max(label) + 1`` over both arrays.

    Returns:
        An int64 array of shape ``(num_classes, num_classes)``.

    Raises:
        ValueError: for empty or non-finite labels, or labels that are not integers in range
            or of unequal length.
        TypeError: if ``num_classes`` is not an integer, or the labels are not numeric.

    Example:
        >>> confusion_matrix([0, 1, 1], [0, 1, 0]).tolist()
        [[1, 0], [1, 1]]

    Book: section "sec-evaluation".
    """
    name = "confusion_matrix"
    if num_classes is not None:
        v.check_positive_int(name, "num_classes", num_classes)
    y_true, y_pred = _pair(name, y_true, y_pred, num_classes)
    if num_classes is None:
        num_classes = int(max(y_true.max(initial=-1), y_pred.max(initial=-1))) + 1
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (y_true, y_pred), 1)  # (num_classes, num_classes)
    return matrix


def _safe_divide(a, b):
    return np.divide(a, b, out=np.zeros_like(a, dtype=np.float64), where=b > 0)


def precision_recall_f1(y_true, y_pred, *, average="macro", num_classes=None):
    """Precision, recall and F1, per class or averaged.

    Per class ``c``: precision ``TP / (TP + FP)``, recall ``TP / (TP + FN)`` and F1, their
    harmonic mean; a 0/0 counts as 0. The classes are ``0 .. num_classes - 1`` when
    ``num_classes`` is given, otherwise the labels that occur in ``y_true`` or ``y_pred``, as in
    scikit-learn. ``"macro"`` averages the classes equally, ``"weighted"`` by their support (true
    count), ``"micro"`` pools the counts first (for single-label data it equals accuracy), and
    ``None`` returns one value per class.

    Formula:
        P_c = TP_c / (TP_c + FP_c),  R_c = TP_c / (TP_c + FN_c),  F1_c = 2 P_c R_c / (P_c + R_c).

    Args:
        y_true: integer labels, shape ``(batch_size,)``.
        y_pred: integer predicted labels, shape ``(batch_size,)``.
        average: ``"macro"``, ``"micro"``, ``"weighted"`` or ``None``.
        num_classes: optional number of classes (see above).

    Returns:
        ``(precision, recall, f1)``: three floats, or three arrays of shape ``(num_classes,)``
        when ``average=None``.

    Raises:
        ValueError: for an unknown ``average``, or empty, non-finite or out-of-range labels.
        TypeError: if the labels are not numeric.

    Example:
        >>> p, r, f = precision_recall_f1([0, 0, 1, 1], [0, 1, 1, 1])
        >>> round(p, 4), round(r, 4), round(f, 4)
        (0.8333, 0.75, 0.7333)

    Book: section "sec-evaluation".
    """
    name = "precision_recall_f1"
    v.check_option(name, "average", average, ("macro", "micro", "weighted", None))
    if num_classes is not None:
        v.check_positive_int(name, "num_classes", num_classes)
    y_true, y_pred = _pair(name, y_true, y_pred, num_classes)
    matrix = confusion_matrix(y_true, y_pred, num_classes=num_classes)
    if num_classes is None:
        present = np.union1d(y_true, y_pred)  # the classes scikit-learn would use
    else:
        present = np.arange(num_classes)
    matrix = matrix[np.ix_(present, present)]  # (classes, classes)
    tp = np.diag(matrix).astype(np.float64)  # (classes,)
    predicted = matrix.sum(axis=0)  # (classes,) TP + FP
    support = matrix.sum(axis=1)  # (classes,) TP + FN
    if average == "micro":
        tp, predicted, support = tp.sum(), predicted.sum(), support.sum()
    precision = _safe_divide(tp, predicted)
    recall = _safe_divide(tp, support)
    f1 = _safe_divide(2 * precision * recall, precision + recall)
    if average is None:
        return precision, recall, f1
    if average == "micro":
        return float(precision), float(recall), float(f1)
    if average == "macro":
        weights = np.ones_like(tp)
    elif average == "weighted":
        weights = support.astype(np.float64)
    else:  # pragma: no cover - check_option rejected everything else
        raise ValueError(average)
    return tuple(float(np.average(m, weights=weights)) for m in (precision, recall, f1))
