"""Real images and recordings for the examples of MultiDigits, none of them in two splits.

MultiDigits pairs modalities by label, so any image or recording of the right digit will do;
what matters is where it comes from. Test examples take their images and recordings from the
real data set's own test part; training and validation examples from its training part, shared
out so that no image or recording serves two splits.
"""

from __future__ import annotations

import numpy as np

from mmtutor._validation import message
from mmtutor.datasets import _mnist, _real


def mnist_images_for(labels, splits, rng, *, data_dir=None):
    """One MNIST image per label, never reused: train and validation examples from MNIST's
    training set, test examples from its test set."""
    (x_train, y_train), (x_test, y_test) = _mnist.load_mnist(data_dir=data_dir)
    images = np.zeros((len(labels), 28, 28, 1), dtype=np.float32)
    pools = {"fit": (x_train, y_train), "test": (x_test, y_test)}
    for part, rows in (("fit", np.concatenate(splits[:2])), ("test", splits[2])):
        x, y = pools[part]
        for digit in range(10):
            want = rows[labels[rows] == digit]
            have = rng.permutation(np.flatnonzero(y == digit))[:len(want)]
            images[want] = x[have]
    return images


def fsdd_waveforms_for(labels, splits, rng, samples, *, data_dir=None):
    """One FSDD recording per label, and no recording in two splits.

    Test examples come from FSDD's test takes (0-4); train and validation examples from its
    train takes (5-49), which are shared out per digit between the two splits in proportion
    to how many examples each needs. A recording is reused only within its split, and only
    when that split's pool runs out.
    """
    fsdd = _real.cached_fsdd(data_dir, samples)
    waveforms = np.zeros((len(labels), samples), dtype=np.float32)
    for digit in range(10):
        want = [rows[labels[rows] == digit] for rows in splits]  # train, validation, test
        fit = rng.permutation(np.flatnonzero(fsdd.train.labels == digit))
        n_val = _validation_share(len(fit), len(want[0]), len(want[1]))
        pools = ((fsdd.train, fit[n_val:]), (fsdd.train, fit[:n_val]),
                 (fsdd.test, np.flatnonzero(fsdd.test.labels == digit)))
        for rows, (source, pool) in zip(want, pools, strict=True):
            if len(rows) == 0:
                continue
            if pool.size == 0:
                have = int(np.sum(source.labels == digit))
                need = ("two or more, one for training and one for validation, as no "
                        "recording may serve two splits" if source is fsdd.train else
                        "one or more")
                raise ValueError(message(
                    "load_multidigits", f"FSDD recordings of every digit in the "
                    f"{source.name} takes, {need}",
                    f"{'none' if have == 0 else have} of digit {digit} in "
                    f"{fsdd.metadata['folder']}",
                    "Provide the full FSDD release or more of its recordings"))
            order = np.concatenate([rng.permutation(pool)
                                    for _ in range(-(-len(rows) // pool.size))])
            waveforms[rows] = source.waveforms[order[:len(rows)]]
    return waveforms


def _validation_share(pool: int, n_train: int, n_validation: int) -> int:
    """How many of a digit's ``pool`` train-take recordings go to validation: in proportion
    to the examples each split needs, at least one for each split that needs any."""
    if n_validation == 0 or pool == 0:
        return 0
    if n_train == 0:
        return pool
    share = int(round(pool * n_validation / (n_train + n_validation)))
    return min(max(share, 1), pool - 1)
