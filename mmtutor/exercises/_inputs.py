"""Seeded inputs for the code exercises' checkers, and the stable softmax their mistakes use."""

from __future__ import annotations

import numpy as np


def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """Log-softmax with the maximum subtracted first (finite for scores of any size)."""
    z = z - z.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax with the maximum subtracted first."""
    return np.exp(log_softmax(z, axis=axis))


def one_hot(labels, num_classes: int) -> np.ndarray:
    """One-hot rows of ``labels`` (any shape), float64, classes on a new last axis."""
    return np.eye(num_classes)[np.asarray(labels)]


def targets_and_probabilities(rng: np.random.Generator, shape: tuple) -> tuple:
    """One-hot targets and predicted probabilities of ``shape`` (..., classes)."""
    labels = rng.integers(0, shape[-1], size=shape[:-1])
    return one_hot(labels, shape[-1]), softmax(1.5 * rng.normal(size=shape))


def with_zeros(rng: np.random.Generator, y_true: np.ndarray, y_prob: np.ndarray,
               tiny: float = 2e-5) -> np.ndarray:
    """``y_prob`` with exact zeros among the wrong classes of every row.

    About half of the wrong classes of each row (at least one) get probability exactly 0; the
    first row's true class gets ``tiny`` (above 1e-6, so no clipping convention matters).
    """
    rows_true = y_true.reshape(-1, y_true.shape[-1])
    rows = y_prob.reshape(-1, y_prob.shape[-1]).copy()
    for row, target in zip(rows, rows_true, strict=True):
        wrong = np.flatnonzero(target == 0)
        zero = wrong[rng.random(len(wrong)) < 0.5]
        row[zero if len(zero) else wrong[:1]] = 0.0
        row /= row.sum()
    true_class = int(np.argmax(rows_true[0]))
    rest = rows[0].sum() - rows[0, true_class]
    rows[0] *= (1 - tiny) / rest
    rows[0, true_class] = tiny
    return rows.reshape(y_prob.shape)


def prefix_mask(lengths, steps: int) -> np.ndarray:
    """Boolean ``(N, steps)`` mask whose row ``n`` has its first ``lengths[n]`` steps real."""
    return np.arange(steps)[None, :] < np.asarray(lengths)[:, None]


def scattered_mask(rng: np.random.Generator, rows: int, steps: int) -> np.ndarray:
    """Boolean ``(rows, steps)`` mask with real steps anywhere, at least one per row."""
    mask = rng.random((rows, steps)) < 0.6
    mask[np.arange(rows), rng.integers(0, steps, size=rows)] = True
    return mask


def scaled_rows(rng: np.random.Generator, shape: tuple, low: float, high: float) -> np.ndarray:
    """Random rows whose lengths spread from ``low`` to ``high`` (log-uniform)."""
    rows = rng.normal(size=shape)
    return rows * np.exp(rng.uniform(np.log(low), np.log(high), size=(shape[0], 1)))
