"""The speech synthesizer: pitch where it should be, words that differ, determinism."""

import numpy as np
import pytest

from mmtutor.datasets import log_mel_spectrogram, synthesize_speech
from mmtutor.datasets._phonemes import PRONUNCIATIONS, WORDS, _interp_rows


def _autocorrelation_pitch(x, sample_rate=8000, low=60, high=400):
    x = x - x.mean()
    corr = np.correlate(x, x, mode="full")[len(x) - 1:]
    lags = np.arange(sample_rate // high, sample_rate // low)
    return sample_rate / lags[np.argmax(corr[lags])]


@pytest.mark.parametrize("digit", [2, 3])  # "two" ends in UW, "three" in IY: long vowels
def test_synthetic_vowel_has_the_speakers_pitch(digit):
    waves, speakers = synthesize_speech([digit] * 4, seed=digit, return_speakers=True)
    for wave, f0, onset, duration in zip(waves, speakers["f0"], speakers["onset"],
                                         speakers["duration"], strict=True):
        # The last third of the word is the vowel; pitch falls 8% -> -12% of f0 over the word.
        end = int((onset + duration) * 8000) - 200
        segment = wave[end - 600:end]
        estimate = _autocorrelation_pitch(segment)
        assert 0.8 * f0 < estimate < 1.1 * f0, (estimate, f0)


def test_synthetic_words_are_told_apart_by_nearest_centroid():
    labels = np.repeat(np.arange(10), 16)
    waves = synthesize_speech(labels, seed=0, snr_db=30, speaker_variability=0.5)
    feats = log_mel_spectrogram(waves)  # (160, frames, 32)
    # Summary per word: mean spectrum plus the spectra of its first and last thirds.
    energy = feats.mean(axis=2)
    summary = []
    for f, e in zip(feats, energy, strict=True):
        voiced = np.flatnonzero(e > e.min() + 0.5 * (e.max() - e.min()))
        a, b = voiced[0], voiced[-1] + 1
        third = max((b - a) // 3, 1)
        summary.append(np.concatenate([f[a:a + third].mean(0), f[b - third:b].mean(0)]))
    summary = np.array(summary)
    train = np.arange(160) % 2 == 0
    centroids = np.array([summary[train & (labels == k)].mean(0) for k in range(10)])
    dist = ((summary[~train, None, :] - centroids[None]) ** 2).sum(-1)
    accuracy = (dist.argmin(1) == labels[~train]).mean()
    assert accuracy > 0.6, accuracy  # chance is 0.1


def test_synthesize_speech_is_deterministic_in_its_seed():
    a = synthesize_speech([0, 5, 9], seed=3, snr_db=10)
    b = synthesize_speech([0, 5, 9], seed=3, snr_db=10)
    c = synthesize_speech([0, 5, 9], seed=4, snr_db=10)
    assert a.tobytes() == b.tobytes()
    assert not np.array_equal(a, c)


def test_synthesize_speech_level_and_snr():
    clean, speakers = synthesize_speech([7] * 6, seed=0, return_speakers=True)
    noisy = synthesize_speech([7] * 6, seed=0, snr_db=0)
    assert clean.dtype == np.float32 and clean.shape == (6, 8000)
    assert np.abs(clean).max() <= 1
    first = int(speakers["onset"][0] * 8000)
    assert np.all(clean[0, :first] == 0)  # silence before the word without noise
    # At 0 dB the noise RMS equals the speech RMS (0.1).
    assert 0.09 < np.std(noisy[0, :first]) < 0.11


def test_synthesize_speech_rejects_bad_labels_and_options():
    with pytest.raises(ValueError, match=r"labels to be class labels in \[0, 9\]"):
        synthesize_speech([10])
    with pytest.raises(ValueError, match=r"speaker_variability to be a real number in \[0, 1\]"):
        synthesize_speech([1], speaker_variability=2.0)
    with pytest.raises(ValueError, match=r"duration to be a real number >= 0\.8\. Received: "
                       r"duration=0\.2\. The slowest words last 0\.8 s"):
        synthesize_speech([1], duration=0.2)
    with pytest.raises(TypeError, match="seed to be an integer"):
        synthesize_speech([1], seed=1.5)


def test_synthesize_speech_takes_real_numbers_and_refuses_others():
    waves = synthesize_speech([1], speaker_variability=np.float32(0.5), snr_db=np.int64(20),
                              duration=np.float64(0.8))
    assert waves.shape == (1, 6400)
    with pytest.raises(TypeError, match=r"synthesize_speech expects speaker_variability to be "
                       r"a real number in \[0, 1\]\. Received: speaker_variability=True of "
                       r"type bool"):
        synthesize_speech([1], speaker_variability=True)
    with pytest.raises(TypeError, match=r"synthesize_speech expects snr_db to be a real number"
                       r"\. Received: snr_db='loud' of type str"):
        synthesize_speech([1], snr_db="loud")
    with pytest.raises(TypeError, match=r"duration to be a real number >= 0\.8"):
        synthesize_speech([1], duration="1")


def test_every_word_has_a_pronunciation():
    assert set(PRONUNCIATIONS) == set(WORDS) and len(WORDS) == 10


def test_interp_rows_matches_np_interp():
    rng = np.random.default_rng(0)
    grid = np.arange(40.0)
    times = np.sort(rng.uniform(-5, 50, (5, 6)), axis=1)
    values = rng.normal(size=(5, 6, 2))
    got = _interp_rows(grid, times, values)
    want = np.stack([np.stack([np.interp(grid, times[i], values[i, :, c]) for c in range(2)], -1)
                     for i in range(5)])
    np.testing.assert_allclose(got, want, atol=1e-12)
