"""mmtutor.datasets.to_dataset: a split as a seeded, shuffled, batched tf.data pipeline."""

import numpy as np
import pytest

from mmtutor.datasets import to_dataset


def _split(n=10):
    inputs = {"image": np.arange(n, dtype="float32").reshape(n, 1, 1, 1) * np.ones((1, 2, 2, 1)),
              "audio": np.arange(n, dtype="float32")[:, None, None] * np.ones((1, 3, 4))}
    return inputs, np.arange(n)


class _Split:
    def __init__(self, inputs, labels):
        self.inputs, self.labels = inputs, labels


def _epoch(dataset):
    return np.concatenate([labels.numpy() for _, labels in dataset]).tolist()


def test_to_dataset_batches_every_example_once_with_inputs_aligned():
    inputs, labels = _split()
    batches = list(to_dataset(_Split(inputs, labels), batch_size=4, seed=1))
    assert [int(y.shape[0]) for _, y in batches] == [4, 4, 2]
    seen = np.concatenate([y.numpy() for _, y in batches])
    assert sorted(seen.tolist()) == list(range(10))
    for x, y in batches:  # each row's inputs still belong to its label
        np.testing.assert_array_equal(x["audio"].numpy()[:, 0, 0], y.numpy())
        np.testing.assert_array_equal(x["image"].numpy()[:, 0, 0, 0], y.numpy())


def test_to_dataset_reshuffles_each_epoch_and_repeats_for_a_seed():
    dataset = to_dataset(_split(), batch_size=10, seed=3)
    first, second = _epoch(dataset), _epoch(dataset)
    assert first != second  # a new order every epoch
    again = to_dataset(_split(), batch_size=10, seed=3)
    assert [_epoch(again), _epoch(again)] == [first, second]  # the same orders for a seed
    assert _epoch(to_dataset(_split(), batch_size=10, seed=4)) != first


def test_to_dataset_without_shuffle_keeps_the_order_and_drops_the_remainder():
    dataset = to_dataset(_split(), batch_size=4, shuffle=False, drop_remainder=True)
    assert _epoch(dataset) == list(range(8))


def test_to_dataset_keeps_only_the_modalities_asked_for():
    x, _ = next(iter(to_dataset(_split(), batch_size=2, modalities=["audio"])))
    assert list(x) == ["audio"]


def test_to_dataset_without_labels_gives_the_inputs_alone():
    x = next(iter(to_dataset((_split()[0],), batch_size=3, shuffle=False)))
    assert sorted(x) == ["audio", "image"] and tuple(x["image"].shape) == (3, 2, 2, 1)
    y = next(iter(to_dataset((np.ones((5, 2)), np.arange(5)), batch_size=5)))[1]
    assert sorted(y.numpy().tolist()) == list(range(5))  # one array as inputs


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"split": "train"}, TypeError, "split to be a data split"),
    ({"split": (object(), None)}, TypeError, "inputs to be a numeric array"),
    ({"batch_size": 0}, ValueError, "batch_size to be a positive integer"),
    ({"seed": 1.5}, TypeError, "seed to be an integer"),
    ({"modalities": "audio"}, TypeError, "modalities to be a list of modality names"),
    ({"modalities": ["text"]}, ValueError, r"modalities among the split's inputs"),
    ({"split": (np.ones((3, 2)), [0, 1, 2]), "modalities": ["image"]}, ValueError,
     "inputs keyed by modality"),
    ({"split": (_split()[0], np.arange(3))}, ValueError, "one row per example"),
])
def test_to_dataset_rejects_bad_arguments(kwargs, error, match):
    arguments = {"split": _split(), "batch_size": 2, **kwargs}
    split = arguments.pop("split")
    with pytest.raises(error, match=match):
        to_dataset(split, **arguments)
