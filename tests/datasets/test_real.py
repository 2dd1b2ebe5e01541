"""load_mnist and load_fsdd offline, with fixtures the tests make: a fake mnist.npz, WAV files
written with the wave module, a fake release archive, and file:// URLs."""

import hashlib
import io
import os
import tarfile
import wave
from pathlib import Path

import numpy as np
import pytest

from mmtutor.datasets import _mnist, _real, load_fsdd, load_mnist, load_multidigits

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO.parent / "shared" / "data" / "fsdd-sample"


@pytest.fixture(autouse=True)
def _fresh_memory(monkeypatch):
    monkeypatch.setattr(_real, "_MEMORY", {})
    monkeypatch.setattr(_mnist, "_MEMORY", {})


def _wav_bytes(digit: int, take: int, seconds: float = 0.4) -> bytes:
    t = np.arange(int(8000 * seconds)) / 8000
    tone = 0.3 * np.sin(2 * np.pi * (200 + 150 * digit + take) * t)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(8000)
        f.writeframes((tone * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


@pytest.fixture()
def fake_fsdd(tmp_path, monkeypatch):
    """Recordings of two speakers, takes 0-5 (0-4 test, 5 train), and their manifest."""
    files = {f"{d}_{s}_{k}.wav": _wav_bytes(d, k + 7 * (s == "bob"))
             for d in range(10) for s in ("ann", "bob") for k in range(6)}
    manifest = {name: (len(data), hashlib.sha256(data).hexdigest())
                for name, data in files.items()}
    monkeypatch.setattr(_real, "fsdd_manifest", lambda: manifest)
    return files


def _write(folder: Path, files: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def _archive(tmp_path: Path, files: dict) -> Path:
    path = tmp_path / "release.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"free-spoken-digit-dataset-1.0.10/recordings/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        readme = tarfile.TarInfo("free-spoken-digit-dataset-1.0.10/README.md")
        readme.size = 2
        tar.addfile(readme, io.BytesIO(b"hi"))
    return path


def test_fsdd_manifest_ships_with_the_package():
    manifest = _real.fsdd_manifest()
    assert len(manifest) == 3000
    size, sha = manifest["0_george_0.wav"]
    assert size == 4812 and len(sha) == 64


def test_load_fsdd_reads_a_local_folder_with_fsdds_split(tmp_path, fake_fsdd):
    folder = _write(tmp_path / "mine" / "recordings", fake_fsdd)
    fsdd = load_fsdd(tmp_path / "mine")
    assert (len(fsdd.train), len(fsdd.test)) == (20, 100)
    assert set(fsdd.train.takes) == {5} and set(fsdd.test.takes) == {0, 1, 2, 3, 4}
    assert fsdd.train.inputs["audio"].shape == (20, 61, 32)
    assert fsdd.train.waveforms.shape == (20, 8000) and fsdd.train.labels.dtype == np.int64
    assert fsdd.metadata["speakers"] == ["ann", "bob"]
    assert "120 of 120 FSDD v1.0.10 recordings" in fsdd.metadata["summary"]
    i = fsdd.test.filenames.index("3_bob_2.wav")
    assert fsdd.test.labels[i] == 3 and fsdd.test.speakers[i] == "bob"
    # Samples are the 16-bit PCM values / 32768, padded with zeros to 1 s.
    raw = np.frombuffer(fake_fsdd["3_bob_2.wav"][44:], dtype="<i2") / 32768
    np.testing.assert_allclose(fsdd.test.waveforms[i, :3200], raw, atol=1e-7)
    assert np.all(fsdd.test.waveforms[i, 3200:] == 0)
    assert str(folder) == fsdd.metadata["folder"]


def test_load_fsdd_with_some_speakers_says_how_many(tmp_path, fake_fsdd):
    some = {k: v for k, v in fake_fsdd.items() if "_ann_" in k}
    _write(tmp_path / "ann", some)
    fsdd = load_fsdd(tmp_path / "ann")
    assert fsdd.metadata["num_recordings"] == 60
    assert "60 of 120" in fsdd.metadata["summary"] and "1 speaker: ann" in repr(fsdd)


def test_load_fsdd_rejects_a_corrupt_recording(tmp_path, fake_fsdd):
    folder = _write(tmp_path / "bad", fake_fsdd)
    data = bytearray(fake_fsdd["0_ann_0.wav"])
    data[-1] ^= 0xFF
    (folder / "0_ann_0.wav").write_bytes(bytes(data))
    (folder / "1_ann_0.wav").write_bytes(fake_fsdd["1_ann_0.wav"][:100])
    with pytest.raises(ValueError, match=r"load_fsdd expects recordings of FSDD v1.0.10 that "
                                         r"match its manifest. Received: 2 of 120 files.*"
                                         r"0_ann_0.wav \(SHA-256 differs\).*1_ann_0.wav \(100 "):
        load_fsdd(folder)


def test_load_fsdd_downloads_verifies_and_caches_the_archive(tmp_path, fake_fsdd, monkeypatch):
    archive = _archive(tmp_path, fake_fsdd)
    monkeypatch.setattr(_real, "FSDD_URL", archive.as_uri())
    fsdd = load_fsdd(tmp_path / "cache")
    assert fsdd.metadata["folder"] == str(tmp_path / "cache" / "fsdd" / "recordings")
    assert len(os.listdir(tmp_path / "cache" / "fsdd")) == 1  # no temporary folder left
    archive.unlink()  # later calls need no network
    _real._MEMORY.clear()
    assert len(load_fsdd(tmp_path / "cache").test) == 100


def test_load_fsdd_reports_a_truncated_archive_and_keeps_nothing(tmp_path, fake_fsdd,
                                                                 monkeypatch):
    archive = _archive(tmp_path, fake_fsdd)
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    monkeypatch.setattr(_real, "FSDD_URL", archive.as_uri())
    with pytest.raises(ValueError, match=r"corrupt or truncated|truncated or not the right"):
        load_fsdd(tmp_path / "cache")
    assert os.listdir(tmp_path / "cache" / "fsdd") == []


def test_load_fsdd_without_network_says_how_to_provide_the_files(tmp_path, fake_fsdd,
                                                                  monkeypatch):
    monkeypatch.setattr(_real, "FSDD_URL", (tmp_path / "no-such-archive.tar.gz").as_uri())
    with pytest.raises(OSError, match=r"load_fsdd expects to download .*pass its recordings/ "
                                      r"folder as data_dir"):
        load_fsdd(tmp_path / "cache")


def test_load_mnist_downloads_once_and_verifies(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    remote = tmp_path / "mnist.npz"
    arrays = {"x_train": rng.integers(0, 256, (20, 28, 28), dtype=np.uint8),
              "y_train": np.arange(20, dtype=np.uint8) % 10,
              "x_test": rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
              "y_test": np.arange(10, dtype=np.uint8)}
    np.savez(remote, **arrays)
    monkeypatch.setattr(_mnist, "MNIST_URL", remote.as_uri())
    monkeypatch.setattr(_mnist, "MNIST_SHA256", hashlib.sha256(remote.read_bytes()).hexdigest())
    (x_train, y_train), (x_test, y_test) = load_mnist(data_dir=tmp_path / "cache")
    assert x_train.shape == (20, 28, 28, 1) and x_train.dtype == np.float32
    assert y_test.dtype == np.int64 and x_test.max() <= 1
    np.testing.assert_allclose(x_test[3, :, :, 0] * 255, arrays["x_test"][3], atol=1e-4)
    assert (tmp_path / "cache" / "mnist" / "mnist.npz").exists()
    monkeypatch.setattr(_mnist, "MNIST_SHA256", "1" * 64)
    _mnist._MEMORY.clear()
    with pytest.raises(ValueError, match="load_mnist expects the file from"):
        load_mnist(data_dir=tmp_path / "cache")


def test_load_multidigits_can_take_mnist_images_and_fsdd_audio(tmp_path, fake_fsdd,
                                                              monkeypatch):
    rng = np.random.default_rng(0)
    labels = np.arange(300) % 10
    images = (labels[:, None, None] * 20 + rng.integers(0, 50, (300, 28, 28))).astype(np.uint8)
    np.savez(tmp_path / "mnist.npz", x_train=images[:200], y_train=labels[:200],
             x_test=images[200:], y_test=labels[200:])
    _write(tmp_path / "data" / "mnist", {"mnist.npz": (tmp_path / "mnist.npz").read_bytes()})
    monkeypatch.setattr(_mnist, "MNIST_SHA256",
                        hashlib.sha256((tmp_path / "mnist.npz").read_bytes()).hexdigest())
    _write(tmp_path / "data" / "fsdd" / "recordings", fake_fsdd)
    data = load_multidigits(image_source="mnist", audio_source="fsdd", num_examples=60,
                            setting="clean", data_dir=tmp_path / "data")
    assert data.train.inputs["image"].shape[1:] == (28, 28, 1)
    assert data.metadata["image_shape"] == (28, 28, 1)
    # Each example's image and recording show its own label.
    for split in data:
        np.testing.assert_array_equal(
            np.round(split.inputs["image"].reshape(len(split), -1).min(1) * 255 / 20 - 0.4),
            split.labels)
    # Each recording (plus the setting's faint noise) is one of FSDD's test takes, same digit.
    fsdd = load_fsdd(tmp_path / "data")
    dist = ((data.test.waveforms[:, None, :] - fsdd.test.waveforms[None]) ** 2).sum(-1)
    assert dist.min(axis=1).max() < 0.01 * (data.test.waveforms**2).sum(-1).min()
    np.testing.assert_array_equal(fsdd.test.labels[dist.argmin(axis=1)], data.test.labels)


@pytest.mark.skipif(not SAMPLE.is_dir(), reason="the FSDD sample of ../shared/data is absent")
def test_load_fsdd_verifies_the_real_sample_of_one_speaker():
    fsdd = load_fsdd(SAMPLE)
    assert (len(fsdd.train), len(fsdd.test)) == (450, 50)
    assert fsdd.metadata["speakers"] == ["jackson"]
    assert "500 of 3000" in fsdd.metadata["summary"]
    assert np.bincount(fsdd.test.labels).tolist() == [5] * 10


def _write_wav(path, rate=8000, width=2, channels=1, frames=b"\x00\x00" * 100):
    with wave.open(str(path), "wb") as f:
        f.setnchannels(channels)
        f.setsampwidth(width)
        f.setframerate(rate)
        f.writeframes(frames)
    return path


def test_read_wav_averages_stereo_and_rejects_other_formats(tmp_path):
    stereo = np.array([[1000, 3000], [-2000, 0]], dtype="<i2").tobytes()
    got = _real.read_wav(_write_wav(tmp_path / "s.wav", channels=2, frames=stereo))
    np.testing.assert_allclose(got, [2000 / 32768, -1000 / 32768])
    with pytest.raises(ValueError, match=r"read_wav expects 16-bit PCM WAV files"):
        _real.read_wav(_write_wav(tmp_path / "a.wav", width=1, frames=b"\x80" * 10))
    with pytest.raises(ValueError, match=r"read_wav expects 8000 Hz recordings.*Resample"):
        _real.read_wav(_write_wav(tmp_path / "b.wav", rate=16000))


def test_fsdd_audio_for_multidigits_needs_every_digit(tmp_path, fake_fsdd):
    _write(tmp_path / "data" / "fsdd" / "recordings",
           {k: v for k, v in fake_fsdd.items() if not k.startswith("3_")})
    with pytest.raises(ValueError, match=r"none of digit 3"):
        load_multidigits(audio_source="fsdd", modalities="audio", num_examples=60,
                         data_dir=tmp_path / "data")


def test_multidigits_fsdd_cache_follows_the_recordings_at_hand(tmp_path, fake_fsdd):
    from mmtutor.datasets import _multidigits

    folder = _write(tmp_path / "data" / "fsdd" / "recordings", fake_fsdd)
    kwargs = {"audio_source": "fsdd", "modalities": "audio", "num_examples": 60,
              "data_dir": tmp_path / "data"}
    before = _real.fsdd_fingerprint(tmp_path / "data")
    first = load_multidigits(**kwargs)
    # Bob's test takes go; training and validation still have a train take of each speaker.
    for name in [n for n in fake_fsdd if "_bob_" in n and not n.endswith("_5.wav")]:
        (folder / name).unlink()
    assert _real.fsdd_fingerprint(tmp_path / "data") != before
    _multidigits._MEMORY.clear()
    second = load_multidigits(**kwargs)
    assert not np.array_equal(first.test.waveforms, second.test.waveforms)
    assert _real.fsdd_fingerprint(tmp_path / "empty") == "release"


def test_load_fsdd_returns_arrays_that_cannot_corrupt_its_cache(tmp_path, fake_fsdd):
    folder = _write(tmp_path / "mine", fake_fsdd)
    first = load_fsdd(folder)
    waveforms, audio = first.test.waveforms.copy(), first.test.inputs["audio"].copy()
    labels, names = first.train.labels.copy(), list(first.train.filenames)
    first.test.waveforms[:] = 0  # a caller normalising in place, or a plain mistake
    first.test.inputs["audio"] += 1
    first.train.labels[:] = 9
    first.train.filenames.clear()
    first.metadata["speakers"].append("eve")
    first.test.inputs["image"] = np.zeros(3)
    second = load_fsdd(folder)
    np.testing.assert_array_equal(second.test.waveforms, waveforms)
    np.testing.assert_array_equal(second.test.inputs["audio"], audio)
    np.testing.assert_array_equal(second.train.labels, labels)
    assert second.train.filenames == names and second.metadata["speakers"] == ["ann", "bob"]
    assert set(second.test.inputs) == {"audio"}


def _source_recordings(waveforms, fsdd):
    """The FSDD file each waveform was made from: its nearest recording."""
    pool = np.concatenate([fsdd.train.waveforms, fsdd.test.waveforms]).astype(np.float64)
    names = fsdd.train.filenames + fsdd.test.filenames
    w = waveforms.astype(np.float64)
    dist = (w**2).sum(1)[:, None] + (pool**2).sum(1)[None] - 2 * w @ pool.T  # (n, pool)
    assert dist.min(axis=1).max() < 1e-6  # each waveform is one recording (noise ~1e-10)
    return [names[i] for i in dist.argmin(axis=1)]


def _check_no_recording_in_two_splits(data, fsdd):
    used = {split.name: _source_recordings(split.waveforms, fsdd) for split in data}
    for split in data:  # each example's recording says its own digit
        assert [int(n.split("_")[0]) for n in used[split.name]] == split.labels.tolist()
    assert all(int(n.split("_")[2][:-4]) < 5 for n in used["test"])  # FSDD's test takes
    train, validation, test = (set(used[s]) for s in ("train", "validation", "test"))
    assert not train & validation, sorted(train & validation)[:5]
    assert not train & test, sorted(train & test)[:5]
    assert not validation & test, sorted(validation & test)[:5]


def test_multidigits_fsdd_audio_never_shares_a_recording_between_splits(tmp_path,
                                                                       monkeypatch):
    # Few test takes (0 of 2 speakers): validation and test together want 4 recordings of
    # each digit, more than FSDD's test takes hold, so a shared pool would reuse them.
    files = {f"{d}_{s}_{k}.wav": _wav_bytes(d, k + 20 * (s == "bob"))
             for d in range(10) for s in ("ann", "bob") for k in (0, 5, 6, 7, 8, 9)}
    manifest = {name: (len(data), hashlib.sha256(data).hexdigest())
                for name, data in files.items()}
    monkeypatch.setattr(_real, "fsdd_manifest", lambda: manifest)
    _write(tmp_path / "data" / "fsdd" / "recordings", files)
    data = load_multidigits(audio_source="fsdd", modalities="audio", num_examples=100,
                            snr_db=200.0, data_dir=tmp_path / "data", cache=False)
    assert (len(data.train), len(data.validation), len(data.test)) == (60, 20, 20)
    _check_no_recording_in_two_splits(data, load_fsdd(tmp_path / "data"))


@pytest.mark.skipif(not SAMPLE.is_dir(), reason="the FSDD sample of ../shared/data is absent")
def test_multidigits_on_the_real_fsdd_sample_never_shares_a_recording_between_splits():
    data = load_multidigits(audio_source="fsdd", modalities="audio", num_examples=300,
                            snr_db=200.0, data_dir=SAMPLE, cache=False)
    _check_no_recording_in_two_splits(data, load_fsdd(SAMPLE))


def test_load_fsdd_checks_its_duration(tmp_path, fake_fsdd):
    folder = _write(tmp_path / "mine", fake_fsdd)
    assert load_fsdd(folder, duration=np.float32(0.5)).test.waveforms.shape == (100, 4000)
    with pytest.raises(TypeError, match=r"load_fsdd expects duration to be a real number >= "
                       r"0\.032\. Received: duration='1' of type str"):
        load_fsdd(folder, duration="1")
    with pytest.raises(ValueError, match=r"load_fsdd expects duration to be a real number >= "
                       r"0\.032\. Received: duration=0\.01\. The log-mel features need"):
        load_fsdd(folder, duration=0.01)
