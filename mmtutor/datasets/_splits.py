"""How MultiDigits is split, and the containers of its splits.

The 1,797 digits (or a stratified subset) are split 60/20/20 into train, validation and test,
stratified by label. Every example, and everything it is made from (its image, its
recording), belongs to one split only, so nothing of the test data is seen in training.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mmtutor._validation import check_positive_int
from mmtutor.datasets._digits import digits_arrays

SPLIT_FRACTIONS = (0.6, 0.2, 0.2)


@dataclass
class MultiDigitsSplit:
    """One split of :class:`MultiDigits`: aligned inputs, labels, waveforms and captions.

    Attributes:
        name: ``"train"``, ``"validation"`` or ``"test"``.
        inputs: dict of the requested modalities: ``"image"`` float32
            ``(n, height, width, 1)`` in [0, 1]; ``"audio"`` float32 log-mel frames
            ``(n, frames, mel_bins)``; ``"text"`` int32 token ids ``(n, text_length)``,
            0 = padding.
        labels: int64 ``(n,)``, the digit 0-9.
        waveforms: float32 ``(n, samples)`` at 8 kHz, or ``None`` without audio.
        captions: list of ``n`` str, or ``None`` without text.
        index: int64 ``(n,)``, each example's position in the image source.
    """

    name: str
    inputs: dict
    labels: np.ndarray
    waveforms: np.ndarray | None = None
    captions: list | None = None
    index: np.ndarray | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.labels)

    def __repr__(self) -> str:
        shapes = ", ".join(f"{k}: {v.shape}" for k, v in self.inputs.items())
        return f"MultiDigitsSplit(name={self.name!r}, n={len(self)}, inputs={{{shapes}}})"

    def to_dataset(self, batch_size=32, *, shuffle=False, seed=0):
        """A batched ``tf.data.Dataset`` of ``(inputs, labels)``, ready for ``model.fit``.

        Args:
            batch_size: examples per batch (the last batch may be smaller).
            shuffle: reshuffle the examples at every epoch (use it for training).
            seed: seed of the shuffling.

        Returns:
            ``tf.data.Dataset`` whose elements are ``(dict of batched inputs, labels)``.
        """
        import tensorflow as tf

        check_positive_int("MultiDigitsSplit.to_dataset", "batch_size", batch_size)
        dataset = tf.data.Dataset.from_tensor_slices((dict(self.inputs), self.labels))
        if shuffle:
            dataset = dataset.shuffle(len(self), seed=seed, reshuffle_each_iteration=True)
        return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)


@dataclass
class MultiDigits:
    """The three splits of a multimodal digits data set and how it was made.

    Attributes:
        train, validation, test: :class:`MultiDigitsSplit` (stratified 60/20/20).
        metadata: dict with ``sample_rate``, ``vocabulary`` (``vocabulary[0] == "<pad>"``,
            ``vocabulary[1] == "<unk>"``), ``class_names``, ``audio_shape`` (frames, mel_bins),
            ``text_length``, ``image_shape``, the call's arguments (``setting``,
            ``modalities``, ``seed``, ...) and, under ``"parameters"``, every resolved knob.
    """

    train: MultiDigitsSplit
    validation: MultiDigitsSplit
    test: MultiDigitsSplit
    metadata: dict

    def __iter__(self):
        return iter((self.train, self.validation, self.test))

    def __repr__(self) -> str:
        sizes = f"{len(self.train)}/{len(self.validation)}/{len(self.test)}"
        return (f"MultiDigits(setting={self.metadata['setting']!r}, "
                f"modalities={self.metadata['modalities']}, train/validation/test={sizes})")


def make_split(rng: np.random.Generator, num_examples=None):
    """Labels, image index and stratified 60/20/20 split indices of the digits.

    Returns ``(labels, index, train_rows, validation_rows, test_rows)``: int64 arrays; the
    rows index ``labels`` and ``index``, and every example is in exactly one split.
    """
    _, all_labels = digits_arrays()
    index = np.arange(len(all_labels))
    if num_examples is not None and num_examples < len(all_labels):
        index = np.sort(stratified_take(all_labels, num_examples, rng))
    labels = all_labels[index]
    parts = [[], [], []]
    for digit in range(10):
        rows = rng.permutation(np.flatnonzero(labels == digit))
        n_train = int(round(SPLIT_FRACTIONS[0] * len(rows)))
        n_val = int(round(SPLIT_FRACTIONS[1] * len(rows)))
        for part, chunk in zip(parts, (rows[:n_train], rows[n_train:n_train + n_val],
                                       rows[n_train + n_val:]), strict=True):
            part.append(chunk)
    splits = [np.sort(np.concatenate(p)).astype(np.int64) for p in parts]
    return labels.astype(np.int64), index.astype(np.int64), splits[0], splits[1], splits[2]


def stratified_take(labels, n, rng):
    """``n`` indices with the classes in the proportions of ``labels``."""
    counts = np.bincount(labels, minlength=10)
    share = counts * n / counts.sum()
    take = np.floor(share).astype(int)
    for k in np.argsort(-(share - take))[: n - take.sum()]:
        take[k] += 1
    return np.concatenate([rng.permutation(np.flatnonzero(labels == d))[:take[d]]
                           for d in range(10)])
