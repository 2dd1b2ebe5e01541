"""Training curves: a metric per epoch, on the training and the validation data."""

from __future__ import annotations

from mmtutor import _validation as v
from mmtutor.plotting._axes import get_axes


def plot_history(history, *, metrics=("loss",), ax=None, title=None):
    """Plot training curves from a Keras ``History`` (what ``fit`` returns) or its dict.

    Each metric is drawn as a solid line for the training data and, when ``fit`` had
    validation data, a dashed line of the same color for ``val_<metric>``.

    Args:
        history: a ``keras.callbacks.History`` or a dict from metric name to a list of
            per-epoch values (``history.history``).
        metrics: the metric names to plot, e.g. ``("loss",)`` or ``("accuracy",)``.
        ax: matplotlib axes to draw into; None makes a new figure.
        title: optional axes title.

    Returns:
        The matplotlib axes.

    Raises:
        ValueError: if a metric is not in the history.

    Example:
        >>> ax = plot_history({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]})
        >>> [line.get_label() for line in ax.get_lines()]
        ['loss', 'val_loss']

    Book: section "sec-multimodal-classifier".
    """
    values = getattr(history, "history", history)
    if isinstance(metrics, str):
        metrics = (metrics,)
    for metric in metrics:
        if metric not in values:
            raise ValueError(
                v.message("plot_history", f"a metric recorded in the history, one of "
                          f"{sorted(values)}", f"metrics={tuple(metrics)!r}",
                          "Pass the names given to compile(metrics=...)")
            )
    ax = get_axes(ax)
    for metric in metrics:
        epochs = range(1, len(values[metric]) + 1)
        (line,) = ax.plot(epochs, values[metric], label=metric)
        if f"val_{metric}" in values:
            ax.plot(epochs, values[f"val_{metric}"], linestyle="--", color=line.get_color(),
                    label=f"val_{metric}")
    ax.set_xlabel("epoch")
    ax.set_ylabel(", ".join(metrics))
    if title:
        ax.set_title(title)
    ax.legend()
    return ax
