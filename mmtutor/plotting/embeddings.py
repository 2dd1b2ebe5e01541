"""Embeddings in two dimensions: PCA or t-SNE, colored by class."""

from __future__ import annotations

import numpy as np

from mmtutor import _validation as v
from mmtutor.plotting._axes import get_axes


def project_2d(embeddings, *, method="pca", seed=0):
    """Project embeddings to two dimensions for a scatter plot.

    PCA keeps the directions of largest variance (a linear map, distances are faithful on
    a large scale); t-SNE keeps neighborhoods (clusters show, distances between clusters do
    not mean much).

    Args:
        embeddings: shape ``(num_examples, dim)``.
        method: ``"pca"``, ``"tsne"``, or ``"none"`` for data that is already 2-D.
        seed: random seed of t-SNE.

    Returns:
        A NumPy array of shape ``(num_examples, 2)``.

    Raises:
        ValueError: for an unknown ``method`` or embeddings that are not rank 2.

    Example:
        >>> points = project_2d(np.eye(3))
        >>> points.shape
        (3, 2)

    Book: section "sec-evaluation".
    """
    v.check_option("project_2d", "method", method, ("pca", "tsne", "none"))
    x = np.asarray(embeddings, dtype=np.float64)
    v.check_rank("project_2d", "embeddings", x, 2, "(num_examples, dim)")
    if method == "none":
        if x.shape[1] != 2:
            raise ValueError(v.message("project_2d", "2-D embeddings for method='none'",
                                       f"embeddings with shape {v._fmt(x.shape)}",
                                       "Use method='pca' or 'tsne'"))
        return x
    elif method == "pca":
        from sklearn.decomposition import PCA

        return PCA(n_components=2).fit_transform(x)
    else:
        from sklearn.manifold import TSNE

        perplexity = min(30.0, max(1.0, (len(x) - 1) / 3))
        return TSNE(n_components=2, perplexity=perplexity, init="pca",
                    random_state=seed).fit_transform(x)


def plot_embeddings(embeddings, labels=None, *, method="pca", class_names=None, ax=None,
                    seed=0, title=None, s=12):
    """Scatter embeddings in 2-D (PCA or t-SNE), one color per class.

    Args:
        embeddings: shape ``(num_examples, dim)``.
        labels: integer labels, shape ``(num_examples,)``, or None for one color.
        method: ``"pca"``, ``"tsne"`` or ``"none"`` (see :func:`project_2d`).
        class_names: legend names of the classes; None uses the label numbers.
        ax: matplotlib axes to draw into; None makes a new figure.
        seed: random seed of t-SNE.
        title: optional axes title.
        s: marker size.

    Returns:
        The matplotlib axes.

    Raises:
        ValueError: for an unknown ``method``, or labels of another length.

    Example:
        >>> ax = plot_embeddings(np.eye(4), [0, 0, 1, 1])
        >>> len(ax.collections)  # one scatter per class
        2

    Book: section "sec-evaluation".
    """
    points = project_2d(embeddings, method=method, seed=seed)  # (num_examples, 2)
    ax = get_axes(ax, figsize=(5, 5))
    if labels is None:
        ax.scatter(points[:, 0], points[:, 1], s=s)
    else:
        labels = v.check_labels("plot_embeddings", "labels", labels)
        if len(labels) != len(points):
            raise ValueError(v.message("plot_embeddings", "one label per embedding",
                                       f"{len(labels)} labels for {len(points)} embeddings"))
        cmap = __import__("matplotlib").colormaps["tab10"]
        for c in np.unique(labels):
            name = class_names[c] if class_names is not None else str(c)
            chosen = labels == c
            ax.scatter(points[chosen, 0], points[chosen, 1], s=s, color=cmap(int(c) % 10),
                       label=name)
        ax.legend(fontsize=7, markerscale=1.5, loc="best")
    axis_name = {"pca": "PC", "tsne": "t-SNE ", "none": "dim "}[method]
    ax.set_xlabel(f"{axis_name}1")
    ax.set_ylabel(f"{axis_name}2")
    if title:
        ax.set_title(title)
    return ax
