"""The vocabulary of modality names, defined once for the whole package.

Several modalities travel as a dict keyed by these names: ``{"image": ..., "audio": ...,
"text": ...}``, plus an optional ``"presence"`` mask. Every model, data set, metric and
recipe of :mod:`mmtutor` imports the names from here, so the order of a presence mask's
columns (image, audio, text) is the same everywhere.

Naming scheme for arguments that mean the same thing across the package:

- ``embedding_dim``: size of the vector a modality encoder outputs (encoders,
  :class:`~mmtutor.models.FusionClassifier`, :class:`~mmtutor.models.DualEncoder`);
- ``projection_dim``: size of a shared space that several encoders project into
  (:class:`~mmtutor.models.DualEncoder`);
- ``encoding_dim``: size of an autoencoder's code, the seed's own name
  (:class:`~mmtutor.models.Autoencoder`, :class:`~mmtutor.models.BimodalAutoencoder`);
- ``rate`` / ``dropout``: a dropout probability, as in ``keras.layers.Dropout(rate)``;
  ``modality_dropout``: the probability of hiding one modality of one training example;
- ``num_classes``, ``vocabulary_size``, ``hidden_units``, ``seed``: as in Keras.

Book: section "sec-data".
"""

from __future__ import annotations

from collections.abc import Mapping

from mmtutor import _validation as v

#: The modality names, in the fixed order of a presence mask's columns.
MODALITIES = ("image", "audio", "text")

#: The shape of one example of each modality, without the batch axis, as docstrings write it.
INPUT_SHAPES = {"image": "(height, width, channels)", "audio": "(frames, mel_bins)",
                "text": "(sequence_length,)"}

_RANKS = {"image": 3, "audio": 2, "text": 1}

__all__ = ["INPUT_SHAPES", "MODALITIES", "check_modality_shapes", "ordered"]


def ordered(modalities) -> tuple:
    """The given modality names in the package's fixed order, each checked.

    Args:
        modalities: an iterable of modality names (a dict's keys work too).

    Returns:
        A tuple of names, in the order of :data:`MODALITIES`.

    Raises:
        ValueError: for a name outside :data:`MODALITIES`.

    Example:
        >>> ordered(["text", "image"])
        ('image', 'text')

    Book: section "sec-data".
    """
    names = list(modalities)
    for name in names:
        v.check_option("ordered", "each modality name", name, MODALITIES)
    return tuple(m for m in MODALITIES if m in names)


def check_modality_shapes(name: str, modalities) -> dict:
    """Validate a ``{modality: input_shape}`` dict; return it in the fixed modality order.

    Args:
        name: the caller's name, for the error message (e.g. ``"FusionClassifier"``).
        modalities: dict from modality name to the shape of one example, without the batch
            axis: image ``(height, width, channels)``, audio ``(frames, mel_bins)`` (frames
            may be None), text ``(sequence_length,)``.

    Returns:
        A dict from modality name to a tuple shape, keys in the order of :data:`MODALITIES`.

    Raises:
        TypeError: if ``modalities`` is not a non-empty dict, or a shape is not a tuple.
        ValueError: for an unknown modality name or a shape of the wrong rank.

    Example:
        >>> check_modality_shapes("Model", {"audio": [20, 32], "image": (8, 8, 1)})
        {'image': (8, 8, 1), 'audio': (20, 32)}

    Book: section "sec-data".
    """
    if not isinstance(modalities, Mapping) or not modalities:
        raise TypeError(
            v.message(name, "modalities to be a non-empty dict from modality name to input "
                      "shape, e.g. {'image': (8, 8, 1), 'audio': (frames, 32)}",
                      f"modalities={modalities!r}")
        )
    shapes = {}
    for modality, shape in modalities.items():
        v.check_option(name, "each modality name", modality, MODALITIES)
        shapes[modality] = v.check_input_shape(name, shape, _RANKS[modality],
                                               INPUT_SHAPES[modality], allow_none=(0,))
    return {m: shapes[m] for m in MODALITIES if m in shapes}
