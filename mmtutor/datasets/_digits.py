"""scikit-learn's bundled 8x8 handwritten digits, as Keras-ready images."""

from __future__ import annotations

import numpy as np

N_TRAIN_DIGITS = 898  # scikit-learn's "Recognizing hand-written digits" example: 50/50, unshuffled


def digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    """Return all 1,797 digits as float32 images (n, 8, 8, 1) in [0, 1] and int64 labels (n,)."""
    from sklearn.datasets import load_digits as _sk_load_digits

    bunch = _sk_load_digits()
    # Pixel values are counts 0..16 of a 4x4 block of the original 32x32 bitmap.
    images = (bunch.images / 16.0).astype(np.float32)[..., np.newaxis]  # (1797, 8, 8, 1)
    labels = bunch.target.astype(np.int64)  # (1797,)
    return images, labels


def load_digits():
    """Load scikit-learn's 8x8 handwritten digits as images for a Keras model.

    The 1,797 digits ship inside scikit-learn, so this runs offline in milliseconds. The split
    is the one scikit-learn's "Recognizing hand-written digits" example uses: the first 898
    digits train, the last 899 test, without shuffling (the writers of the two halves differ,
    which makes the test honest).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: images float32 of shape
        ``(n, 8, 8, 1)`` with values in [0, 1], labels int64 of shape ``(n,)`` in 0..9;
        ``n`` is 898 for train and 899 for test.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = load_digits()
    >>> x_train.shape, x_test.shape
    ((898, 8, 8, 1), (899, 8, 8, 1))
    >>> str(x_train.dtype), str(y_train.dtype), float(x_train.min()), float(x_train.max())
    ('float32', 'int64', 0.0, 1.0)

    Book: section "sec-data".
    """
    images, labels = digits_arrays()
    n = N_TRAIN_DIGITS
    return (images[:n], labels[:n]), (images[n:], labels[n:])
