"""Cross-modal retrieval: recall@k, mean average precision and median rank.

Each query ranks every candidate by similarity, most similar first; ties in similarity are
broken by candidate index (the lower index ranks first), the same way in every function. A
candidate is relevant to query ``i`` when it is candidate ``i`` (``level="instance"``: the
queries and candidates are paired) or when it has the query's label (``level="class"``).
"""

from __future__ import annotations

import numpy as np

from mmtutor import _validation as v

_SHAPES = {"queries": "(num_queries, dim)", "candidates": "(num_candidates, dim)"}


def _embeddings(name, arg, x):
    v.check_array(name, arg, x, what=_SHAPES[arg], finite=True, allow_empty=False)
    x = np.asarray(x, dtype=np.float64)
    v.check_rank(name, arg, x, 2, _SHAPES[arg])
    return x


def _similarities(name, queries, candidates, similarity):
    v.check_option(name, "similarity", similarity, ("cosine", "dot"))
    q = _embeddings(name, "queries", queries)
    c = _embeddings(name, "candidates", candidates)
    if q.shape[1] != c.shape[1]:
        raise ValueError(
            v.message(name, "queries and candidates with the same dim",
                      f"queries with shape {v._fmt(q.shape)} and candidates with shape "
                      f"{v._fmt(c.shape)}", "Embed both modalities into one shared space")
        )
    if similarity == "cosine":
        q = q / np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-12)
        c = c / np.maximum(np.linalg.norm(c, axis=1, keepdims=True), 1e-12)
    return q @ c.T  # (num_queries, num_candidates)


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
        ValueError: for empty or non-finite embeddings, inputs that are not rank 2, a
            different ``dim``, or an unknown ``similarity``.
        TypeError: for embeddings that are not numeric.

    Example:
        >>> similarity_matrix([[1.0, 0.0]], [[2.0, 0.0], [0.0, 1.0]])
        array([[1., 0.]])

    Book: section "sec-evaluation".
    """
    return _similarities("similarity_matrix", queries, candidates, similarity)


def _ranked(name, queries, candidates, level, labels, candidate_labels, similarity,
            every_query_relevant=False):
    """Relevance of each query's candidates in rank order: bool ``(num_queries,
    num_candidates)``, column 0 the most similar candidate."""
    v.check_option(name, "level", level, ("instance", "class"))
    sims = _similarities(name, queries, candidates, similarity)
    num_queries, num_candidates = sims.shape
    if level == "instance":
        if num_queries != num_candidates:
            raise ValueError(
                v.message(name, "as many candidates as queries at level='instance' (query i "
                          "is paired with candidate i)", f"{num_queries} queries and "
                          f"{num_candidates} candidates", "Pass paired embeddings, or use "
                          "level='class' with labels")
            )
        relevant = np.eye(num_queries, dtype=bool)  # (num_queries, num_candidates)
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
        relevant = query_labels[:, None] == cand_labels[None, :]  # (num_queries, num_cand.)
        missing = np.flatnonzero(~relevant.any(axis=1))
        if every_query_relevant and missing.size:
            raise ValueError(
                v.message(name, "every query to have a relevant candidate (one with its label)",
                          f"{missing.size} of {num_queries} queries whose label is in no "
                          f"candidate_labels (the first: query {missing[0]}, label "
                          f"{query_labels[missing[0]]})", "Drop those queries, or add "
                          "candidates of their classes")
            )
    # A stable sort of -S keeps equal similarities in candidate order: ties go to the lower index.
    order = np.argsort(-sims, axis=1, kind="stable")  # (num_queries, num_candidates)
    return np.take_along_axis(relevant, order, axis=1)  # (num_queries, num_candidates)


def recall_at_k(queries, candidates, *, k=1, level="instance", labels=None,
                candidate_labels=None, similarity="cosine"):
    """Share of queries whose top-``k`` candidates contain a correct match.

    At ``level="instance"`` the queries and candidates are paired: query ``i`` is correct
    only if candidate ``i`` (its own partner) is among its ``k`` most similar candidates.
    At ``level="class"`` any candidate with the query's label counts, which is the right
    measure for data paired only by label (several images of "seven" all match the spoken
    "seven"); a query whose label no candidate has counts as a miss. Ties in similarity are
    broken by candidate index: the lower index ranks first.

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
            labels at class level, mismatched sizes, or empty or non-finite inputs.
        TypeError: for inputs that are not numeric, or a ``k`` that is not an integer.

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
    ranked = _ranked(name, queries, candidates, level, labels, candidate_labels, similarity)
    hits = ranked[:, :int(k)].any(axis=1)  # (num_queries,)
    return float(hits.mean())


def mean_average_precision(queries, candidates, *, level="instance", labels=None,
                           candidate_labels=None, similarity="cosine"):
    """Mean over the queries of the average precision of each query's ranking.

    Recall@k looks at one cut-off; average precision rewards every relevant candidate for
    being ranked early. For each query it averages the precision at the rank of each relevant
    candidate. At ``level="instance"`` only the query's own partner is relevant, so the
    average precision is ``1 / rank`` of the partner (the mean reciprocal rank); at
    ``level="class"`` every candidate with the query's label is relevant. Ties in similarity
    are broken by candidate index, as in :func:`recall_at_k`.

    Formula:
        AP_i = 1/|R_i| sum_{r in R_i} P_i@r,  P_i@r = |R_i within the top r| / r,
        mAP = 1/N sum_i AP_i,  R_i = the ranks of the candidates relevant to query i.

    Args:
        queries: query embeddings, shape ``(num_queries, dim)``.
        candidates: candidate embeddings, shape ``(num_candidates, dim)``; for
            ``level="instance"`` ``num_candidates == num_queries``.
        level: ``"instance"`` or ``"class"``.
        labels: integer labels of the queries, shape ``(num_queries,)``; required for
            ``level="class"``.
        candidate_labels: labels of the candidates, shape ``(num_candidates,)``; defaults to
            ``labels``.
        similarity: ``"cosine"`` or ``"dot"``.

    Returns:
        A Python float in ``(0, 1]``.

    Raises:
        ValueError: as :func:`recall_at_k`, and at class level for a query whose label no
            candidate has (its average precision is undefined).
        TypeError: for inputs that are not numeric.

    Example:
        >>> q = [[1.0, 0.0], [0.0, 1.0], [1.0, 0.1]]
        >>> c = [[0.0, 1.0], [1.0, 0.0], [1.0, 0.1]]
        >>> mean_average_precision(q, c)  # partners at ranks 3, 3 and 1: (1/3 + 1/3 + 1) / 3
        0.5555...
        >>> mean_average_precision(q, c, level="class", labels=[0, 0, 1])  # (5/6 + 5/6 + 1) / 3
        0.8888...

    Book: section "sec-evaluation".
    """
    ranked = _ranked("mean_average_precision", queries, candidates, level, labels,
                     candidate_labels, similarity, every_query_relevant=True)
    ranks = np.arange(1, ranked.shape[1] + 1)  # (num_candidates,)
    precision = np.cumsum(ranked, axis=1) / ranks  # (num_queries, num_candidates): P@r
    average = (precision * ranked).sum(axis=1) / ranked.sum(axis=1)  # (num_queries,)
    return float(average.mean())


def median_rank(queries, candidates, *, level="instance", labels=None, candidate_labels=None,
                similarity="cosine"):
    """Median over the queries of the rank of the first relevant candidate.

    Rank 1 is the most similar candidate, so lower is better and 1 is perfect. Retrieval
    papers report it beside recall@k because it says where the match lands when it is not in
    the top k. The relevant candidates are as in :func:`mean_average_precision`; ties in
    similarity are broken by candidate index, as in :func:`recall_at_k`.

    Formula:
        MedR = median_i min R_i,  R_i = the ranks (1-based) of the candidates relevant to i.

    Args:
        queries: query embeddings, shape ``(num_queries, dim)``.
        candidates: candidate embeddings, shape ``(num_candidates, dim)``; for
            ``level="instance"`` ``num_candidates == num_queries``.
        level: ``"instance"`` or ``"class"``.
        labels: integer labels of the queries, shape ``(num_queries,)``; required for
            ``level="class"``.
        candidate_labels: labels of the candidates, shape ``(num_candidates,)``; defaults to
            ``labels``.
        similarity: ``"cosine"`` or ``"dot"``.

    Returns:
        A Python float >= 1 (a half-integer when the two middle ranks differ).

    Raises:
        ValueError: as :func:`mean_average_precision`.
        TypeError: for inputs that are not numeric.

    Example:
        >>> q = [[1.0, 0.0], [0.0, 1.0], [1.0, 0.1]]
        >>> c = [[0.0, 1.0], [1.0, 0.0], [1.0, 0.1]]
        >>> median_rank(q, c)  # partners at ranks 3, 3 and 1
        3.0
        >>> median_rank(q, c, level="class", labels=[0, 0, 1])
        1.0

    Book: section "sec-evaluation".
    """
    ranked = _ranked("median_rank", queries, candidates, level, labels, candidate_labels,
                     similarity, every_query_relevant=True)
    first = np.argmax(ranked, axis=1) + 1  # (num_queries,): 1-based rank of the first hit
    return float(np.median(first))
