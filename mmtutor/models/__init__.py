"""Keras models: one public model per module."""

from mmtutor.models.autoencoder import Autoencoder
from mmtutor.models.bimodal_autoencoder import BimodalAutoencoder
from mmtutor.models.cnn import CNN
from mmtutor.models.dual_encoder import DualEncoder
from mmtutor.models.encoders import (
    MODALITIES,
    create_audio_encoder,
    create_image_encoder,
    create_text_encoder,
    create_unimodal_classifier,
)
from mmtutor.models.fusion import FusionClassifier
from mmtutor.models.rnn import RNN

__all__ = [
    "CNN",
    "RNN",
    "Autoencoder",
    "BimodalAutoencoder",
    "DualEncoder",
    "FusionClassifier",
    "MODALITIES",
    "create_audio_encoder",
    "create_image_encoder",
    "create_text_encoder",
    "create_unimodal_classifier",
]
