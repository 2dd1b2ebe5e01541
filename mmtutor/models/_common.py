"""Helpers shared by the multimodal models (FusionClassifier, DualEncoder); not public API."""

from __future__ import annotations

from collections.abc import Mapping

import keras
import tensorflow as tf
from keras import ops

from mmtutor import _validation as v
from mmtutor.models.encoders import create_encoder


def replicas_in_sync() -> int:
    """Number of replicas of the ``tf.distribute`` strategy in scope (1 without one)."""
    return tf.distribute.get_strategy().num_replicas_in_sync


def scale_for_replicas(loss):
    """Divide a loss a model computes itself by the number of replicas, as Keras does.

    Under a ``tf.distribute`` strategy every replica computes the loss of its share of the
    global batch, and the optimizer SUMS the replicas' gradients. Keras divides the losses it
    computes (compiled losses, ``add_loss``) by ``num_replicas_in_sync`` and multiplies the
    reported loss back; a loss computed in an overridden ``compute_loss`` or ``train_step``
    must be divided the same way, or its gradients and reported value grow with the number
    of replicas. Without a strategy the loss is returned unchanged.
    """
    replicas = replicas_in_sync()
    return loss if replicas == 1 else loss / ops.cast(replicas, loss.dtype)


def unscale_for_replicas(loss):
    """The inverse of :func:`scale_for_replicas`: the value to report for a scaled loss."""
    replicas = replicas_in_sync()
    return loss if replicas == 1 else loss * ops.cast(replicas, loss.dtype)


def output_dtype(dtype):
    """The dtype policy of a model's output layer: float32 under a mixed policy, else ``dtype``.

    Under ``mixed_float16`` or ``mixed_bfloat16`` the layers compute in 16 bits, but a
    softmax, a sigmoid or the embeddings a contrastive loss compares need float32 (a float16
    softmax rounds small probabilities to 0, and ``1e-12`` is 0 in float16), as Keras's
    mixed-precision guide advises. ``dtype`` None means Keras's global policy.

    Book: section "sec-scaling".
    """
    policy = keras.dtype_policies.get(dtype)
    return "float32" if policy.compute_dtype in ("float16", "bfloat16") else dtype


def check_vocabulary_size(name: str, vocabulary_size, modalities) -> int | None:
    """Return ``vocabulary_size`` as an int (or None), required when ``"text"`` is a modality."""
    if vocabulary_size is None:
        if "text" in modalities:
            raise ValueError(
                v.message(name, "vocabulary_size when 'text' is a modality",
                          "vocabulary_size=None", "Pass len(data.metadata['vocabulary'])")
            )
        return None
    v.check_positive_int(name, "vocabulary_size", vocabulary_size)
    return int(vocabulary_size)


def check_encoder_options(name: str, encoder_options, modalities) -> dict:
    """Validate ``{modality: {option: value}}``; return it as JSON gives it back.

    Tuples become lists, so a config read back from a ``.keras`` file compares equal.
    """
    if encoder_options is None:
        return {}
    if not isinstance(encoder_options, Mapping):
        raise TypeError(
            v.message(name, "encoder_options to be a dict from modality name to a dict of "
                      "keyword arguments", f"encoder_options={encoder_options!r}",
                      "For example {'audio': {'units': 32}}")
        )
    for key in encoder_options:
        v.check_option(name, "each encoder_options key", key, tuple(modalities))
    return {m: {k: list(x) if isinstance(x, tuple) else x for k, x in dict(o).items()}
            for m, o in encoder_options.items()}


def create_encoders(shapes: dict, *, embedding_dim: int, vocabulary_size, encoder_options: dict,
                    dtype) -> list:
    """One :func:`~mmtutor.models.create_encoder` model per modality, in the order of ``shapes``."""
    return [create_encoder(m, shape, embedding_dim=embedding_dim,
                           vocabulary_size=vocabulary_size, dtype=dtype,
                           **encoder_options.get(m, {}))
            for m, shape in shapes.items()]
