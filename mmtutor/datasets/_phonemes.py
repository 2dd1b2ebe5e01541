"""What the speech synthesizer says: words, phonemes, speakers and the control tracks.

Each word is a sequence of phonemes (ARPAbet-like names). A phoneme has target formant
frequencies F1-F3 (two sets for a diphthong), a duration, a voicing amplitude and a frication
amplitude in one of four noise bands. A random speaker per example sets the pitch f0, a
vocal-tract length factor that scales every formant (shorter tracts, higher formants), and a
speaking rate that scales durations. The control tracks (formants, bandwidths, amplitudes) are
interpolated at 1 ms between anchor points inside each phoneme, which gives smooth
coarticulated transitions; :mod:`mmtutor.datasets._speech` turns them into sound.
"""

from __future__ import annotations

import numpy as np

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


def _interp_rows(grid, times, values):
    """``np.interp`` for many rows in one call: ``times`` (m, a) increasing per row, ``values``
    (m, a) or (m, a, c); returns (m, len(grid)) or (m, len(grid), c), constant outside.

    Row ``i`` is shifted by ``i * span`` on one long axis, with its edge values repeated just
    outside the grid, so one interpolation serves every row.
    """
    m = times.shape[0]
    span = grid[-1] - grid[0] + 4.0 + np.ptp(times) + 2 * np.abs(times).max()
    offset = np.arange(m)[:, None] * span  # (m, 1)
    lo = np.minimum(times[:, :1], grid[0]) - 1.0
    hi = np.maximum(times[:, -1:], grid[-1]) + 1.0
    t = (np.concatenate([lo, times, hi], axis=1) + offset).ravel()  # (m * (a + 2),)
    g = (grid[None, :] + offset).ravel()  # (m * len(grid),)
    squeeze = values.ndim == 2
    values = values[..., None] if squeeze else values
    out = np.empty((m, len(grid), values.shape[2]))
    for c in range(values.shape[2]):
        v = np.concatenate([values[:, :1, c], values[:, :, c], values[:, -1:, c]], axis=1)
        out[:, :, c] = np.interp(g, t, v.ravel()).reshape(m, len(grid))
    return out[..., 0] if squeeze else out


def _control_tracks(labels, speakers, rng, variability, max_controls):
    """Formant, bandwidth, voicing and frication tracks on a 1 ms control grid.

    Each word starts 10 ms into its track. Returns the tracks, cut to the longest word, and
    each word's length in controls.
    """
    n = len(labels)
    max_phones = max(len(p) for p in PRONUNCIATIONS.values())
    duration_jitter = np.exp(variability * rng.normal(0.0, 0.12, (n, max_phones)))
    formant_jitter = np.exp(variability * rng.normal(0.0, 0.04, (n, max_phones, 3)))
    edges_of, totals = {}, np.zeros(n)
    for digit, word in enumerate(WORDS):
        rows = np.flatnonzero(labels == digit)
        phones = PRONUNCIATIONS[word]
        base = np.array([_PHONEMES[p][2] for p in phones], dtype=np.float64)
        lengths = base * duration_jitter[rows, :len(phones)] / speakers["rate"][rows, None]
        edges = 10.0 + np.concatenate([np.zeros((len(rows), 1)), np.cumsum(lengths, 1)], 1)
        edges_of[digit] = edges  # (m, phones + 1) in ms
        totals[rows] = edges[:, -1] + 10.0
    n_controls = int(min(np.ceil(totals.max()) + 1, max_controls))  # buffer fits the window
    grid = np.arange(n_controls, dtype=np.float64)
    formants = np.zeros((n, n_controls, 3))
    bandwidths = np.zeros((n, n_controls, 3))
    voicing = np.zeros((n, n_controls))
    frication = np.zeros((n, len(_BAND_NAMES), n_controls))
    for digit, word in enumerate(WORDS):
        rows = np.flatnonzero(labels == digit)
        if rows.size == 0:
            continue
        phones = PRONUNCIATIONS[word]
        table = [_PHONEMES[p] for p in phones]
        edges = edges_of[digit]
        starts, ends = edges[:, :-1], edges[:, 1:]  # (m, phones)
        # Formants: targets held over the middle 40% of each phoneme, glides in between.
        f_times = np.stack([starts + 0.3 * (ends - starts), ends - 0.3 * (ends - starts)], 2)
        f_start = np.array([t[0] for t in table], dtype=np.float64)  # (phones, 3)
        f_end = np.array([t[1] if t[1] is not None else t[0] for t in table], np.float64)
        scale = speakers["tract"][rows, None, None] * formant_jitter[rows, :len(phones)]
        f_values = np.stack([f_start * scale, f_end * scale], 2)  # (m, phones, 2, 3)
        m = len(rows)
        formants[rows] = _interp_rows(grid, f_times.reshape(m, -1),
                                      f_values.reshape(m, -1, 3))
        bw = np.array([_NASAL_BANDWIDTHS if p == "N" else _BANDWIDTHS for p in phones])
        bw = np.broadcast_to(np.repeat(bw, 2, axis=0), (m, 2 * len(phones), 3))
        bandwidths[rows] = _interp_rows(grid, f_times.reshape(m, -1), bw)
        # Amplitudes: ramps of up to 12 ms (2 ms for a stop burst), silent outside the word.
        ramp = np.minimum(12.0, 0.3 * (ends - starts))
        ramp[:, [k for k, p in enumerate(phones) if p.endswith("B")]] = 2.0
        a_times = np.concatenate([starts[:, :1] - 8.0,
                                  np.stack([starts + ramp, ends - ramp], 2).reshape(m, -1),
                                  ends[:, -1:] + 8.0], 1)  # (m, 2 phones + 2)
        av = np.concatenate([[0.0], np.repeat([t[3] for t in table], 2), [0.0]])
        voicing[rows] = _interp_rows(grid, a_times, np.broadcast_to(av, a_times.shape))
        for b, band in enumerate(_BAND_NAMES):
            af = np.array([t[5] if t[4] == band else 0.0 for t in table])
            if af.any():
                af = np.concatenate([[0.0], np.repeat(af, 2), [0.0]])
                frication[rows, b] = _interp_rows(grid, a_times,
                                                  np.broadcast_to(af, a_times.shape))
    return formants, bandwidths, voicing, frication, totals
