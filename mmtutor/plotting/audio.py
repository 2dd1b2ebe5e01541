"""Audio: log-mel spectrograms and waveforms."""

from __future__ import annotations

import numpy as np

from mmtutor import _validation as v
from mmtutor.plotting._axes import get_axes


def plot_spectrogram(log_mel, *, ax=None, cmap="magma", title=None, colorbar=False):
    """Draw one log-mel spectrogram: time (frames) across, mel bins up.

    Args:
        log_mel: one clip's frames, shape ``(frames, mel_bins)`` (as in
            ``inputs["audio"][i]``).
        ax: matplotlib axes to draw into; None makes a new figure.
        cmap: matplotlib color map.
        title: optional axes title.
        colorbar: add a color bar (log energy).

    Returns:
        The matplotlib axes.

    Raises:
        ValueError: if ``log_mel`` is not rank 2.

    Example:
        >>> ax = plot_spectrogram(np.zeros((20, 32)))
        >>> ax.images[0].get_array().shape  # mel bins, frames
        (32, 20)

    Book: section "sec-data".
    """
    x = np.asarray(log_mel, dtype=np.float64)
    v.check_rank("plot_spectrogram", "log_mel", x, 2, "(frames, mel_bins)",
                 "Pick one clip, e.g. inputs['audio'][0]")
    ax = get_axes(ax, figsize=(5, 3))
    image = ax.imshow(x.T, origin="lower", aspect="auto", cmap=cmap)  # (mel_bins, frames)
    ax.set_xlabel("frame")
    ax.set_ylabel("mel bin")
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label="log energy")
    if title:
        ax.set_title(title)
    return ax


def plot_waveform(waveform, *, sample_rate=8000, ax=None, title=None):
    """Draw one waveform against time in seconds.

    Args:
        waveform: samples, shape ``(samples,)``.
        sample_rate: samples per second.
        ax: matplotlib axes to draw into; None makes a new figure.
        title: optional axes title.

    Returns:
        The matplotlib axes.

    Raises:
        ValueError: if ``waveform`` is not rank 1.

    Example:
        >>> ax = plot_waveform(np.zeros(800), sample_rate=8000)
        >>> float(ax.get_lines()[0].get_xdata()[-1])  # the last sample's time
        0.099875

    Book: section "sec-data".
    """
    x = np.asarray(waveform, dtype=np.float64)
    v.check_rank("plot_waveform", "waveform", x, 1, "(samples,)",
                 "Pick one clip, e.g. split.waveforms[0]")
    v.check_positive_int("plot_waveform", "sample_rate", sample_rate)
    ax = get_axes(ax, figsize=(5, 2))
    ax.plot(np.arange(len(x)) / sample_rate, x, linewidth=0.6)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("amplitude")
    if title:
        ax.set_title(title)
    return ax
