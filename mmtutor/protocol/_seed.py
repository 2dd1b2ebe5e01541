"""The book's multimodal benchmark for one seed, as a package function a learner can call.

:func:`run_seed` trains, with early stopping on the validation split, and scores on the test
split (touched once per model, at the end):

- a single-modality classifier per modality (:func:`~mmtutor.recipes.unimodal_classifier`);
- a :class:`~mmtutor.models.FusionClassifier` per fusion, without and with the modality-
  dropout schedule, scored with all modalities, one removed and one left (and, without
  dropout, with the removed ones mean-imputed). Fusions with encoders start from this
  seed's single-modality encoders, frozen;
- a dual encoder (image, audio): retrieval in both directions, plain and with each query
  snapped to its class prototype (:func:`~mmtutor.evaluation.snap_to_prototypes`), beside
  the same retrieval with the single-modality classifiers' class probabilities as
  embeddings;
- a bimodal autoencoder: how often the image-only classifier recognizes the digit in images
  generated from the audio alone.

``benchmarks/bench_multimodal.py`` is this function run over seeds, with a report.
"""

from __future__ import annotations

import dataclasses

from mmtutor import recipes
from mmtutor.evaluation import (
    class_prototypes,
    classification_scores,
    evaluate_classifier,
    imputation_fill,
    predict_in_batches,
    retrieval_scores,
    snap_to_prototypes,
)
from mmtutor.modalities import MODALITIES
from mmtutor.training import Trainer

PAIR = ("image", "audio")


@dataclasses.dataclass(frozen=True)
class BenchmarkConfig:
    """What :func:`run_seed` trains, and how (the defaults are the book's, chosen on the
    validation split).

    Attributes:
        parts: any of ``"classifiers"``, ``"dual"``, ``"bae"``.
        fusions: the fusions to train (each without and with ``schedule``).
        schedule: the modality-dropout recipe of the ``+dropout`` models.
        init_encoders: fused and dual models start from the single-modality encoders.
        dual_batch_size: the dual encoder's batch size (more negatives per batch).
        dual_temperature: the dual encoder's temperature.
        dual_positives: ``"labels"`` or ``"pairs"``.
        dual_epochs, dual_patience: the dual encoder's training (its validation loss is
            noisy: a patience of 4 stopped some seeds 4 points of recall early).
        bae_learning_rate, bae_epochs, bae_patience: the autoencoder's training.
    """

    parts: tuple = ("classifiers", "dual", "bae")
    fusions: tuple = recipes.FUSIONS
    schedule: recipes.DropoutSchedule = recipes.DropoutSchedule()
    init_encoders: bool = True
    dual_batch_size: int = 128
    dual_temperature: float = 0.5
    dual_positives: str = "labels"
    dual_epochs: int = 60
    dual_patience: int = 8
    bae_learning_rate: float = 5e-3
    bae_epochs: int = 60
    bae_patience: int = 6


def _timing(result):
    return {"params": int(result.model.count_params()), "seconds": result.seconds,
            "cpu_seconds": result.cpu_seconds, "epochs": result.epochs}


def run_seed(data, seed: int, *, trainer: Trainer | None = None,
             config: BenchmarkConfig | None = None, log=print) -> dict:
    """Train and score every model of the benchmark for one seed.

    Args:
        data: a :class:`~mmtutor.datasets.MultiDigits` with all three modalities.
        seed: the seed of every model's initial weights, shuffling and random layers.
        trainer: the :class:`~mmtutor.training.Trainer` (reuse one across seeds: each
            architecture is traced once); default: epochs 30, batch 64, lr 2e-3, patience 4.
        config: a :class:`BenchmarkConfig`.
        log: called with one line per trained model (None: silent).

    Returns:
        A nested dict: ``"seed"``, and per part ``"single"``, ``"fusion"``,
        ``"dual_encoder"``, ``"classifier_retrieval"``, ``"bimodal_autoencoder"``.

    Book: section "sec-training-protocol".
    """
    trainer = Trainer(epochs=30, batch_size=64, learning_rate=2e-3, patience=4) \
        if trainer is None else trainer
    config = BenchmarkConfig() if config is None else config
    log = log or (lambda line: None)
    out = {"seed": int(seed)}
    singles = {}
    # The fused models need every single-modality model; the dual encoder and the
    # autoencoder start from (and are judged by) the image and audio ones.
    needed = set(MODALITIES) if "classifiers" in config.parts else set()
    if {"dual", "bae"} & set(config.parts):
        needed |= set(PAIR)
    if needed:
        out["single"] = {}
    for m in (m for m in MODALITIES if m in needed):
        result = trainer.fit(m, lambda m=m: recipes.unimodal_classifier(data, m),
                             (data.train.inputs[m], data.train.labels), seed=seed,
                             validation=(data.validation.inputs[m], data.validation.labels))
        singles[m] = result.model
        probabilities = predict_in_batches(result.model, data.test.inputs[m])
        out["single"][m] = {**classification_scores(data.test.labels, probabilities),
                            **_timing(result)}
        log(f"  seed {seed} {m}-only: {out['single'][m]['accuracy']:.3f} "
            f"({result.seconds:.0f} s, {result.epochs} epochs)")
    if "classifiers" in config.parts:
        out["fusion"] = _fusions(data, seed, trainer, config, singles, log)
    if "dual" in config.parts:
        out.update(_dual(data, seed, trainer, config, singles, log))
    if "bae" in config.parts:
        out["bimodal_autoencoder"] = _bae(data, seed, trainer, config, singles, log)
    return out


def _fusions(data, seed, trainer, config, singles, log):
    encoders = ({m: recipes.encoder_of(singles[m]) for m in MODALITIES}
                if config.init_encoders else None)
    fill = imputation_fill(data.train.inputs)
    subsets = recipes.subset_validation(data.validation)
    out = {}
    for fusion in config.fusions:
        for schedule in (None, config.schedule):
            key = fusion if schedule is None else f"{fusion}+dropout"
            watched = (subsets if schedule is not None and schedule.validation == "subsets"
                       else data.validation)

            def make(fusion=fusion, schedule=schedule):
                return recipes.fusion_classifier(
                    data, fusion=fusion, schedule=schedule, seed=seed,
                    encoders=None if fusion == "early" else encoders)

            result = trainer.fit(key, make, data.train, seed=seed, validation=watched)
            scores = evaluate_classifier(result.model, data.test.inputs, data.test.labels,
                                         fill=None if schedule else fill)
            out[key] = {**scores, **_timing(result)}
            log(f"  seed {seed} {key}: {scores['accuracy']:.3f} ({result.seconds:.0f} s, "
                f"{result.epochs} epochs); only " + "/".join(
                    f"{scores['only'][m]['accuracy']:.3f}" for m in MODALITIES))
    return out


def _dual(data, seed, trainer, config, singles, log):
    labelled = config.dual_positives == "labels"
    pick = {"image", "audio"}

    def arrays(split):
        inputs = {m: x for m, x in split.inputs.items() if m in pick}
        return (inputs, split.labels) if labelled else (inputs,)

    encoders = {m: recipes.encoder_of(singles[m]) for m in PAIR} if config.init_encoders \
        else None
    result = trainer.fit(
        "dual", lambda: recipes.dual_encoder(data, PAIR, encoders=encoders,
                                             temperature=config.dual_temperature,
                                             positives=config.dual_positives),
        arrays(data.train), seed=seed, validation=arrays(data.validation), loss=None,
        batch_size=config.dual_batch_size, epochs=config.dual_epochs,
        patience=config.dual_patience)
    z = {m: result.model.embed(data.test.inputs[m], modality=m) for m in PAIR}
    # Class prototypes from the training split: the query picks its class in its own space
    # and is replaced by that class's prototype in the gallery's space.
    prototypes = {m: class_prototypes(result.model.embed(data.train.inputs[m], modality=m),
                                      data.train.labels)[0] for m in PAIR}
    dual = _timing(result)
    for query, target in (("audio", "image"), ("image", "audio")):
        for key, value in retrieval_scores(z[query], z[target], data.test.labels).items():
            dual[f"{query}->{target} {key}"] = value
        snapped = snap_to_prototypes(z[query], prototypes[query], targets=prototypes[target])
        for key, value in retrieval_scores(snapped, z[target], data.test.labels).items():
            if key.startswith("class"):
                dual[f"{query}->{target} prototype {key}"] = value
    reference = {}
    p = {m: predict_in_batches(singles[m], data.test.inputs[m]) for m in PAIR}
    for query, target in (("audio", "image"), ("image", "audio")):
        for key, value in retrieval_scores(p[query], p[target], data.test.labels).items():
            if key.startswith("class"):
                reference[f"{query}->{target} {key}"] = value
    log(f"  seed {seed} dual encoder: audio->image class R@1 "
        f"{dual['audio->image class R@1']:.3f} ({result.seconds:.0f} s)")
    return {"dual_encoder": dual, "classifier_retrieval": reference}


def _bae(data, seed, trainer, config, singles, log):
    audio = recipes.encoder_of(singles["audio"]) if config.init_encoders else None
    pair = {m: data.train.inputs[m] for m in PAIR}
    validation = {m: data.validation.inputs[m] for m in PAIR}
    result = trainer.fit(
        "bae", lambda: recipes.bimodal_autoencoder(data, audio_encoder=audio, seed=seed),
        (pair,), seed=seed, validation=(validation,), loss=None,
        learning_rate=config.bae_learning_rate, epochs=config.bae_epochs,
        patience=config.bae_patience)
    model, test, labels = result.model, data.test.inputs, data.test.labels
    generated = model.reconstruct({"audio": test["audio"]}, source="audio")["image"]
    rebuilt = model.reconstruct({"image": test["image"]}, source="image")["image"]
    judge = singles["image"]
    out = {"audio->image recognised": classification_scores(
               labels, predict_in_batches(judge, generated))["accuracy"],
           "image->image recognised": classification_scores(
               labels, predict_in_batches(judge, rebuilt))["accuracy"],
           "real images recognised": classification_scores(
               labels, predict_in_batches(judge, test["image"]))["accuracy"],
           **_timing(result)}
    log(f"  seed {seed} bimodal autoencoder: audio->image recognised "
        f"{out['audio->image recognised']:.3f} ({result.seconds:.0f} s)")
    return out
