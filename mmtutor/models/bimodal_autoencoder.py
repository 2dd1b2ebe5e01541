"""BimodalAutoencoder: image and audio through one shared code (Ngiam et al., 2011)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import keras
import numpy as np
from keras import ops

from mmtutor import _validation as v
from mmtutor.models.encoders import create_audio_encoder

_NAME = "BimodalAutoencoder"


@keras.saving.register_keras_serializable(package="mmtutor")
class BimodalAutoencoder(keras.Model):
    """An autoencoder with one shared code for an image and an audio clip.

    Each modality has an encoder (dense layers, or for the audio optionally the recurrent
    :func:`create_audio_encoder`); their outputs are concatenated and compressed into one
    shared code, from which two dense decoders reconstruct *both* modalities. Following
    Ngiam et al. (2011), training hides one input at random: a share ``drop_rate`` of the
    examples has either its image or its audio set to zero (half each), while the targets
    stay the clean inputs. The code must therefore carry the digit from either modality
    alone, which allows cross-modal reconstruction: hear a digit, generate its image
    (:meth:`reconstruct` with ``source="audio"``).

    A zero input means "absent", so the audio is first standardised (``BatchNormalization``
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
        L = 1/N sum_n [ mse(x_image, D_i(c)) + audio_weight * mse(x_audio, D_a(c)) ]
        training inputs: with u ~ U(0, 1), the image is zeroed if u < drop_rate * s and the
        audio if drop_rate * s <= u < drop_rate  (s = audio_only_share)
        where mse averages over the pixels (or the frames and mel bins) of one example.

    Args:
        image_shape: ``(height, width, channels)``, e.g. ``(8, 8, 1)``.
        audio_shape: ``(frames, mel_bins)``.
        code_dim: size of the shared code.
        hidden_units: size of each modality's hidden layer (encoder and decoder).
        drop_rate: share of training examples with one modality zeroed, in ``[0, 1]``; the
            default 2/3 gives Ngiam's mix: a third image only, a third audio only, a third
            both.
        audio_weight: weight of the audio term of the loss.
        audio_encoder: ``"dense"`` (Ngiam's setting, fast) or ``"recurrent"``.
        audio_only_share: share of the zeroed examples that keep only their audio (their
            image is zeroed), in ``[0, 1]``; the others keep only their image. The default
            0.5 zeroes either input equally often; a larger share trains the audio-to-image
            path (hear a digit, generate its image) on more examples.
        seed: seed of the zeroing draws.
        **kwargs: base ``keras.Model`` arguments (``name``).

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

    Example:
        >>> import numpy as np
        >>> model = BimodalAutoencoder((8, 8, 1), (5, 4), code_dim=3, hidden_units=8)
        >>> out = model.reconstruct({"audio": np.zeros((2, 5, 4), "float32")}, source="audio")
        >>> out["image"].shape, out["audio"].shape
        ((2, 8, 8, 1), (2, 5, 4))

    Book: section "sec-shared-representations".
    """

    def __init__(self, image_shape, audio_shape, *, code_dim=32, hidden_units=128,
                 drop_rate=2 / 3, audio_weight=1.0, audio_encoder="dense", seed=None,
                 audio_only_share=0.5, **kwargs):
        super().__init__(**kwargs)
        self.image_shape = v.check_input_shape(_NAME, image_shape, 3,
                                               "(height, width, channels)")
        self.audio_shape = v.check_input_shape(_NAME, audio_shape, 2, "(frames, mel_bins)")
        v.check_positive_int(_NAME, "code_dim", code_dim)
        v.check_positive_int(_NAME, "hidden_units", hidden_units)
        for arg, value in (("drop_rate", drop_rate), ("audio_weight", audio_weight),
                           ("audio_only_share", audio_only_share)):
            v.check_type(_NAME, arg, value, (int, float), "a number")
        if not 0 <= drop_rate <= 1:
            raise ValueError(v.message(_NAME, "drop_rate in [0, 1]", f"drop_rate={drop_rate!r}"))
        if not 0 <= audio_only_share <= 1:
            raise ValueError(
                v.message(_NAME, "audio_only_share in [0, 1]",
                          f"audio_only_share={audio_only_share!r}",
                          "It is the share of the zeroed examples that keep only their audio")
            )
        if audio_weight < 0:
            raise ValueError(v.message(_NAME, "audio_weight >= 0",
                                       f"audio_weight={audio_weight!r}"))
        v.check_option(_NAME, "audio_encoder", audio_encoder, ("dense", "recurrent"))
        self.audio_encoder = audio_encoder
        self.code_dim = int(code_dim)
        self.hidden_units = int(hidden_units)
        self.drop_rate = float(drop_rate)
        self.audio_weight = float(audio_weight)
        self.audio_only_share = float(audio_only_share)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

        image_size, audio_size = math.prod(self.image_shape), math.prod(self.audio_shape)
        dense = keras.layers.Dense
        self.image_in = dense(hidden_units, activation="relu", name="image_hidden")
        if audio_encoder == "recurrent":
            self.audio_in = create_audio_encoder(self.audio_shape, embedding_dim=hidden_units)
        else:
            self.audio_norm = keras.layers.BatchNormalization(momentum=0.9, name="audio_norm")
            self.audio_in = dense(hidden_units, activation="relu", name="audio_hidden")
            self.audio_norm.build((None, audio_size))
            self.audio_in.build((None, audio_size))
        self.code = dense(code_dim, name="shared_code")
        self.image_up = dense(hidden_units, activation="relu", name="image_decoder_hidden")
        self.audio_up = dense(hidden_units, activation="relu", name="audio_decoder_hidden")
        self.image_out = dense(image_size, activation="sigmoid", name="image_output")
        self.audio_out = dense(audio_size, name="audio_output")
        for layer, size in ((self.image_in, image_size), (self.code, 2 * hidden_units),
                            (self.image_up, code_dim), (self.audio_up, code_dim),
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
            presence = ops.cast(inputs["presence"], "float32")  # (batch, 2)
        else:
            presence = ops.ones((batch, 2))
        if training and self.drop_rate > 0:
            u = keras.random.uniform((batch, 1), seed=self.seed_generator)  # (batch, 1)
            cut = self.drop_rate * self.audio_only_share  # u < cut: audio only (image zeroed)
            hide_image = ops.cast(u < cut, "float32")
            hide_audio = ops.cast((u >= cut) & (u < self.drop_rate), "float32")
            presence = presence * ops.concatenate([1 - hide_image, 1 - hide_audio], axis=1)
        return presence

    def _encode(self, inputs, training=None):
        self._check_inputs(inputs, ("image", "audio"))
        image = ops.cast(inputs["image"], "float32")
        audio = ops.cast(inputs["audio"], "float32")
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
        return self.code(hidden)  # (batch, code_dim)

    def call(self, inputs, training=None):
        code = self._encode(inputs, training=training)
        batch = ops.shape(code)[0]
        image = self.image_out(self.image_up(code))  # (batch, h * w * c)
        audio = self.audio_out(self.audio_up(code))  # (batch, frames * bins)
        return {"image": ops.reshape(image, (batch, *self.image_shape)),
                "audio": ops.reshape(audio, (batch, *self.audio_shape))}

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """Mean squared error of both reconstructions against the clean inputs ``x``."""
        image_error = ops.mean(ops.square(ops.cast(x["image"], "float32") - y_pred["image"]))
        audio_error = ops.mean(ops.square(ops.cast(x["audio"], "float32") - y_pred["audio"]))
        return image_error + self.audio_weight * audio_error

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
            A NumPy array of shape ``(num_examples, code_dim)``.

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
        return {
            "name": self.name,
            "trainable": self.trainable,
            "image_shape": list(self.image_shape),
            "audio_shape": list(self.audio_shape),
            "code_dim": self.code_dim,
            "hidden_units": self.hidden_units,
            "drop_rate": self.drop_rate,
            "audio_weight": self.audio_weight,
            "audio_encoder": self.audio_encoder,
            "seed": self.seed,
            "audio_only_share": self.audio_only_share,
        }
