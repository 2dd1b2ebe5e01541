"""Retrieval: recall@K, mean average precision and median rank; class prototypes."""

from __future__ import annotations

import numpy as np

from mmtutor import _validation as v
from mmtutor.metrics import mean_average_precision, median_rank, recall_at_k


def retrieval_scores(queries, candidates, labels, *, candidate_labels=None,
                     ks=(1, 5)) -> dict:
    """Everything retrieval papers report, at the level of the class and of the instance.

    Query ``i`` and candidate ``i`` form a pair (instance level: the pair is the only
    relevant candidate); at the class level every candidate of the query's label is
    relevant. Reports recall at each K, mean average precision and the median rank of the
    first relevant candidate (see :mod:`mmtutor.metrics`).

    Args:
        queries: query embeddings ``(num_queries, dim)``.
        candidates: candidate embeddings ``(num_candidates, dim)``.
        labels: the queries' labels ``(num_queries,)``.
        candidate_labels: the candidates' labels (default: ``labels``).
        ks: the K of each recall.

    Returns:
        Dict with keys ``"class R@K"``, ``"instance R@K"`` for each K, ``"class mAP"``,
        ``"instance mAP"``, ``"class median rank"`` and ``"instance median rank"``.

    Example:
        >>> import numpy as np
        >>> z = np.eye(3)
        >>> retrieval_scores(z, z, [0, 1, 2], ks=(1,))["instance R@1"]
        1.0

    Book: section "sec-shared-representations".
    """
    result = {}
    options = {"labels": labels, "candidate_labels": candidate_labels}
    for level in ("class", "instance"):
        for k in ks:
            result[f"{level} R@{k}"] = float(recall_at_k(queries, candidates, k=k,
                                                         level=level, **options))
        result[f"{level} mAP"] = float(mean_average_precision(queries, candidates,
                                                              level=level, **options))
        result[f"{level} median rank"] = float(median_rank(queries, candidates, level=level,
                                                           **options))
    return result


def class_prototypes(embeddings, labels) -> tuple[np.ndarray, np.ndarray]:
    """The unit-length mean embedding of each class (a prototype, as in prototypical networks).

    Compute them on the training split: they are part of the model, not of the test.

    Args:
        embeddings: ``(num_examples, dim)``.
        labels: integer labels ``(num_examples,)``.

    Returns:
        ``(prototypes, classes)``: ``(num_classes, dim)`` unit-length rows and the label of
        each row, sorted.

    Example:
        >>> import numpy as np
        >>> p, c = class_prototypes(np.array([[2.0, 0.0], [0.0, 1.0], [0.0, 3.0]]), [0, 1, 1])
        >>> p.tolist(), c.tolist()
        ([[1.0, 0.0], [0.0, 1.0]], [0, 1])

    Book: section "sec-shared-representations".
    """
    name = "class_prototypes"
    v.check_array(name, "embeddings", embeddings, what="(num_examples, dim)", finite=True,
                  allow_empty=False)
    z = np.asarray(embeddings, dtype=np.float64)
    v.check_rank(name, "embeddings", z, 2, "(num_examples, dim)")
    y = v.check_labels(name, "labels", labels)
    if len(y) != len(z):
        raise ValueError(v.message(name, "one label per embedding",
                                   f"{len(z)} embeddings and {len(y)} labels"))
    classes = np.unique(y)
    means = np.stack([z[y == c].mean(axis=0) for c in classes])  # (num_classes, dim)
    norms = np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)
    return means / norms, classes


def snap_to_prototypes(queries, prototypes, *, targets=None) -> np.ndarray:
    """Replace each query by the prototype of its nearest class (cosine).

    A query that lies between two classes would otherwise retrieve the gallery items that
    lie between them too; snapped to its nearest class's prototype it retrieves that class's
    most typical items. The class-level recall@1 of snapped queries is then the accuracy of
    nearest-prototype classification in the query's modality. The price: every query of one
    class ranks the gallery alike, so recall@5 drops.

    Args:
        queries: ``(num_queries, dim)``.
        prototypes: ``(num_classes, dim)`` from :func:`class_prototypes`, in the queries'
            space: they pick each query's class.
        targets: optional ``(num_classes, dim)`` prototypes of the same classes in the
            gallery's space (another modality's); the query becomes its class's row of
            ``targets`` instead of ``prototypes``.

    Returns:
        ``(num_queries, dim)``: row ``i`` is the chosen prototype of query ``i``.

    Raises:
        ValueError: if ``targets`` has another number of rows than ``prototypes``.

    Example:
        >>> import numpy as np
        >>> snap_to_prototypes(np.array([[0.9, 0.2]]), np.eye(2)).tolist()
        [[1.0, 0.0]]
        >>> snap_to_prototypes(np.array([[0.9, 0.2]]), np.eye(2), targets=[[0.6, 0.8],
        ...                                                                [0.8, 0.6]]).tolist()
        [[0.6, 0.8]]

    Book: section "sec-shared-representations".
    """
    name = "snap_to_prototypes"
    targets = prototypes if targets is None else targets
    for arg, x in (("queries", queries), ("prototypes", prototypes), ("targets", targets)):
        v.check_array(name, arg, x, what="(count, dim)", finite=True, allow_empty=False)
    q = np.asarray(queries, dtype=np.float64)
    p = np.asarray(prototypes, dtype=np.float64)
    t = np.asarray(targets, dtype=np.float64)
    if len(t) != len(p):
        raise ValueError(v.message(name, "targets with one row per prototype",
                                   f"{len(p)} prototypes and {len(t)} targets",
                                   "Compute both with class_prototypes on the same labels"))
    q = q / np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-12)
    p = p / np.maximum(np.linalg.norm(p, axis=1, keepdims=True), 1e-12)
    return t[(q @ p.T).argmax(axis=1)]  # (num_queries, dim)
