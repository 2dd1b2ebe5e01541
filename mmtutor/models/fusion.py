"""FusionClassifier: one classifier over several modalities, fused early, in the middle, late
or by attention."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from mmtutor import _validation as v
from mmtutor.modalities import check_modality_shapes
from mmtutor.models import _fusion_heads as heads
from mmtutor.models._common import (
    check_encoder_options,
    check_vocabulary_size,
    scale_for_replicas,
    unscale_for_replicas,
)

_NAME = "FusionClassifier"

#: The fusion kinds of :class:`FusionClassifier`, from the earliest to the latest.
FUSIONS = ("early", "intermediate", "late", "attention")


@keras.saving.register_keras_serializable(package="mmtutor")
class FusionClassifier(keras.Model):
    """A classifier over a dict of modalities, with early, intermediate, late or attention fusion.

    ``fusion`` chooses where the modalities meet:

    - ``"early"`` (data-level): no encoders. Each modality's raw features are concatenated
      and ONE network reads them: the image's pixels flattened; the audio's log-mel frames
      flattened after a ``BatchNormalization`` per mel bin (log-mel values lie far from zero,
      and would swamp pixels in [0, 1]); the text's token ids one-hot per position (padding id
      0 left out) and flattened. Every input shape must be fixed.
    - ``"intermediate"`` (feature-level, the default): each modality's encoder
      (:func:`~mmtutor.models.create_encoder`) gives an embedding ``e_m`` of size
      ``embedding_dim``; the embeddings are concatenated and a dense head classifies them.
    - ``"late"`` (decision-level): one softmax classifier per modality, their probabilities
      averaged with equal weights (``late_weights="mean"``) or learned ones (``"learned"``).
    - ``"attention"``: the seed's attention formula across modalities: each example weighs
      its own embeddings and the weighted sum goes to the dense head.

    Late and attention weights are readable with :meth:`modality_weights`.

    Missing modalities: ``inputs["presence"]``, optional, holds 1.0 where a modality is
    present and 0.0 where absent, shape ``(batch_size, num_modalities)`` in the order of
    :attr:`modalities`. An absent modality contributes nothing: its features are zeroed
    (early, intermediate), its classifier gets weight 0 (late) or its attention weight is 0
    (attention), so the prediction does not depend on what its input holds; the presence
    flags themselves are features of early and intermediate fusion. An example with no
    modality present gets the uniform distribution ``1 / num_classes`` from every fusion
    kind; called eagerly on such a row the model raises instead, since it is almost always
    a mistake. ``modality_dropout`` hides modalities at random while training
    (:class:`~mmtutor.layers.ModalityDropout`) so the model learns to do without them.

    Formula:
        early:        x = [pi_1 r_1; ...; pi_M r_M; pi]  (r_m: raw features of modality m),
                      p = softmax(W_3 ReLU(W_2 ReLU(W_1 x + b_1) + b_2) + b_3)
        intermediate: p = softmax(W_2 ReLU(W_1 [pi_1 e_1; ...; pi_M e_M; pi] + b_1) + b_2)
        late:         p = sum_m w_m p_m,  w_m = pi_m exp(c_m) / sum_k pi_k exp(c_k),
                      p_m = softmax(W_m e_m + b_m)  (c = 0 for late_weights="mean")
        attention:    alpha_m = pi_m exp(a . e_m) / sum_k pi_k exp(a . e_k),
                      z = sum_m alpha_m e_m,  p = softmax(W_2 ReLU(W_1 z + b_1) + b_2)
        where pi_m in {0, 1} marks modality m present; p = 1/K wherever sum_m pi_m = 0.
        training loss: 1/N sum_i [ s_i CE(y_i, p_i) + lambda s_i A_i ], with
        A_i = sum_m pi_im CE(y_i, q_im) / max(1, sum_m pi_im),  q_im = softmax(V_m e_im + c_m)
        (s_i = sample weight, lambda = auxiliary_weight)

    Args:
        modalities: dict from modality name (``"image"``, ``"audio"``, ``"text"``; any
            subset) to its input shape without the batch axis: image ``(height, width,
            channels)``, audio ``(frames, mel_bins)``, text ``(sequence_length,)``.
        fusion: one of :data:`FUSIONS`: ``"early"``, ``"intermediate"``, ``"late"`` or
            ``"attention"``.
        num_classes: number of classes ``K``.
        embedding_dim: size of every modality's embedding (not used by early fusion).
        vocabulary_size: number of token ids; required when ``"text"`` is a modality.
        late_weights: ``"mean"`` or ``"learned"`` (``fusion="late"`` only).
        modality_dropout: probability of hiding one modality of one training example.
        hidden_units: size of the hidden layers (all fusions but late).
        dropout: dropout rate after the first hidden layer.
        encoder_options: optional dict from modality name to extra keyword arguments of its
            ``create_*_encoder`` function, e.g. ``{"audio": {"units": 32, "pooling": "mean"}}``.
        seed: seed of the modality dropout draws.
        auxiliary_weight: weight ``lambda >= 0`` of an auxiliary loss that also classifies each
            present modality from its own embedding alone (one softmax head per modality; for
            late fusion, its own heads). With modality dropout it keeps every encoder as
            discriminative as a single-modality model's. 0 (the default) adds nothing; early
            fusion, without embeddings, needs 0. The term is added by :meth:`train_step`
            (TensorFlow backend) and left out of ``evaluate`` and ``val_loss``.
        **kwargs: base ``keras.Model`` arguments (``name``, ``dtype``).

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
            shape, ``"text"`` without ``vocabulary_size``, early fusion with an unknown size
            or ``auxiliary_weight > 0``, an inputs dict without one of the model's
            modalities, inputs with different batch sizes, or (eagerly) a presence row with
            no modality present.
        TypeError: if ``modalities`` or ``inputs`` is not a dict, or a rate or weight is not
            a real number.

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
        >>> early = FusionClassifier({"image": (8, 8, 1), "audio": (5, 32)}, fusion="early")
        >>> len(early.encoders), tuple(early(inputs).shape)
        (0, (2, 10))

    Book: section "sec-multimodal-classifier".
    """

    def __init__(self, modalities, *, fusion="intermediate", num_classes=10, embedding_dim=64,
                 vocabulary_size=None, late_weights="mean", modality_dropout=0.0,
                 hidden_units=64, dropout=0.0, encoder_options=None, seed=None,
                 auxiliary_weight=0.0, **kwargs):
        super().__init__(**kwargs)
        shapes = check_modality_shapes(_NAME, modalities)
        v.check_option(_NAME, "fusion", fusion, FUSIONS)
        v.check_option(_NAME, "late_weights", late_weights, ("mean", "learned"))
        for arg, value in (("num_classes", num_classes), ("embedding_dim", embedding_dim),
                           ("hidden_units", hidden_units)):
            v.check_positive_int(_NAME, arg, value)
        auxiliary_weight = v.check_real(
            _NAME, "auxiliary_weight", auxiliary_weight, minimum=0,
            fix="It weighs the per-modality auxiliary loss; 0 turns it off")
        for arg, value in (("modality_dropout", modality_dropout), ("dropout", dropout)):
            v.check_real(_NAME, arg, value, minimum=0, maximum=1, strict_maximum=True)
        if fusion == "early" and auxiliary_weight > 0:
            raise ValueError(
                v.message(_NAME, "auxiliary_weight=0 with fusion='early'",
                          f"auxiliary_weight={auxiliary_weight!r}",
                          "Early fusion has no per-modality embeddings to classify; use "
                          "fusion='intermediate' for an auxiliary loss")
            )
        self.input_shapes = shapes
        self.fusion = fusion
        self.num_classes = int(num_classes)
        self.embedding_dim = int(embedding_dim)
        self.vocabulary_size = check_vocabulary_size(_NAME, vocabulary_size, shapes)
        self.late_weights = late_weights
        self.modality_dropout = float(modality_dropout)
        self.hidden_units = int(hidden_units)
        self.dropout = float(dropout)
        self.encoder_options = check_encoder_options(_NAME, encoder_options, shapes)
        self.seed = seed
        self.auxiliary_weight = auxiliary_weight
        heads.build_layers(self)  # every sublayer, built, in the model's dtype policy
        self.built = True

    @property
    def modalities(self) -> tuple:
        """The model's modalities, in the order of the presence mask's columns."""
        return tuple(self.input_shapes)

    def _forward(self, inputs, training=None, auxiliary=False):
        """One forward pass: ``(probabilities, weights, auxiliary, presence)``.

        ``weights`` are the late or attention weights ``(batch, num_modalities)`` (None for
        early and intermediate fusion); ``auxiliary`` the per-modality probabilities
        ``(batch, num_modalities, num_classes)`` when asked for, else None; ``presence`` the
        mask before modality dropout, which the auxiliary loss uses.
        """
        heads.check_inputs(inputs, self.modalities)
        dtype = self.compute_dtype
        if self.fusion == "early":
            parts = [heads.raw_features(m, inputs[m], vocabulary_size=self.vocabulary_size,
                                        dtype=dtype, audio_norm=getattr(self, "audio_norm", None),
                                        training=training)
                     for m in self.modalities]  # each (batch, raw_size)
        else:
            parts = [encoder(inputs[m], training=training)
                     for m, encoder in zip(self.modalities, self.encoders, strict=True)]
        presence = heads.presence_of(inputs, self.modalities, ops.shape(parts[0])[0], dtype)
        extra = None
        if auxiliary:
            classify = self.heads if self.fusion == "late" else self.auxiliary_heads
            extra = ops.stack([h(e) for h, e in zip(classify, parts, strict=True)],
                              axis=1)  # (batch, num, classes)
        kept = self.dropout_layer(presence, training=training)  # (batch, num)
        weights = None
        if self.fusion == "late":
            probs = ops.stack([head(e) for head, e in zip(self.heads, parts, strict=True)],
                              axis=1)  # (batch, num, classes)
            fused, weights = heads.late_fusion(probs, kept, self.weight_logits)
        else:
            if self.fusion == "attention":
                stacked = ops.stack(parts, axis=1)  # (batch, num, embedding_dim)
                fused, weights = self.attention(stacked, mask=kept > 0)  # (b, dim), (b, num)
            else:
                gated = [p * kept[:, i:i + 1] for i, p in enumerate(parts)]
                fused = ops.concatenate([*gated, kept], axis=-1)  # (batch, features + num)
            hidden = self.head_dropout(self.hidden(fused), training=training)
            if self.fusion == "early":
                hidden = self.hidden_2(hidden)  # (batch, hidden_units)
            fused = self.head(hidden)  # (batch, classes)
        return heads.uniform_where_absent(fused, presence), weights, extra, presence

    def call(self, inputs, training=None):
        return self._forward(inputs, training=training)[0]

    def train_step(self, data):
        """One ``fit`` step; with ``auxiliary_weight > 0`` it adds the auxiliary loss.

        The compiled loss and the auxiliary term come from ONE forward pass
        (``_forward``), so nothing is kept on the model between calls. Labels may be
        sparse ``(batch_size,)`` or one-hot ``(batch_size, num_classes)``, matching the
        compiled loss; ``sample_weight`` weighs each example's auxiliary term as it weighs
        its compiled loss. Under a ``tf.distribute`` strategy the auxiliary term is divided
        by the number of replicas, as Keras divides the compiled loss, and the reported loss
        multiplied back. The reported ``loss`` is the total; ``evaluate`` (and so
        ``val_loss``) runs Keras's own step, the compiled loss alone. Written for the
        TensorFlow backend, as the rest of mmtutor.
        """
        if self.auxiliary_weight == 0:
            return super().train_step(data)
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        with tf.GradientTape() as tape:
            probs, _, auxiliary, presence = self._forward(x, training=True, auxiliary=True)
            extra = heads.auxiliary_loss(y, auxiliary, presence, sample_weight)
            loss = self.compute_loss(x=x, y=y, y_pred=probs, sample_weight=sample_weight,
                                     training=True)
            # compute_loss is divided by the replicas under a strategy; the extra term too.
            extra = scale_for_replicas(ops.cast(self.auxiliary_weight * extra, loss.dtype))
            loss = loss + extra
            scaled = self.optimizer.scale_loss(loss)  # mixed precision: loss scaling
        gradients = tape.gradient(scaled, self.trainable_weights)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_weights, strict=True))
        for metric in self.metrics:
            if metric.name == "loss":  # Keras's loss tracker: a mean over examples
                metric.update_state(unscale_for_replicas(loss),
                                    sample_weight=ops.shape(probs)[0])
        return self.compute_metrics(x, y, probs, sample_weight=sample_weight)

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
            ValueError: for ``fusion="early"`` or ``"intermediate"``, which have no modality
                weights.
        """
        if self.fusion not in ("late", "attention"):
            raise ValueError(
                v.message(f"{_NAME}.modality_weights", "a model with fusion='late' or "
                          "'attention'", f"a model with fusion={self.fusion!r}",
                          "Early and intermediate fusion mix modalities inside a dense layer; "
                          "use modality ablation (mark one absent) to measure their roles")
            )
        heads.check_inputs(inputs, self.modalities)
        keys = [*self.modalities, *(["presence"] if "presence" in inputs else [])]
        total = len(inputs[self.modalities[0]])
        out = []
        for start in range(0, total, batch_size):
            batch = {k: inputs[k][start:start + batch_size] for k in keys}
            out.append(np.asarray(self._forward(batch, training=False)[1]))
        return np.concatenate(out, axis=0)

    def get_config(self):
        config = super().get_config()
        config.update(
            modalities={m: list(s) for m, s in self.input_shapes.items()},
            fusion=self.fusion,
            num_classes=self.num_classes,
            embedding_dim=self.embedding_dim,
            vocabulary_size=self.vocabulary_size,
            late_weights=self.late_weights,
            modality_dropout=self.modality_dropout,
            hidden_units=self.hidden_units,
            dropout=self.dropout,
            encoder_options=self.encoder_options,
            seed=self.seed,
            auxiliary_weight=self.auxiliary_weight,
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        modalities = config.pop("modalities")
        return cls(modalities, **config)
