"""Cross-modal retrieval: recall@k at instance level and at class level."""

from __future__ import annotations

import numpy as np

from mmtutor import _validation as v


def similarity_matrix(queries, candidates, *, similarity="cosine"):
    """Similarity of every query to every candidate.

    Formula:
        S_ij = cos(q_i, c_j)  (similarity="cosine")  or  S_ij = q_i . c_j  ("dot").

    Args:
        queries: query embeddings, shape ``(num_queries, dim)``.
        candidates: candidate embeddings, shape ``(num_candidates, dim)``.
        similarity: ``"cosine"`` or ``"dot"``.

    Returns:
        A NumPy array of shape ``(num_queries, num_candidates)``.

    Raises:
        ValueError: for inputs that are not rank 2, a different ``dim``, or an unknown
            ``similarity``.

    Example:
        >>> similarity_matrix([[1.0, 0.0]], [[2.0, 0.0], [0.0, 1.0]])
        array([[1., 0.]])

    Book: section "sec-evaluation".
    """
    v.check_option("similarity_matrix", "similarity", similarity, ("cosine", "dot"))
    q = np.asarray(queries, dtype=np.float64)
    c = np.asarray(candidates, dtype=np.float64)
    v.check_rank("similarity_matrix", "queries", q, 2, "(num_queries, dim)")
    v.check_rank("similarity_matrix", "candidates", c, 2, "(num_candidates, dim)")
    if q.shape[1] != c.shape[1]:
        raise ValueError(
            v.message("similarity_matrix", "queries and candidates with the same dim",
                      f"queries with shape {v._fmt(q.shape)} and candidates with shape "
                      f"{v._fmt(c.shape)}", "Embed both modalities into one shared space")
        )
    if similarity == "cosine":
        q = q / np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-12)
        c = c / np.maximum(np.linalg.norm(c, axis=1, keepdims=True), 1e-12)
    return q @ c.T  # (num_queries, num_candidates)


def recall_at_k(queries, candidates, *, k=1, level="instance", labels=None,
                candidate_labels=None, similarity="cosine"):
    """Share of queries whose top-``k`` candidates contain a correct match.

    At ``level="instance"`` the queries and candidates are paired: query ``i`` is correct
    only if candidate ``i`` (its own partner) is among its ``k`` most similar candidates.
    At ``level="class"`` any candidate with the query's label counts, which is the right
    measure for data paired only by label (several images of "seven" all match the spoken
    "seven"). Ties in similarity are broken by candidate index.

    Formula:
        R@k = 1/N sum_i 1[ match(i) in top_k(S_i) ]

    Args:
        queries: query embeddings, shape ``(num_queries, dim)``.
        candidates: candidate embeddings, shape ``(num_candidates, dim)``; for
            ``level="instance"`` ``num_candidates == num_queries``.
        k: how many top candidates to look at.
        level: ``"instance"`` or ``"class"``.
        labels: integer labels of the queries, shape ``(num_queries,)``; required for
            ``level="class"``.
        candidate_labels: labels of the candidates, shape ``(num_candidates,)``; defaults to
            ``labels``.
        similarity: ``"cosine"`` or ``"dot"``.

    Returns:
        A Python float in ``[0, 1]``.

    Raises:
        ValueError: for an unknown ``level`` or ``similarity``, non-positive ``k``, missing
            labels at class level, or mismatched sizes.

    Example:
        >>> q = [[1.0, 0.0], [0.0, 1.0], [1.0, 0.1]]
        >>> c = [[0.0, 1.0], [1.0, 0.0], [1.0, 0.1]]
        >>> recall_at_k(q, c, k=1)  # only query 2 finds its own partner first
        0.3333...
        >>> recall_at_k(q, c, k=1, level="class", labels=[0, 0, 1])  # same-label hits count
        1.0

    Book: section "sec-evaluation".
    """
    name = "recall_at_k"
    v.check_option(name, "level", level, ("instance", "class"))
    v.check_positive_int(name, "k", k)
    sims = similarity_matrix(queries, candidates, similarity=similarity)
    num_queries, num_candidates = sims.shape
    if level == "instance":
        if num_queries != num_candidates:
            raise ValueError(
                v.message(name, "as many candidates as queries at level='instance' (query i "
                          "is paired with candidate i)", f"{num_queries} queries and "
                          f"{num_candidates} candidates", "Pass paired embeddings, or use "
                          "level='class' with labels")
            )
        correct = np.eye(num_queries, dtype=bool)  # (num_queries, num_candidates)
    else:
        if labels is None:
            raise ValueError(
                v.message(name, "labels at level='class'", "labels=None",
                          "Pass the integer labels of the queries")
            )
        query_labels = v.check_labels(name, "labels", labels)
        cand_labels = query_labels if candidate_labels is None else v.check_labels(
            name, "candidate_labels", candidate_labels)
        if len(query_labels) != num_queries or len(cand_labels) != num_candidates:
            raise ValueError(
                v.message(name, "one label per query and per candidate",
                          f"{len(query_labels)} labels for {num_queries} queries and "
                          f"{len(cand_labels)} candidate_labels for {num_candidates} candidates")
            )
        correct = query_labels[:, None] == cand_labels[None, :]  # (num_queries, num_candidates)
    k = min(int(k), num_candidates)
    top = np.argsort(-sims, axis=1, kind="stable")[:, :k]  # (num_queries, k)
    hits = np.take_along_axis(correct, top, axis=1).any(axis=1)  # (num_queries,)
    return float(hits.mean())
