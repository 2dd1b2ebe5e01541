"""Reference solutions of the code exercises, written as a learner would: NumPy only.

``exercise.solution()`` shows their source, so each reads like an answer to the exercise: the
function name and arguments of the exercise's cell, short lines, a shape comment where a tensor
is reduced. The checkers compare learners' functions with the package's own definitions
(``mmtutor.losses``, ``mmtutor.layers``, ``mmtutor.metrics``); the tests check that these
solutions pass the checkers.
"""

from __future__ import annotations

import numpy as np


def autoencoder_loss(x, x_hat):
    squared = (x - x_hat) ** 2  # (N, ...)
    per_example = squared.reshape(len(x), -1).sum(axis=1)  # (N,): summed over the features
    return per_example.mean()  # the batch mean


def cross_entropy(y_true, y_prob):
    # Clip before the log: 0 * log(0) would be NaN where a wrong class has probability 0.
    log_p = np.log(np.clip(y_prob, 1e-7, 1.0))  # (N, C)
    per_example = -np.sum(y_true * log_p, axis=1)  # (N,)
    return per_example.mean()


def sequence_cross_entropy(y_true, y_prob, mask):
    log_p = np.log(np.clip(y_prob, 1e-7, 1.0))  # (N, T, C)
    per_step = -np.sum(y_true * log_p, axis=-1)  # (N, T)
    mask = mask.astype(per_step.dtype)  # (N, T): 1 for real steps, 0 for padding
    real_steps = mask.sum(axis=1)  # (N,)
    # Divide by max(T_n, 1): a sequence without real steps contributes 0, not 0/0.
    per_sequence = (per_step * mask).sum(axis=1) / np.maximum(real_steps, 1)  # (N,)
    return per_sequence.mean()


def attention_pool(values, query, mask):
    scores = values @ query  # (N, n): a^T v_i for every step
    scores = np.where(mask, scores, -np.inf)  # masked steps can never win
    row_max = scores.max(axis=1, keepdims=True)  # (N, 1): -inf for a fully masked row
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)
    exps = np.exp(scores - row_max)  # (N, n): <= 1, exactly 0 on masked steps
    total = exps.sum(axis=1, keepdims=True)  # (N, 1): 0 only for a fully masked row
    weights = exps / np.where(total > 0, total, 1.0)  # (N, n)
    context = np.einsum("nt,ntd->nd", weights, values)  # (N, d): sum_i alpha_i v_i
    return context, weights


def f1_macro(y_true, y_pred, num_classes):
    f1 = []
    for c in range(num_classes):
        tp = np.sum((y_pred == c) & (y_true == c))
        fp = np.sum((y_pred == c) & (y_true != c))
        fn = np.sum((y_pred != c) & (y_true == c))
        # 2PR / (P + R) = 2TP / (2TP + FP + FN); a class never seen nor predicted scores 0.
        f1.append(2 * tp / (2 * tp + fp + fn) if tp > 0 else 0.0)
    return float(np.mean(f1))  # every class counts equally


def info_nce(a, b, temperature):
    a = a / np.linalg.norm(a, axis=1, keepdims=True)  # (N, d): unit rows
    b = b / np.linalg.norm(b, axis=1, keepdims=True)  # (N, d)
    logits = a @ b.T / temperature  # (N, N): s_ij / tau

    def log_softmax(z):  # over each row, with the row's maximum subtracted first
        z = z - z.max(axis=1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True))

    a_to_b = -np.diag(log_softmax(logits))  # (N,): a_i picks b_i among all b_j
    b_to_a = -np.diag(log_softmax(logits.T))  # (N,): b_i picks a_i among all a_j
    return np.mean(0.5 * (a_to_b + b_to_a))
