"""Data folder, atomic array cache, and verified downloads from local file:// URLs."""

import hashlib
import urllib.error
from pathlib import Path

import numpy as np
import pytest

from mmtutor.datasets import _cache


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_data_home_prefers_argument_then_environment_then_user_cache(tmp_path, monkeypatch):
    assert _cache.data_home(tmp_path / "x") == tmp_path / "x"
    monkeypatch.setenv("MMTUTOR_DATA_DIR", str(tmp_path / "env"))
    assert _cache.data_home() == tmp_path / "env"
    monkeypatch.delenv("MMTUTOR_DATA_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _cache.data_home() == tmp_path / "xdg" / "mmtutor"


def test_save_and_load_arrays_round_trip_without_pickle(tmp_path):
    path = tmp_path / "sub" / "a.npz"
    arrays = {"x": np.arange(5, dtype=np.float32), "s": np.array(["a b", "c"])}
    assert _cache.save_arrays(path, arrays)
    loaded = _cache.load_arrays(path)
    np.testing.assert_array_equal(loaded["x"], arrays["x"])
    assert list(loaded["s"]) == ["a b", "c"]
    assert [p.name for p in path.parent.iterdir()] == ["a.npz"]  # no temporary file left
    assert _cache.load_arrays(tmp_path / "missing.npz") is None
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    assert _cache.load_arrays(tmp_path / "bad.npz") is None


def test_save_arrays_returns_false_when_the_folder_cannot_be_made(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert not _cache.save_arrays(blocker / "a.npz", {"x": np.zeros(2)})


def test_download_fetches_verifies_and_reuses(tmp_path):
    source = tmp_path / "remote.bin"
    source.write_bytes(b"payload" * 100)
    target = tmp_path / "cache" / "file.bin"
    got = _cache.download(source.as_uri(), target, _sha(source.read_bytes()), name="t",
                          how_to_fix="Copy it by hand")
    assert got == target and target.read_bytes() == source.read_bytes()
    source.unlink()  # a verified cached file is used without the network
    assert _cache.download("file:///nowhere", target, _sha(b"payload" * 100), name="t",
                           how_to_fix="x") == target


def test_download_refetches_a_truncated_cached_file(tmp_path):
    source = tmp_path / "remote.bin"
    source.write_bytes(b"0123456789" * 50)
    target = tmp_path / "file.bin"
    target.write_bytes(b"0123")  # truncated by an earlier crash
    _cache.download(source.as_uri(), target, _sha(source.read_bytes()), name="t",
                    how_to_fix="x")
    assert target.read_bytes() == source.read_bytes()


def test_download_with_wrong_checksum_raises_and_leaves_nothing(tmp_path):
    source = tmp_path / "remote.bin"
    source.write_bytes(b"corrupted")
    target = tmp_path / "cache" / "file.bin"
    with pytest.raises(ValueError, match=r"t expects the file from .* to have SHA-256 0+\. "
                                         r"Received: SHA-256 .*corrupt or truncated"):
        _cache.download(source.as_uri(), target, "0" * 64, name="t", how_to_fix="Copy it")
    assert list(target.parent.iterdir()) == []


def test_download_without_network_says_how_to_provide_the_file(tmp_path, monkeypatch):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(_cache.urllib.request, "urlopen", offline)
    target = tmp_path / "file.bin"
    with pytest.raises(OSError, match=r"Received: URLError.*Put the file at"):
        _cache.download("https://example.org/f", target, "0" * 64, name="t",
                        how_to_fix="Put the file at " + str(target))
    assert not list(Path(tmp_path).iterdir())
