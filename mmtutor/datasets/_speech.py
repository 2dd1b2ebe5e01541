"""A small source-filter speech synthesizer for the words "zero" ... "nine".

How it works (one word, one speaker):

1. Each word is a sequence of phonemes (ARPAbet-like names). A phoneme has target formant
   frequencies F1-F3 (two sets for a diphthong), a duration, a voicing amplitude and a
   frication amplitude in one of four noise bands.
2. A random speaker per example sets the pitch f0, a vocal-tract length factor that scales
   every formant (shorter tracts, higher formants), and a speaking rate that scales durations.
3. Control tracks (formants, amplitudes, pitch) are interpolated at 1 ms between anchor points
   inside each phoneme, which gives smooth coarticulated transitions.
4. The voiced source is a Rosenberg glottal pulse train at f0, differentiated (lip radiation),
   plus a little breath noise; it passes through three cascaded time-varying second-order
   resonators (Klatt's formant resonators). Fricatives and stop bursts are band-passed noise
   added after the filter.
5. The word is placed at a random onset in a fixed-length window, scaled to a fixed level, and
   white noise is added at the requested signal-to-noise ratio.

The words, phonemes, speakers and control tracks of steps 1-3 live in
:mod:`mmtutor.datasets._phonemes`; this module is the sound: source, filter and noise.

All examples are synthesized together: the only Python loop runs over time steps, each step a
few NumPy operations on all examples at once.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, lfilter

from mmtutor.datasets._phonemes import (
    _BAND_NAMES,
    _BANDS,
    PRONUNCIATIONS,
    WORDS,
    _control_tracks,
    draw_speakers,
)

# WORDS, PRONUNCIATIONS and draw_speakers are re-exported: they were first defined here.
__all__ = ["PRONUNCIATIONS", "SAMPLE_RATE", "WORDS", "draw_speakers", "synthesize_speech",
           "synthesize_words"]

SAMPLE_RATE = 8000


def _band_filters(sample_rate: int) -> dict:
    nyquist = sample_rate / 2
    filters = {}
    for name, (low, high) in _BANDS.items():
        high = min(high, 0.97 * nyquist)
        filters[name] = butter(2, [low, high], btype="bandpass", fs=sample_rate)
    return filters


def _pulse_table(size: int = 2048) -> np.ndarray:  # size: a power of two
    """One period of the differentiated Rosenberg glottal pulse, sampled at ``size`` phases."""
    frac = np.arange(size) / size
    open_, close = 0.40, 0.16  # opening and closing fractions of the period
    flow = np.where(frac < open_, 0.5 * (1 - np.cos(np.pi * frac / open_)),
                    np.where(frac < open_ + close,
                             np.cos(0.5 * np.pi * (frac - open_) / close), 0.0))
    slope = np.diff(flow, append=flow[:1]) * size  # d(flow)/d(phase); lip radiation
    return (slope / np.abs(slope).max()).astype(np.float32)


_PULSE = _pulse_table()


def _glottal_source(f0, step, sample_rate, rng):
    """Differentiated Rosenberg glottal pulses at the pitch ``f0`` (n, controls), in Hz.

    Returned time-major, ``(controls * step, n)``, the layout the resonator loop reads. The
    phase advances linearly inside each control step, so the cumulative sum runs at the
    control rate. The slope is per unit of phase, so pulses have unit peak at every pitch.
    """
    n, controls = f0.shape
    cycles = (f0 * (step / sample_rate)).T  # (controls, n): cycles per control step
    start = (np.cumsum(cycles, axis=0) - cycles + rng.random(n)) % 1.0
    within = (np.arange(step) / step).astype(np.float32)[None, :, None]  # (1, step, 1)
    size = len(_PULSE)  # a power of two, so "modulo one period" is a bitwise and
    phase = within * (cycles * size).astype(np.float32)[:, None, :]  # (controls, step, n)
    phase += (start * size).astype(np.float32)[:, None, :]  # in table entries, >= 0
    index = phase.astype(np.int32)
    index &= size - 1
    return _PULSE.take(index).reshape(controls * step, n)


def _cascade(source, formants, bandwidths, sample_rate, step):
    """Three time-varying Klatt resonators in cascade; the loop runs over time only.

    Args:
        source: (samples, n) excitation, time-major.
        formants, bandwidths: (n, controls, 3) in Hz, one control per ``step`` samples.
    """
    samples, n = source.shape
    t_s = 1.0 / sample_rate
    c = -np.exp(-2 * np.pi * bandwidths * t_s)  # (n, controls, 3)
    b = 2 * np.exp(-np.pi * bandwidths * t_s) * np.cos(2 * np.pi * formants * t_s)
    a = 1 - b - c  # unity gain at 0 Hz
    # Time-major, formant-major copies so each step reads contiguous rows of all examples.
    a, b, c = (np.ascontiguousarray(v.transpose(1, 2, 0), dtype=np.float32)
               for v in (a, b, c))  # (controls, 3, n)
    x = source  # (samples, n)
    out = np.empty_like(x)
    prev1 = [np.zeros(n, dtype=np.float32) for _ in range(3)]
    prev2 = [np.zeros(n, dtype=np.float32) for _ in range(3)]
    for t in range(samples):
        k = t // step
        ak, bk, ck = a[k], b[k], c[k]
        s = x[t]
        for j in range(3):
            v = ak[j] * s
            v += bk[j] * prev1[j]
            v += ck[j] * prev2[j]
            prev2[j] = prev1[j]
            prev1[j] = v
            s = v
        out[t] = s
    return np.ascontiguousarray(out.T)  # (n, samples)


def synthesize_words(labels, *, seed=0, snr_db=40.0, duration=1.0, sample_rate=SAMPLE_RATE,
                     speaker_variability=1.0, rng=None):
    """Synthesize the spoken words for ``labels`` (ints 0-9); see the module docstring.

    Returns:
        ``(waveforms, speakers)``: float32 ``(n, samples)`` in [-1, 1] and a dict of the
        speakers' ``f0``, ``tract`` and ``rate`` arrays plus ``onset`` and ``duration`` (s).
    """
    labels = np.asarray(labels, dtype=np.int64)
    rng = np.random.default_rng(seed) if rng is None else rng
    n = len(labels)
    samples = int(round(duration * sample_rate))
    step = max(1, round(sample_rate / 1000))  # samples per control point, about 1 ms
    speakers = draw_speakers(n, rng, variability=speaker_variability)
    # Synthesize each word at the start of a short buffer, then place it in the window.
    formants, bandwidths, voicing, frication, lengths = _control_tracks(
        labels, speakers, rng, speaker_variability, samples // step)
    n_buf = formants.shape[1]
    buffer = n_buf * step  # samples

    def by_control(v):  # (rows, buffer) -> (rows, n_buf, step), a view
        return v.reshape(v.shape[0], n_buf, step)

    # Pitch: a falling declination over the word, with a slow random wobble.
    rel = np.arange(n_buf) / lengths[:, None]  # (n, n_buf), 0..1 over the word
    wobble = 0.02 * np.sin(2 * np.pi * (rel * rng.uniform(1, 3, (n, 1)) + rng.random((n, 1))))
    f0 = speakers["f0"][:, None] * (1.08 - 0.2 * np.clip(rel, 0, 1) + wobble)
    source = _glottal_source(f0, step, sample_rate, rng)  # (buffer, n), time-major
    breath = rng.random((buffer, n), dtype=np.float32)
    breath -= np.float32(0.5)
    breath *= np.float32(0.15)
    source += breath
    source.reshape(n_buf, step, n)[...] *= voicing.T.astype(np.float32)[:, None, :]
    voiced = _cascade(source, formants, bandwidths, sample_rate, step)  # (n, buffer)
    # Scale so that full-voiced stretches have unit RMS, whatever the resonance gains.
    energy = np.einsum("ijk,ijk->ij", by_control(voiced), by_control(voiced))  # (n, n_buf)
    vowel = voicing > 0.9
    power = (energy * vowel).sum(axis=1) / np.maximum(vowel.sum(axis=1) * step, 1)
    voiced /= np.sqrt(np.maximum(power, 1e-12)).astype(np.float32)[:, None]
    filters = _band_filters(sample_rate)
    for b, name in enumerate(_BAND_NAMES):
        rows = np.flatnonzero(frication[:, b].any(axis=1))
        if rows.size == 0:
            continue
        # Windows at random offsets into one long stretch of band-passed noise: as random
        # as filtering noise per example, at a fraction of the cost.
        num, den = filters[name]
        long = lfilter(num, den, rng.standard_normal(16 * buffer))[buffer:]
        long = (long / long.std()).astype(np.float32)
        offsets = rng.integers(0, len(long) - buffer, rows.size)
        band = long[offsets[:, None] + np.arange(buffer)]  # (rows, buffer)
        by_control(band)[...] *= frication[rows, b].astype(np.float32)[:, :, None]
        voiced[rows] += band
    # Fixed speech level: RMS 0.1 over the word.
    word_len = np.minimum((lengths * step).astype(np.intp), buffer)
    energy = np.einsum("ijk,ijk->ij", by_control(voiced), by_control(voiced))  # (n, n_buf)
    speech_power = (energy * (np.arange(n_buf) < lengths[:, None])).sum(axis=1) / word_len
    voiced *= (0.1 / np.sqrt(speech_power)).astype(np.float32)[:, None]
    # Place each word at a random onset inside the window.
    margin = int(0.02 * sample_rate)
    room = np.maximum(samples - word_len - 2 * margin, 0)
    onsets = margin + (rng.random(n) * room).astype(np.intp)
    onsets = np.minimum(onsets, samples - buffer).clip(0)
    if snr_db is None:
        waveforms = np.zeros((n, samples), dtype=np.float32)
    else:
        waveforms = rng.standard_normal((n, samples), dtype=np.float32)
        waveforms *= np.float32(0.1 * 10 ** (-snr_db / 20.0))
    for i, start in enumerate(onsets):
        waveforms[i, start:start + buffer] += voiced[i]
    np.clip(waveforms, -1.0, 1.0, out=waveforms)
    speakers = dict(speakers, onset=onsets / sample_rate, duration=word_len / sample_rate)
    return waveforms, speakers


def synthesize_speech(labels, *, seed=0, snr_db=None, speaker_variability=1.0, duration=1.0,
                      sample_rate=SAMPLE_RATE, return_speakers=False):
    """Speak the digits ``labels`` ("zero" ... "nine") with random synthetic speakers.

    A source-filter synthesizer: a glottal pulse train at the speaker's pitch passes through
    three formant resonators whose frequencies follow the word's phonemes, scaled by the
    speaker's vocal-tract length; band-passed noise makes the fricatives ("s", "f", "th") and
    stop bursts ("t", "k"). Each word lands at a random onset in a window of ``duration``
    seconds. This is the audio of :func:`load_multidigits`.

    Formula:
        Each formant resonator is ``y[t] = A x[t] + B y[t-1] + C y[t-2]`` with
        ``C = -exp(-2 pi b / fs)``, ``B = 2 exp(-pi b / fs) cos(2 pi f / fs)``,
        ``A = 1 - B - C`` for formant frequency ``f`` and bandwidth ``b`` (Klatt 1980).

    Args:
        labels: integer digits 0-9, shape ``(n,)``.
        seed: seed of the speakers, timing and noise.
        snr_db: signal-to-noise ratio of added white noise in dB (``None``: no noise).
        speaker_variability: 0 (one average speaker) to 1 (pitch 85-260 Hz, vocal tract
            length factor 0.82-1.30, speaking rate 0.82-1.22).
        duration: seconds per waveform.
        sample_rate: samples per second.
        return_speakers: also return the speakers' parameters.

    Returns:
        float32 ``(n, samples)`` in [-1, 1]; with ``return_speakers``, also a dict of
        ``(n,)`` arrays ``f0`` (Hz), ``tract``, ``rate``, ``onset`` and ``duration`` (s).

    Raises:
        ValueError: for labels outside 0-9, a duration too short for the words, or
            ``speaker_variability`` outside [0, 1].
        TypeError: for a non-integer ``seed`` or ``sample_rate``, or a ``snr_db``,
            ``speaker_variability`` or ``duration`` that is not a real number.

    Example:

    >>> waves = synthesize_speech([7, 3], seed=0)
    >>> waves.shape, str(waves.dtype)
    ((2, 8000), 'float32')

    Book: section "sec-data".
    """
    from mmtutor._validation import check_labels, check_positive_int, check_real, check_type

    name = "synthesize_speech"
    labels = check_labels(name, "labels", labels, num_classes=10)
    check_type(name, "seed", seed, (int, np.integer), "an integer")
    check_positive_int(name, "sample_rate", sample_rate)
    speaker_variability = check_real(name, "speaker_variability", speaker_variability,
                                     minimum=0, maximum=1)
    duration = check_real(name, "duration", duration, minimum=0.8,
                          fix="The slowest words last 0.8 s")
    if snr_db is not None:
        snr_db = check_real(name, "snr_db", snr_db)
    waveforms, speakers = synthesize_words(
        labels, seed=seed, snr_db=snr_db, duration=duration, sample_rate=sample_rate,
        speaker_variability=speaker_variability)
    return (waveforms, speakers) if return_speakers else waveforms
