"""MNIST: 70,000 real handwritten digits, downloaded once and verified."""

from __future__ import annotations

import numpy as np

from mmtutor.datasets import _cache

MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"

_MEMORY: dict = {}


def load_mnist(*, data_dir=None):
    """Load MNIST's 70,000 handwritten digits (28x28), downloaded once and verified.

    The Keras copy of MNIST (``mnist.npz``, 11 MB) is fetched on first use into
    ``<data folder>/mnist/``, checked against its SHA-256 and reused afterwards. To work
    offline, put ``mnist.npz`` there yourself: the data folder is ``data_dir``, else
    ``$MMTUTOR_DATA_DIR``, else a per-user cache folder.

    Args:
        data_dir: the data folder (overrides ``$MMTUTOR_DATA_DIR``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: images float32 ``(n, 28, 28, 1)`` in [0, 1],
        labels int64 ``(n,)``; 60,000 train and 10,000 test (MNIST's own split).

    Raises:
        OSError: if the file is not there and cannot be downloaded (the message says where
            to put it).
        ValueError: if the downloaded file's checksum does not match.

    Book: section "sec-data".
    """
    key = ("mnist", str(_cache.data_home(data_dir)))
    if key not in _MEMORY:
        path = _cache.data_home(data_dir) / "mnist" / "mnist.npz"
        _cache.download(
            MNIST_URL, path, MNIST_SHA256, name="load_mnist",
            how_to_fix=f"Without network access, download {MNIST_URL} elsewhere and copy it "
                       f"to {path} (or set MMTUTOR_DATA_DIR to a folder with mnist/mnist.npz)")
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in ("x_train", "y_train", "x_test", "y_test")}
        _MEMORY[key] = arrays
    arrays = _MEMORY[key]

    def images(x):  # uint8 (n, 28, 28) -> float32 (n, 28, 28, 1) in [0, 1]
        return (x.astype(np.float32) / 255.0)[..., np.newaxis]

    return ((images(arrays["x_train"]), arrays["y_train"].astype(np.int64)),
            (images(arrays["x_test"]), arrays["y_test"].astype(np.int64)))
