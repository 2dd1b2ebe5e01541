"""Losses: each formula as a plain function, with a thin Keras class beside it for ``compile()``."""

from mmtutor.losses.contrastive import InfoNCE, info_nce
from mmtutor.losses.crossentropy import (
    CategoricalCrossentropy,
    SequenceCrossentropy,
    categorical_crossentropy,
    sequence_crossentropy,
)
from mmtutor.losses.reconstruction import ReconstructionLoss, reconstruction_loss

__all__ = [
    "CategoricalCrossentropy",
    "ReconstructionLoss",
    "SequenceCrossentropy",
    "categorical_crossentropy",
    "reconstruction_loss",
    "sequence_crossentropy",
    "InfoNCE",
    "info_nce",
]
