"""The single-modality baseline: a softmax head on one modality's encoder."""

from __future__ import annotations

import keras

from mmtutor import _validation as v
from mmtutor.models._common import output_dtype


def create_unimodal_classifier(encoder, *, num_classes=10, dropout=0.0, name=None, dtype=None):
    """Put a softmax classification head on one modality's encoder.

    The single-modality baseline every fused model is compared with: the same encoder the
    fusion model uses, followed by a dense softmax layer.

    Formula:
        p(y | x) = softmax(W E(x) + b)

    Args:
        encoder: a ``keras.Model`` with one input, such as
            :func:`~mmtutor.models.create_image_encoder`'s.
        num_classes: number of classes.
        dropout: dropout rate between the encoder and the head.
        name: the model's name; defaults to ``"<input name>_classifier"``.
        dtype: dtype policy of the head's layers; None takes Keras's global policy. Build
            the encoder with the same ``dtype``.

    Returns:
        A functional ``keras.Model`` from the encoder's input to class probabilities of shape
        ``(batch_size, num_classes)``.

    Raises:
        TypeError: if ``encoder`` is not a ``keras.Model``.
        ValueError: if the encoder has several inputs, or ``num_classes`` is not positive.

    Example:
        >>> import numpy as np
        >>> from mmtutor.models import create_image_encoder
        >>> model = create_unimodal_classifier(create_image_encoder(embedding_dim=8))
        >>> probs = model(np.zeros((3, 8, 8, 1), dtype="float32"))
        >>> tuple(probs.shape), np.allclose(np.sum(probs, axis=1), 1.0)
        ((3, 10), True)

    Book: section "sec-multimodal-classifier".
    """
    fname = "create_unimodal_classifier"
    v.check_type(fname, "encoder", encoder, keras.Model, "a keras.Model")
    v.check_positive_int(fname, "num_classes", num_classes)
    if len(encoder.inputs) != 1:
        raise ValueError(
            v.message(fname, "an encoder with one input", f"encoder with "
                      f"{len(encoder.inputs)} inputs", "Use FusionClassifier for several")
        )
    inputs = keras.Input(encoder.inputs[0].shape[1:], dtype=encoder.inputs[0].dtype,
                         name=encoder.inputs[0].name)
    x = encoder(inputs)  # (batch, embedding_dim)
    if dropout:
        x = keras.layers.Dropout(dropout, name="head_dropout", dtype=dtype)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax", name="head",
                                 dtype=output_dtype(dtype))(x)  # (batch, num_classes)
    return keras.Model(inputs, outputs, name=name or f"{inputs.name}_classifier")
