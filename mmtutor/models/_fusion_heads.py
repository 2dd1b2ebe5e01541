"""Private helpers of :class:`~mmtutor.models.FusionClassifier` (only ``fusion.py`` imports
them): its sublayers, input and presence checks, early fusion's raw features, late fusion's
average, the no-modality rule and the auxiliary loss.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import keras
import numpy as np
from keras import ops

from mmtutor import _validation as v
from mmtutor.layers.attention_pooling import AttentionPooling
from mmtutor.layers.modality_dropout import ModalityDropout
from mmtutor.models._common import create_encoders, output_dtype
from mmtutor.models.encoders import synchronized_statistics

_NAME = "FusionClassifier"


def build_layers(model) -> None:
    """Create and build every sublayer of a FusionClassifier, in its dtype policy."""
    dtype, num, dim = model.dtype_policy, len(model.input_shapes), model.embedding_dim
    dense = keras.layers.Dense
    out = output_dtype(dtype)  # the softmax heads: float32 under a mixed policy
    model.encoders = [] if model.fusion == "early" else create_encoders(
        model.input_shapes, embedding_dim=dim, vocabulary_size=model.vocabulary_size,
        encoder_options=model.encoder_options, dtype=dtype)
    model.dropout_layer = ModalityDropout(model.modality_dropout, seed=model.seed,
                                          name="modality_dropout", dtype=dtype)
    if model.fusion == "late":
        model.heads = [dense(model.num_classes, activation="softmax", name=f"{m}_head",
                             dtype=out) for m in model.modalities]
        for head in model.heads:
            head.build((None, dim))
        # The plain mean has no weights of its own: a variable of zeros would be three
        # parameters that a layer-by-layer build of the same model does not have.
        model.weight_logits = model.add_weight(
            shape=(num,), initializer="zeros", name="weight_logits",
        ) if model.late_weights == "learned" else None
        return
    if model.fusion == "early":
        if "audio" in model.input_shapes:
            model.audio_norm = keras.layers.BatchNormalization(
                momentum=0.9, name="audio_norm", dtype=dtype,
                synchronized=synchronized_statistics())  # per mel bin
            model.audio_norm.build((None, *model.input_shapes["audio"]))
        head_in = num + sum(raw_size(m, s, model.vocabulary_size)
                            for m, s in model.input_shapes.items())
    else:
        head_in = dim if model.fusion == "attention" else num * dim + num
    if model.fusion == "attention":
        model.attention = AttentionPooling(return_weights=True, name="attention", dtype=dtype)
        model.attention.build((None, num, dim))
    model.hidden = dense(model.hidden_units, activation="relu", name="hidden", dtype=dtype)
    model.hidden.build((None, head_in))
    model.head_dropout = keras.layers.Dropout(model.dropout, name="head_dropout", dtype=dtype)
    if model.fusion == "early":
        model.hidden_2 = dense(model.hidden_units, activation="relu", name="hidden_2",
                               dtype=dtype)
        model.hidden_2.build((None, model.hidden_units))
    model.head = dense(model.num_classes, activation="softmax", name="head", dtype=out)
    model.head.build((None, model.hidden_units))
    if model.auxiliary_weight > 0:
        model.auxiliary_heads = [dense(model.num_classes, activation="softmax",
                                       name=f"{m}_auxiliary_head", dtype=out)
                                 for m in model.modalities]
        for head in model.auxiliary_heads:
            head.build((None, dim))


def late_fusion(probs, kept, weight_logits):
    """Average the per-modality ``probs`` ``(batch, num, classes)`` over the present ones.

    Returns ``(fused, weights)``: ``(batch, classes)`` and ``(batch, num)``; the weights are
    ``softmax(weight_logits)`` renormalized over each example's present modalities, equal
    weights when ``weight_logits`` is None (the plain mean).
    """
    kept = ops.cast(kept, probs.dtype)  # the heads' dtype (float32 under a mixed policy)
    weights = kept
    if weight_logits is not None:
        scores = ops.exp(weight_logits - ops.max(weight_logits))  # (num,)
        weights = kept * ops.cast(scores, kept.dtype)[None, :]  # (batch, num)
    weights = weights / ops.maximum(ops.sum(weights, axis=1, keepdims=True), 1e-12)
    return ops.einsum("bm,bmc->bc", weights, probs), weights  # (batch, classes)


def check_inputs(inputs, modalities) -> None:
    """Raise unless ``inputs`` is a dict holding every modality, one row per example in each."""
    if not isinstance(inputs, Mapping):
        raise TypeError(
            v.message(_NAME, "inputs to be a dict keyed by modality name",
                      f"inputs of type {type(inputs).__name__}",
                      "Pass {'image': ..., 'audio': ..., 'text': ...}")
        )
    missing = [m for m in modalities if m not in inputs]
    if missing:
        raise ValueError(
            v.message(_NAME, f"inputs with the keys {list(modalities)}",
                      f"inputs with keys {sorted(inputs)}",
                      f"Add {missing}; to mark a modality absent, pass any array of its "
                      "shape and a 0 in inputs['presence']")
        )
    keys = [*modalities, *(["presence"] if "presence" in inputs else [])]
    sizes = {k: v.shape_of(inputs[k])[0] if v.shape_of(inputs[k]) else None for k in keys}
    known = {k: s for k, s in sizes.items() if s is not None}
    if len(set(known.values())) > 1:
        raise ValueError(
            v.message(_NAME, "the same batch size for every input",
                      ", ".join(f"{k} with {s} examples" for k, s in known.items()),
                      "Give every modality one row per example")
        )


def presence_of(inputs, modalities, batch, dtype):
    """The presence mask ``(batch_size, num_modalities)``: ``inputs["presence"]`` or all ones.

    Shapes are checked always; that every row marks a modality present is checked only when
    the values can be read (NumPy or eager tensors), never inside a traced training step.
    """
    num = len(modalities)
    if "presence" not in inputs:
        return ops.ones((batch, num), dtype)
    given = inputs["presence"]
    v.check_rank(_NAME, "inputs['presence']", given, 2,
                 f"(batch_size, num_modalities) with num_modalities={num}")
    columns = v.shape_of(given)[-1]
    if columns is not None and columns != num:
        raise ValueError(
            v.message(_NAME, f"inputs['presence'] with {num} columns, one per modality in the "
                      f"order {list(modalities)}",
                      f"inputs['presence'] with shape {v._fmt(v.shape_of(given))}")
        )
    if v.is_eager(given):
        empty = np.flatnonzero(~np.any(np.asarray(given) != 0, axis=1))
        if empty.size:
            rows = ", ".join(str(i) for i in empty[:10]) + (", ..." if empty.size > 10 else "")
            raise ValueError(
                v.message(_NAME, "at least one present modality (a 1.0 in inputs['presence']) "
                          "in every example",
                          f"inputs['presence'] with no modality present in rows [{rows}]",
                          "Mark at least one modality present in each of these rows or leave "
                          "these examples out; inside fit or predict (traced) they get the "
                          "uniform distribution 1/num_classes")
            )
    return ops.cast(given, dtype)


def raw_size(modality, shape, vocabulary_size) -> int:
    """Length of one modality's raw feature vector in early fusion."""
    if None in shape:
        raise ValueError(
            v.message(_NAME, "a fixed input shape for every modality with fusion='early'",
                      f"modalities['{modality}']={shape!r}",
                      "Early fusion concatenates the raw features, so their sizes must be "
                      "known; pad or crop to a fixed length, or use fusion='intermediate'")
        )
    if modality == "text":
        return shape[0] * (vocabulary_size - 1)  # one-hot per position, padding id 0 left out
    return math.prod(shape)


def raw_features(modality, x, *, vocabulary_size, dtype, audio_norm=None, training=None):
    """One modality's raw features as a vector per example, ``(batch_size, raw_size)``.

    Image: its pixels, flattened. Audio: each mel bin standardized by ``audio_norm`` (a
    ``BatchNormalization`` layer), then the frames flattened. Text: each position's token id
    one-hot encoded without the padding id 0 (so padding adds nothing), then flattened.
    """
    batch = ops.shape(x)[0]
    if modality == "image":
        return ops.reshape(ops.cast(x, dtype), (batch, -1))  # (batch, h * w * c)
    elif modality == "audio":
        x = audio_norm(ops.cast(x, dtype), training=training)  # (batch, frames, mel_bins)
        return ops.reshape(x, (batch, -1))  # (batch, frames * mel_bins)
    elif modality == "text":
        onehot = ops.one_hot(ops.cast(x, "int32"), vocabulary_size, dtype=dtype)  # (b, L, V)
        return ops.reshape(onehot[..., 1:], (batch, -1))  # (batch, L * (V - 1))
    else:
        raise ValueError(v.message(_NAME, "a known modality", f"modality={modality!r}"))


def uniform_where_absent(probs, presence):
    """Replace the rows of ``probs`` whose example has no modality by ``1 / num_classes``."""
    any_present = ops.sum(presence, axis=-1, keepdims=True) > 0  # (batch, 1)
    return ops.where(any_present, probs, ops.ones_like(probs) / ops.shape(probs)[-1])


def auxiliary_loss(y, auxiliary, presence, sample_weight=None):
    """Per-modality cross-entropy, averaged over present modalities, reduced as Keras does.

    ``y`` holds sparse labels ``(batch_size,)`` or ``(batch_size, 1)``, or one-hot (or soft)
    targets ``(batch_size, num_classes)``; ``auxiliary`` the per-modality probabilities
    ``(batch_size, num_modalities, num_classes)``. Each example's term is weighted by its
    sample weight and the sum divided by the batch size, as Keras reduces a compiled loss
    (``"sum_over_batch_size"``).
    """
    num_classes = auxiliary.shape[-1]
    shape = v.shape_of(y)
    if len(shape) == 1 or (len(shape) == 2 and shape[-1] == 1):
        target = ops.one_hot(ops.cast(ops.reshape(y, (-1,)), "int32"), num_classes,
                             dtype=auxiliary.dtype)  # (batch, classes)
    elif len(shape) == 2 and shape[-1] == num_classes:
        target = ops.cast(y, auxiliary.dtype)  # (batch, classes)
    else:
        raise ValueError(
            v.message(_NAME, "labels of shape (batch_size,) or one-hot labels of shape "
                      f"(batch_size, num_classes) with num_classes={num_classes}",
                      f"y with shape {v._fmt(shape)}")
        )
    log_probs = ops.log(ops.clip(auxiliary, 1e-7, 1.0))  # (batch, modalities, classes)
    errors = -ops.sum(target[:, None, :] * log_probs, axis=-1)  # (batch, modalities)
    presence = ops.cast(presence, errors.dtype)  # (batch, modalities)
    count = ops.maximum(ops.sum(presence, axis=1), 1.0)  # (batch,)
    per_example = ops.sum(errors * presence, axis=1) / count  # (batch,)
    if sample_weight is not None:
        per_example = per_example * ops.reshape(ops.cast(sample_weight, per_example.dtype),
                                                (-1,))
    return ops.mean(per_example)
