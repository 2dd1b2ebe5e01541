"""Measure trained models the same way everywhere: scores, modalities removed, retrieval.

A multimodal model is judged on more than one number. With every modality present, and also
with one modality removed or only one left (marked absent through ``inputs["presence"]``, or
replaced by a training-set guess for a model that cannot be told what is missing); a dual
encoder by how well one modality retrieves the other, at the level of the instance (its own
pair) and of the class. Summaries over seeds and reports live in :mod:`mmtutor.reports`.
"""

from mmtutor.evaluation._retrieval import class_prototypes, retrieval_scores, snap_to_prototypes
from mmtutor.evaluation._scores import (
    classification_scores,
    evaluate_classifier,
    imputation_fill,
    modality_variants,
    only,
    predict_in_batches,
    with_presence,
)

__all__ = [
    "class_prototypes",
    "classification_scores",
    "evaluate_classifier",
    "imputation_fill",
    "modality_variants",
    "only",
    "predict_in_batches",
    "retrieval_scores",
    "snap_to_prototypes",
    "with_presence",
]
