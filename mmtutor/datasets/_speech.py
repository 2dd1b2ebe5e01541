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

All examples are synthesized together: the only Python loop runs over time steps, each step a
few NumPy operations on all examples at once.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, lfilter

SAMPLE_RATE = 8000
WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

# Noise bands for frication, as (low Hz, high Hz) of a band-pass filter.
_BANDS = {"high": (2800.0, 3900.0), "flat": (600.0, 3900.0), "mid": (1500.0, 2600.0),
          "burst": (2200.0, 3900.0)}
_BAND_NAMES = tuple(_BANDS)

# name: (F1, F2, F3 at the start), (F1, F2, F3 at the end) or None, duration ms, voicing,
#       frication band or None, frication amplitude (relative to the vowel's RMS).
# Formants are adult-male averages (Peterson and Barney 1952; Hillenbrand et al. 1995).
_PHONEMES = {
    "IY": ((280, 2250, 2900), None, 170, 1.0, None, 0.0),
    "IH": ((400, 1920, 2550), None, 90, 1.0, None, 0.0),
    "EH": ((550, 1770, 2490), None, 110, 1.0, None, 0.0),
    "AH": ((640, 1190, 2390), None, 120, 1.0, None, 0.0),
    "AX": ((500, 1400, 2450), None, 60, 0.7, None, 0.0),
    "AO": ((580, 880, 2500), None, 170, 1.0, None, 0.0),
    "UW": ((320, 900, 2250), None, 190, 1.0, None, 0.0),
    "OW": ((500, 950, 2450), (340, 800, 2300), 200, 1.0, None, 0.0),
    "AY": ((720, 1150, 2450), (380, 2050, 2650), 220, 1.0, None, 0.0),
    "EY": ((500, 1900, 2550), (320, 2200, 2800), 190, 1.0, None, 0.0),
    "R": ((330, 1100, 1450), None, 70, 0.75, None, 0.0),
    "W": ((310, 650, 2200), None, 70, 0.7, None, 0.0),
    "N": ((260, 1500, 2550), None, 75, 0.35, None, 0.0),
    "V": ((320, 1200, 2350), None, 70, 0.3, "flat", 0.10),
    "Z": ((320, 1600, 2550), None, 90, 0.3, "high", 0.25),
    "F": ((400, 1150, 2400), None, 110, 0.0, "flat", 0.14),
    "TH": ((400, 1450, 2500), None, 100, 0.0, "flat", 0.08),
    "S": ((400, 1700, 2600), None, 130, 0.0, "high", 0.40),
    "TCL": ((400, 1800, 2700), None, 45, 0.0, None, 0.0),
    "TB": ((400, 1800, 2700), None, 35, 0.0, "burst", 0.35),
    "KCL": ((400, 1900, 2500), None, 55, 0.0, None, 0.0),
    "KB": ((400, 1900, 2500), None, 35, 0.0, "mid", 0.40),
}

PRONUNCIATIONS = {
    "zero": ("Z", "IH", "R", "OW"),
    "one": ("W", "AH", "N"),
    "two": ("TCL", "TB", "UW"),
    "three": ("TH", "R", "IY"),
    "four": ("F", "AO", "R"),
    "five": ("F", "AY", "V"),
    "six": ("S", "IH", "KCL", "KB", "S"),
    "seven": ("S", "EH", "V", "AX", "N"),
    "eight": ("EY", "TCL", "TB"),
    "nine": ("N", "AY", "N"),
}

_BANDWIDTHS = np.array([80.0, 110.0, 160.0])  # Hz, of F1-F3
_NASAL_BANDWIDTHS = np.array([120.0, 300.0, 350.0])


def _band_filters(sample_rate: int) -> dict:
    nyquist = sample_rate / 2
    filters = {}
    for name, (low, high) in _BANDS.items():
        high = min(high, 0.97 * nyquist)
        filters[name] = butter(2, [low, high], btype="bandpass", fs=sample_rate)
    return filters


def draw_speakers(n: int, rng: np.random.Generator, *, variability: float = 1.0) -> dict:
    """Draw ``n`` random speakers: pitch (Hz), vocal-tract length factor and speaking rate.

    ``variability`` in [0, 1] shrinks every range towards an average adult speaker.
    """
    u = rng.random((n, 4))
    log_f0 = np.log(120.0) + variability * (u[:, 0] - 0.5) * np.log(260.0 / 85.0)
    f0 = np.exp(log_f0)  # 85-260 Hz at full variability
    # Higher voices tend to have shorter vocal tracts: tie the formant factor partly to pitch.
    tract = 1.0 + variability * (0.28 * (log_f0 - np.log(120.0)) / np.log(260 / 85)
                                 + 0.16 * (u[:, 1] - 0.5))
    tract = np.clip(tract, 0.82, 1.30)
    rate = np.exp(variability * (u[:, 2] - 0.5) * np.log(1.5))  # 0.82-1.22
    return {"f0": f0, "tract": tract, "rate": rate}


def _control_tracks(words, speakers, rng, n_controls, variability):
    """Formant, voicing and frication tracks on the 1 ms control grid."""
    n = len(words)
    grid = np.arange(n_controls, dtype=np.float64)  # control index = ms
    formants = np.zeros((n, n_controls, 3))
    bandwidths = np.zeros((n, n_controls, 3))
    voicing = np.zeros((n, n_controls))
    frication = np.zeros((n, len(_BAND_NAMES), n_controls))
    totals = np.zeros(n)
    for i, word in enumerate(words):
        phones = PRONUNCIATIONS[word]
        jitter = np.exp(variability * rng.normal(0.0, 0.12, len(phones)))
        lengths = np.array([_PHONEMES[p][2] for p in phones]) * jitter / speakers["rate"][i]
        onset = 10.0  # ms of silence before the word inside its buffer
        edges = onset + np.concatenate([[0.0], np.cumsum(lengths)])
        totals[i] = edges[-1] + 10.0
        f_times, f_values, b_values = [], [], []
        a_times, a_voice, a_fric = [onset - 8.0], [0.0], [np.zeros(len(_BAND_NAMES))]
        formant_jitter = np.exp(variability * rng.normal(0.0, 0.04, (len(phones), 3)))
        for k, p in enumerate(phones):
            start_f, end_f, _, av, band, af = _PHONEMES[p]
            end_f = start_f if end_f is None else end_f
            s, e = edges[k], edges[k + 1]
            scale = speakers["tract"][i] * formant_jitter[k]
            f_times += [s + 0.3 * (e - s), e - 0.3 * (e - s)]
            f_values += [np.array(start_f) * scale, np.array(end_f) * scale]
            bw = _NASAL_BANDWIDTHS if p == "N" else _BANDWIDTHS
            b_values += [bw, bw]
            ramp = min(12.0, 0.3 * (e - s)) if not p.endswith("B") else 2.0
            fric = np.zeros(len(_BAND_NAMES))
            if band is not None:
                fric[_BAND_NAMES.index(band)] = af
            a_times += [s + ramp, e - ramp]
            a_voice += [av, av]
            a_fric += [fric, fric]
        a_times.append(edges[-1] + 8.0)
        a_voice.append(0.0)
        a_fric.append(np.zeros(len(_BAND_NAMES)))
        f_values = np.array(f_values)
        b_values = np.array(b_values)
        for j in range(3):
            formants[i, :, j] = np.interp(grid, f_times, f_values[:, j])
            bandwidths[i, :, j] = np.interp(grid, f_times, b_values[:, j])
        voicing[i] = np.interp(grid, a_times, a_voice)
        a_fric = np.array(a_fric)
        for b in range(len(_BAND_NAMES)):
            if a_fric[:, b].any():
                frication[i, b] = np.interp(grid, a_times, a_fric[:, b])
    return formants, bandwidths, voicing, frication, totals


def _pulse_table(size: int = 2048) -> np.ndarray:
    """One period of the differentiated Rosenberg glottal pulse, sampled at ``size`` phases."""
    frac = np.arange(size) / size
    open_, close = 0.40, 0.16  # opening and closing fractions of the period
    flow = np.where(frac < open_, 0.5 * (1 - np.cos(np.pi * frac / open_)),
                    np.where(frac < open_ + close,
                             np.cos(0.5 * np.pi * (frac - open_) / close), 0.0))
    slope = np.diff(flow, append=flow[:1]) * size  # d(flow)/d(phase); lip radiation
    return (slope / np.abs(slope).max()).astype(np.float32)


_PULSE = _pulse_table()


def _glottal_source(f0, step, samples, sample_rate, rng):
    """Differentiated Rosenberg glottal pulses at the pitch ``f0`` (n, controls), in Hz.

    The phase advances linearly inside each control step, so the cumulative sum runs at the
    control rate. The slope is per unit of phase, so pulses have unit peak at every pitch.
    """
    cycles = f0 * (step / sample_rate)  # (n, controls): cycles per control step
    start = np.cumsum(cycles, axis=1) - cycles + rng.random((f0.shape[0], 1))
    within = np.tile(np.arange(step) / step, f0.shape[1])[:samples]  # (samples,)
    phase = np.repeat(start, step, axis=1)[:, :samples]  # (n, samples)
    phase += np.repeat(cycles, step, axis=1)[:, :samples] * within
    index = ((phase % 1.0) * len(_PULSE)).astype(np.intp)  # (n, samples)
    return _PULSE[index]


def _cascade(source, formants, bandwidths, sample_rate, step):
    """Three time-varying Klatt resonators in cascade; the loop runs over time only.

    Args:
        source: (n, samples) excitation.
        formants, bandwidths: (n, controls, 3) in Hz, one control per ``step`` samples.
    """
    n, samples = source.shape
    t_s = 1.0 / sample_rate
    c = -np.exp(-2 * np.pi * bandwidths * t_s)  # (n, controls, 3)
    b = 2 * np.exp(-np.pi * bandwidths * t_s) * np.cos(2 * np.pi * formants * t_s)
    a = 1 - b - c  # unity gain at 0 Hz
    # Time-major, formant-major copies so each step reads contiguous rows of all examples.
    a, b, c = (np.ascontiguousarray(v.transpose(1, 2, 0)) for v in (a, b, c))  # (controls, 3, n)
    x = np.ascontiguousarray(source.T)  # (samples, n)
    out = np.empty_like(x)
    prev1 = [np.zeros(n) for _ in range(3)]
    prev2 = [np.zeros(n) for _ in range(3)]
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
    return out.T  # (n, samples)


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
    control_s = step / sample_rate
    speakers = draw_speakers(n, rng, variability=speaker_variability)
    words = [WORDS[k] for k in labels]
    # Synthesize each word at the start of a short buffer, then place it in the window.
    n_controls = -(-samples // step)
    formants, bandwidths, voicing, frication, lengths = _control_tracks(
        words, speakers, rng, n_controls, speaker_variability)
    buffer = min(samples, int((lengths.max() + 0.03 / control_s) * step))  # samples
    n_buf = -(-buffer // step)
    formants, bandwidths = formants[:, :n_buf], bandwidths[:, :n_buf]
    voicing, frication = voicing[:, :n_buf], frication[:, :, :n_buf]
    # Pitch: a falling declination over the word, with a slow random wobble.
    rel = np.arange(n_buf) / lengths[:, None]  # (n, n_buf), 0..1 over the word
    wobble = 0.02 * np.sin(2 * np.pi * (rel * rng.uniform(1, 3, (n, 1)) + rng.random((n, 1))))
    f0 = speakers["f0"][:, None] * (1.08 - 0.2 * np.clip(rel, 0, 1) + wobble)

    def up(v):  # control rate -> sample rate, (..., n_buf) -> (..., buffer)
        return np.repeat(v.astype(np.float32), step, axis=-1)[..., :buffer]

    voicing_s = up(voicing)
    breath = rng.random((n, buffer), dtype=np.float32) - np.float32(0.5)
    source = voicing_s * (_glottal_source(f0, step, buffer, sample_rate, rng) + 0.15 * breath)
    voiced = _cascade(source, formants, bandwidths, sample_rate, step).astype(np.float32)
    # Scale so that full-voiced stretches have unit RMS, whatever the resonance gains.
    vowel_mask = voicing_s > 0.9
    power = np.einsum("ij,ij->i", voiced, voiced * vowel_mask) / np.maximum(
        vowel_mask.sum(axis=1), 1)
    voiced /= np.sqrt(np.maximum(power, 1e-12))[:, None]
    filters = _band_filters(sample_rate)
    for b, name in enumerate(_BAND_NAMES):
        rows = np.flatnonzero(frication[:, b].any(axis=1))
        if rows.size == 0:
            continue
        num, den = filters[name]
        noise = rng.standard_normal((rows.size, buffer), dtype=np.float32)
        band = lfilter(num, den, noise, axis=1).astype(np.float32)
        band /= band.std()
        voiced[rows] += up(frication[rows, b]) * band
    # Fixed speech level: RMS 0.1 over the word.
    word_len = np.minimum((lengths * step).astype(np.intp), buffer)
    active = np.arange(buffer) < word_len[:, None]
    speech_power = np.einsum("ij,ij->i", voiced, voiced * active) / word_len
    voiced *= 0.1 / np.sqrt(speech_power)[:, None]
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
