"""Where data lives on disk, and how it gets there safely.

- :func:`data_home`: ``data_dir`` if given, else ``$MMTUTOR_DATA_DIR``, else a per-user cache
  folder (``$XDG_CACHE_HOME/mmtutor`` or ``~/.cache/mmtutor``; ``%LOCALAPPDATA%\\mmtutor`` on
  Windows).
- Arrays are cached as ``.npz`` written to a temporary file and renamed into place, so a crash
  never leaves half a file under the final name; they are read with ``allow_pickle=False``.
- :func:`download`: fetch a URL to a temporary file, check its SHA-256, and only then rename it
  into place. A cached file whose checksum does not match (corrupt, truncated) is fetched again.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import numpy as np

from mmtutor._validation import message

ENV_VAR = "MMTUTOR_DATA_DIR"


def data_home(data_dir=None) -> Path:
    """The folder that holds downloaded and generated data (not created here)."""
    if data_dir is not None:
        return Path(data_dir).expanduser()
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "mmtutor"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mmtutor"


def sha256_of(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_arrays(path: Path, arrays: dict) -> bool:
    """Write ``arrays`` to ``path`` (.npz) atomically; return False if the folder is not
    writable (the cache is an optimisation, never a requirement)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
        os.chmod(tmp, 0o644)  # mkstemp makes files private; a shared data folder needs reads
        os.replace(tmp, path)
        return True
    except OSError:
        return False
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def load_arrays(path: Path) -> dict | None:
    """Read an ``.npz`` cache without pickle; ``None`` if it is missing or unreadable."""
    try:
        with open(path, "rb") as f, np.load(f, allow_pickle=False) as data:
            return {key: data[key] for key in data.files}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile):  # missing, truncated
        return None


def _fetch(url: str, fd: int, *, name: str, how_to_fix: str) -> None:
    """Stream ``url`` into the open file descriptor ``fd`` (closed on return)."""
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=60) as response:
            for block in iter(lambda: response.read(1 << 20), b""):
                out.write(block)
    except (urllib.error.URLError, OSError) as error:
        raise OSError(message(
            name, f"to download {url}", f"{type(error).__name__}: {error}", how_to_fix)
        ) from error


def download_unverified(url: str, path: Path, *, name: str, how_to_fix: str) -> Path:
    """Fetch ``url`` to ``path`` through a temporary file, for archives that have no fixed
    checksum (the caller verifies what is inside)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".download-")
    try:
        _fetch(url, fd, name=name, how_to_fix=how_to_fix)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def download(url: str, path: Path, sha256: str, *, name: str, how_to_fix: str) -> Path:
    """Return ``path`` holding the file at ``url`` whose SHA-256 is ``sha256``.

    A file already at ``path`` with the right checksum is used as is; otherwise (missing,
    corrupt, truncated) the file is fetched to a temporary file beside ``path`` and renamed
    only once its checksum matches.

    Raises:
        OSError: if the file cannot be fetched (no network), with ``how_to_fix`` in the text.
        ValueError: if the fetched file's checksum does not match.
    """
    path = Path(path)
    if path.exists() and sha256_of(path) == sha256:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".download-")
    try:
        _fetch(url, fd, name=name, how_to_fix=how_to_fix)
        got = sha256_of(tmp)
        if got != sha256:
            raise ValueError(message(
                name, f"the file from {url} to have SHA-256 {sha256}", f"SHA-256 {got}",
                "The download is corrupt or truncated; run again to fetch it afresh, or "
                + how_to_fix[0].lower() + how_to_fix[1:]))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path
