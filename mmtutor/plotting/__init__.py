"""Plotting helpers for the book: each takes ``ax=None`` and returns the matplotlib axes.

As with scikit-learn's displays, pass an ``ax`` to draw into a figure of your own (several
panels side by side), or leave it out and a new figure is made.
"""

from mmtutor.plotting.architecture import architecture_graph, plot_architecture
from mmtutor.plotting.attention import plot_attention_weights
from mmtutor.plotting.audio import plot_spectrogram, plot_waveform
from mmtutor.plotting.confusion import plot_confusion_matrix
from mmtutor.plotting.curves import plot_histories, plot_history
from mmtutor.plotting.embeddings import plot_embeddings, project_2d
from mmtutor.plotting.images import plot_image_grid

__all__ = [
    "architecture_graph",
    "plot_architecture",
    "plot_attention_weights",
    "plot_confusion_matrix",
    "plot_embeddings",
    "plot_histories",
    "plot_history",
    "plot_image_grid",
    "plot_spectrogram",
    "plot_waveform",
    "project_2d",
]
