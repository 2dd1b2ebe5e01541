"""BimodalAutoencoder: image and audio through one shared code (Ngiam et al., 2011)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import keras
import numpy as np
from keras import ops

from mmtutor import _validation as v
from mmtutor.models._common import output_dtype, scale_for_replicas
from mmtutor.models.encoders import create_audio_encoder, synchronized_statistics

_NAME = "BimodalAutoencoder"
# Old argument names, refused with a pointer to the package's names (see mmtutor.modalities).
_RENAMED = {"code_dim": "encoding_dim", "drop_rate": "modality_dropout"}


@keras.saving.register_keras_serializable(package="mmtutor")
class BimodalAutoencoder(keras.Model):
    """An autoencoder with one shared code for an image and an audio clip.

    Each modality has an encoder (dense layers, or for the audio optionally the recurrent
    :func:`create_audio_encoder`); their outputs are concatenated and compressed into one
    shared code of size ``encoding_dim``, from which two dense decoders reconstruct *both*
    modalities. Following Ngiam et al. (2011), training hides one input at random: a share
    ``modality_dropout`` of the examples has either its image or its audio set to zero (half
    each by default, see ``audio_only_share``), while the targets stay the clean inputs. The
    code must therefore carry the digit from either modality alone, which allows cross-modal
    reconstruction: hear a digit, generate its image (:meth:`reconstruct` with
    ``source="audio"``).

    A zero input means "absent", so the audio is first standardized (``BatchNormalization``
    over each frame and mel bin, statistics learned during ``fit``) and zeroed after that:
    an absent clip looks like the average clip. The image, in ``[0, 1]``, is zeroed as it is.
    With ``audio_encoder="recurrent"`` the audio goes through the convolutional-recurrent
    encoder (robust to when in the clip the digit is spoken, which a dense layer over the
    flattened spectrogram is not), and an absent clip has its embedding set to zero instead.
    Compile with an optimizer only (``model.compile(optimizer="adam")``) and fit on the
    inputs dict alone: the loss is built in (:meth:`compute_loss`).

    Formula:
        h = ReLU(W_i x_image) ; ReLU(W_a BatchNorm(x_audio)),   c = W_c h + b_c
        (audio_encoder="recurrent": the audio half of h is create_audio_encoder(x_audio)),
        L = 1/N sum_n w_n [ mse(x_image, D_i(c)) + audio_weight * mse(x_audio, D_a(c)) ]
        training inputs: with u ~ U(0, 1), the image is zeroed if u < r * s and the audio if
        r * s <= u < r  (r = modality_dropout, s = audio_only_share)
        where mse averages over the pixels (or the frames and mel bins) of one example and
        w_n is its sample weight (1 without weights).

    Args:
        image_shape: ``(height, width, channels)``, e.g. ``(8, 8, 1)``.
        audio_shape: ``(frames, mel_bins)``.
        encoding_dim: size of the shared code (``code_dim`` before; the old name raises a
            ``TypeError``).
        hidden_units: size of each modality's hidden layer (encoder and decoder).
        modality_dropout: share of training examples with one modality zeroed, in
            ``[0, 1]`` (``drop_rate`` before); the default 2/3 gives Ngiam's mix: a third
            image only, a third audio only, a third both. (FusionClassifier's
            ``modality_dropout`` hides each modality independently; here exactly one of the
            two is hidden, so an example always keeps one.)
        audio_weight: weight of the audio term of the loss.
        audio_encoder: ``"dense"`` (Ngiam's setting, fast) or ``"recurrent"``.
        audio_only_share: share of the zeroed examples that keep only their audio (their
            image is zeroed), in ``[0, 1]``; the others keep only their image. The default
            0.5 zeroes either input equally often; a larger share trains the audio-to-image
            path (hear a digit, generate its image) on more examples.
        seed: seed of the zeroing draws.
        **kwargs: base ``keras.Model`` arguments (``name``, ``dtype``).

    Call arguments:
        inputs: dict with ``"image"`` ``(batch_size, height, width, channels)`` and
            ``"audio"`` ``(batch_size, frames, mel_bins)``; optionally ``"presence"``
            ``(batch_size, 2)``, columns (image, audio), 0.0 to zero that input.
        training: True while training (enables the random zeroing).

    Returns:
        A dict with the reconstructions ``"image"`` (same shape as the image input, in
        ``[0, 1]``) and ``"audio"`` (same shape as the audio input).

    Raises:
        ValueError: for bad shapes, sizes or rates, an unknown ``audio_encoder``, or inputs
            without ``"image"`` or ``"audio"``.
        TypeError: for the old argument names ``code_dim`` and ``drop_rate``.

    Example:
        >>> import numpy as np
        >>> model = BimodalAutoencoder((8, 8, 1), (5, 4), encoding_dim=3, hidden_units=8)
        >>> out = model.reconstruct({"audio": np.zeros((2, 5, 4), "float32")}, source="audio")
        >>> out["image"].shape, out["audio"].shape
        ((2, 8, 8, 1), (2, 5, 4))

    Book: section "sec-shared-representations".
    """

    def __init__(self, image_shape, audio_shape, *, encoding_dim=32, hidden_units=128,
                 modality_dropout=2 / 3, audio_weight=1.0, audio_encoder="dense", seed=None,
                 audio_only_share=0.5, **kwargs):
        for old, new in _RENAMED.items():
            if old in kwargs:
                raise TypeError(
                    v.message(_NAME, f"{new}, the package's name for this argument",
                              f"{old}={kwargs[old]!r}",
                              f"{old} was renamed: pass {new}={kwargs[old]!r}")
                )
        super().__init__(**kwargs)
        self.image_shape = v.check_input_shape(_NAME, image_shape, 3,
                                               "(height, width, channels)")
        self.audio_shape = v.check_input_shape(_NAME, audio_shape, 2, "(frames, mel_bins)")
        v.check_positive_int(_NAME, "encoding_dim", encoding_dim)
        v.check_positive_int(_NAME, "hidden_units", hidden_units)
        self.modality_dropout = v.check_real(
            _NAME, "modality_dropout", modality_dropout, minimum=0, maximum=1,
            fix="It is the share of training examples with one input zeroed")
        self.audio_only_share = v.check_real(
            _NAME, "audio_only_share", audio_only_share, minimum=0, maximum=1,
            fix="It is the share of the zeroed examples that keep only their audio")
        self.audio_weight = v.check_real(_NAME, "audio_weight", audio_weight, minimum=0)
        v.check_option(_NAME, "audio_encoder", audio_encoder, ("dense", "recurrent"))
        self.audio_encoder = audio_encoder
        self.encoding_dim = int(encoding_dim)
        self.hidden_units = int(hidden_units)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

        image_size, audio_size = math.prod(self.image_shape), math.prod(self.audio_shape)
        dtype = self.dtype_policy

        def dense(units, name, activation=None, dtype=dtype):
            return keras.layers.Dense(units, activation=activation, name=name, dtype=dtype)

        self.image_in = dense(hidden_units, "image_hidden", "relu")
        if audio_encoder == "recurrent":
            self.audio_in = create_audio_encoder(self.audio_shape, embedding_dim=hidden_units,
                                                 dtype=dtype)
        else:
            self.audio_norm = keras.layers.BatchNormalization(
                momentum=0.9, name="audio_norm", dtype=dtype,
                synchronized=synchronized_statistics())  # global under a strategy
            self.audio_in = dense(hidden_units, "audio_hidden", "relu")
            self.audio_norm.build((None, audio_size))
            self.audio_in.build((None, audio_size))
        self.code = dense(encoding_dim, "shared_code")
        self.image_up = dense(hidden_units, "image_decoder_hidden", "relu")
        self.audio_up = dense(hidden_units, "audio_decoder_hidden", "relu")
        # The reconstructions (and so the loss) in float32 under a mixed policy.
        self.image_out = dense(image_size, "image_output", "sigmoid", output_dtype(dtype))
        self.audio_out = dense(audio_size, "audio_output", dtype=output_dtype(dtype))
        for layer, size in ((self.image_in, image_size), (self.code, 2 * hidden_units),
                            (self.image_up, encoding_dim), (self.audio_up, encoding_dim),
                            (self.image_out, hidden_units), (self.audio_out, hidden_units)):
            layer.build((None, size))
        self.built = True

    def _check_inputs(self, inputs, keys):
        if not isinstance(inputs, Mapping) or any(k not in inputs for k in keys):
            got = sorted(inputs) if isinstance(inputs, Mapping) else type(inputs).__name__
            raise ValueError(
                v.message(_NAME, f"inputs to be a dict with the keys {list(keys)}",
                          f"inputs={got}", "Pass {'image': ..., 'audio': ...}")
            )

    def _presence(self, inputs, batch, training):
        if "presence" in inputs:
            presence = ops.cast(inputs["presence"], self.compute_dtype)  # (batch, 2)
        else:
            presence = ops.ones((batch, 2), self.compute_dtype)
        if training and self.modality_dropout > 0:
            u = keras.random.uniform((batch, 1), seed=self.seed_generator)  # (batch, 1)
            cut = self.modality_dropout * self.audio_only_share  # u < cut: image zeroed
            hide_image = ops.cast(u < cut, presence.dtype)
            hide_audio = ops.cast((u >= cut) & (u < self.modality_dropout), presence.dtype)
            presence = presence * ops.concatenate([1 - hide_image, 1 - hide_audio], axis=1)
        return presence

    def _encode(self, inputs, training=None):
        self._check_inputs(inputs, ("image", "audio"))
        image = ops.cast(inputs["image"], self.compute_dtype)
        audio = ops.cast(inputs["audio"], self.compute_dtype)
        batch = ops.shape(image)[0]
        presence = self._presence(inputs, batch, training)  # (batch, 2)
        image = ops.reshape(image, (batch, -1)) * presence[:, :1]  # (batch, h * w * c)
        if self.audio_encoder == "recurrent":
            audio_hidden = self.audio_in(audio, training=training) * presence[:, 1:]
        else:
            audio = ops.reshape(audio, (batch, -1))  # (batch, frames * bins)
            audio = self.audio_norm(audio, training=training) * presence[:, 1:]
            audio_hidden = self.audio_in(audio)  # (batch, hidden_units)
        hidden = ops.concatenate([self.image_in(image), audio_hidden], axis=-1)
        return self.code(hidden)  # (batch, encoding_dim)

    def call(self, inputs, training=None):
        code = self._encode(inputs, training=training)
        batch = ops.shape(code)[0]
        image = self.image_out(self.image_up(code))  # (batch, h * w * c)
        audio = self.audio_out(self.audio_up(code))  # (batch, frames * bins)
        return {"image": ops.reshape(image, (batch, *self.image_shape)),
                "audio": ops.reshape(audio, (batch, *self.audio_shape))}

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """Mean squared error of both reconstructions against the clean inputs ``x``.

        Each example's error (its image's mean squared error plus ``audio_weight`` times its
        audio's) is weighted by ``sample_weight`` ``(batch_size,)`` when given, and the sum
        divided by the batch size, as Keras reduces a compiled loss. Under a
        ``tf.distribute`` strategy it is also divided by the number of replicas, as Keras
        divides a compiled loss, so training matches one device.
        """
        errors = []
        for m in ("image", "audio"):
            batch = ops.shape(y_pred[m])[0]
            diff = ops.cast(x[m], y_pred[m].dtype) - y_pred[m]
            errors.append(ops.mean(ops.square(ops.reshape(diff, (batch, -1))), axis=1))
        per_example = errors[0] + self.audio_weight * errors[1]  # (batch,)
        if sample_weight is not None:
            per_example = per_example * ops.reshape(
                ops.cast(sample_weight, per_example.dtype), (-1,))
        # Under a tf.distribute strategy, divided by the replicas as Keras divides its own.
        return scale_for_replicas(ops.mean(per_example))

    def _batches(self, inputs, source, batch_size, name):
        """Yield batches of ``inputs`` with the inputs ``source`` lacks zeroed and absent."""
        v.check_option(name, "source", source, ("both", "image", "audio"))
        needed = ("image", "audio") if source == "both" else (source,)
        self._check_inputs(inputs, needed)
        total = len(inputs[needed[0]])
        present = np.array([[source != "audio", source != "image"]], dtype="float32")
        for start in range(0, total, batch_size):
            n = len(inputs[needed[0]][start:start + batch_size])
            batch = {
                m: (np.asarray(inputs[m][start:start + batch_size], "float32") if m in needed
                    else np.zeros((n, *shape), "float32"))
                for m, shape in (("image", self.image_shape), ("audio", self.audio_shape))
            }
            batch["presence"] = np.repeat(present, n, axis=0)  # (n, 2)
            yield batch

    def encode(self, inputs, *, source="both", batch_size=256):
        """The shared code of each example, from both inputs or from one alone.

        Args:
            inputs: dict with the inputs ``source`` needs (``"image"``, ``"audio"`` or both).
            source: ``"both"``, ``"image"`` or ``"audio"``.
            batch_size: examples per forward pass.

        Returns:
            A NumPy array of shape ``(num_examples, encoding_dim)``.

        Raises:
            ValueError: for an unknown ``source`` or an input it needs missing.
        """
        batches = self._batches(inputs, source, batch_size, f"{_NAME}.encode")
        return np.concatenate([np.asarray(self._encode(b, training=False)) for b in batches])

    def reconstruct(self, inputs, *, source="both", batch_size=256):
        """Reconstruct both modalities from both inputs or from one alone.

        Args:
            inputs: dict with the inputs ``source`` needs (``"image"``, ``"audio"`` or both).
            source: ``"both"``, ``"image"`` (the audio is treated as absent) or ``"audio"``
                (the image is treated as absent: cross-modal generation).
            batch_size: examples per forward pass.

        Returns:
            A dict of NumPy arrays ``"image"`` ``(num_examples, height, width, channels)``
            and ``"audio"`` ``(num_examples, frames, mel_bins)``.

        Raises:
            ValueError: for an unknown ``source`` or an input it needs missing.
        """
        outputs = {"image": [], "audio": []}
        for batch in self._batches(inputs, source, batch_size, f"{_NAME}.reconstruct"):
            result = self(batch, training=False)
            for m in outputs:
                outputs[m].append(np.asarray(result[m]))
        return {m: np.concatenate(parts, axis=0) for m, parts in outputs.items()}

    def get_config(self):
        config = super().get_config()
        config.update(
            image_shape=list(self.image_shape),
            audio_shape=list(self.audio_shape),
            encoding_dim=self.encoding_dim,
            hidden_units=self.hidden_units,
            modality_dropout=self.modality_dropout,
            audio_weight=self.audio_weight,
            audio_encoder=self.audio_encoder,
            seed=self.seed,
            audio_only_share=self.audio_only_share,
        )
        return config
