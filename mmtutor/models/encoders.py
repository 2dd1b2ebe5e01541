"""One encoder per modality, each mapping its input to an embedding of a chosen size.

The encoders are functional ``keras.Model`` objects with one input named after the modality,
so they compose: :func:`create_unimodal_classifier` puts a softmax head on one to make a
single-modality baseline, and :class:`~mmtutor.models.FusionClassifier` fuses several.
"""

from __future__ import annotations

import keras

from mmtutor import _validation as v

#: The fixed vocabulary of modality names used by every multimodal model in mmtutor.
MODALITIES = ("image", "audio", "text")


def _check_common(name, embedding_dim, dropout):
    v.check_positive_int(name, "embedding_dim", embedding_dim)
    v.check_type(name, "dropout", dropout, (int, float), "a number in [0, 1)")
    if not 0 <= dropout < 1:
        raise ValueError(v.message(name, "dropout in [0, 1)", f"dropout={dropout!r}"))


def _embedding_head(x, embedding_dim, dropout, prefix):
    if dropout:
        x = keras.layers.Dropout(dropout, name=f"{prefix}_dropout")(x)
    return keras.layers.Dense(embedding_dim, activation="relu", name=f"{prefix}_embedding")(x)


def create_image_encoder(input_shape=(8, 8, 1), *, embedding_dim=64, filters=(32, 64),
                         dropout=0.0, name="image_encoder"):
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
                            name="image_conv_1")(inputs)  # (batch, h, w, f0)
    x = keras.layers.MaxPooling2D(2, name="image_pool")(x)  # (batch, h/2, w/2, f0)
    x = keras.layers.Conv2D(filters[1], 3, padding="same", activation="relu",
                            name="image_conv_2")(x)  # (batch, h/2, w/2, f1)
    x = keras.layers.Flatten(name="image_flatten")(x)  # (batch, h/2 * w/2 * f1)
    outputs = _embedding_head(x, embedding_dim, dropout, "image")
    return keras.Model(inputs, outputs, name=name)


def _recurrent(cell, units, return_sequences, name):
    if cell == "gru":
        return keras.layers.GRU(units, return_sequences=return_sequences, name=name)
    elif cell == "lstm":
        return keras.layers.LSTM(units, return_sequences=return_sequences, name=name)
    else:
        raise ValueError(f"unknown cell {cell!r}")  # checked by callers first


def _pool(x, pooling, prefix):
    from mmtutor.layers import AttentionPooling

    if pooling == "attention":
        return AttentionPooling(name=f"{prefix}_attention")(x)  # (batch, features)
    elif pooling == "mean":
        # A fixed zero query scores every step alike: uniform weights over the real steps, i.e.
        # the masked mean, and zeros (not GlobalAveragePooling1D's 0/0) for an all-padding row.
        return AttentionPooling(query_initializer="zeros", trainable=False,
                                name=f"{prefix}_mean")(x)  # (batch, features)
    else:
        raise ValueError(f"unknown pooling {pooling!r}")  # checked by callers first


def create_audio_encoder(input_shape, *, embedding_dim=64, units=48, cell="gru",
                         pooling="attention", conv_filters=32, pool_size=2, normalize=True,
                         dropout=0.0, name="audio_encoder"):
    """A recurrent network over log-mel frames that maps a clip to an embedding vector.

    Log-mel values sit far from zero (their scale depends on the recording level), so by
    default a ``BatchNormalization`` layer first standardises each mel bin, with statistics
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
        normalize: standardise each mel bin with ``BatchNormalization`` first.
        dropout: dropout rate before the embedding layer.
        name: the model's name.

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
        x = keras.layers.BatchNormalization(momentum=0.9, name="audio_norm")(x)  # per mel bin
    if conv_filters:
        x = keras.layers.Conv1D(conv_filters, 5, padding="same", activation="relu",
                                name="audio_conv")(x)  # (batch, frames, conv_filters)
        x = keras.layers.MaxPooling1D(pool_size, padding="same",
                                      name="audio_pool")(x)  # (batch, frames / pool_size, f)
    x = _recurrent(cell, units, pooling != "last", "audio_rnn")(x)
    if pooling != "last":
        x = _pool(x, pooling, "audio")  # (batch, frames, units) -> (batch, units)
    outputs = _embedding_head(x, embedding_dim, dropout, "audio")
    return keras.Model(inputs, outputs, name=name)


def create_text_encoder(vocabulary_size, sequence_length=None, *, embedding_dim=64,
                        token_dim=32, units=64, pooling="rnn", dropout=0.0,
                        name="text_encoder"):
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
                               name="text_tokens")(inputs)  # (batch, length, token_dim)
    if pooling == "rnn":
        x = _recurrent("gru", units, False, "text_rnn")(x)  # (batch, units)
    else:
        x = _pool(x, pooling, "text")  # (batch, token_dim)
    outputs = _embedding_head(x, embedding_dim, dropout, "text")
    return keras.Model(inputs, outputs, name=name)


def create_unimodal_classifier(encoder, *, num_classes=10, dropout=0.0, name=None):
    """Put a softmax classification head on one modality's encoder.

    The single-modality baseline every fused model is compared with: the same encoder the
    fusion model uses, followed by a dense softmax layer.

    Formula:
        p(y | x) = softmax(W E(x) + b)

    Args:
        encoder: a ``keras.Model`` with one input, such as :func:`create_image_encoder`'s.
        num_classes: number of classes.
        dropout: dropout rate between the encoder and the head.
        name: the model's name; defaults to ``"<input name>_classifier"``.

    Returns:
        A functional ``keras.Model`` from the encoder's input to class probabilities of shape
        ``(batch_size, num_classes)``.

    Raises:
        TypeError: if ``encoder`` is not a ``keras.Model``.
        ValueError: if the encoder has several inputs, or ``num_classes`` is not positive.

    Example:
        >>> import numpy as np
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
        x = keras.layers.Dropout(dropout, name="head_dropout")(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax", name="head")(x)
    return keras.Model(inputs, outputs, name=name or f"{inputs.name}_classifier")
