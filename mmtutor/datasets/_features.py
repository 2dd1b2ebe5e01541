"""Log-mel spectrogram frames: the audio features every audio model in the book reads."""

from __future__ import annotations

import numpy as np

from mmtutor._validation import check_positive_int, check_rank, message

MEL_BINS = 32
FRAME_SECONDS = 0.032  # 256 samples at 8 kHz: several pitch periods, short enough for phonemes
HOP_SECONDS = 0.016
LOG_OFFSET = 1e-6  # keeps log() finite in digital silence


def frames_for(samples: int, sample_rate: int = 8000) -> int:
    """Number of log-mel frames for waveforms of ``samples`` samples."""
    frame, hop = _frame_and_hop(sample_rate)
    return 1 + max(samples - frame, 0) // hop


def _frame_and_hop(sample_rate: int) -> tuple[int, int]:
    return int(round(FRAME_SECONDS * sample_rate)), int(round(HOP_SECONDS * sample_rate))


def log_mel_spectrogram(waveforms, *, sample_rate=8000):
    """Compute log-mel spectrogram frames of waveforms with ``tf.signal``.

    Each waveform is cut into 32 ms Hann-windowed frames every 16 ms; the power spectrum of each
    frame is pooled into 32 triangular mel bands from 20 Hz to the Nyquist frequency, and the
    natural log is taken. Mel bands are spaced the way pitch is heard: dense at low frequencies,
    sparse at high ones. The same function serves the synthetic speech of
    :func:`load_multidigits` and the real recordings of :func:`load_fsdd`, so an audio model
    trained on one runs on the other.

    Formula:
        ``S[t, m] = log(sum_f W[f, m] |STFT(x)[t, f]|^2 + 1e-6)``, with ``W`` the mel weights.

    Args:
        waveforms: float array ``(samples,)`` or ``(batch_size, samples)``, values in [-1, 1].
            All waveforms of a batch have the same length (pad or crop them first).
        sample_rate: samples per second of ``waveforms``.

    Returns:
        float32 NumPy array ``(frames, mel_bins)`` or ``(batch_size, frames, mel_bins)`` with
        ``mel_bins = 32`` and ``frames = 1 + (samples - 256) // 128`` at 8 kHz (61 for 1 s).

    Raises:
        ValueError: if ``waveforms`` is not of rank 1 or 2, or is shorter than one frame.
        TypeError: if ``sample_rate`` is not a positive integer.

    Example:

    >>> import numpy as np
    >>> t = np.arange(8000) / 8000
    >>> features = log_mel_spectrogram(np.sin(2 * np.pi * 440 * t))
    >>> features.shape, str(features.dtype)
    ((61, 32), 'float32')

    Book: section "sec-data".
    """
    import tensorflow as tf

    name = "log_mel_spectrogram"
    check_positive_int(name, "sample_rate", sample_rate)
    waveforms = np.asarray(waveforms, dtype=np.float32)
    check_rank(name, "waveforms", waveforms, (1, 2), "(samples,) or (batch_size, samples)",
               "Stack waveforms of equal length into one 2-D array")
    frame, hop = _frame_and_hop(sample_rate)
    if waveforms.shape[-1] < frame:
        raise ValueError(message(
            name, f"waveforms of at least one frame, {frame} samples at {sample_rate} Hz",
            f"waveforms with shape {waveforms.shape}", "Pad the waveforms with zeros"))
    fft_length = int(2 ** np.ceil(np.log2(frame)))
    stft = tf.signal.stft(waveforms, frame_length=frame, frame_step=hop,
                          fft_length=fft_length)  # (..., frames, fft_length // 2 + 1)
    power = tf.math.square(tf.math.abs(stft))
    weights = tf.signal.linear_to_mel_weight_matrix(
        num_mel_bins=MEL_BINS, num_spectrogram_bins=fft_length // 2 + 1,
        sample_rate=sample_rate, lower_edge_hertz=20.0, upper_edge_hertz=sample_rate / 2)
    mel = tf.tensordot(power, weights, axes=1)  # (..., frames, mel_bins)
    return tf.math.log(mel + LOG_OFFSET).numpy()


def fix_length(waveforms, samples: int) -> np.ndarray:
    """Pad with zeros at the end or crop around the centre, to ``samples`` per waveform.

    ``waveforms`` is a list of 1-D arrays (they may differ in length); returns float32
    ``(n, samples)``.
    """
    out = np.zeros((len(waveforms), samples), dtype=np.float32)
    for i, wave in enumerate(waveforms):
        wave = np.asarray(wave, dtype=np.float32)
        if len(wave) > samples:
            start = (len(wave) - samples) // 2  # keep the middle, where the word is
            wave = wave[start:start + samples]
        out[i, :len(wave)] = wave
    return out
