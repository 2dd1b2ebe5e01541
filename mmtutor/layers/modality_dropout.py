"""Modality dropout: hide whole modalities from random examples while training."""

from __future__ import annotations

import keras
from keras import ops

from mmtutor import _validation as v


@keras.saving.register_keras_serializable(package="mmtutor")
class ModalityDropout(keras.layers.Layer):
    """Randomly marks whole modalities as absent for a share of the training examples.

    A fused model trained with every modality always present learns to lean on all of them and
    fails when one is missing at test time. Modality dropout hides each modality of each
    training example with probability ``rate``, so the model also learns to predict from any
    subset. It acts on the presence mask, not on the data: the fusion model multiplies or
    masks each modality's embedding by the mask. At least one modality stays: an example whose
    draw would remove all of them keeps its original mask. At inference the layer does
    nothing.

    Formula:
        keep_im ~ Bernoulli(1 - rate),  p'_im = p_im * keep_im,
        and p'_i = p_i for the examples where sum_m p'_im = 0.

    Args:
        rate: probability in ``[0, 1)`` that one modality of one example is dropped.
        seed: integer seed of the random draws, or None.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``).

    Call arguments:
        presence: 1.0 where a modality is present and 0.0 where absent, shape
            ``(batch_size, num_modalities)``.
        training: dropout happens only when True.

    Returns:
        The new presence mask, shape ``(batch_size, num_modalities)``.

    Raises:
        ValueError: if ``rate`` is outside ``[0, 1)`` or ``presence`` is not rank 2.

    Example:
        >>> import numpy as np
        >>> layer = ModalityDropout(0.5, seed=0)
        >>> presence = np.ones((4, 3), dtype="float32")
        >>> float(np.sum(layer(presence, training=False)))  # inference: unchanged
        12.0
        >>> kept = np.asarray(layer(presence, training=True))
        >>> bool((kept.sum(axis=1) >= 1).all())  # every example keeps one modality
        True

    Book: section "sec-missing-modalities".
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = v.check_real(
            "ModalityDropout", "rate", rate, minimum=0, maximum=1, strict_maximum=True,
            fix="rate is the probability of dropping one modality of one example")
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, presence, training=None):
        v.check_rank("ModalityDropout", "presence", presence, 2,
                     "(batch_size, num_modalities)")
        presence = ops.cast(presence, self.compute_dtype)
        if not training or self.rate == 0:
            return presence
        draw = keras.random.uniform(ops.shape(presence), seed=self.seed_generator)
        dropped = presence * ops.cast(draw >= self.rate, presence.dtype)  # (batch, modalities)
        nothing_left = ops.sum(dropped, axis=-1, keepdims=True) == 0  # (batch, 1)
        return ops.where(nothing_left, presence, dropped)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(rate=self.rate, seed=self.seed)
        return config
