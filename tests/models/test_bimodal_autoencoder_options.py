"""BimodalAutoencoder(audio_only_share=...): which input the training draws zero."""

import numpy as np
import pytest

from mmtutor.models import BimodalAutoencoder


def _presence(share, drop_rate=0.6, n=4000):
    model = BimodalAutoencoder((2, 2, 1), (3, 2), code_dim=2, hidden_units=3,
                               drop_rate=drop_rate, audio_only_share=share, seed=0)
    return np.asarray(model._presence({}, n, training=True))  # (n, 2): image, audio


@pytest.mark.parametrize("share", [0.0, 0.5, 0.8, 1.0])
def test_audio_only_share_sets_the_share_of_image_zeroed_examples(share):
    presence = _presence(share)
    audio_only = np.mean((presence[:, 0] == 0) & (presence[:, 1] == 1))
    image_only = np.mean((presence[:, 0] == 1) & (presence[:, 1] == 0))
    assert not np.any(presence.sum(axis=1) == 0)  # never both zeroed
    assert audio_only == pytest.approx(0.6 * share, abs=0.03)
    assert image_only == pytest.approx(0.6 * (1 - share), abs=0.03)


def test_audio_only_share_default_keeps_the_even_split():
    model = BimodalAutoencoder((2, 2, 1), (3, 2))
    assert model.audio_only_share == 0.5
    assert BimodalAutoencoder.from_config(
        {**model.get_config(), "audio_only_share": 0.9}).audio_only_share == 0.9


@pytest.mark.parametrize("share", [-0.1, 1.5])
def test_audio_only_share_rejects_values_outside_unit_interval(share):
    with pytest.raises(ValueError, match=r"expects audio_only_share in \[0, 1\]"):
        BimodalAutoencoder((2, 2, 1), (3, 2), audio_only_share=share)
