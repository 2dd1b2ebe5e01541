"""BimodalAutoencoder(audio_only_share=...): which input the training draws zero."""

import numpy as np
import pytest

from mmtutor.models import BimodalAutoencoder


def _presence(share, modality_dropout=0.6, n=4000):
    model = BimodalAutoencoder((2, 2, 1), (3, 2), encoding_dim=2, hidden_units=3,
                               modality_dropout=modality_dropout, audio_only_share=share, seed=0)
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
    with pytest.raises(ValueError, match=r"expects audio_only_share to be a real number in "
                                         r"\[0, 1\]"):
        BimodalAutoencoder((2, 2, 1), (3, 2), audio_only_share=share)


@pytest.mark.parametrize(("old", "new"), [("code_dim", "encoding_dim"),
                                          ("drop_rate", "modality_dropout")])
def test_old_argument_names_raise_and_name_the_new_ones(old, new):
    with pytest.raises(TypeError, match=rf"BimodalAutoencoder expects {new}, the package's name "
                                        rf"for this argument. Received: {old}=0.5. {old} was "
                                        rf"renamed: pass {new}=0.5"):
        BimodalAutoencoder((2, 2, 1), (3, 2), **{old: 0.5})


def test_loss_weights_each_example_and_ignores_weight_zero_rows():
    model = BimodalAutoencoder((2, 2, 1), (3, 2), encoding_dim=2, hidden_units=3,
                               audio_weight=0.5, seed=0)
    rng = np.random.default_rng(0)
    x = {"image": rng.random((4, 2, 2, 1), dtype="float32"),
         "audio": rng.normal(size=(4, 3, 2)).astype("float32")}
    out = {m: np.asarray(y) for m, y in model(x).items()}
    weights = np.array([1.0, 0.0, 2.0, 0.5])
    per_example = (((x["image"] - out["image"]) ** 2).mean(axis=(1, 2, 3))
                   + 0.5 * ((x["audio"] - out["audio"]) ** 2).mean(axis=(1, 2)))
    got = float(model.compute_loss(x=x, y_pred=out, sample_weight=weights))
    assert got == pytest.approx(np.sum(weights * per_example) / 4, rel=1e-5)
    changed = {m: a.copy() for m, a in x.items()}
    for a in changed.values():
        a[weights == 0] = 9.0  # the inputs (the targets) of the weight-0 examples
    assert float(model.compute_loss(x=changed, y_pred=out, sample_weight=weights)) == (
        pytest.approx(got, rel=1e-6))
    assert float(model.compute_loss(x=x, y_pred=out)) == pytest.approx(per_example.mean(),
                                                                       rel=1e-5)
