"""Helpers shared by the multimodal models (FusionClassifier, DualEncoder); not public API."""

from __future__ import annotations

from collections.abc import Mapping

from mmtutor import _validation as v
from mmtutor.models.encoders import create_encoder


def check_vocabulary_size(name: str, vocabulary_size, modalities) -> int | None:
    """Return ``vocabulary_size`` as an int (or None), required when ``"text"`` is a modality."""
    if vocabulary_size is None:
        if "text" in modalities:
            raise ValueError(
                v.message(name, "vocabulary_size when 'text' is a modality",
                          "vocabulary_size=None", "Pass len(data.metadata['vocabulary'])")
            )
        return None
    v.check_positive_int(name, "vocabulary_size", vocabulary_size)
    return int(vocabulary_size)


def check_encoder_options(name: str, encoder_options, modalities) -> dict:
    """Validate ``{modality: {option: value}}``; return it as JSON gives it back.

    Tuples become lists, so a config read back from a ``.keras`` file compares equal.
    """
    if encoder_options is None:
        return {}
    if not isinstance(encoder_options, Mapping):
        raise TypeError(
            v.message(name, "encoder_options to be a dict from modality name to a dict of "
                      "keyword arguments", f"encoder_options={encoder_options!r}",
                      "For example {'audio': {'units': 32}}")
        )
    for key in encoder_options:
        v.check_option(name, "each encoder_options key", key, tuple(modalities))
    return {m: {k: list(x) if isinstance(x, tuple) else x for k, x in dict(o).items()}
            for m, o in encoder_options.items()}


def create_encoders(shapes: dict, *, embedding_dim: int, vocabulary_size, encoder_options: dict,
                    dtype) -> list:
    """One :func:`~mmtutor.models.create_encoder` model per modality, in the order of ``shapes``."""
    return [create_encoder(m, shape, embedding_dim=embedding_dim,
                           vocabulary_size=vocabulary_size, dtype=dtype,
                           **encoder_options.get(m, {}))
            for m, shape in shapes.items()]
