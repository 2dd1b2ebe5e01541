"""info_nce and InfoNCE against a plain NumPy reference."""

import numpy as np
import pytest

from mmtutor.losses import InfoNCE, info_nce


def _numpy_info_nce(a, b, temperature, normalize=True):
    """Symmetric InfoNCE written as loops over the batch, in float64."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if normalize:
        a = a / np.linalg.norm(a, axis=1, keepdims=True)
        b = b / np.linalg.norm(b, axis=1, keepdims=True)
    n = len(a)
    total = 0.0
    for i in range(n):
        row = [a[i] @ b[j] / temperature for j in range(n)]
        col = [b[i] @ a[j] / temperature for j in range(n)]
        total += -row[i] + np.log(np.sum(np.exp(row)))
        total += -col[i] + np.log(np.sum(np.exp(col)))
    return total / (2 * n)


@pytest.mark.parametrize("normalize", [True, False])
@pytest.mark.parametrize("temperature", [0.07, 0.5, 2.0])
def test_info_nce_matches_numpy_reference(temperature, normalize):
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 6, 4))
    expected = _numpy_info_nce(a, b, temperature, normalize)
    got = float(info_nce(a, b, temperature=temperature, normalize=normalize))
    assert got == pytest.approx(expected, rel=1e-5)


def test_info_nce_is_symmetric_in_its_two_arguments():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(2, 5, 3))
    assert float(info_nce(a, b)) == pytest.approx(float(info_nce(b, a)), rel=1e-6)


def test_info_nce_is_lower_for_matched_pairs_than_for_shuffled_pairs():
    rng = np.random.default_rng(2)
    a = rng.normal(size=(8, 4))
    assert float(info_nce(a, a + 0.01)) < float(info_nce(a, np.roll(a, 1, axis=0)))


def test_info_nce_class_equals_function_on_stacked_views():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(2, 4, 3)).astype("float32")
    loss = InfoNCE(temperature=0.3)
    expected = float(info_nce(a, b, temperature=0.3))
    assert float(loss(np.zeros(4), np.stack([a, b], axis=1))) == pytest.approx(expected, rel=1e-5)


def test_info_nce_class_config_round_trip():
    loss = InfoNCE(temperature=0.2, normalize=False)
    clone = InfoNCE.from_config(loss.get_config())
    assert (clone.temperature, clone.normalize) == (0.2, False)


def test_info_nce_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"info_nce expects a and b to have the same shape"):
        info_nce(np.ones((3, 2)), np.ones((4, 2)))


def test_info_nce_rejects_rank_3_inputs():
    with pytest.raises(ValueError, match=r"info_nce expects a of rank 2"):
        info_nce(np.ones((3, 2, 2)), np.ones((3, 2, 2)))


@pytest.mark.parametrize("temperature", [0.0, -1.0])
def test_info_nce_rejects_non_positive_temperature(temperature):
    with pytest.raises(ValueError, match=r"temperature to be a real number > 0"):
        info_nce(np.ones((2, 2)), np.ones((2, 2)), temperature=temperature)


def test_info_nce_class_rejects_unstacked_predictions():
    with pytest.raises(ValueError, match=r"InfoNCE expects y_pred of shape \(batch_size, 2"):
        InfoNCE()(np.zeros(3), np.ones((3, 4)))


def test_info_nce_without_reduction_gives_each_rows_term_whose_mean_is_the_loss():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    for labels in (None, [0, 1, 0, 2, 1]):
        rows = np.asarray(info_nce(a, b, temperature=0.3, labels=labels, reduction="none"))
        assert rows.shape == (5,)
        np.testing.assert_allclose(rows.mean(), info_nce(a, b, temperature=0.3, labels=labels),
                                   rtol=1e-6)
    with pytest.raises(ValueError, match="info_nce expects reduction to be one of"):
        info_nce(a, b, reduction="sum")
