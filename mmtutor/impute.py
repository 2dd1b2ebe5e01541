"""Baselines for missing values and missing modalities: mean fill, interpolation, autoencoders.

Missing values are NaN. A missing *modality* (no audio at all for an example) is handled two
ways in the book: a mask-aware model is told which modality is absent
(:func:`remove_modality` builds its ``"presence"`` input), or the gap is filled with a guess
(:func:`mean_fill`, :func:`interpolate`, :func:`autoencoder_impute`) and a standard model
runs on the result.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from mmtutor import _validation as v
from mmtutor.modalities import MODALITIES, ordered


def feature_means(x):
    """Mean of every feature over the examples, ignoring NaN.

    Compute it on the training data and pass it to :func:`mean_fill` for new data. A feature
    that is NaN in every example gets mean 0.

    Formula:
        mu_f = sum_n [x_nf observed] x_nf / sum_n [x_nf observed]

    Args:
        x: data, shape ``(num_examples, ...)``, NaN where missing.

    Returns:
        A float array of shape ``x.shape[1:]``.

    Raises:
        ValueError: if ``x`` has rank 0.

    Example:
        >>> feature_means([[1.0, np.nan], [3.0, 4.0]])
        array([2., 4.])

    Book: section "sec-missing-modalities".
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        raise ValueError(v.message("feature_means", "x of rank 1 or more, (num_examples, ...)",
                                   "x with shape ()"))
    observed = ~np.isnan(x)
    counts = observed.sum(axis=0)
    totals = np.where(observed, x, 0.0).sum(axis=0)
    return np.where(counts > 0, totals / np.maximum(counts, 1), 0.0)


def mean_fill(x, *, means=None):
    """Replace every NaN with its feature's mean.

    The simplest imputation: a missing pixel (or a whole missing modality, all NaN) becomes
    the average over the training examples. It keeps the data's shape and mean but erases
    what made the example different.

    Formula:
        x'_nf = x_nf if observed, else mu_f

    Args:
        x: data, shape ``(num_examples, ...)``, NaN where missing.
        means: the means to fill in, shape ``x.shape[1:]`` (from :func:`feature_means` on
            the training data); None computes them from ``x`` itself.

    Returns:
        A copy of ``x`` without NaN, of ``x``'s float dtype (float32 for integer ``x``).

    Raises:
        ValueError: if ``means`` does not have the shape ``x.shape[1:]``.

    Example:
        >>> mean_fill([[1.0, np.nan], [3.0, 4.0]])
        array([[1., 4.],
               [3., 4.]])

    Book: section "sec-missing-modalities".
    """
    array = np.asarray(x)
    dtype = array.dtype if np.issubdtype(array.dtype, np.floating) else np.float32
    array = array.astype(dtype)  # a copy
    means = feature_means(array) if means is None else np.asarray(means, dtype=dtype)
    if means.shape != array.shape[1:]:
        raise ValueError(
            v.message("mean_fill", f"means of shape x.shape[1:] = {v._fmt(array.shape[1:])}",
                      f"means with shape {v._fmt(means.shape)}",
                      "Compute them with feature_means(x_train)")
        )
    missing = np.isnan(array)
    array[missing] = np.broadcast_to(means, array.shape)[missing]
    return array


def interpolate(x):
    """Fill NaN steps of sequences by linear interpolation in time.

    For audio frames (or any sequence) a gap is best guessed from its neighbors: each
    missing step lies on the straight line between the nearest observed steps before and
    after it, and steps before the first (after the last) observed one copy it. Each feature
    of each example is interpolated separately. A feature with no observed step stays NaN;
    follow with :func:`mean_fill` for those.

    Formula:
        x'_t = x_a + (t - a) / (b - a) * (x_b - x_a), a < t < b the nearest observed steps.

    Args:
        x: sequences, shape ``(num_examples, steps)`` or ``(num_examples, steps,
            features)``, NaN where missing.

    Returns:
        A copy of the same shape and float dtype (float32 for integer ``x``).

    Raises:
        ValueError: if ``x`` is not rank 2 or 3.

    Example:
        >>> interpolate([[0.0, np.nan, np.nan, 3.0, np.nan]])
        array([[0., 1., 2., 3., 3.]])

    Book: section "sec-missing-modalities".
    """
    array = np.asarray(x)
    dtype = array.dtype if np.issubdtype(array.dtype, np.floating) else np.float32
    array = array.astype(dtype)
    v.check_rank("interpolate", "x", array, (2, 3),
                 "(num_examples, steps) or (num_examples, steps, features)")
    series = array if array.ndim == 3 else array[:, :, None]  # (n, steps, features), a view
    steps = np.arange(series.shape[1])
    for n in range(series.shape[0]):
        for f in range(series.shape[2]):
            column = series[n, :, f]  # (steps,)
            known = ~np.isnan(column)
            if known.any() and not known.all():
                column[~known] = np.interp(steps[~known], steps[known], column[known])
    return array


def autoencoder_impute(x, autoencoder, *, means=None, iterations=3, batch_size=256):
    """Fill NaN entries with an autoencoder's reconstruction of what is observed.

    Start from the mean fill, then repeat: reconstruct every example with the autoencoder and
    overwrite only the missing entries with the reconstruction. Observed entries never change.
    The autoencoder must have learned the data's structure (train it on complete training
    data, ideally with some inputs hidden, as a denoising autoencoder), so the observed part
    tells it what the missing part looks like. For a whole missing modality, the
    :class:`~mmtutor.models.BimodalAutoencoder`'s cross-modal ``reconstruct`` does the same
    job from the other modality.

    Formula:
        x^(0) = mean_fill(x);  x^(k+1) = M * x + (1 - M) * D(E(x^(k))),  M = 1 where observed.

    Args:
        x: data, shape ``(num_examples, ...)``, NaN where missing.
        autoencoder: a callable mapping a batch of that shape to reconstructions of the same
            shape, such as a trained ``mmtutor.models.Autoencoder``.
        means: feature means for the first fill (see :func:`mean_fill`).
        iterations: how many reconstruct-and-overwrite rounds.
        batch_size: examples per call of ``autoencoder``.

    Returns:
        A float32 copy of ``x`` without NaN.

    Raises:
        ValueError: if ``iterations`` or ``batch_size`` is not positive, or the
            reconstruction has another shape.

    Example:
        >>> double_first = lambda batch: np.repeat(batch[:, :1], 2, axis=1)  # a toy "decoder"
        >>> autoencoder_impute([[1.0, np.nan], [2.0, 5.0]], double_first)
        array([[1., 1.],
               [2., 5.]], dtype=float32)

    Book: section "sec-missing-modalities".
    """
    v.check_positive_int("autoencoder_impute", "iterations", iterations)
    v.check_positive_int("autoencoder_impute", "batch_size", batch_size)
    original = np.asarray(x, dtype=np.float32)
    observed = ~np.isnan(original)
    filled = mean_fill(original, means=means)
    for _ in range(iterations):
        parts = [np.asarray(autoencoder(filled[i:i + batch_size]), dtype=np.float32)
                 for i in range(0, len(filled), batch_size)]
        reconstruction = np.concatenate(parts, axis=0)
        if reconstruction.shape != filled.shape:
            raise ValueError(
                v.message("autoencoder_impute", f"reconstructions of the input's shape "
                          f"{v._fmt(filled.shape)}",
                          f"reconstructions with shape {v._fmt(reconstruction.shape)}")
            )
        filled = np.where(observed, original, reconstruction)
    return filled


def remove_modality(inputs, modality, *, rows=None, modalities=None, fill=0.0):
    """Mark one modality absent for some examples, for a mask-aware model.

    Returns a new inputs dict in which ``modality`` is replaced by ``fill`` on the chosen
    rows and ``"presence"`` (``(num_examples, num_modalities)``, 1.0 present, 0.0 absent)
    says so, as :class:`~mmtutor.models.FusionClassifier` reads it. An existing
    ``"presence"`` entry is kept and updated, so calls can be chained.

    Args:
        inputs: dict of arrays keyed by modality name.
        modality: the modality to remove.
        rows: which examples lose it (indices or a boolean mask); None means all.
        modalities: the modality order of the presence columns, e.g. ``model.modalities``;
            None means the image, audio, text keys that ``inputs`` holds, in that order.
        fill: the value written into the removed input (a finite number, so that no NaN
            reaches the model).

    Returns:
        A new dict; ``inputs`` is not changed.

    Raises:
        TypeError: if ``inputs`` is not a dict, or ``fill`` is not a real number.
        ValueError: if ``modality`` is not in ``modalities`` or not in ``inputs``, or
            ``fill`` is NaN or infinite.

    Example:
        >>> inputs = {"image": np.ones((2, 8, 8, 1)), "audio": np.ones((2, 5, 32))}
        >>> out = remove_modality(inputs, "audio", rows=[1])
        >>> out["presence"]
        array([[1., 1.],
               [1., 0.]], dtype=float32)
        >>> float(out["audio"][1].max()), float(inputs["audio"][1].max())
        (0.0, 1.0)

    Book: section "sec-missing-modalities".
    """
    name = "remove_modality"
    if not isinstance(inputs, Mapping):
        raise TypeError(v.message(name, "inputs to be a dict keyed by modality name",
                                  f"inputs of type {type(inputs).__name__}"))
    fill = v.check_real(name, "fill", fill, fix="Missing inputs are filled with a finite "
                        "number, such as 0.0, so that no NaN reaches the model")
    if modalities is None:
        modalities = ordered(m for m in inputs if m in MODALITIES)
    modalities = tuple(modalities)
    v.check_option(name, "modality", modality, modalities)
    if modality not in inputs:
        raise ValueError(v.message(name, f"inputs with the key {modality!r}",
                                   f"inputs with keys {sorted(inputs)}"))
    total = len(inputs[modality])
    out = dict(inputs)
    if "presence" in inputs:
        presence = np.array(inputs["presence"], dtype=np.float32)
    else:
        presence = np.ones((total, len(modalities)), dtype=np.float32)
    if rows is None:
        selected = slice(None)
    else:
        selected = np.asarray(rows)
        selected = selected if selected.dtype == bool else selected.astype(np.intp)
    removed = np.array(inputs[modality], copy=True)
    removed[selected] = fill
    presence[selected, modalities.index(modality)] = 0.0
    out[modality] = removed
    out["presence"] = presence
    return out
