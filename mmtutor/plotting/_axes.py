"""The one place that turns ``ax=None`` into a new axes."""

from __future__ import annotations


def get_axes(ax, figsize=(5, 4)):
    """Return ``ax``, or the axes of a new figure of ``figsize`` inches when ``ax`` is None."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax
