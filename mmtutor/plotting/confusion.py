"""Confusion matrix as an annotated heat map."""

from __future__ import annotations

import numpy as np

from mmtutor import _validation as v
from mmtutor.plotting._axes import get_axes


def plot_confusion_matrix(y_true, y_pred, *, class_names=None, normalize=False, ax=None,
                          cmap="Blues", title=None):
    """Draw the confusion matrix of integer labels: rows true class, columns predicted.

    Args:
        y_true: true labels, shape ``(num_examples,)``.
        y_pred: predicted labels, shape ``(num_examples,)`` (take ``argmax`` of
            probabilities first).
        class_names: names of the classes for the ticks; None uses 0..C-1.
        normalize: if True, each row is divided by its total (rows sum to 1: per-class
            recall on the diagonal).
        ax: matplotlib axes to draw into; None makes a new figure.
        cmap: matplotlib color map.
        title: optional axes title.

    Returns:
        The matplotlib axes.

    Raises:
        ValueError: if the labels are not integer arrays of one length.

    Example:
        >>> ax = plot_confusion_matrix([0, 1, 1], [0, 1, 0])
        >>> ax.images[0].get_array().tolist()
        [[1.0, 0.0], [1.0, 1.0]]

    Book: section "sec-evaluation".
    """
    true = v.check_labels("plot_confusion_matrix", "y_true", y_true)
    pred = v.check_labels("plot_confusion_matrix", "y_pred", y_pred)
    if true.shape != pred.shape:
        raise ValueError(
            v.message("plot_confusion_matrix", "y_true and y_pred of the same length",
                      f"{len(true)} and {len(pred)} labels")
        )
    num_classes = max(int(true.max(initial=0)), int(pred.max(initial=0))) + 1
    if class_names is not None:
        num_classes = max(num_classes, len(class_names))
    counts = np.zeros((num_classes, num_classes))
    np.add.at(counts, (true, pred), 1)  # (true class, predicted class)
    matrix = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1) if normalize else counts
    ax = get_axes(ax, figsize=(5, 5))
    ax.imshow(matrix, cmap=cmap, vmin=0)
    threshold = matrix.max() / 2 if matrix.size else 0
    for i in range(num_classes):
        for j in range(num_classes):
            text = f"{matrix[i, j]:.2f}" if normalize else f"{int(matrix[i, j])}"
            ax.text(j, i, text, ha="center", va="center", fontsize=8,
                    color="white" if matrix[i, j] > threshold else "black")
    names = list(class_names) if class_names is not None else list(range(num_classes))
    ax.set_xticks(range(num_classes), names, rotation=45 if class_names is not None else 0)
    ax.set_yticks(range(num_classes), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    if title:
        ax.set_title(title)
    return ax
