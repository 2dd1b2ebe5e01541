"""The book's recipes: its models built from a data set, and the modality-dropout schedule.

Each function here builds one model the book trains, reading the input shapes and the
vocabulary size from a :class:`~mmtutor.datasets.MultiDigits` data set, with the settings
the benchmark chose on the validation split. The chapters build each model in plain Keras
first; these recipes are what they, the benchmark scripts and a learner call afterwards, so
that all three train the same thing.

The fused models, the dual encoder and the bimodal autoencoder can start from the trained
encoders of the single-modality classifiers (``encoders=``) and keep them frozen: then only
the fusion and its head learn, which lets a fused model trained with modality dropout match
each single-modality model when given that modality alone.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import keras
import numpy as np

from mmtutor import _validation as v
from mmtutor.evaluation import only, with_presence
from mmtutor.modalities import MODALITIES, ordered
from mmtutor.models import (
    FUSIONS,
    BimodalAutoencoder,
    DualEncoder,
    FusionClassifier,
    create_encoder,
    create_unimodal_classifier,
)

__all__ = [
    "FUSIONS",
    "DropoutSchedule",
    "bimodal_autoencoder",
    "dual_encoder",
    "encoder_of",
    "fusion_classifier",
    "input_shapes",
    "subset_validation",
    "unimodal_classifier",
]


@dataclasses.dataclass(frozen=True)
class DropoutSchedule:
    """The book's modality-dropout recipe for a fused classifier.

    Attributes:
        rate: probability of hiding one modality of one training example
            (``FusionClassifier(modality_dropout=rate)``).
        auxiliary_weight: weight of the per-modality auxiliary loss, which keeps every
            encoder as discriminative alone as a single-modality model's.
        validation: ``"subsets"``: early stopping watches the validation loss over all
            modalities and each one alone (:func:`subset_validation`), what the model is
            trained for; ``"all"``: with every modality present.
    """

    rate: float = 0.5
    auxiliary_weight: float = 1.0
    validation: str = "subsets"

    def __post_init__(self):
        v.check_real("DropoutSchedule", "rate", self.rate, minimum=0.0, maximum=1.0)
        v.check_real("DropoutSchedule", "auxiliary_weight", self.auxiliary_weight, minimum=0.0)
        v.check_option("DropoutSchedule", "validation", self.validation, ("subsets", "all"))


def input_shapes(data, modalities: Sequence[str] = MODALITIES) -> dict:
    """The shape of one example of each modality of ``data``, in the fixed modality order.

    Example:
        >>> from mmtutor.datasets import load_multidigits
        >>> shapes = input_shapes(load_multidigits(num_examples=50), ["text", "image"])
        >>> list(shapes), shapes["image"]
        (['image', 'text'], (8, 8, 1))

    Book: section "sec-multimodal-classifier".
    """
    inputs = data.train.inputs
    names = ordered(modalities)
    for m in names:
        if m not in inputs:
            raise ValueError(v.message("input_shapes", f"data with the modality {m!r}",
                                       f"data with {sorted(inputs)}",
                                       "Load the data with that modality"))
    return {m: tuple(int(d) for d in inputs[m].shape[1:]) for m in names}


def _vocabulary_size(data, names):
    return len(data.metadata["vocabulary"]) if "text" in names else None


def unimodal_classifier(data, modality: str, *, encoder_options=None) -> keras.Model:
    """The single-modality baseline: one modality's encoder and a softmax head.

    Args:
        data: a :class:`~mmtutor.datasets.MultiDigits`.
        modality: ``"image"``, ``"audio"`` or ``"text"``.
        encoder_options: keyword arguments of :func:`~mmtutor.models.create_encoder`.

    Returns:
        A functional ``keras.Model``; its encoder is ``encoder_of(model)``.

    Book: section "sec-multimodal-classifier".
    """
    shape = input_shapes(data, [modality])[modality]
    encoder = create_encoder(modality, shape, vocabulary_size=_vocabulary_size(data, [modality]),
                             **dict(encoder_options or {}))
    return create_unimodal_classifier(encoder)


def encoder_of(classifier: keras.Model) -> keras.Model:
    """The encoder inside a :func:`unimodal_classifier` model.

    Book: section "sec-multimodal-classifier".
    """
    for layer in classifier.layers:
        if isinstance(layer, keras.Model):
            return layer
    raise ValueError(v.message("encoder_of", "a model built by unimodal_classifier",
                               f"a model without a nested encoder: {classifier.name!r}"))


def _start_from(name, targets: Mapping, encoders, freeze):
    """Copy trained encoders' weights into ``targets`` (modality -> encoder), maybe freeze."""
    for m, target in targets.items():
        if encoders is None or m not in encoders:
            continue
        source = encoders[m]
        weights = source.get_weights() if isinstance(source, keras.Model) else list(source)
        if len(weights) != len(target.get_weights()):
            raise ValueError(v.message(name, f"encoders[{m!r}] with the architecture of the "
                                       "model's own encoder", f"{len(weights)} weight arrays "
                                       f"for {len(target.get_weights())}",
                                       "Build both with the same encoder_options"))
        target.set_weights(weights)
        target.trainable = not freeze


def fusion_classifier(data, modalities: Sequence[str] = MODALITIES, *, fusion="intermediate",
                      schedule: DropoutSchedule | None = None, encoders=None,
                      freeze_encoders=True, seed=None, **options) -> FusionClassifier:
    """A :class:`~mmtutor.models.FusionClassifier` for ``data``, maybe with modality dropout.

    Args:
        data: a :class:`~mmtutor.datasets.MultiDigits`.
        modalities: the modalities it reads.
        fusion: one of :data:`FUSIONS`.
        schedule: a :class:`DropoutSchedule` to train with modality dropout and the
            auxiliary loss, or None for neither.
        encoders: optional dict from modality to a trained encoder (``encoder_of`` a
            single-modality classifier) to start from; not for ``fusion="early"``, which has
            no encoders.
        freeze_encoders: keep the started encoders frozen.
        seed: seed of the modality-dropout draws.
        **options: other ``FusionClassifier`` arguments (``embedding_dim``,
            ``encoder_options``, ...); ``encoder_options`` of modalities the model does not
            read are left out, so one dict serves every subset.

    Returns:
        A new, uncompiled ``FusionClassifier``.

    Book: section "sec-multimodal-classifier".
    """
    name = "fusion_classifier"
    v.check_option(name, "fusion", fusion, FUSIONS)
    if schedule is not None:
        v.check_type(name, "schedule", schedule, DropoutSchedule, "a DropoutSchedule or None")
        options.setdefault("modality_dropout", schedule.rate)
        # Early fusion has no per-modality embedding for the auxiliary heads to read.
        options.setdefault("auxiliary_weight",
                           0.0 if fusion == "early" else schedule.auxiliary_weight)
    shapes = input_shapes(data, modalities)
    if options.get("encoder_options"):  # one set of options serves every modality subset
        options["encoder_options"] = {m: o for m, o in options["encoder_options"].items()
                                      if m in shapes}
    model = FusionClassifier(shapes, fusion=fusion, vocabulary_size=_vocabulary_size(
        data, shapes), seed=seed, **options)
    if encoders and fusion == "early":
        raise ValueError(v.message(name, "no encoders for fusion='early'",
                                   f"encoders for {sorted(encoders)}",
                                   "Early fusion reads raw features; pass encoders=None"))
    _start_from(name, dict(zip(model.modalities, model.encoders, strict=True)) if
                model.encoders else {}, encoders, freeze_encoders)
    return model


def subset_validation(split, modalities: Sequence[str] = MODALITIES):
    """The validation split four times over: all modalities, then each one alone.

    What a model trained with modality dropout is for; early stopping on this loss keeps
    the epoch that predicts best from any one modality as well as from all.

    Returns:
        ``(inputs, labels)`` with ``1 + len(modalities)`` copies of the split.

    Book: section "sec-missing-modalities".
    """
    names = ordered(modalities)
    full = with_presence({m: split.inputs[m] for m in names})
    variants = [full, *(only(full, m) for m in names)]
    inputs = {k: np.concatenate([x[k] for x in variants]) for k in full}
    return inputs, np.tile(np.asarray(split.labels), len(variants))


def dual_encoder(data, pair: Sequence[str] = ("image", "audio"), *, encoders=None,
                 freeze_encoders=False, temperature=0.5, positives="labels",
                 **options) -> DualEncoder:
    """The book's dual encoder for two modalities of ``data``.

    Temperature 0.5 rather than CLIP's 0.1 and label-aware positives: MultiDigits pairs
    share only a label, so a batch holds same-class items that instance InfoNCE at a sharp
    temperature pushes apart.

    Args:
        data: a :class:`~mmtutor.datasets.MultiDigits`.
        pair: the two modalities.
        encoders: optional dict from modality to a trained encoder to start from.
        freeze_encoders: keep the started encoders frozen.
        temperature: InfoNCE's temperature.
        positives: ``"labels"`` or ``"pairs"``.
        **options: other ``DualEncoder`` arguments.

    Book: section "sec-shared-representations".
    """
    shapes = input_shapes(data, pair)
    model = DualEncoder(shapes, temperature=temperature, positives=positives,
                        vocabulary_size=_vocabulary_size(data, shapes), **options)
    _start_from("dual_encoder", dict(zip(model.modalities, model.encoders, strict=True)),
                encoders, freeze_encoders)
    return model


def bimodal_autoencoder(data, *, audio_encoder=None, freeze_audio=True, encoding_dim=64,
                        hidden_units=64, modality_dropout=0.9, audio_only_share=0.8,
                        audio_weight=0.01, seed=None) -> BimodalAutoencoder:
    """The book's bimodal autoencoder (image and audio), tuned for hearing-to-image.

    The recurrent audio encoder may start from the audio-only classifier's (``audio_encoder``,
    which must have ``hidden_units`` outputs) and stay frozen; most zeroed training examples
    keep only their audio (``audio_only_share``), and the audio term is weighted down, so the
    code learns to carry the digit from the sound.

    Book: section "sec-shared-representations".
    """
    shapes = input_shapes(data, ("image", "audio"))
    model = BimodalAutoencoder(shapes["image"], shapes["audio"], encoding_dim=encoding_dim,
                               hidden_units=hidden_units, modality_dropout=modality_dropout,
                               audio_only_share=audio_only_share, audio_weight=audio_weight,
                               audio_encoder="recurrent", seed=seed)
    _start_from("bimodal_autoencoder", {"audio": model.audio_in},
                None if audio_encoder is None else {"audio": audio_encoder}, freeze_audio)
    return model
