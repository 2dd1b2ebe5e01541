"""Image degradations: PCA energy removal, noise and occlusion."""

import numpy as np

from mmtutor.datasets._digits import digits_arrays
from mmtutor.datasets._images import degrade_images, remove_energy


def test_remove_energy_keeps_the_requested_share_of_variance():
    images = digits_arrays()[0][:400]
    centred = images - images.mean(axis=0)
    kept = remove_energy(images, 0.5) - images.mean(axis=0)
    share = (kept**2).sum() / (centred**2).sum()
    assert 0.5 <= share < 0.6  # whole components, so at least the share asked for
    np.testing.assert_array_equal(remove_energy(images, 1.0), images)


def test_remove_energy_matches_an_svd_reconstruction():
    images = digits_arrays()[0][:300]
    flat = images.reshape(300, -1).astype(np.float64)
    mean = flat.mean(axis=0)
    _, singular, vt = np.linalg.svd(flat - mean, full_matrices=False)  # independent route
    keep = (singular[:5] ** 2).sum() / (singular**2).sum()
    want = mean + (flat - mean) @ vt[:5].T @ vt[:5]
    ours = remove_energy(images, keep - 1e-9).reshape(300, -1)
    np.testing.assert_allclose(ours, want, atol=1e-5)


def test_degrade_images_stays_in_range_and_occludes_a_square():
    images = np.ones((20, 8, 8, 1), dtype=np.float32)
    out = degrade_images(images, np.random.default_rng(0), energy=1.0, noise=0.0, occlusion=3)
    assert out.dtype == np.float32 and out.shape == images.shape
    assert np.all((out == 0).sum(axis=(1, 2, 3)) == 9)
    noisy = degrade_images(images * 0.5, np.random.default_rng(0), energy=1.0, noise=0.3,
                           occlusion=0)
    assert noisy.min() >= 0 and noisy.max() <= 1 and 0.2 < noisy.std() < 0.4


def test_remove_energy_fits_its_components_on_the_given_images_only():
    images = digits_arrays()[0][:300]
    train, other = images[:200], images[200:]
    alone = remove_energy(train, 0.5)
    together = remove_energy(images, 0.5, fit=train)
    np.testing.assert_allclose(together[:200], alone, atol=1e-6)
    changed = np.concatenate([train, 1.0 - other])  # other pixels outside the fit
    np.testing.assert_array_equal(remove_energy(changed, 0.5, fit=train)[:200],
                                  together[:200])
    assert not np.allclose(remove_energy(images, 0.5)[:200], alone, atol=1e-3)


def test_degrade_images_passes_the_fit_images_to_the_pca():
    images = digits_arrays()[0][:300]
    out = degrade_images(images, np.random.default_rng(0), energy=0.5, noise=0.0,
                         occlusion=0, fit=images[:200])
    want = np.clip(remove_energy(images, 0.5, fit=images[:200]), 0, 1)
    np.testing.assert_array_equal(out, want)
