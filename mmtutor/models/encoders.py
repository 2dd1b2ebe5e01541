"""One encoder per modality, each mapping its input to an embedding of a chosen size.

The encoders are functional ``keras.Model`` objects with one input named after the modality,
so they compose: :func:`~mmtutor.models.create_unimodal_classifier` puts a softmax head on one
to make a single-modality baseline, and :class:`~mmtutor.models.FusionClassifier` fuses
several. :func:`create_encoder` picks the encoder by the modality's name.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from mmtutor import _validation as v
from mmtutor.layers.attention_pooling import AttentionPooling
from mmtutor.modalities import INPUT_SHAPES, MODALITIES


def synchronized_statistics() -> bool:
    """Whether a batch normalization built now should use global-batch statistics.

    Under a ``tf.distribute`` strategy (a model built inside ``strategy.scope()``) each
    replica sees a share of the batch, and per-replica statistics would train another model
    than one device does; ``BatchNormalization(synchronized=True)`` all-reduces them. On one
    device the layer keeps Keras's two-pass moments: ``synchronized=True`` computes
    E[x^2] - E[x]^2, which differs by about 2e-5 in float32 for log-mel values near -20.
    """
    return tf.distribute.has_strategy()


def _check_common(name, embedding_dim, dropout):
    v.check_positive_int(name, "embedding_dim", embedding_dim)
    v.check_real(name, "dropout", dropout, minimum=0, maximum=1, strict_maximum=True)


def _embedding_head(x, embedding_dim, dropout, prefix, dtype):
    if dropout:
        x = keras.layers.Dropout(dropout, name=f"{prefix}_dropout", dtype=dtype)(x)
    return keras.layers.Dense(embedding_dim, activation="relu", name=f"{prefix}_embedding",
                              dtype=dtype)(x)


def create_image_encoder(input_shape=(8, 8, 1), *, embedding_dim=64, filters=(32, 64),
                         dropout=0.0, name="image_encoder", dtype=None):
    """A small CNN that maps an image to an embedding vector.

    Two 3x3 convolution blocks (the second after 2x2 max pooling), flattened, then a dense
    ReLU layer of ``embedding_dim`` units. Sized for the 8x8 digits; it works for any image
    size of at least 2x2.

    Formula:
        e = ReLU(W flatten(conv_2(pool(conv_1(x)))) + b)

    Args:
        input_shape: ``(height, width, channels)``.
        embedding_dim: size of the output embedding.
        filters: number of filters of the two convolution blocks.
        dropout: dropout rate before the embedding layer.
        name: the model's name.
        dtype: dtype policy of every layer (e.g. ``"float64"``); None takes Keras's global
            policy.

    Returns:
        A functional ``keras.Model`` with input ``"image"`` of shape
        ``(batch_size, height, width, channels)`` and output ``(batch_size, embedding_dim)``.

    Raises:
        ValueError: for a bad ``input_shape``, ``embedding_dim``, ``filters`` or ``dropout``.

    Example:
        >>> import numpy as np
        >>> encoder = create_image_encoder((8, 8, 1), embedding_dim=16)
        >>> tuple(encoder(np.zeros((2, 8, 8, 1), dtype="float32")).shape)
        (2, 16)

    Book: section "sec-multimodal-classifier".
    """
    fname = "create_image_encoder"
    shape = v.check_input_shape(fname, input_shape, 3, "(height, width, channels)")
    _check_common(fname, embedding_dim, dropout)
    if len(tuple(filters)) != 2:
        raise ValueError(v.message(fname, "filters to be two positive integers",
                                   f"filters={filters!r}"))
    for f in filters:
        v.check_positive_int(fname, "filters", f)
    inputs = keras.Input(shape, name="image")
    x = keras.layers.Conv2D(filters[0], 3, padding="same", activation="relu",
                            name="image_conv_1", dtype=dtype)(inputs)  # (batch, h, w, f0)
    x = keras.layers.MaxPooling2D(2, name="image_pool", dtype=dtype)(x)  # (batch, h/2, w/2, f0)
    x = keras.layers.Conv2D(filters[1], 3, padding="same", activation="relu",
                            name="image_conv_2", dtype=dtype)(x)  # (batch, h/2, w/2, f1)
    x = keras.layers.Flatten(name="image_flatten", dtype=dtype)(x)  # (batch, h/2 * w/2 * f1)
    outputs = _embedding_head(x, embedding_dim, dropout, "image", dtype)
    return keras.Model(inputs, outputs, name=name)


def _recurrent(cell, units, return_sequences, name, dtype):
    if cell == "gru":
        return keras.layers.GRU(units, return_sequences=return_sequences, name=name, dtype=dtype)
    elif cell == "lstm":
        return keras.layers.LSTM(units, return_sequences=return_sequences, name=name,
                                 dtype=dtype)
    else:
        raise ValueError(f"unknown cell {cell!r}")  # checked by callers first


def _pool(x, pooling, prefix, dtype):
    if pooling == "attention":
        return AttentionPooling(name=f"{prefix}_attention", dtype=dtype)(x)  # (batch, features)
    elif pooling == "mean":
        # A fixed zero query scores every step alike: uniform weights over the real steps, i.e.
        # the masked mean, and zeros (not GlobalAveragePooling1D's 0/0) for an all-padding row.
        return AttentionPooling(query_initializer="zeros", trainable=False,
                                name=f"{prefix}_mean", dtype=dtype)(x)  # (batch, features)
    else:
        raise ValueError(f"unknown pooling {pooling!r}")  # checked by callers first


def create_audio_encoder(input_shape, *, embedding_dim=64, units=48, cell="gru",
                         pooling="attention", conv_filters=32, pool_size=2, normalize=True,
                         dropout=0.0, name="audio_encoder", dtype=None):
    """A recurrent network over log-mel frames that maps a clip to an embedding vector.

    Log-mel values sit far from zero (their scale depends on the recording level), so by
    default a ``BatchNormalization`` layer first standardizes each mel bin, with statistics
    learned during ``fit``. A 1-D convolution over 5 frames with max pooling over
    ``pool_size`` frames then turns the frames into fewer local features (a "CRNN" front end:
    it divides the RNN's steps by ``pool_size`` and makes it robust to noise), and the RNN
    reads them one step at a time. The RNN's cost grows with its number of steps, so a larger
    ``pool_size`` trains faster, at the price of coarser timing.
    ``pooling`` chooses how its outputs become one vector: its last state (``"last"``), the
    mean over steps (``"mean"``), or attention pooling over steps (``"attention"``, the
    seed's formula with a learned query, via :class:`~mmtutor.layers.AttentionPooling`),
    which lets the model weigh the frames where the digit is spoken. On the noisy default
    data the RNN's last state alone (``"last"``) learns far more slowly than the other two.

    Formula:
        u = MaxPool(ReLU(Conv1D(BatchNorm(x)))),   h_t = RNN(h_{t-1}, u_t),
        pooled = h_T | mean_t h_t | sum_t alpha_t h_t,   e = ReLU(W pooled + b)

    Args:
        input_shape: ``(frames, mel_bins)``; ``frames`` may be None.
        embedding_dim: size of the output embedding.
        units: size of the RNN state.
        cell: ``"gru"`` or ``"lstm"``.
        pooling: ``"last"``, ``"mean"`` or ``"attention"``.
        conv_filters: filters of the convolutional front end; None (or 0) feeds the frames
            to the RNN directly.
        pool_size: frames per max-pooling window after the convolution (ignored without
            it).
        normalize: standardize each mel bin with ``BatchNormalization`` first.
        dropout: dropout rate before the embedding layer.
        name: the model's name.
        dtype: dtype policy of every layer; None takes Keras's global policy.

    Returns:
        A functional ``keras.Model`` with input ``"audio"`` of shape
        ``(batch_size, frames, mel_bins)`` and output ``(batch_size, embedding_dim)``.

    Raises:
        ValueError: for a bad ``input_shape``, an unknown ``cell`` or ``pooling``, or bad
            sizes.

    Example:
        >>> import numpy as np
        >>> encoder = create_audio_encoder((5, 32), embedding_dim=16, units=8)
        >>> tuple(encoder(np.zeros((2, 5, 32), dtype="float32")).shape)
        (2, 16)

    Book: section "sec-multimodal-classifier".
    """
    fname = "create_audio_encoder"
    shape = v.check_input_shape(fname, input_shape, 2, "(frames, mel_bins)", allow_none=(0,))
    _check_common(fname, embedding_dim, dropout)
    v.check_positive_int(fname, "units", units)
    v.check_option(fname, "cell", cell, ("gru", "lstm"))
    v.check_option(fname, "pooling", pooling, ("last", "mean", "attention"))
    if conv_filters:
        v.check_positive_int(fname, "conv_filters", conv_filters)
    v.check_positive_int(fname, "pool_size", pool_size)
    inputs = keras.Input(shape, name="audio")
    x = inputs
    if normalize:
        x = keras.layers.BatchNormalization(
            momentum=0.9, name="audio_norm", dtype=dtype,
            synchronized=synchronized_statistics())(x)  # per mel bin
    if conv_filters:
        x = keras.layers.Conv1D(conv_filters, 5, padding="same", activation="relu",
                                name="audio_conv", dtype=dtype)(x)  # (batch, frames, filters)
        x = keras.layers.MaxPooling1D(pool_size, padding="same", name="audio_pool",
                                      dtype=dtype)(x)  # (batch, frames / pool_size, filters)
    x = _recurrent(cell, units, pooling != "last", "audio_rnn", dtype)(x)
    if pooling != "last":
        x = _pool(x, pooling, "audio", dtype)  # (batch, frames, units) -> (batch, units)
    outputs = _embedding_head(x, embedding_dim, dropout, "audio", dtype)
    return keras.Model(inputs, outputs, name=name)


def create_text_encoder(vocabulary_size, sequence_length=None, *, embedding_dim=64,
                        token_dim=32, units=64, pooling="rnn", dropout=0.0,
                        name="text_encoder", dtype=None):
    """Token embeddings with padding masked, pooled into one embedding vector.

    Token id 0 is padding: the embedding layer uses ``mask_zero=True`` so the pooling ignores
    padded positions. ``pooling`` chooses how the tokens become one vector: a GRU's last state
    (``"rnn"``), attention pooling over the token vectors (``"attention"``), or their mean
    (``"mean"``).

    Formula:
        u_t = E[token_t];  pooled = GRU(u)_T | sum_t alpha_t u_t | mean_t u_t  (t not padding);
        e = ReLU(W pooled + b)

    Args:
        vocabulary_size: number of token ids, including 0 (padding).
        sequence_length: tokens per caption, or None for any length.
        embedding_dim: size of the output embedding.
        token_dim: size of each token's embedding vector.
        units: size of the GRU state (``pooling="rnn"`` only).
        pooling: ``"rnn"``, ``"attention"`` or ``"mean"``.
        dropout: dropout rate before the embedding layer.
        name: the model's name.
        dtype: dtype policy of every layer; None takes Keras's global policy.

    Returns:
        A functional ``keras.Model`` with input ``"text"`` of shape
        ``(batch_size, sequence_length)`` (int32 token ids) and output
        ``(batch_size, embedding_dim)``.

    Raises:
        ValueError: for an unknown ``pooling`` or bad sizes.

    Example:
        >>> import numpy as np
        >>> encoder = create_text_encoder(20, 6, embedding_dim=16, pooling="mean")
        >>> tuple(encoder(np.array([[3, 4, 0, 0, 0, 0]], dtype="int32")).shape)
        (1, 16)

    Book: section "sec-multimodal-classifier".
    """
    fname = "create_text_encoder"
    v.check_positive_int(fname, "vocabulary_size", vocabulary_size)
    if sequence_length is not None:
        v.check_positive_int(fname, "sequence_length", sequence_length)
    _check_common(fname, embedding_dim, dropout)
    v.check_positive_int(fname, "token_dim", token_dim)
    v.check_positive_int(fname, "units", units)
    v.check_option(fname, "pooling", pooling, ("rnn", "attention", "mean"))
    inputs = keras.Input((sequence_length,), dtype="int32", name="text")
    x = keras.layers.Embedding(int(vocabulary_size), token_dim, mask_zero=True,
                               name="text_tokens", dtype=dtype)(inputs)  # (batch, length, d)
    if pooling == "rnn":
        x = _recurrent("gru", units, False, "text_rnn", dtype)(x)  # (batch, units)
    else:
        x = _pool(x, pooling, "text", dtype)  # (batch, token_dim)
    outputs = _embedding_head(x, embedding_dim, dropout, "text", dtype)
    return keras.Model(inputs, outputs, name=name)


def create_encoder(modality, input_shape, *, embedding_dim=64, vocabulary_size=None, name=None,
                   **options):
    """Build the encoder of one modality by its name: image, audio or text.

    The one place that maps a modality name to its ``create_*_encoder`` function, so the
    multimodal models (:class:`~mmtutor.models.FusionClassifier`,
    :class:`~mmtutor.models.DualEncoder`) and learners build encoders the same way.

    Args:
        modality: ``"image"``, ``"audio"`` or ``"text"``.
        input_shape: one example's shape without the batch axis: image ``(height, width,
            channels)``, audio ``(frames, mel_bins)``, text ``(sequence_length,)``.
        embedding_dim: size of the output embedding.
        vocabulary_size: number of token ids; required for ``"text"``, ignored otherwise.
        name: the model's name; defaults to ``"<modality>_encoder"``.
        **options: further keyword arguments of that modality's function, e.g.
            ``units=32`` for :func:`create_audio_encoder` or ``dtype="float64"``.

    Returns:
        A functional ``keras.Model`` with one input named after the modality and output
        ``(batch_size, embedding_dim)``.

    Raises:
        ValueError: for an unknown ``modality``, ``"text"`` without ``vocabulary_size``, or
            anything the modality's function rejects.
        TypeError: for an option the modality's function does not take.

    Example:
        >>> import numpy as np
        >>> encoder = create_encoder("text", (6,), embedding_dim=4, vocabulary_size=20,
        ...                          pooling="mean")
        >>> encoder.name, tuple(encoder(np.ones((2, 6), dtype="int32")).shape)
        ('text_encoder', (2, 4))

    Book: section "sec-multimodal-classifier".
    """
    fname = "create_encoder"
    v.check_option(fname, "modality", modality, MODALITIES)
    name = f"{modality}_encoder" if name is None else name
    if modality == "image":
        return create_image_encoder(input_shape, embedding_dim=embedding_dim, name=name,
                                    **options)
    elif modality == "audio":
        return create_audio_encoder(input_shape, embedding_dim=embedding_dim, name=name,
                                    **options)
    elif modality == "text":
        (length,) = v.check_input_shape(fname, input_shape, 1, INPUT_SHAPES["text"],
                                        allow_none=(0,))
        if vocabulary_size is None:
            raise ValueError(
                v.message(fname, "vocabulary_size with modality='text'", "vocabulary_size=None",
                          "Pass the number of token ids, e.g. "
                          "len(data.metadata['vocabulary'])")
            )
        return create_text_encoder(vocabulary_size, length, embedding_dim=embedding_dim,
                                   name=name, **options)
    else:
        raise ValueError(v.message(fname, "a known modality", f"modality={modality!r}"))
