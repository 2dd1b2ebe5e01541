"""load_multidigits: shapes, dtypes, splits, determinism, caching, tf.data, bad input."""

import numpy as np
import pytest
import tensorflow as tf

from mmtutor.datasets import _multidigits, load_multidigits
from mmtutor.datasets._captions import digits_matching

SMALL = {"num_examples": 100}


@pytest.fixture()
def fresh_memory(monkeypatch):
    monkeypatch.setattr(_multidigits, "_MEMORY", {})


def test_load_multidigits_shapes_dtypes_and_metadata():
    data = load_multidigits(**SMALL)
    meta = data.metadata
    assert (len(data.train), len(data.validation), len(data.test)) == (60, 20, 20)
    for split in data:
        n = len(split)
        assert split.inputs["image"].shape == (n, 8, 8, 1)
        assert split.inputs["image"].dtype == np.float32
        assert 0 <= split.inputs["image"].min() and split.inputs["image"].max() <= 1
        assert split.inputs["audio"].shape == (n, *meta["audio_shape"]) == (n, 61, 32)
        assert split.inputs["audio"].dtype == np.float32
        assert split.inputs["text"].shape == (n, meta["text_length"])
        assert split.inputs["text"].dtype == np.int32
        assert split.labels.dtype == np.int64 and split.labels.shape == (n,)
        assert split.waveforms.shape == (n, 8000) and split.waveforms.dtype == np.float32
        assert len(split.captions) == n
    assert meta["sample_rate"] == 8000
    assert meta["vocabulary"][:2] == ["<pad>", "<unk>"]
    assert meta["class_names"][7] == "seven" and len(meta["class_names"]) == 10
    assert meta["setting"] == "default" and meta["seed"] == 0
    assert meta["args"]["num_examples"] == 100 and "snr_db" in meta["parameters"]


def test_load_multidigits_pairs_modalities_by_label():
    data = load_multidigits(setting="clean", **SMALL)
    vocab = data.metadata["vocabulary"]
    for split in data:
        for label, caption, ids in zip(split.labels, split.captions, split.inputs["text"],
                                       strict=True):
            assert digits_matching(caption) == {label}
            words = [vocab[i] for i in ids if i != 0]
            assert words == caption.split()
    # Clean images are the real digits themselves, each used once.
    from mmtutor.datasets._digits import digits_arrays

    images, labels = digits_arrays()
    index = np.concatenate([s.index for s in data])
    assert len(set(index)) == len(index)
    np.testing.assert_array_equal(labels[data.train.index], data.train.labels)
    np.testing.assert_array_equal(images[data.test.index], data.test.inputs["image"])


def test_full_data_set_is_a_stratified_60_20_20_split_of_all_digits():
    data = load_multidigits(modalities=("text",))  # text only: fast
    sizes = [len(s) for s in data]
    assert sum(sizes) == 1797 and sizes == [1078, 359, 360]
    index = np.concatenate([s.index for s in data])
    assert sorted(index) == list(range(1797))
    overall = np.bincount(np.concatenate([s.labels for s in data]), minlength=10) / 1797
    for split in data:
        share = np.bincount(split.labels, minlength=10) / len(split)
        assert np.abs(share - overall).max() < 0.01


def test_load_multidigits_is_byte_identical_for_the_same_seed(fresh_memory):
    a = load_multidigits(seed=5, cache=False, **SMALL)
    _multidigits._MEMORY.clear()
    b = load_multidigits(seed=5, cache=False, **SMALL)
    c = load_multidigits(seed=6, cache=False, modalities="text", **SMALL)
    for m in ("image", "audio", "text"):
        assert a.train.inputs[m].tobytes() == b.train.inputs[m].tobytes()
    assert a.test.waveforms.tobytes() == b.test.waveforms.tobytes()
    assert a.train.captions == b.train.captions
    assert not np.array_equal(a.train.index, c.train.index)


def test_dropping_a_modality_leaves_the_others_unchanged():
    full = load_multidigits(**SMALL)
    text_only = load_multidigits(modalities=("text",), **SMALL)
    assert sorted(text_only.train.inputs) == ["text"]
    assert text_only.train.waveforms is None and text_only.train.captions is not None
    np.testing.assert_array_equal(full.train.inputs["text"], text_only.train.inputs["text"])


def test_disk_cache_round_trips_and_survives_a_corrupt_file(tmp_path, fresh_memory):
    a = load_multidigits(data_dir=tmp_path, **SMALL)
    files = sorted((tmp_path / "multidigits").glob("*.npz"))
    assert len(files) == 4  # split, image, audio, text
    _multidigits._MEMORY.clear()
    b = load_multidigits(data_dir=tmp_path, **SMALL)
    assert a.train.inputs["audio"].tobytes() == b.train.inputs["audio"].tobytes()
    audio_file = next(f for f in files if f.name.startswith("audio-"))
    audio_file.write_bytes(audio_file.read_bytes()[:100])  # truncated
    _multidigits._MEMORY.clear()
    c = load_multidigits(data_dir=tmp_path, **SMALL)
    assert a.train.inputs["audio"].tobytes() == c.train.inputs["audio"].tobytes()
    assert not list((tmp_path / "multidigits").glob(".tmp-*"))


def test_disk_cache_replaces_files_made_by_older_code(tmp_path, fresh_memory, monkeypatch):
    load_multidigits(data_dir=tmp_path, modalities="text", **SMALL)
    monkeypatch.setattr(_multidigits, "_code_key", lambda: "newer-code")
    _multidigits._MEMORY.clear()
    load_multidigits(data_dir=tmp_path, modalities="text", **SMALL)
    names = sorted(p.name for p in (tmp_path / "multidigits").glob("text-*.npz"))
    assert len(names) == 1 and names[0].endswith("-newer-code.npz")


def test_in_process_cache_keeps_a_bounded_number_of_components(fresh_memory, monkeypatch):
    monkeypatch.setattr(_multidigits, "_MEMORY_ITEMS", 3)
    for seed in range(3):
        load_multidigits(modalities="text", seed=seed, cache=False, **SMALL)
    assert len(_multidigits._MEMORY) == 3  # split and text of the last seed, text of one more


def test_returned_arrays_are_copies_of_the_cache():
    a = load_multidigits(**SMALL)
    a.train.inputs["image"][:] = 5.0
    b = load_multidigits(**SMALL)
    assert b.train.inputs["image"].max() <= 1


def test_default_setting_is_harder_than_clean():
    default = load_multidigits(**SMALL)
    clean = load_multidigits(setting="clean", **SMALL)
    named = [digits_matching(c) == {y} for c, y in zip(default.train.captions,
                                                        default.train.labels, strict=True)]
    assert np.mean(named) < 0.6
    # More noise in the default audio: the quietest frames are louder.
    assert default.train.inputs["audio"].min() > clean.train.inputs["audio"].min() + 3
    assert not np.array_equal(default.test.inputs["image"], clean.test.inputs["image"])


def test_to_dataset_batches_dict_inputs_and_labels():
    data = load_multidigits(**SMALL)
    ds = data.train.to_dataset(batch_size=16, shuffle=True, seed=1)
    inputs, labels = next(iter(ds))
    assert set(inputs) == {"image", "audio", "text"}
    assert inputs["image"].shape == (16, 8, 8, 1) and labels.dtype == tf.int64
    assert inputs["text"].dtype == tf.int32
    assert sum(int(y.shape[0]) for _, y in ds) == 60
    ordered = np.concatenate([y.numpy() for _, y in data.train.to_dataset(batch_size=7)])
    np.testing.assert_array_equal(ordered, data.train.labels)


def test_load_multidigits_rejects_bad_options():
    with pytest.raises(ValueError, match=r"load_multidigits expects setting to be one of"):
        load_multidigits(setting="hard")
    with pytest.raises(ValueError, match=r"modalities to be one of"):
        load_multidigits(modalities=("video",))
    with pytest.raises(ValueError, match=r"at least one modality"):
        load_multidigits(modalities=())
    with pytest.raises(ValueError, match=r"num_examples between 50 and 1797"):
        load_multidigits(num_examples=10)
    with pytest.raises(ValueError, match=r"load_multidigits expects image_energy to be a real "
                       r"number in \(0, 1\]\. Received: image_energy=0\.0\."):
        load_multidigits(image_energy=0.0, **SMALL)
    with pytest.raises(ValueError, match=r"word_dropout to be a real number in \[0, 1\]"):
        load_multidigits(word_dropout=1.5, **SMALL)
    with pytest.raises(ValueError, match=r"image_noise to be a real number >= 0"):
        load_multidigits(image_noise=float("nan"), **SMALL)
    with pytest.raises(TypeError, match=r"snr_db to be a real number\. Received: snr_db='loud'"):
        load_multidigits(snr_db="loud", **SMALL)
    with pytest.raises(TypeError, match=r"typo_rate to be a real number in \[0, 1\]\. "
                       r"Received: typo_rate=True of type bool"):
        load_multidigits(typo_rate=True, **SMALL)
    with pytest.raises(ValueError, match=r"audio_source to be one of"):
        load_multidigits(audio_source="radio")
    with pytest.raises(ValueError, match=r"batch_size to be a positive integer"):
        load_multidigits(modalities="text", **SMALL).train.to_dataset(batch_size=0)


def test_image_pca_is_fitted_on_the_training_split_only(monkeypatch, fresh_memory):
    kwargs = {"modalities": "image", "num_examples": 100, "cache": False}
    first = load_multidigits(**kwargs)
    images, labels = _multidigits.digits_arrays()
    held_out = np.concatenate([first.validation.index, first.test.index])
    changed = images.copy()
    changed[held_out] = 1.0 - changed[held_out]  # other pixels, same labels and split
    monkeypatch.setattr(_multidigits, "digits_arrays", lambda: (changed, labels))
    _multidigits._MEMORY.clear()
    second = load_multidigits(**kwargs)
    np.testing.assert_array_equal(second.train.index, first.train.index)
    np.testing.assert_array_equal(second.train.inputs["image"], first.train.inputs["image"])
    assert not np.allclose(second.test.inputs["image"], first.test.inputs["image"])


@pytest.mark.parametrize("value", [np.float32(0.5), np.float64(0.5), np.int64(1), 1])
def test_load_multidigits_accepts_numpy_numbers_as_knobs(value, fresh_memory):
    data = load_multidigits(modalities="text", name_probability=value, word_dropout=value / 10,
                            **SMALL)
    assert data.metadata["parameters"]["name_probability"] == float(value)
    assert type(data.metadata["parameters"]["name_probability"]) is float
