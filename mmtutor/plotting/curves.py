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


def plot_histories(histories, *, metrics=("loss", "accuracy"), axes=None):
    """Training curves of several runs side by side: one column per run, one row per metric.

    Args:
        histories: a dict from a run's name (the column's title) to what
            :func:`plot_history` takes: a ``History``, its dict, or a
            :class:`~mmtutor.training.TrainingResult` (its ``history``).
        metrics: the metrics to plot, one row each; ``val_<metric>`` dashed beside each.
        axes: a ``(len(metrics), len(histories))`` array of matplotlib axes; None makes a
            new figure.

    Returns:
        The axes, as a 2-D array (rows: metrics, columns: runs).

    Example:
        >>> axes = plot_histories({"a": {"loss": [1.0, 0.5], "accuracy": [0.5, 0.7]},
        ...                        "b": {"loss": [0.9, 0.4], "accuracy": [0.6, 0.8]}})
        >>> axes.shape, axes[0, 1].get_title()
        ((2, 2), 'b')

    Book: section "sec-multimodal-classifier".
    """
    if isinstance(metrics, str):
        metrics = (metrics,)
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(len(metrics), len(histories), squeeze=False,
                               figsize=(3.2 * len(histories), 2.3 * len(metrics)))
    for column, (name, history) in enumerate(histories.items()):
        for row, metric in enumerate(metrics):
            plot_history(history, metrics=(metric,), ax=axes[row, column],
                         title=name if row == 0 else None)
    axes[0, 0].figure.tight_layout()
    return axes
