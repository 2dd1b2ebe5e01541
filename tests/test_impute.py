"""Imputation baselines on hand-made data."""

import numpy as np
import pytest

from mmtutor.impute import (
    autoencoder_impute,
    feature_means,
    interpolate,
    mean_fill,
    remove_modality,
)

NAN = np.nan


def test_feature_means_ignore_nan_and_give_zero_for_all_missing():
    x = np.array([[1.0, NAN, NAN], [3.0, 4.0, NAN]])
    np.testing.assert_array_equal(feature_means(x), [2.0, 4.0, 0.0])


def test_mean_fill_uses_training_means_and_keeps_observed_values():
    x = np.array([[NAN, 5.0], [7.0, NAN]], dtype="float32")
    out = mean_fill(x, means=np.array([10.0, 20.0]))
    np.testing.assert_array_equal(out, [[10.0, 5.0], [7.0, 20.0]])
    assert out.dtype == np.float32 and np.isnan(x).sum() == 2  # input untouched


def test_mean_fill_fills_a_whole_missing_modality_with_the_mean_example():
    train = np.arange(12, dtype="float32").reshape(3, 2, 2)
    test = np.full((2, 2, 2), NAN, dtype="float32")
    out = mean_fill(test, means=feature_means(train))
    np.testing.assert_array_equal(out[0], train.mean(axis=0))


def test_mean_fill_rejects_means_of_wrong_shape():
    with pytest.raises(ValueError, match=r"mean_fill expects means of shape x.shape\[1:\]"):
        mean_fill(np.ones((2, 3)), means=np.ones(2))


def test_interpolate_fills_gaps_linearly_and_holds_the_ends():
    x = np.array([[NAN, 2.0, NAN, NAN, 8.0, NAN]])
    np.testing.assert_allclose(interpolate(x), [[2.0, 2.0, 4.0, 6.0, 8.0, 8.0]])


def test_interpolate_treats_each_feature_separately_and_leaves_empty_features():
    x = np.array([[[0.0, NAN, 1.0], [NAN, NAN, NAN], [4.0, NAN, 3.0]]])  # (1, 3 steps, 3)
    out = interpolate(x)
    np.testing.assert_allclose(out[0, :, 0], [0.0, 2.0, 4.0])
    np.testing.assert_allclose(out[0, :, 2], [1.0, 2.0, 3.0])
    assert np.isnan(out[0, :, 1]).all()


def test_interpolate_rejects_rank_1_input():
    with pytest.raises(ValueError, match=r"interpolate expects x of rank 2 or 3"):
        interpolate(np.ones(4))


def test_autoencoder_impute_overwrites_only_missing_entries():
    def swap(batch):  # a toy autoencoder: predicts each feature from the other one
        return batch[:, ::-1] * 1.0

    x = np.array([[1.0, NAN], [NAN, 3.0], [5.0, 6.0]])
    out = autoencoder_impute(x, swap, iterations=2)
    np.testing.assert_array_equal(out, [[1.0, 1.0], [3.0, 3.0], [5.0, 6.0]])


def test_autoencoder_impute_rejects_wrong_reconstruction_shape():
    with pytest.raises(ValueError, match=r"reconstructions of the input's shape"):
        autoencoder_impute(np.ones((2, 3)), lambda b: b[:, :2])


def test_remove_modality_zeroes_rows_and_chains_presence():
    inputs = {"image": np.ones((3, 2)), "audio": np.ones((3, 4)), "text": np.ones((3, 1))}
    out = remove_modality(inputs, "audio", rows=[0, 2])
    out = remove_modality(out, "text", rows=np.array([False, True, False]))
    np.testing.assert_array_equal(out["presence"], [[1, 0, 1], [1, 1, 0], [1, 0, 1]])
    np.testing.assert_array_equal(out["audio"].sum(axis=1), [0, 4, 0])
    assert inputs["audio"].sum() == 12 and "presence" not in inputs


def test_remove_modality_follows_the_given_modality_order():
    inputs = {"image": np.ones((2, 1)), "audio": np.ones((2, 1))}
    out = remove_modality(inputs, "audio", modalities=("audio", "image"))
    np.testing.assert_array_equal(out["presence"], [[0, 1], [0, 1]])


def test_remove_modality_rejects_unknown_modality():
    with pytest.raises(ValueError, match=r"remove_modality expects modality to be one of"):
        remove_modality({"image": np.ones((2, 1))}, "audio")


def test_remove_modality_orders_presence_columns_by_the_shared_vocabulary():
    from mmtutor import impute, modalities

    assert not hasattr(impute, "_MODALITIES")  # no private copy of the vocabulary
    assert impute.MODALITIES is modalities.MODALITIES
    inputs = {"text": np.ones((2, 1)), "presence_note": None, "image": np.ones((2, 1))}
    out = remove_modality(inputs, "text", rows=[1])
    np.testing.assert_array_equal(out["presence"], [[1, 1], [1, 0]])  # image, then text


@pytest.mark.parametrize("fill", [np.float32(0.5), np.int64(2), 0.5])
def test_remove_modality_takes_any_real_fill(fill):
    out = remove_modality({"audio": np.ones((2, 3))}, "audio", rows=[0], fill=fill)
    np.testing.assert_array_equal(out["audio"][0], [float(fill)] * 3)


def test_remove_modality_refuses_fills_that_are_not_finite_numbers():
    inputs = {"audio": np.ones((2, 3))}
    with pytest.raises(TypeError, match=r"remove_modality expects fill to be a real number\. "
                       r"Received: fill=True of type bool\. Missing inputs are filled"):
        remove_modality(inputs, "audio", fill=True)
    with pytest.raises(ValueError, match=r"remove_modality expects fill to be a real number\. "
                       r"Received: fill=nan\."):
        remove_modality(inputs, "audio", fill=np.nan)
