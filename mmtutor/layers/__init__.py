"""Keras layers: one public layer per module."""

from mmtutor.layers.attention_pooling import AttentionPooling, attention_pool
from mmtutor.layers.modality_dropout import ModalityDropout

__all__ = [
    "AttentionPooling",
    "attention_pool",
    "ModalityDropout",
]
