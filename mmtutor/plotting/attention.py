"""Attention weights per example, as a heat map with the weights written in."""

from __future__ import annotations

import numpy as np

from mmtutor import _validation as v
from mmtutor.plotting._axes import get_axes


def plot_attention_weights(weights, *, names=None, example_labels=None, ax=None,
                           cmap="viridis", annotate=True, title=None):
    """Draw attention weights, one row per example, one column per modality (or step).

    Use it for :meth:`FusionClassifier.modality_weights` (columns: the modalities) or for
    the weights of :class:`~mmtutor.layers.AttentionPooling` over audio frames or tokens
    (columns: the steps).

    Args:
        weights: shape ``(num_examples, num_columns)``; each row usually sums to 1.
        names: column names, e.g. ``model.modalities``; None uses 0..K-1.
        example_labels: row names, e.g. the true classes; None uses 0..N-1.
        ax: matplotlib axes to draw into; None makes a new figure.
        cmap: matplotlib color map.
        annotate: write each weight in its cell (off for many columns).
        title: optional axes title.

    Returns:
        The matplotlib axes.

    Raises:
        ValueError: if ``weights`` is not rank 2 or ``names`` has the wrong length.

    Example:
        >>> ax = plot_attention_weights([[0.7, 0.3], [0.2, 0.8]], names=["image", "audio"])
        >>> [t.get_text() for t in ax.get_xticklabels()]
        ['image', 'audio']

    Book: section "sec-trends".
    """
    w = np.asarray(weights, dtype=np.float64)
    v.check_rank("plot_attention_weights", "weights", w, 2, "(num_examples, num_columns)",
                 "For one example, pass weights[None]")
    if names is not None and len(names) != w.shape[1]:
        raise ValueError(v.message("plot_attention_weights", "one name per column",
                                   f"{len(names)} names for {w.shape[1]} columns"))
    ax = get_axes(ax, figsize=(max(3, 0.6 * w.shape[1] + 1.5), max(2, 0.35 * w.shape[0] + 1)))
    ax.imshow(w, cmap=cmap, vmin=0, vmax=1, aspect="auto")
    if annotate:
        for i in range(w.shape[0]):
            for j in range(w.shape[1]):
                ax.text(j, i, f"{w[i, j]:.2f}", ha="center", va="center", fontsize=7,
                        color="black" if w[i, j] > 0.5 else "white")
    ax.set_xticks(range(w.shape[1]), list(names) if names is not None else range(w.shape[1]))
    if example_labels is not None:
        ax.set_yticks(range(w.shape[0]), list(example_labels))
    ax.set_ylabel("example")
    if title:
        ax.set_title(title)
    return ax
