"""DualEncoder: two modality encoders into one shared space, trained with symmetric InfoNCE."""

from __future__ import annotations

from collections.abc import Mapping

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from mmtutor import _validation as v
from mmtutor.losses import info_nce
from mmtutor.modalities import check_modality_shapes
from mmtutor.models._common import (
    check_encoder_options,
    check_vocabulary_size,
    create_encoders,
    output_dtype,
    scale_for_replicas,
)

_NAME = "DualEncoder"


@keras.saving.register_keras_serializable(package="mmtutor")
class DualEncoder(keras.Model):
    """A CLIP-style dual encoder at toy scale: two modalities embedded in one space.

    Each modality has its own encoder (the same ones :class:`FusionClassifier` uses) and a
    linear projection to ``projection_dim``; the projections are scaled to unit length, so
    the dot product of two embeddings is their cosine similarity. Training needs no labels:
    :func:`~mmtutor.losses.info_nce` pulls each pair together and pushes the other examples
    of the batch away, in both directions. After training, an audio clip retrieves images by
    similarity (see :func:`~mmtutor.metrics.recall_at_k`). Compile with an optimizer only
    (``model.compile(optimizer="adam")``) and fit on the inputs dict alone; the loss is
    built in (:meth:`compute_loss`).

    With ``positives="labels"`` the model is fit on ``(inputs, labels)`` and trained with the
    label-aware InfoNCE (``info_nce(..., labels=y)``): every same-label item of the batch is
    a positive. That is the right objective for data paired only by label, such as
    MultiDigits, where plain InfoNCE pushes apart same-class items that class-level
    retrieval should find.

    Under a ``tf.distribute`` strategy each replica holds a share of the global batch. With
    ``gather=True`` (the default) every replica gathers the others' embeddings (and labels)
    with the replica context's ``all_gather``, as CLIP does, so every example meets the
    negatives of the whole global batch and the loss and its gradients equal one device's
    with the same global batch. With ``gather=False`` each replica contrasts its own share
    only: fewer negatives, a different (smaller) loss.

    Formula:
        z_a = normalize(P_a E_a(x_a)),  z_b = normalize(P_b E_b(x_b)),
        L = info_nce(z_a, z_b, temperature=tau)   (positives="labels": labels=y as well)
        with sample weights s: L = 1/N sum_i s_i l_i, where l_i is row i's term of info_nce
        (both directions averaged); every example still serves as a negative for the others.

    Args:
        modalities: dict from exactly two modality names to their input shapes (as for
            :class:`FusionClassifier`), e.g. ``{"image": (8, 8, 1), "audio": (frames, 32)}``.
        projection_dim: size of the shared space.
        embedding_dim: size of each encoder's output before the projection.
        temperature: ``tau > 0`` of the InfoNCE loss. When the pairs share only a label (as
            in MultiDigits), a batch holds same-class "negatives" that a sharp softmax pushes
            apart; ``temperature=0.3`` retrieves the class far better there than 0.1.
        vocabulary_size: number of token ids; required when ``"text"`` is a modality.
        encoder_options: optional dict from modality name to extra keyword arguments of its
            ``create_*_encoder`` function.
        positives: ``"pairs"`` (the default: row ``i`` of one modality matches only row
            ``i`` of the other; fit on the inputs alone) or ``"labels"`` (every same-label
            pair is a positive; fit on ``(inputs, labels)``).
        gather: under a ``tf.distribute`` strategy, contrast against the global batch
            (True) or against each replica's share alone (False). No effect on one device.
        **kwargs: base ``keras.Model`` arguments (``name``, ``dtype``).

    Call arguments:
        inputs: dict with one array per modality of the model (extra keys are ignored).
        training: True while training.

    Returns:
        A dict from each modality name to its unit-length embeddings, shape
        ``(batch_size, projection_dim)``.

    Raises:
        ValueError: for a number of modalities other than two, bad shapes or sizes, a
            ``temperature <= 0``, an unknown ``positives``, or (``positives="labels"``)
            training without labels.
        TypeError: if ``modalities`` is not a dict.

    Example:
        >>> import numpy as np
        >>> model = DualEncoder({"image": (8, 8, 1), "audio": (5, 32)}, projection_dim=4,
        ...                     embedding_dim=8, encoder_options={"audio": {"units": 4}})
        >>> z = model({"image": np.ones((3, 8, 8, 1), "float32"),
        ...            "audio": np.ones((3, 5, 32), "float32")})
        >>> tuple(z["audio"].shape), np.allclose(np.linalg.norm(z["image"], axis=1), 1.0)
        ((3, 4), True)

    Book: section "sec-shared-representations".
    """

    def __init__(self, modalities, *, projection_dim=32, embedding_dim=64, temperature=0.1,
                 vocabulary_size=None, encoder_options=None, positives="pairs", gather=True,
                 **kwargs):
        super().__init__(**kwargs)
        shapes = check_modality_shapes(_NAME, modalities)
        if len(shapes) != 2:
            raise ValueError(
                v.message(_NAME, "exactly two modalities", f"modalities={list(shapes)}",
                          "A dual encoder pairs two modalities; for more, train one per pair")
            )
        v.check_positive_int(_NAME, "projection_dim", projection_dim)
        v.check_positive_int(_NAME, "embedding_dim", embedding_dim)
        self.temperature = v.check_real(_NAME, "temperature", temperature, minimum=0,
                                        strict=True, fix="Typical values lie between 0.05 and 1")
        v.check_option(_NAME, "positives", positives, ("pairs", "labels"))
        self.positives = positives
        v.check_type(_NAME, "gather", gather, bool, "True or False")
        self.gather = gather
        self.input_shapes = shapes
        self.projection_dim = int(projection_dim)
        self.embedding_dim = int(embedding_dim)
        self.vocabulary_size = check_vocabulary_size(_NAME, vocabulary_size, shapes)
        self.encoder_options = check_encoder_options(_NAME, encoder_options, shapes)
        self.encoders = create_encoders(shapes, embedding_dim=self.embedding_dim,
                                        vocabulary_size=self.vocabulary_size,
                                        encoder_options=self.encoder_options,
                                        dtype=self.dtype_policy)
        # float32 under a mixed policy: the unit-length embeddings and InfoNCE's logits.
        self.projections = [keras.layers.Dense(projection_dim, name=f"{m}_projection",
                                               dtype=output_dtype(self.dtype_policy))
                            for m in shapes]
        for projection in self.projections:
            projection.build((None, self.embedding_dim))
        self.built = True

    @property
    def modalities(self) -> tuple:
        """The two modalities, in a fixed order (image, audio, text)."""
        return tuple(self.input_shapes)

    def _embed_one(self, index, x, training=None):
        z = self.projections[index](self.encoders[index](x, training=training))  # (batch, p)
        return z / ops.maximum(ops.norm(z, axis=-1, keepdims=True), 1e-12)

    def call(self, inputs, training=None):
        if not isinstance(inputs, Mapping):
            raise TypeError(
                v.message(_NAME, "inputs to be a dict keyed by modality name",
                          f"inputs of type {type(inputs).__name__}")
            )
        missing = [m for m in self.modalities if m not in inputs]
        if missing:
            raise ValueError(
                v.message(_NAME, f"inputs with the keys {list(self.modalities)}",
                          f"inputs with keys {sorted(inputs)}", f"Add {missing}")
            )
        return {m: self._embed_one(i, inputs[m], training=training)
                for i, m in enumerate(self.modalities)}

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """Symmetric InfoNCE between the two modalities' embeddings.

        ``y`` (the labels) is used only with ``positives="labels"``, where it is required.
        ``sample_weight`` ``(batch_size,)`` weighs each row's term, and the sum is divided by
        the batch size, as Keras reduces a compiled loss; a weight-0 example adds no term of
        its own but still serves as a negative (or, with labels, a positive) for the others.
        Without weights the loss equals :func:`~mmtutor.losses.info_nce`.

        Under a ``tf.distribute`` strategy with ``gather=True``, the terms are those of the
        global batch (every replica gathers the embeddings); with ``gather=False``, those of the
        replica's share, divided by the number of replicas as Keras divides its own losses.
        """
        a, b = (y_pred[m] for m in self.modalities)
        labels = None
        if self.positives == "labels":
            if y is None:
                raise ValueError(
                    v.message(_NAME, "labels y with positives='labels'", "y=None",
                              "Fit on (inputs, labels): model.fit(inputs, labels)")
                )
            shape = v.shape_of(y)
            if len(shape) not in (1, 2) or (len(shape) == 2 and shape[1] != 1):
                raise ValueError(
                    v.message(_NAME, "labels y of shape (batch_size,), one integer per pair",
                              f"y with shape {v._fmt(shape)}",
                              "If these are one-hot rows, take argmax(axis=-1) first")
                )
            labels = ops.reshape(y, (-1,))  # (batch_size,)
        elif self.positives != "pairs":
            raise ValueError(v.message(_NAME, "positives 'pairs' or 'labels'",
                                       f"positives={self.positives!r}"))
        gathered = (self.gather and tf.distribute.has_strategy()
                    and tf.distribute.in_cross_replica_context() is False)
        if gathered:
            rows, total = _global_batch_rows(a, b, labels, self.temperature)
        else:
            rows = info_nce(a, b, temperature=self.temperature, normalize=False,
                            labels=labels, reduction="none")  # (batch_size,)
        if sample_weight is not None:
            rows = rows * ops.reshape(ops.cast(sample_weight, rows.dtype), (-1,))
        if gathered:  # the replicas' terms add up to the global mean: no further scaling
            return ops.sum(rows) / ops.cast(total, rows.dtype)
        return scale_for_replicas(ops.mean(rows))

    def embed(self, x, *, modality, batch_size=256):
        """Unit-length embeddings of one modality's inputs, for retrieval.

        Args:
            x: inputs of that modality, e.g. images ``(num_examples, 8, 8, 1)``.
            modality: which of :attr:`modalities` ``x`` is.
            batch_size: examples per forward pass.

        Returns:
            A NumPy array of shape ``(num_examples, projection_dim)``.

        Raises:
            ValueError: if ``modality`` is not one of the model's.
        """
        v.check_option(f"{_NAME}.embed", "modality", modality, self.modalities)
        index = self.modalities.index(modality)
        return np.concatenate([np.asarray(self._embed_one(index, x[i:i + batch_size]))
                               for i in range(0, len(x), batch_size)], axis=0)

    def get_config(self):
        config = super().get_config()
        config.update(
            modalities={m: list(s) for m, s in self.input_shapes.items()},
            projection_dim=self.projection_dim,
            embedding_dim=self.embedding_dim,
            temperature=self.temperature,
            vocabulary_size=self.vocabulary_size,
            encoder_options=self.encoder_options,
            positives=self.positives,
            gather=self.gather,
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        modalities = config.pop("modalities")
        return cls(modalities, **config)


def _global_batch_rows(a, b, labels, temperature):
    """This replica's InfoNCE terms against the global batch, and the global batch size.

    Every replica gathers the embeddings (and labels) of all replicas in replica order
    (``ReplicaContext.all_gather``; shares may differ in size), computes the InfoNCE terms
    of the whole global batch and keeps those of its own examples. Summed over replicas,
    ``sum(rows) / total`` is the one-device loss of the global batch. Its gradient is too:
    the gradient of ``all_gather`` sums over replicas what every replica's loss sends back
    to a gathered embedding, so each embedding gets the gradient of the global loss, once.
    (CLIP computes only the ``(batch_size, global_batch)`` block of logits per replica; the
    whole matrix is simpler here and costs nothing at the book's sizes.)
    """
    context = tf.distribute.get_replica_context()
    sizes = context.all_gather(tf.shape(a)[:1], axis=0)  # (replicas,)
    index = context.replica_id_in_sync_group
    start = tf.reduce_sum(sizes[:index])
    all_a = context.all_gather(a, axis=0)  # (global_batch, projection_dim)
    all_b = context.all_gather(b, axis=0)  # (global_batch, projection_dim)
    all_labels = None if labels is None else context.all_gather(labels, axis=0)
    rows = info_nce(all_a, all_b, temperature=temperature, normalize=False,
                    labels=all_labels, reduction="none")  # (global_batch,)
    return rows[start:start + sizes[index]], tf.reduce_sum(sizes)  # (batch_size,), ()
