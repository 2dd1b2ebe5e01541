"""ModalityDropout: drops whole modalities in training only, never all of them."""

import keras
import numpy as np
import pytest

from mmtutor.layers import ModalityDropout


def test_modality_dropout_is_identity_at_inference():
    presence = np.array([[1, 0, 1], [1, 1, 1]], dtype="float32")
    out = ModalityDropout(0.9, seed=0)(presence, training=False)
    np.testing.assert_array_equal(np.asarray(out), presence)


def test_modality_dropout_drops_at_about_rate_and_keeps_one_per_example():
    presence = np.ones((4000, 3), dtype="float32")
    out = np.asarray(ModalityDropout(0.3, seed=1)(presence, training=True))
    assert set(np.unique(out)) <= {0.0, 1.0}
    assert (out.sum(axis=1) >= 1).all()
    # Rows that would lose everything (0.3^3 = 2.7%) are restored, so the share kept is
    # 0.7 + 0.3 * 0.027 = 0.708.
    assert out.mean() == pytest.approx(0.708, abs=0.02)


def test_modality_dropout_never_revives_an_absent_modality():
    presence = np.tile(np.array([[1, 0, 0]], dtype="float32"), (50, 1))
    out = np.asarray(ModalityDropout(0.5, seed=2)(presence, training=True))
    np.testing.assert_array_equal(out, presence)  # the only present modality must stay


def test_modality_dropout_config_round_trip():
    layer = ModalityDropout(0.25, seed=3, name="md")
    clone = ModalityDropout.from_config(layer.get_config())
    assert (clone.rate, clone.seed, clone.name) == (0.25, 3, "md")


def test_modality_dropout_saves_and_loads_in_a_model(tmp_path):
    inputs = keras.Input((3,))
    model = keras.Model(inputs, ModalityDropout(0.5, seed=0)(inputs))
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.layers[-1].rate == 0.5


@pytest.mark.parametrize("rate", [-0.1, 1.0])
def test_modality_dropout_rejects_rate_outside_unit_interval(rate):
    with pytest.raises(ValueError, match=r"ModalityDropout expects rate to be a real number "
                                         r"in \[0, 1\)"):
        ModalityDropout(rate)


def test_modality_dropout_rejects_rank_3_presence():
    with pytest.raises(ValueError, match=r"ModalityDropout expects presence of rank 2"):
        ModalityDropout(0.5)(np.ones((2, 3, 1), dtype="float32"))
