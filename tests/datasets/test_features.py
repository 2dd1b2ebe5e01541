"""log_mel_spectrogram against a NumPy reference, and fix_length."""

import numpy as np
import pytest
import tensorflow as tf

from mmtutor.datasets import log_mel_spectrogram
from mmtutor.datasets._features import fix_length, frames_for


def test_log_mel_spectrogram_matches_numpy_stft_reference():
    rng = np.random.default_rng(0)
    x = rng.normal(0, 0.1, (2, 1000)).astype(np.float32)
    got = log_mel_spectrogram(x, sample_rate=8000)
    # Independent STFT: periodic Hann window, 256-sample frames every 128 samples.
    n = np.arange(256)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * n / 256)
    starts = np.arange(0, 1000 - 256 + 1, 128)
    frames = np.stack([x[:, s:s + 256] for s in starts], axis=1) * window  # (2, frames, 256)
    power = np.abs(np.fft.rfft(frames, axis=-1)) ** 2
    weights = tf.signal.linear_to_mel_weight_matrix(32, 129, 8000, 20.0, 4000.0).numpy()
    want = np.log(power @ weights + 1e-6)
    assert got.shape == (2, frames_for(1000), 32) == (2, 6, 32)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_log_mel_spectrogram_puts_a_tone_in_the_right_band():
    t = np.arange(8000) / 8000
    low = log_mel_spectrogram(np.sin(2 * np.pi * 300 * t)).mean(axis=0)
    high = log_mel_spectrogram(np.sin(2 * np.pi * 3000 * t)).mean(axis=0)
    assert low.argmax() < 10 < 20 < high.argmax()


def test_log_mel_spectrogram_rejects_rank_3_and_too_short_input():
    with pytest.raises(ValueError, match=r"log_mel_spectrogram expects waveforms of rank 1 or 2"):
        log_mel_spectrogram(np.zeros((2, 3, 800)))
    with pytest.raises(ValueError, match=r"at least one frame, 256 samples.*Pad"):
        log_mel_spectrogram(np.zeros(100))
    with pytest.raises(TypeError, match=r"sample_rate to be a positive integer"):
        log_mel_spectrogram(np.zeros(1000), sample_rate=8000.0)


def test_fix_length_pads_at_the_end_and_crops_around_the_centre():
    out = fix_length([np.ones(3), np.arange(10.0)], 4)
    np.testing.assert_array_equal(out, [[1, 1, 1, 0], [3, 4, 5, 6]])
    assert out.dtype == np.float32
