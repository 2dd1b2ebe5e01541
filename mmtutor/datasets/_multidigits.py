"""MultiDigits: one digit seen (image), heard (synthetic speech) and described (caption)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from mmtutor._validation import check_option, check_positive_int, check_real, check_type, message
from mmtutor.datasets import _cache, _captions, _features, _images, _speech
from mmtutor.datasets._digits import digits_arrays
from mmtutor.datasets._splits import MultiDigits, MultiDigitsSplit, make_split
from mmtutor.modalities import MODALITIES, ordered

CLASS_NAMES = _speech.WORDS
SAMPLE_RATE = 8000
DURATION = 1.0  # seconds of audio per example: every word fits, with room to move its onset

# Every knob a setting fixes; an explicit keyword argument overrides the setting's value.
SETTINGS = {
    "clean": {
        "image_energy": 1.0, "image_noise": 0.0, "occlusion": 0,
        "snr_db": 30.0, "speaker_variability": 1.0,
        "name_probability": 1.0, "word_dropout": 0.0, "typo_rate": 0.0,
    },
    "default": {
        "image_energy": 0.6, "image_noise": 0.15, "occlusion": 3,
        "snr_db": -6.0, "speaker_variability": 1.0,
        "name_probability": 0.3, "word_dropout": 0.1, "typo_rate": 0.05,
    },
}
# The range of each real-valued knob, as check_real's keyword arguments; occlusion is an int.
_KNOB_RANGES = {"image_energy": {"minimum": 0, "maximum": 1, "strict_minimum": True},
                "image_noise": {"minimum": 0}, "snr_db": {},
                **{k: {"minimum": 0, "maximum": 1} for k in (
                    "speaker_variability", "name_probability", "word_dropout", "typo_rate")}}
_STREAMS = {"split": 0, "image": 1, "audio": 2, "text": 3}  # independent random streams

_MEMORY: dict = {}  # in-process cache: component key -> tuple of arrays
_MEMORY_ITEMS = 16  # components kept (a full default set is 4 components, about 80 MB)


def load_multidigits(*, setting="default", modalities=MODALITIES, seed=0, num_examples=None,
                     image_source="digits", audio_source="synthetic", image_energy=None,
                     image_noise=None, occlusion=None, snr_db=None, speaker_variability=None,
                     name_probability=None, word_dropout=None, typo_rate=None, data_dir=None,
                     cache=True):
    """Load MultiDigits: each handwritten digit paired with a spoken word and a caption.

    Each of the 1,797 handwritten digits of scikit-learn's set is used once, as the image of one
    example. The example's audio is its digit's English word, spoken by :mod:`mmtutor`'s small
    speech synthesizer with a random speaker, and its text is a caption from a grammar.
    Modalities are paired by label, as AV-MNIST pairs MNIST images with spoken digits
    (Vielzeuf et al. 2018). ``setting="clean"`` makes each modality easy alone;
    ``setting="default"`` degrades each one (image energy removed with PCA, noise and an
    occluding patch; speech in noise; captions that mostly give hints fitting several
    digits) so that no modality alone is enough and fusing them pays.

    The result is cached in the process and on disk under the data folder (``data_dir``, else
    ``$MMTUTOR_DATA_DIR``, else a per-user cache), so later calls are instant. The same
    arguments give byte-identical arrays.

    Args:
        setting: ``"default"`` or ``"clean"``; sets every knob below that is left ``None``.
        modalities: which of ``"image"``, ``"audio"``, ``"text"`` to make (a tuple).
        seed: seed of the split, the speakers, the captions and the degradations; each
            modality has its own random stream, so dropping one leaves the others unchanged.
        num_examples: a stratified subset of this many examples (default: all 1,797).
        image_source: ``"digits"`` (scikit-learn's 8x8 digits, offline) or ``"mnist"``
            (28x28 MNIST images of the same labels; downloads MNIST once).
        audio_source: ``"synthetic"`` (the synthesizer, offline) or ``"fsdd"`` (recordings of
            the Free Spoken Digit Dataset of the same labels, none of them in two splits:
            test examples from FSDD's test takes, train and validation examples from
            disjoint parts of its train takes; see :func:`load_fsdd`).
        image_energy: fraction of the image variance kept by PCA (fitted on the training
            split only), in (0, 1].
        image_noise: standard deviation of Gaussian pixel noise.
        occlusion: side in pixels of a square set to 0 at a random place (0: none).
        snr_db: signal-to-noise ratio of the added white noise, in dB.
        speaker_variability: 0 (one average speaker) to 1 (full range of pitch, vocal tract
            length and speaking rate).
        name_probability: probability that a caption names the digit rather than hinting.
        word_dropout: probability of dropping each word of a caption.
        typo_rate: probability of a typo in each word (typos become ``"<unk>"`` tokens).
        data_dir: folder for the disk cache and for real data (overrides
            ``$MMTUTOR_DATA_DIR``).
        cache: set ``False`` to skip the disk cache (the in-process cache is always used).

    Returns:
        :class:`MultiDigits` with ``train``, ``validation``, ``test`` splits (each with
        ``inputs``, ``labels``, ``waveforms``, ``captions``, ``to_dataset()``) and
        ``metadata``.

    Raises:
        ValueError: for an unknown setting, modality or source, or a knob out of range.
        TypeError: for a knob of the wrong type.

    Example:

    >>> data = load_multidigits(num_examples=100, cache=False)  # cache=False: no disk writes
    >>> sorted(data.train.inputs), len(data.train), len(data.test)
    (['audio', 'image', 'text'], 60, 20)
    >>> data.train.inputs["audio"].shape[1:], data.metadata["vocabulary"][:2]
    ((61, 32), ['<pad>', '<unk>'])

    Book: section "sec-data".
    """
    name = "load_multidigits"
    check_option(name, "setting", setting, tuple(SETTINGS))
    if isinstance(modalities, str):
        modalities = (modalities,)
    modalities = tuple(modalities)
    if not modalities:
        raise ValueError(message(name, "at least one modality", "modalities=()",
                                 f"Pass a tuple drawn from {MODALITIES}"))
    for modality in modalities:
        check_option(name, "modalities", modality, MODALITIES)
    modalities = ordered(modalities)  # the package's fixed order
    check_type(name, "seed", seed, (int, np.integer), "an integer")
    if num_examples is not None:
        check_positive_int(name, "num_examples", num_examples)
        if not 50 <= num_examples <= 1797:
            raise ValueError(message(name, "num_examples between 50 and 1797",
                                     f"num_examples={num_examples}",
                                     "Pass None to use all 1,797 digits"))
    check_option(name, "image_source", image_source, ("digits", "mnist"))
    check_option(name, "audio_source", audio_source, ("synthetic", "fsdd"))
    given = {"image_energy": image_energy, "image_noise": image_noise, "occlusion": occlusion,
             "snr_db": snr_db, "speaker_variability": speaker_variability,
             "name_probability": name_probability, "word_dropout": word_dropout,
             "typo_rate": typo_rate}
    params = _resolve(name, SETTINGS[setting], given)
    args = {"setting": setting, "modalities": modalities, "seed": int(seed),
            "num_examples": num_examples, "image_source": image_source,
            "audio_source": audio_source, **{k: v for k, v in given.items() if v is not None}}
    disk = _cache.data_home(data_dir) / "multidigits" if cache else None

    labels, index, *splits = _component(
        "split", {"seed": int(seed), "num_examples": num_examples}, disk,
        lambda: make_split(_rng(int(seed), "split"), num_examples))
    arrays, meta = {}, {}
    if "image" in modalities:
        keys = ("image_energy", "image_noise", "occlusion")
        spec = {"seed": int(seed), "num_examples": num_examples, "image_source": image_source,
                **{k: params[k] for k in keys}}
        (arrays["image"],) = _component("image", spec, disk, lambda: (_make_images(
            labels, index, splits, int(seed), params, image_source, data_dir),))
        meta["image_shape"] = tuple(int(d) for d in arrays["image"].shape[1:])
    if "audio" in modalities:
        spec = {"seed": int(seed), "num_examples": num_examples, "audio_source": audio_source,
                "snr_db": params["snr_db"], "speaker_variability": params["speaker_variability"]}
        if audio_source == "fsdd":  # which recordings are at hand changes the pairing
            from mmtutor.datasets._real import fsdd_fingerprint
            spec["fsdd"] = fsdd_fingerprint(data_dir)
        arrays["waveforms"], arrays["audio"] = _component("audio", spec, disk, lambda: (
            _make_audio(labels, splits, int(seed), params, audio_source, data_dir)))
        meta["audio_shape"] = tuple(int(d) for d in arrays["audio"].shape[1:])
    if "text" in modalities:
        keys = ("name_probability", "word_dropout", "typo_rate")
        spec = {"seed": int(seed), "num_examples": num_examples, **{k: params[k] for k in keys}}
        arrays["captions"], arrays["text"] = _component("text", spec, disk, lambda: (
            _make_text(labels, int(seed), params)))

    metadata = {
        "sample_rate": SAMPLE_RATE,
        "vocabulary": _captions.vocabulary(),
        "class_names": list(CLASS_NAMES),
        "audio_shape": (_features.frames_for(int(DURATION * SAMPLE_RATE), SAMPLE_RATE),
                        _features.MEL_BINS),
        "text_length": _captions.MAX_WORDS,
        "image_shape": meta.get("image_shape", (28, 28, 1) if image_source == "mnist"
                                else (8, 8, 1)),
        "modalities": modalities,
        "setting": setting,
        "seed": int(seed),
        "num_examples": len(labels),
        "args": args,
        "parameters": params,
    }
    parts = []
    for split_name, rows in zip(("train", "validation", "test"), splits, strict=True):
        inputs = {m: arrays[m][rows].copy() for m in modalities}
        parts.append(MultiDigitsSplit(
            name=split_name, inputs=inputs, labels=labels[rows].copy(),
            waveforms=arrays["waveforms"][rows].copy() if "audio" in modalities else None,
            captions=[str(c) for c in arrays["captions"][rows]] if "text" in modalities
            else None,
            index=index[rows].copy()))
    return MultiDigits(*parts, metadata=metadata)


def _resolve(name, defaults, given):
    params = dict(defaults)
    for key, value in given.items():
        if value is None:
            continue
        if key == "occlusion":
            check_type(name, key, value, (int, np.integer), "an integer")
            if value < 0:
                raise ValueError(message(name, f"{key} >= 0", f"{key}={value!r}"))
            params[key] = int(value)
        else:
            params[key] = check_real(name, key, value, **_KNOB_RANGES[key])
    return params


def _component(kind, spec, disk: Path | None, make):
    """Return the arrays of one component from memory, disk, or by making them.

    Disk files are named ``{kind}-{arguments hash}-{code hash}.npz``; writing one removes
    the files that older code made for the same arguments, so the cache never grows stale.
    """
    spec_key, code_key = _key(kind, spec), _code_key()
    key = f"{spec_key}-{code_key}"
    if key in _MEMORY:
        _MEMORY[key] = _MEMORY.pop(key)  # most recently used last
        return _MEMORY[key]
    path = disk / f"{kind}-{key}.npz" if disk is not None else None
    stored = _cache.load_arrays(path) if path is not None else None
    if stored is not None and len(stored) > 0:
        result = tuple(stored[f"a{i}"] for i in range(len(stored)))
    else:
        result = tuple(make())
        if path is not None and _cache.save_arrays(path, {f"a{i}": a
                                                          for i, a in enumerate(result)}):
            for old in disk.glob(f"{kind}-{spec_key}-*.npz"):
                if old != path:
                    old.unlink(missing_ok=True)
    _MEMORY[key] = result
    while len(_MEMORY) > _MEMORY_ITEMS:  # drop the least recently used
        _MEMORY.pop(next(iter(_MEMORY)))
    return result


def _key(kind, spec) -> str:
    """A hash of a component's kind and arguments."""
    return hashlib.sha256(json.dumps([kind, spec], sort_keys=True).encode()).hexdigest()[:16]


def _code_key() -> str:
    """A hash of the code that makes the data, so a new version never reads an old cache."""
    digest = hashlib.sha256(np.__version__.encode())
    here = Path(__file__).parent
    for module in ("_multidigits.py", "_splits.py", "_speech.py", "_phonemes.py", "_captions.py",
                   "_images.py", "_features.py", "_digits.py", "_real.py", "_mnist.py",
                   "_pairing.py"):
        digest.update((here / module).read_bytes())
    return digest.hexdigest()[:12]


def _rng(seed: int, stream: str) -> np.random.Generator:
    return np.random.default_rng([seed, _STREAMS[stream]])


def _make_images(labels, index, splits, seed, params, image_source, data_dir):
    rng = _rng(seed, "image")
    if image_source == "digits":
        images = digits_arrays()[0][index]
    else:
        from mmtutor.datasets._pairing import mnist_images_for
        images = mnist_images_for(labels, splits, rng, data_dir=data_dir)
    occlusion = params["occlusion"] * images.shape[1] // 8  # the patch scales with the image
    # The principal components are fitted on the training split alone, as any fitted
    # preprocessing must be: validation and test images never shape their own degradation.
    return _images.degrade_images(images, rng, energy=params["image_energy"],
                                  noise=params["image_noise"], occlusion=occlusion,
                                  fit=images[splits[0]])


def _make_audio(labels, splits, seed, params, audio_source, data_dir):
    rng = _rng(seed, "audio")
    samples = int(DURATION * SAMPLE_RATE)
    if audio_source == "synthetic":
        waveforms, _ = _speech.synthesize_words(
            labels, snr_db=params["snr_db"], duration=DURATION, sample_rate=SAMPLE_RATE,
            speaker_variability=params["speaker_variability"], rng=rng)
    else:
        from mmtutor.datasets._pairing import fsdd_waveforms_for
        waveforms = fsdd_waveforms_for(labels, splits, rng, samples, data_dir=data_dir)
        # Noise relative to the recording's own power, the zero padding left out.
        active = np.maximum(np.count_nonzero(waveforms, axis=1, keepdims=True), 1)
        power = np.sum(waveforms.astype(np.float64) ** 2, axis=1, keepdims=True) / active
        scale = np.sqrt(power * 10 ** (-params["snr_db"] / 10))
        waveforms = np.clip(waveforms + scale * rng.standard_normal(waveforms.shape),
                            -1, 1).astype(np.float32)
    return waveforms, _features.log_mel_spectrogram(waveforms, sample_rate=SAMPLE_RATE)


def _make_text(labels, seed, params):
    rng = _rng(seed, "text")
    captions = _captions.make_captions(
        labels, rng, name_probability=params["name_probability"],
        word_dropout=params["word_dropout"], typo_rate=params["typo_rate"])
    ids = _captions.tokenize(captions, _captions.vocabulary(), _captions.MAX_WORDS)
    return np.array(captions, dtype=str), ids
