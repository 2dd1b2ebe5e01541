"""The Free Spoken Digit Dataset (FSDD): real recordings, downloaded once and verified."""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import logging
import os
import re
import shutil
import tarfile
import tempfile
import wave
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from mmtutor._validation import check_real, message
from mmtutor.datasets import _cache, _features
from mmtutor.datasets._phonemes import WORDS as CLASS_NAMES
from mmtutor.datasets._splits import MultiDigitsSplit

logger = logging.getLogger("mmtutor.datasets")

FSDD_VERSION = "v1.0.10"
FSDD_URL = ("https://github.com/Jakobovski/free-spoken-digit-dataset/archive/refs/tags/"
            f"{FSDD_VERSION}.tar.gz")
FSDD_MANIFEST = "fsdd-v1.0.10-manifest.csv"
FSDD_SAMPLE_RATE = 8000
FSDD_TEST_TAKES = 5  # FSDD's convention: takes 0-4 of every speaker and digit are the test set
_FSDD_NAME = re.compile(r"^(\d)_([a-z]+)_(\d+)\.wav$")

_MEMORY: dict = {}


@dataclass(repr=False)
class FSDDSplit(MultiDigitsSplit):
    """A split of FSDD: ``inputs["audio"]`` log-mel frames, ``waveforms``, ``labels``, and
    each recording's ``speakers`` (names), ``takes`` (0-49) and ``filenames``."""

    speakers: list = field(default_factory=list)
    takes: np.ndarray | None = None
    filenames: list = field(default_factory=list)


@dataclass
class FSDD:
    """The Free Spoken Digit Dataset split by take: ``train`` (5-49) and ``test`` (0-4).

    ``metadata`` holds ``sample_rate``, ``class_names``, ``speakers``, ``audio_shape``,
    ``folder``, ``num_recordings``, ``num_in_release`` and ``summary`` (a sentence saying how
    many recordings were found and verified).
    """

    train: FSDDSplit
    test: FSDDSplit
    metadata: dict

    def __iter__(self):
        return iter((self.train, self.test))

    def __repr__(self) -> str:
        return f"FSDD(train={len(self.train)}, test={len(self.test)}: {self.metadata['summary']})"


def fsdd_manifest() -> dict:
    """``{filename: (bytes, sha256)}`` for the 3,000 recordings of FSDD v1.0.10."""
    text = resources.files("mmtutor.datasets").joinpath("data", FSDD_MANIFEST).read_text()
    rows = csv.DictReader(io.StringIO(text))
    return {row["filename"]: (int(row["bytes"]), row["sha256"]) for row in rows}


def load_fsdd(data_dir=None, *, duration=1.0):
    """Load the Free Spoken Digit Dataset: recordings of "zero" ... "nine", verified.

    FSDD release v1.0.10 has 3,000 recordings (6 speakers x 10 digits x 50 takes), mono 8 kHz.
    Every recording is checked against the SHA-256 manifest shipped with :mod:`mmtutor`.

    Where the recordings come from:

    - ``data_dir`` given (or ``$MMTUTOR_DATA_DIR`` set) and holding WAV files named
      ``{digit}_{speaker}_{take}.wav`` (directly, or under ``recordings/`` or
      ``fsdd/recordings/``): those files are used, even if they are only some of the speakers;
      ``metadata["summary"]`` says how many were found.
    - otherwise the release archive is downloaded once from GitHub into
      ``<data folder>/fsdd/recordings/`` (``data_dir``, else ``$MMTUTOR_DATA_DIR``, else a
      per-user cache folder), and every recording is verified before it is kept.

    Waveforms are padded with zeros (or cropped around the centre) to ``duration`` seconds
    and turned into the same log-mel features as :func:`load_multidigits`' synthetic speech.

    The recordings are read once per process; every call returns its own copy, so changing
    the arrays of one result never changes another.

    Args:
        data_dir: a folder of FSDD recordings, or where to download them.
        duration: seconds per waveform after padding or cropping (a real number, at least
            one 32 ms frame).

    Returns:
        :class:`FSDD` with ``train`` (takes 5-49) and ``test`` (takes 0-4) splits, each with
        ``inputs["audio"]`` float32 ``(n, frames, 32)``, ``waveforms`` float32
        ``(n, samples)``, ``labels`` int64 ``(n,)``, ``speakers``, ``takes``, ``filenames``;
        and ``metadata``.

    Raises:
        ValueError: if a recording does not match the manifest (corrupt, truncated, or not
            from FSDD v1.0.10), or ``duration`` is shorter than one frame.
        TypeError: if ``duration`` is not a real number.
        OSError: if there are no recordings and the archive cannot be downloaded (the message
            says how to provide the files locally).

    Book: section "sec-data".
    """
    duration = check_real("load_fsdd", "duration", duration, minimum=_features.FRAME_SECONDS,
                          fix="The log-mel features need at least one 32 ms frame")
    return copy.deepcopy(cached_fsdd(data_dir, int(round(duration * FSDD_SAMPLE_RATE))))


def cached_fsdd(data_dir, samples: int) -> FSDD:
    """The FSDD of :func:`load_fsdd`, cached in the process: read it, never hand it out."""
    folder = _find_recordings(data_dir)
    if folder is None:
        folder = _download_fsdd(_cache.data_home(data_dir) / "fsdd")
    files = sorted(p for p in folder.iterdir() if p.suffix == ".wav")
    key = ("fsdd", str(folder), tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns)
                                      for p in files), samples)
    if key not in _MEMORY:
        _MEMORY[key] = _read_fsdd(folder, files, samples)
    return _MEMORY[key]


def _find_recordings(data_dir) -> Path | None:
    """The first folder holding WAV files among ``data_dir`` and its usual subfolders."""
    home = _cache.data_home(data_dir)
    for folder in (home, home / "recordings", home / "fsdd" / "recordings",
                   home / f"free-spoken-digit-dataset-{FSDD_VERSION[1:]}" / "recordings"):
        if folder.is_dir() and any(p.suffix == ".wav" for p in folder.iterdir()):
            return folder
    return None


def fsdd_fingerprint(data_dir=None) -> str:
    """A short hash of the recordings :func:`load_fsdd` would read (``"release"`` when it
    would download the whole release), for cache keys."""
    folder = _find_recordings(data_dir)
    if folder is None:
        return "release"
    names = sorted(p.name for p in folder.iterdir() if p.suffix == ".wav")
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]


def _verify(files, manifest) -> None:
    bad = []
    for path in files:
        expected = manifest.get(path.name)
        if expected is None:
            bad.append(f"{path.name} (not in the FSDD {FSDD_VERSION} manifest)")
        elif path.stat().st_size != expected[0]:
            bad.append(f"{path.name} ({path.stat().st_size} bytes, expected {expected[0]})")
        elif _cache.sha256_of(path) != expected[1]:
            bad.append(f"{path.name} (SHA-256 differs)")
    if bad:
        shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
        raise ValueError(message(
            "load_fsdd", f"recordings of FSDD {FSDD_VERSION} that match its manifest",
            f"{len(bad)} of {len(files)} files in {files[0].parent} that do not: {shown}",
            "Delete those files and fetch them again from FSDD's release "
            f"{FSDD_VERSION} ({FSDD_URL})"))


def _download_fsdd(target: Path) -> Path:
    """Download the release archive, verify every recording, move them to target/recordings.

    Everything is unpacked into a temporary folder beside ``target`` first, and renamed into
    place only when every recording has passed, so an interrupted download leaves nothing
    that looks complete.
    """
    manifest = fsdd_manifest()
    target.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=target, prefix=".download-"))
    try:
        archive = work / "archive.tar.gz"
        _cache.download_unverified(
            FSDD_URL, archive, name="load_fsdd",
            how_to_fix="Without network access, download the FSDD release "
                       f"{FSDD_VERSION} elsewhere ({FSDD_URL}) and pass its recordings/ "
                       "folder as data_dir (or set MMTUTOR_DATA_DIR to it)")
        unpacked = work / "recordings"
        unpacked.mkdir()
        try:
            with tarfile.open(archive, "r:gz") as tar:
                for member in tar:
                    name = member.name.rsplit("/", 1)[-1]
                    if member.isfile() and "/recordings/" in member.name and name in manifest:
                        with tar.extractfile(member) as src, open(unpacked / name, "wb") as dst:
                            shutil.copyfileobj(src, dst)
        except (tarfile.TarError, EOFError, OSError) as error:
            raise ValueError(message(
                "load_fsdd", f"a readable FSDD {FSDD_VERSION} archive from {FSDD_URL}",
                f"{type(error).__name__}: {error}",
                "The download is corrupt or truncated; run again to fetch it afresh")) from error
        files = sorted(unpacked.iterdir())
        if len(files) != len(manifest):
            raise ValueError(message(
                "load_fsdd", f"the {len(manifest)} recordings of FSDD {FSDD_VERSION}",
                f"an archive with {len(files)} of them",
                "The download is truncated or not the right release; run again"))
        _verify(files, manifest)
        final = target / "recordings"
        if final.exists():
            shutil.rmtree(final)
        os.replace(unpacked, final)
        return final
    finally:
        shutil.rmtree(work, ignore_errors=True)


def read_wav(path) -> np.ndarray:
    """A mono 16-bit PCM WAV file as float32 samples in [-1, 1] (stereo is averaged)."""
    with wave.open(str(path), "rb") as f:
        if f.getsampwidth() != 2:
            raise ValueError(message("read_wav", "16-bit PCM WAV files",
                                     f"{path} with {8 * f.getsampwidth()}-bit samples"))
        rate, channels = f.getframerate(), f.getnchannels()
        data = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2")
    if rate != FSDD_SAMPLE_RATE:
        raise ValueError(message("read_wav", f"{FSDD_SAMPLE_RATE} Hz recordings",
                                 f"{path} at {rate} Hz", "Resample it to 8 kHz first"))
    data = data.reshape(-1, channels).mean(axis=1)  # (samples,)
    return (data / 32768.0).astype(np.float32)


def _read_fsdd(folder: Path, files, samples: int) -> FSDD:
    manifest = fsdd_manifest()
    _verify(files, manifest)
    names = [p.name for p in files]
    parsed = [_FSDD_NAME.match(n).groups() for n in names]  # verified names always match
    labels = np.array([int(d) for d, _, _ in parsed], dtype=np.int64)
    speakers = [s for _, s, _ in parsed]
    takes = np.array([int(t) for _, _, t in parsed], dtype=np.int64)
    waves = [read_wav(p) for p in files]
    lengths = np.array([len(w) for w in waves])
    waveforms = _features.fix_length(waves, samples)
    audio = _features.log_mel_spectrogram(waveforms, sample_rate=FSDD_SAMPLE_RATE)
    parts = {}
    for split_name, rows in (("train", np.flatnonzero(takes >= FSDD_TEST_TAKES)),
                             ("test", np.flatnonzero(takes < FSDD_TEST_TAKES))):
        parts[split_name] = FSDDSplit(
            name=split_name, inputs={"audio": audio[rows]}, labels=labels[rows],
            waveforms=waveforms[rows], index=rows, speakers=[speakers[i] for i in rows],
            takes=takes[rows], filenames=[names[i] for i in rows])
    found = sorted(set(speakers))
    summary = (f"{len(files)} of {len(manifest)} FSDD {FSDD_VERSION} recordings found in "
               f"{folder}, all verified against the manifest ({len(found)} speaker"
               f"{'s' if len(found) != 1 else ''}: {', '.join(found)})")
    logger.info(summary)
    metadata = {
        "sample_rate": FSDD_SAMPLE_RATE, "class_names": list(CLASS_NAMES), "speakers": found,
        "audio_shape": tuple(int(d) for d in audio.shape[1:]), "folder": str(folder),
        "num_recordings": len(files), "num_in_release": len(manifest), "summary": summary,
        "lengths": lengths, "version": FSDD_VERSION,
    }
    return FSDD(parts["train"], parts["test"], metadata)
