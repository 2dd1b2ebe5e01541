"""Keras models: one public model per module.

``MODALITIES`` is re-exported from :mod:`mmtutor.modalities`, where the vocabulary of
modality names is defined once for the package.
"""

from mmtutor.modalities import MODALITIES
from mmtutor.models.autoencoder import Autoencoder
from mmtutor.models.bimodal_autoencoder import BimodalAutoencoder
from mmtutor.models.cnn import CNN
from mmtutor.models.dual_encoder import DualEncoder
from mmtutor.models.encoders import (
    create_audio_encoder,
    create_encoder,
    create_image_encoder,
    create_text_encoder,
)
from mmtutor.models.fusion import FUSIONS, FusionClassifier
from mmtutor.models.rnn import RNN
from mmtutor.models.unimodal import create_unimodal_classifier

__all__ = [
    "CNN",
    "FUSIONS",
    "MODALITIES",
    "RNN",
    "Autoencoder",
    "BimodalAutoencoder",
    "DualEncoder",
    "FusionClassifier",
    "create_audio_encoder",
    "create_encoder",
    "create_image_encoder",
    "create_text_encoder",
    "create_unimodal_classifier",
]
