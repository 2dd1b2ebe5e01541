"""A split as a ``tf.data`` pipeline: seeded shuffling, batching, prefetch."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import tensorflow as tf

from mmtutor import _validation as v

_NAME = "to_dataset"


def _split_parts(split):
    """``(inputs dict, labels or None)`` of a split object or an ``(inputs, labels)`` pair."""
    if hasattr(split, "inputs") and hasattr(split, "labels"):
        inputs, labels = split.inputs, split.labels
    elif isinstance(split, (tuple, list)) and len(split) in (1, 2):
        inputs, labels = split[0], (split[1] if len(split) == 2 else None)
    else:
        raise TypeError(
            v.message(_NAME, "split to be a data split with .inputs and .labels or a pair "
                      "(inputs_dict, labels)", f"split of type {type(split).__name__}",
                      "Pass data.train, or (x_train, y_train)")
        )
    if isinstance(inputs, Mapping):
        return dict(inputs), labels
    v.check_array(_NAME, "inputs", inputs, what="a dict keyed by modality, or an array")
    return inputs, labels


def _select(inputs, modalities):
    if modalities is None:
        return inputs
    if not isinstance(inputs, dict):
        raise ValueError(
            v.message(_NAME, "inputs keyed by modality when modalities is given",
                      f"inputs of type {type(inputs).__name__}", "Pass modalities=None")
        )
    if isinstance(modalities, str) or not all(isinstance(m, str) for m in modalities):
        raise TypeError(
            v.message(_NAME, "modalities to be a list of modality names",
                      f"modalities={modalities!r}", "For example modalities=['image', 'audio']")
        )
    missing = [m for m in modalities if m not in inputs]
    if missing or not modalities:
        raise ValueError(
            v.message(_NAME, f"modalities among the split's inputs {sorted(inputs)}",
                      f"modalities={list(modalities)!r}",
                      "Pass a non-empty list of the keys of split.inputs")
        )
    return {m: inputs[m] for m in modalities}


def to_dataset(split, *, batch_size, shuffle=True, seed=0, modalities=None,
               drop_remainder=False) -> tf.data.Dataset:
    """Turn a data split into a batched, shuffled and prefetched ``tf.data.Dataset``.

    This is the input pipeline of data-parallel training: a ``tf.distribute`` strategy
    splits every batch of the dataset across its replicas
    (``strategy.experimental_distribute_dataset``, which Keras's ``fit`` calls), so
    ``batch_size`` is the *global* batch size, the sum over the replicas. Shuffling draws a
    new order at every epoch (``reshuffle_each_iteration``); the sequence of orders depends
    only on ``seed``, so two runs with one seed see the same batches.

    Args:
        split: a split of the package's data sets (``data.train``: a dict ``.inputs`` keyed
            by modality and ``.labels``), or a pair ``(inputs_dict, labels)``; labels may be
            None (or the pair a 1-tuple) for a model whose loss needs none. The inputs may
            also be one array, for a model with one input.
        batch_size: examples per batch, summed over replicas under a strategy.
        shuffle: reshuffle the examples at every epoch (for training).
        seed: seed of the shuffling.
        modalities: the input keys to keep (e.g. ``["image", "audio"]``), or None for all.
        drop_remainder: drop the last, smaller batch, so every step has ``batch_size``
            examples.

    Returns:
        A ``tf.data.Dataset`` whose elements are ``(inputs_dict, labels)``, inputs shaped
        ``(batch_size, ...)`` per modality and labels ``(batch_size, ...)``; just the
        inputs dict when there are no labels.

    Raises:
        TypeError: for a split of another form, inputs that are neither a dict nor an
            array, modalities that are not a list of names, or a non-integer
            ``batch_size`` or ``seed``.
        ValueError: for a non-positive ``batch_size``, an unknown modality (or modalities
            with array inputs), inputs of different lengths, or labels of another length.

    Example:
        >>> import numpy as np
        >>> split = ({"image": np.zeros((5, 2, 2, 1)), "audio": np.ones((5, 3, 4))},
        ...          np.arange(5))
        >>> dataset = to_dataset(split, batch_size=2, seed=0)
        >>> [int(labels.shape[0]) for _, labels in dataset]
        [2, 2, 1]
        >>> inputs, _ = next(iter(to_dataset(split, batch_size=4, modalities=["audio"])))
        >>> list(inputs), tuple(inputs["audio"].shape)
        (['audio'], (4, 3, 4))

    Book: section "sec-training-protocol".
    """
    v.check_positive_int(_NAME, "batch_size", batch_size)
    v.check_type(_NAME, "seed", seed, (int, np.integer), "an integer")
    inputs, labels = _split_parts(split)
    inputs = _select(inputs, modalities)
    lengths = ({k: len(x) for k, x in inputs.items()} if isinstance(inputs, dict)
               else {"inputs": len(inputs)})
    if labels is not None:
        lengths["labels"] = len(labels)
    if len(set(lengths.values())) > 1:
        raise ValueError(
            v.message(_NAME, "inputs and labels with one row per example",
                      f"lengths {lengths}", "Take the same examples from every array")
        )
    arrays = inputs if labels is None else (inputs, np.asarray(labels))
    dataset = tf.data.Dataset.from_tensor_slices(arrays)
    if shuffle:
        dataset = dataset.shuffle(max(lengths.values()), seed=int(seed),
                                  reshuffle_each_iteration=True)
    dataset = dataset.batch(int(batch_size), drop_remainder=bool(drop_remainder))
    return dataset.prefetch(tf.data.AUTOTUNE)
