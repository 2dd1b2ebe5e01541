"""Unit tests for load_digits: shapes, dtypes, range and scikit-learn's split."""

import numpy as np
from sklearn.datasets import load_digits as sk_load_digits

from mmtutor.datasets import load_digits


def test_load_digits_shapes_dtypes_and_range():
    (x_train, y_train), (x_test, y_test) = load_digits()
    assert x_train.shape == (898, 8, 8, 1) and x_test.shape == (899, 8, 8, 1)
    assert y_train.shape == (898,) and y_test.shape == (899,)
    assert x_train.dtype == np.float32 and y_train.dtype == np.int64
    assert x_train.min() == 0.0 and x_train.max() == 1.0
    assert set(np.unique(y_test)) == set(range(10))


def test_load_digits_split_is_sklearns_first_half_and_second_half():
    bunch = sk_load_digits()
    (x_train, y_train), (x_test, y_test) = load_digits()
    np.testing.assert_array_equal(y_train, bunch.target[:898])
    np.testing.assert_array_equal(y_test, bunch.target[898:])
    # Pixel counts 0..16 scaled by 1/16, one channel added.
    np.testing.assert_allclose(x_test[5, :, :, 0] * 16, bunch.images[898 + 5])
