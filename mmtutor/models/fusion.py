"""FusionClassifier: one classifier over several modalities, fused early, late or by attention."""

from __future__ import annotations

from collections.abc import Mapping

import keras
import numpy as np
from keras import ops

from mmtutor import _validation as v
from mmtutor.layers.attention_pooling import AttentionPooling
from mmtutor.layers.modality_dropout import ModalityDropout
from mmtutor.models.encoders import (
    MODALITIES,
    create_audio_encoder,
    create_image_encoder,
    create_text_encoder,
)

_NAME = "FusionClassifier"
_FUSIONS = ("early", "late", "attention")


def _check_modalities(modalities, name=_NAME) -> dict:
    """Validate a ``{modality: input_shape}`` dict; return it in the fixed modality order."""
    if not isinstance(modalities, Mapping) or not modalities:
        raise TypeError(
            v.message(name, "modalities to be a non-empty dict from modality name to input "
                      "shape, e.g. {'image': (8, 8, 1), 'audio': (frames, 32)}",
                      f"modalities={modalities!r}")
        )
    shapes = {}
    for modality, shape in modalities.items():
        v.check_option(name, "each modality name", modality, MODALITIES)
        what = {"image": "(height, width, channels)", "audio": "(frames, mel_bins)",
                "text": "(sequence_length,)"}[modality]
        rank = {"image": 3, "audio": 2, "text": 1}[modality]
        shapes[modality] = v.check_input_shape(name, shape, rank, what, allow_none=(0,))
    # Keep the fixed order image, audio, text whatever order the user wrote.
    return {m: shapes[m] for m in MODALITIES if m in shapes}


def _jsonable(options: dict) -> dict:
    """Encoder options as JSON gives them back (tuples become lists), so configs compare."""
    return {m: {k: list(x) if isinstance(x, tuple) else x for k, x in o.items()}
            for m, o in options.items()}


def _create_encoder(modality, shape, embedding_dim, vocabulary_size, options, name=_NAME):
    """Build the ``create_*_encoder`` model of one modality."""
    if modality == "image":
        return create_image_encoder(shape, embedding_dim=embedding_dim, **options)
    elif modality == "audio":
        return create_audio_encoder(shape, embedding_dim=embedding_dim, **options)
    elif modality == "text":
        if vocabulary_size is None:
            raise ValueError(
                v.message(name, "vocabulary_size when 'text' is a modality",
                          "vocabulary_size=None",
                          "Pass len(data.metadata['vocabulary'])")
            )
        return create_text_encoder(vocabulary_size, shape[0], embedding_dim=embedding_dim,
                                   **options)
    else:
        raise ValueError(v.message(name, "a known modality", f"modality={modality!r}"))


@keras.saving.register_keras_serializable(package="mmtutor")
class FusionClassifier(keras.Model):
    """A classifier over a dict of modalities, with early, late or attention fusion.

    Each modality gets its own encoder (:func:`create_image_encoder`, :func:`create_audio_encoder`,
    :func:`create_text_encoder`) producing an embedding ``e_m`` of size ``embedding_dim``;
    ``fusion`` chooses how the embeddings become one prediction:

    - ``"early"``: concatenate the embeddings (and the presence flags), then a dense head;
    - ``"late"``: one softmax classifier per modality, their probabilities averaged with equal
      weights (``late_weights="mean"``) or with learned weights (``"learned"``);
    - ``"attention"``: the seed's attention formula across modalities: each example weighs its
      own modality embeddings, and the weighted sum goes to the dense head. The weights are
      readable with :meth:`modality_weights`.

    Missing modalities: ``inputs["presence"]``, optional, holds 1.0 where a modality is
    present and 0.0 where it is absent, shape ``(batch_size, num_modalities)`` in the order
    of :attr:`modalities`. An absent modality contributes nothing: its embedding is zeroed
    (early), its classifier gets weight 0 (late) or its attention weight is 0 (attention), so
    the prediction does not depend on what its input holds. Every example needs at least one
    present modality. ``modality_dropout`` hides modalities at random while training
    (:class:`~mmtutor.layers.ModalityDropout`) so the model learns to do without them.

    Formula:
        early:     p = softmax(W_2 ReLU(W_1 [pi_1 e_1; ...; pi_M e_M; pi] + b_1) + b_2)
        late:      p = sum_m w_m p_m,  w_m = pi_m exp(c_m) / sum_k pi_k exp(c_k),
                   p_m = softmax(W_m e_m + b_m)  (c = 0 for late_weights="mean")
        attention: alpha_m = pi_m exp(a . e_m) / sum_k pi_k exp(a . e_k),  z = sum_m alpha_m e_m,
                   p = softmax(W_2 ReLU(W_1 z + b_1) + b_2)
        where pi_m in {0, 1} marks modality m present.
        training loss: CE(y, p) + lambda * sum_m pi_m CE(y, softmax(V_m e_m + c_m)) / sum_m pi_m
        (lambda = auxiliary_weight; averaged over the batch)

    Args:
        modalities: dict from modality name (``"image"``, ``"audio"``, ``"text"``; any
            subset) to its input shape without the batch axis: image ``(height, width,
            channels)``, audio ``(frames, mel_bins)``, text ``(sequence_length,)``.
        fusion: ``"early"``, ``"late"`` or ``"attention"``.
        num_classes: number of classes.
        embedding_dim: size of every modality's embedding.
        vocabulary_size: number of token ids; required when ``"text"`` is a modality.
        late_weights: ``"mean"`` or ``"learned"`` (``fusion="late"`` only).
        modality_dropout: probability of hiding one modality of one training example.
        hidden_units: size of the head's hidden layer (early and attention fusion).
        dropout: dropout rate in the head.
        encoder_options: optional dict from modality name to extra keyword arguments of its
            ``create_*_encoder`` function, e.g. ``{"audio": {"units": 32, "pooling": "mean"}}``.
        seed: seed of the modality dropout draws.
        auxiliary_weight: weight ``lambda >= 0`` of an auxiliary loss that also classifies each
            present modality from its own embedding alone (one softmax head per modality; for
            late fusion, its own heads). With modality dropout it keeps every encoder as
            discriminative as a single-modality model's, so the fused model given one
            modality loses little against that modality's own model. 0 (the default) adds
            nothing. The auxiliary heads are used only by the loss, never by predictions.
        **kwargs: base ``keras.Model`` arguments (``name``).

    Call arguments:
        inputs: dict holding one array per modality of the model (extra keys are ignored):
            ``"image"`` ``(batch_size, height, width, channels)``, ``"audio"``
            ``(batch_size, frames, mel_bins)``, ``"text"`` ``(batch_size, sequence_length)``,
            and optionally ``"presence"`` ``(batch_size, num_modalities)``.
        training: True while training (enables dropout and modality dropout).

    Returns:
        Class probabilities, shape ``(batch_size, num_classes)``.

    Raises:
        ValueError: for an unknown ``fusion``, modality name or ``late_weights``, a bad input
            shape, ``"text"`` without ``vocabulary_size``, an inputs dict without one of the
            model's modalities, or inputs with different batch sizes.
        TypeError: if ``modalities`` or ``inputs`` is not a dict.

    Example:
        >>> import numpy as np
        >>> model = FusionClassifier({"image": (8, 8, 1), "audio": (5, 32)},
        ...                          fusion="attention", embedding_dim=8,
        ...                          encoder_options={"audio": {"units": 4}})
        >>> inputs = {"image": np.zeros((2, 8, 8, 1), "float32"),
        ...           "audio": np.zeros((2, 5, 32), "float32"),
        ...           "presence": np.array([[1, 1], [1, 0]], "float32")}
        >>> tuple(model(inputs).shape)
        (2, 10)
        >>> model.modality_weights(inputs)[1]  # the absent audio gets no weight
        array([1., 0.], dtype=float32)

    Book: section "sec-multimodal-classifier".
    """

    def __init__(self, modalities, *, fusion="early", num_classes=10, embedding_dim=64,
                 vocabulary_size=None, late_weights="mean", modality_dropout=0.0,
                 hidden_units=64, dropout=0.0, encoder_options=None, seed=None,
                 auxiliary_weight=0.0, **kwargs):
        super().__init__(**kwargs)
        shapes = _check_modalities(modalities)
        v.check_option(_NAME, "fusion", fusion, _FUSIONS)
        v.check_option(_NAME, "late_weights", late_weights, ("mean", "learned"))
        v.check_positive_int(_NAME, "num_classes", num_classes)
        v.check_positive_int(_NAME, "embedding_dim", embedding_dim)
        v.check_positive_int(_NAME, "hidden_units", hidden_units)
        if vocabulary_size is not None:
            v.check_positive_int(_NAME, "vocabulary_size", vocabulary_size)
        v.check_type(_NAME, "auxiliary_weight", auxiliary_weight, (int, float), "a number >= 0")
        if auxiliary_weight < 0:
            raise ValueError(
                v.message(_NAME, "auxiliary_weight >= 0", f"auxiliary_weight={auxiliary_weight!r}",
                          "It weighs the per-modality auxiliary loss; 0 turns it off")
            )
        options = dict(encoder_options or {})
        for key in options:
            v.check_option(_NAME, "each encoder_options key", key, tuple(shapes))
        self.input_shapes = shapes
        self.fusion = fusion
        self.num_classes = int(num_classes)
        self.embedding_dim = int(embedding_dim)
        self.vocabulary_size = None if vocabulary_size is None else int(vocabulary_size)
        self.late_weights = late_weights
        self.modality_dropout = float(modality_dropout)
        self.hidden_units = int(hidden_units)
        self.dropout = float(dropout)
        self.encoder_options = _jsonable(options)
        self.seed = seed
        self.auxiliary_weight = float(auxiliary_weight)

        num = len(shapes)
        self.encoders = [
            _create_encoder(m, s, self.embedding_dim, self.vocabulary_size,
                            self.encoder_options.get(m, {}))
            for m, s in shapes.items()
        ]
        self.dropout_layer = ModalityDropout(modality_dropout, seed=seed,
                                             name="modality_dropout")
        if fusion == "late":
            self.heads = [keras.layers.Dense(num_classes, activation="softmax",
                                             name=f"{m}_head") for m in shapes]
            for head in self.heads:
                head.build((None, self.embedding_dim))
            self.weight_logits = self.add_weight(
                shape=(num,), initializer="zeros", name="weight_logits",
                trainable=late_weights == "learned")
        else:
            if fusion == "attention":
                self.attention = AttentionPooling(return_weights=True, name="attention")
                self.attention.build((None, num, self.embedding_dim))
                head_in = self.embedding_dim
            else:
                head_in = num * self.embedding_dim + num
            self.hidden = keras.layers.Dense(hidden_units, activation="relu", name="hidden")
            self.hidden.build((None, head_in))
            self.head_dropout = keras.layers.Dropout(self.dropout, name="head_dropout")
            self.head = keras.layers.Dense(num_classes, activation="softmax", name="head")
            self.head.build((None, hidden_units))
            if self.auxiliary_weight > 0:
                self.auxiliary_heads = [keras.layers.Dense(num_classes, activation="softmax",
                                                           name=f"{m}_auxiliary_head")
                                        for m in shapes]
                for head in self.auxiliary_heads:
                    head.build((None, self.embedding_dim))
        self._auxiliary_outputs = None
        self.built = True

    @property
    def modalities(self) -> tuple:
        """The model's modalities, in the order of the presence mask's columns."""
        return tuple(self.input_shapes)

    def _check_inputs(self, inputs):
        if not isinstance(inputs, Mapping):
            raise TypeError(
                v.message(_NAME, "inputs to be a dict keyed by modality name",
                          f"inputs of type {type(inputs).__name__}",
                          "Pass {'image': ..., 'audio': ..., 'text': ...}")
            )
        missing = [m for m in self.modalities if m not in inputs]
        if missing:
            raise ValueError(
                v.message(_NAME, f"inputs with the keys {list(self.modalities)}",
                          f"inputs with keys {sorted(inputs)}",
                          f"Add {missing}; to mark a modality absent, pass any array of its "
                          "shape and a 0 in inputs['presence']")
            )
        keys = [*self.modalities, *(["presence"] if "presence" in inputs else [])]
        sizes = {k: v.shape_of(inputs[k])[0] if v.shape_of(inputs[k]) else None for k in keys}
        known = {k: s for k, s in sizes.items() if s is not None}
        if len(set(known.values())) > 1:
            raise ValueError(
                v.message(_NAME, "the same batch size for every input",
                          ", ".join(f"{k} with {s} examples" for k, s in known.items()),
                          "Give every modality one row per example")
            )

    def _fuse(self, inputs, training=None):
        """Return ``(probabilities, weights)``; weights is None for early fusion."""
        self._check_inputs(inputs)
        embeddings = [enc(inputs[m], training=training)
                      for m, enc in zip(self.modalities, self.encoders, strict=True)]
        num = len(embeddings)
        if "presence" in inputs:
            presence = ops.cast(inputs["presence"], embeddings[0].dtype)
            v.check_rank(_NAME, "inputs['presence']", presence, 2,
                         f"(batch_size, num_modalities) with num_modalities={num}")
            if presence.shape[-1] is not None and presence.shape[-1] != num:
                raise ValueError(
                    v.message(_NAME, f"inputs['presence'] with {num} columns, one per modality "
                              f"in the order {list(self.modalities)}",
                              f"inputs['presence'] with shape {v._fmt(presence.shape)}")
                )
        else:
            presence = ops.ones((ops.shape(embeddings[0])[0], num), embeddings[0].dtype)
        if training and self.auxiliary_weight > 0:
            # Kept for compute_loss, which Keras calls right after this forward pass.
            heads = self.heads if self.fusion == "late" else self.auxiliary_heads
            auxiliary = ops.stack([h(e) for h, e in zip(heads, embeddings, strict=True)],
                                  axis=1)  # (batch, num, classes)
            object.__setattr__(self, "_auxiliary_outputs", (auxiliary, presence))
        presence = self.dropout_layer(presence, training=training)  # (batch, num)
        if self.fusion == "late":
            probs = ops.stack([head(e) for head, e in zip(self.heads, embeddings, strict=True)],
                              axis=1)  # (batch, num, classes)
            scores = ops.exp(self.weight_logits - ops.max(self.weight_logits))  # (num,)
            weights = presence * scores[None, :]  # (batch, num)
            weights = weights / ops.maximum(ops.sum(weights, axis=1, keepdims=True), 1e-12)
            return ops.einsum("bm,bmc->bc", weights, probs), weights  # (batch, classes)
        if self.fusion == "attention":
            stacked = ops.stack(embeddings, axis=1)  # (batch, num, embedding_dim)
            fused, weights = self.attention(stacked, mask=presence > 0)  # (batch, dim), (b, num)
        else:
            gated = [e * presence[:, i:i + 1] for i, e in enumerate(embeddings)]
            fused = ops.concatenate([*gated, presence], axis=-1)  # (batch, num * dim + num)
            weights = None
        hidden = self.head_dropout(self.hidden(fused), training=training)
        return self.head(hidden), weights

    def call(self, inputs, training=None):
        object.__setattr__(self, "_auxiliary_outputs", None)
        return self._fuse(inputs, training=training)[0]

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss, plus ``auxiliary_weight`` times the per-modality auxiliary loss.

        The auxiliary term uses the per-modality predictions of the training forward pass
        that produced ``y_pred``; it is added only while training, so ``val_loss`` is the
        compiled loss alone.
        """
        loss = super().compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                    training=training)
        stored = self._auxiliary_outputs
        object.__setattr__(self, "_auxiliary_outputs", None)
        if not training or stored is None or y is None:
            return loss
        auxiliary, presence = stored  # (batch, num, classes), (batch, num)
        target = ops.one_hot(ops.cast(ops.reshape(y, (-1,)), "int32"), self.num_classes)
        picked = ops.sum(auxiliary * target[:, None, :], axis=-1)  # (batch, num)
        errors = -ops.log(ops.clip(picked, 1e-7, 1.0)) * presence  # (batch, num)
        auxiliary_loss = ops.sum(errors) / ops.maximum(ops.sum(presence), 1.0)
        return loss + self.auxiliary_weight * ops.cast(auxiliary_loss, loss.dtype)

    def modality_weights(self, inputs, *, batch_size=256):
        """Per-example weights of each modality: attention weights, or late-fusion weights.

        Args:
            inputs: the inputs dict, as for calling the model.
            batch_size: examples per forward pass.

        Returns:
            A NumPy array of shape ``(num_examples, num_modalities)``, columns in the order of
            :attr:`modalities`; each row sums to 1 over the present modalities and is 0 for
            absent ones.

        Raises:
            ValueError: for ``fusion="early"``, which has no modality weights.
        """
        if self.fusion == "early":
            raise ValueError(
                v.message(f"{_NAME}.modality_weights", "a model with fusion='late' or "
                          "'attention'", "a model with fusion='early'",
                          "Early fusion mixes modalities inside a dense layer; use modality "
                          "ablation (mark one absent) to measure their roles instead")
            )
        self._check_inputs(inputs)
        keys = [*self.modalities, *(["presence"] if "presence" in inputs else [])]
        total = len(inputs[self.modalities[0]])
        out = []
        for start in range(0, total, batch_size):
            batch = {k: inputs[k][start:start + batch_size] for k in keys}
            out.append(np.asarray(self._fuse(batch, training=False)[1]))
        return np.concatenate(out, axis=0)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "modalities": {m: list(s) for m, s in self.input_shapes.items()},
            "fusion": self.fusion,
            "num_classes": self.num_classes,
            "embedding_dim": self.embedding_dim,
            "vocabulary_size": self.vocabulary_size,
            "late_weights": self.late_weights,
            "modality_dropout": self.modality_dropout,
            "hidden_units": self.hidden_units,
            "dropout": self.dropout,
            "encoder_options": self.encoder_options,
            "seed": self.seed,
            "auxiliary_weight": self.auxiliary_weight,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        modalities = config.pop("modalities")
        return cls(modalities, **config)
