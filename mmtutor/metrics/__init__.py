"""Evaluation metrics as plain functions on labels and scores."""

from mmtutor.metrics.classification import accuracy, confusion_matrix, precision_recall_f1
from mmtutor.metrics.retrieval import (
    mean_average_precision,
    median_rank,
    recall_at_k,
    similarity_matrix,
)

__all__ = [
    "accuracy",
    "confusion_matrix",
    "mean_average_precision",
    "median_rank",
    "precision_recall_f1",
    "recall_at_k",
    "similarity_matrix",
]
