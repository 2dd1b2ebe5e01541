"""Image degradations in the style of AV-MNIST: remove energy with PCA, add noise, occlude."""

from __future__ import annotations

import numpy as np


def remove_energy(images: np.ndarray, keep: float, *, fit: np.ndarray | None = None
                  ) -> np.ndarray:
    """Project images on the leading principal components that hold ``keep`` of the variance.

    The mean image and the principal components are fitted on ``fit`` (default: ``images``
    themselves; no labels are used). Pass the training images as ``fit``, so that held-out
    images never shape the projection. The mean image is kept, so ``keep=0`` leaves only the
    average digit and ``keep=1`` changes nothing.
    """
    if keep >= 1.0:
        return images.copy()
    n = len(images)
    fit = images if fit is None else fit
    fit_flat = fit.reshape(len(fit), -1).astype(np.float64)  # (n_fit, pixels)
    mean = fit_flat.mean(axis=0)
    fit_centered = fit_flat - mean
    centered = images.reshape(n, -1).astype(np.float64) - mean  # (n, pixels)
    # Principal axes from the pixel covariance, largest variance first.
    variance, axes = np.linalg.eigh(fit_centered.T @ fit_centered)  # (pixels,), (pixels, pixels)
    variance, axes = np.clip(variance[::-1], 0, None), axes[:, ::-1]
    energy = np.cumsum(variance) / np.sum(variance)
    k = int(np.searchsorted(energy, keep - 1e-12)) + 1 if keep > 0 else 0
    basis = axes[:, :k].T  # (k, pixels)
    kept = mean + (centered @ basis.T) @ basis  # (n, pixels)
    return kept.reshape(images.shape).astype(np.float32)


def degrade_images(images: np.ndarray, rng: np.random.Generator, *, energy: float,
                   noise: float, occlusion: int, fit: np.ndarray | None = None) -> np.ndarray:
    """PCA energy removal (fitted on ``fit``, default ``images``), Gaussian pixel noise of
    std ``noise``, one ``occlusion``-pixel square patch at a random place per image; clipped
    back to [0, 1]."""
    out = remove_energy(images, energy, fit=fit)
    n, height, width = out.shape[:3]
    if noise > 0:
        out += rng.normal(0.0, noise, out.shape).astype(np.float32)
    if occlusion > 0:
        size = min(occlusion, height, width)
        tops = rng.integers(0, height - size + 1, n)
        lefts = rng.integers(0, width - size + 1, n)
        rows = np.arange(height)[None, :, None]
        cols = np.arange(width)[None, None, :]
        patch = ((rows >= tops[:, None, None]) & (rows < tops[:, None, None] + size)
                 & (cols >= lefts[:, None, None]) & (cols < lefts[:, None, None] + size))
        out[patch[..., None].repeat(out.shape[3], axis=3)] = 0.0  # (n, height, width, c)
    return np.clip(out, 0.0, 1.0).astype(np.float32)
