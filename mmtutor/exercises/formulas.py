"""Exercises on the formulas of chapter 3: the losses and attention, one group per page.

The four code exercises check a learner's NumPy (or TensorFlow) function against the package's
own definition on seeded inputs, edge cases included, and name the mistake when it fails:

- :data:`autoencoder_loss` against :func:`mmtutor.losses.reconstruction_loss`;
- :data:`cross_entropy` against :func:`mmtutor.losses.categorical_crossentropy`;
- :data:`sequence_cross_entropy` against :func:`mmtutor.losses.sequence_crossentropy`;
- :data:`attention_pool` against :func:`mmtutor.layers.attention_pool`.

Beside each, a number to compute by hand from a small table the page shows
(:data:`autoencoder_loss_by_hand`, :data:`cross_entropy_by_hand`,
:data:`sequence_loss_by_hand`, :data:`attention_by_hand`), a conceptual question
(:data:`squared_error_noise`, :data:`softmax_gradient`, :data:`sequence_mask`,
:data:`scaled_scores`) and, where the page trains a model, an experiment on that model
(:data:`linear_autoencoder_test`, :data:`overconfident_logits`, :data:`masked_marker`).

Example:
    >>> import numpy as np
    >>> def my_loss(x, x_hat):
    ...     return np.mean((x - x_hat) ** 2)
    >>> result = autoencoder_loss.check(my_loss)
    >>> result.status, result.message.startswith("You averaged over the features")
    ('incorrect', True)

Book: section "sec-formulas" (one group of exercises on each of its four pages).
"""

from __future__ import annotations

import numpy as np

from mmtutor.exercises import _solutions
from mmtutor.exercises._choice import ExperimentAnswer, MultipleChoice, NumericAnswer
from mmtutor.exercises._code import Case, CodeExercise, Mistake
from mmtutor.exercises._formula_texts import (
    AE,
    AE_HAND,
    AE_NOISE,
    AE_TEST,
    ATT,
    ATT_HAND,
    ATT_MARKER,
    ATT_SQRT,
    CE,
    CE_GRAD,
    CE_HAND,
    CE_SCALE,
    SEQ,
    SEQ_HAND,
    SEQ_MASK,
)
from mmtutor.exercises._inputs import (
    prefix_mask,
    scattered_mask,
    softmax,
    targets_and_probabilities,
    with_zeros,
)
from mmtutor.exercises._language import text
from mmtutor.layers import attention_pool as _attention_pool
from mmtutor.losses import categorical_crossentropy, reconstruction_loss, sequence_crossentropy

__all__ = [
    "attention_by_hand",
    "attention_pool",
    "autoencoder_loss",
    "autoencoder_loss_by_hand",
    "cross_entropy",
    "cross_entropy_by_hand",
    "linear_autoencoder_test",
    "masked_marker",
    "overconfident_logits",
    "scaled_scores",
    "sequence_cross_entropy",
    "sequence_loss_by_hand",
    "sequence_mask",
    "softmax_gradient",
    "squared_error_noise",
]

_BATCH_OF_ONE = text("a batch of one example", "只有一个样本的批次")
_RANDOM = text("random inputs", "随机输入")
_rng = np.random.default_rng(20240603)


# ---- autoencoder_loss: L = 1/N sum_n ||x_n - x_hat_n||^2 ---------------------------------

def _per_example(d):
    return d.reshape(len(d), -1)  # (N, features)


#: CodeExercise: ``f(x, x_hat)``, the squared error summed over each example's features, then
#: the batch mean (:func:`mmtutor.losses.reconstruction_loss`).
autoencoder_loss = CodeExercise(
    "formulas.autoencoder_loss",
    reference=reconstruction_loss,
    solution=_solutions.autoencoder_loss,
    outputs={"loss": "()"},
    cases=[
        Case(_RANDOM, (_rng.normal(size=(4, 3)), _rng.normal(size=(4, 3)))),
        Case(_RANDOM, (_rng.normal(size=(6, 5)), _rng.normal(size=(6, 5)))),
        Case(_BATCH_OF_ONE, (_rng.normal(size=(1, 4)), _rng.normal(size=(1, 4)))),
        Case(text("images, (N, H, W)", "图像，(N, H, W)"),
             (_rng.normal(size=(3, 2, 4)), _rng.normal(size=(3, 2, 4))), hint=AE["axes"]),
    ],
    mistakes=[
        Mistake(AE["mean_features"], same_as=lambda x, x_hat: np.mean((x - x_hat) ** 2)),
        Mistake(AE["sum_batch"], same_as=lambda x, x_hat: np.sum((x - x_hat) ** 2)),
        Mistake(AE["norm"], same_as=lambda x, x_hat: np.mean(
            np.sqrt(np.sum(_per_example(x - x_hat) ** 2, axis=1)))),
        Mistake(AE["abs"], same_as=lambda x, x_hat: np.mean(
            np.sum(np.abs(_per_example(x - x_hat)), axis=1))),
        Mistake(AE["axes"], same_as=lambda x, x_hat: np.mean(np.sum((x - x_hat) ** 2, axis=1))),
    ],
    question=AE["question"], hints=AE["hints"], remark=AE["remark"],
)


# ---- cross_entropy: L = -1/N sum_i sum_c y_ic log p_ic -------------------------------------

def _log(p):
    return np.log(np.clip(p, 1e-7, 1.0))


def _ce_cases():
    y4, p4 = targets_and_probabilities(_rng, (4, 5))
    return [
        Case(_RANDOM, targets_and_probabilities(_rng, (5, 4))),
        Case(_RANDOM, targets_and_probabilities(_rng, (3, 6))),
        Case(_BATCH_OF_ONE, targets_and_probabilities(_rng, (1, 3))),
        Case(CE["zeros_label"], (y4, with_zeros(_rng, y4, p4)), nan_hint=CE["zeros"]),
    ]


#: CodeExercise: ``f(y_true, y_prob)``, one-hot targets and probabilities ``(N, C)``, the mean
#: cross-entropy over N (:func:`mmtutor.losses.categorical_crossentropy`).
cross_entropy = CodeExercise(
    "formulas.cross_entropy",
    reference=categorical_crossentropy,
    solution=_solutions.cross_entropy,
    outputs={"loss": "()"},
    cases=_ce_cases(),
    mistakes=[
        Mistake(CE["sign"], same_as=lambda y, p: np.mean(np.sum(y * _log(p), axis=1))),
        Mistake(CE["sum_batch"], same_as=lambda y, p: -np.sum(y * _log(p))),
        Mistake(CE["mean_classes"], same_as=lambda y, p: -np.mean(y * _log(p))),
        Mistake(CE["no_log"], same_as=lambda y, p: -np.mean(np.sum(y * p, axis=1))),
        Mistake(CE["log_base"], when=lambda args, got, expected: any(
            np.isclose(got * np.log(base), expected, rtol=1e-4) for base in (2.0, 10.0))),
    ],
    question=CE["question"], hints=CE["hints"], remark=CE["remark"],
)


# ---- sequence_cross_entropy: 1/N sum_n 1/T_n sum_{t real} CE_nt ------------------------------

def _per_step(y, p):
    return -np.sum(y * _log(p), axis=-1)  # (N, T)


def _ignore_mask(y, p, mask):
    return np.mean(_per_step(y, p))


def _divide_by_t(y, p, mask):
    return np.mean(np.sum(_per_step(y, p) * mask, axis=1) / mask.shape[1])


def _token_mean(y, p, mask):
    return np.sum(_per_step(y, p) * mask) / np.sum(mask)


def _no_division(y, p, mask):
    return np.mean(np.sum(_per_step(y, p) * mask, axis=1))


def _per_sequence(y, p, mask):
    return np.sum(_per_step(y, p) * mask, axis=1) / np.maximum(mask.sum(axis=1), 1)  # (N,)


def _drop_empty(y, p, mask):
    return np.mean(_per_sequence(y, p, mask)[mask.any(axis=1)])


def _seq_cases():
    y5, p5 = targets_and_probabilities(_rng, (3, 4, 5))
    return [
        Case(_RANDOM, (*targets_and_probabilities(_rng, (3, 5, 4)), prefix_mask([5, 2, 3], 5))),
        Case(_RANDOM, (*targets_and_probabilities(_rng, (4, 6, 3)), scattered_mask(_rng, 4, 6))),
        Case(_BATCH_OF_ONE, (*targets_and_probabilities(_rng, (1, 4, 3)), prefix_mask([2], 4))),
        Case(SEQ["empty_label"], (*targets_and_probabilities(_rng, (3, 4, 3)),
                                  prefix_mask([4, 0, 2], 4)), nan_hint=SEQ["empty"]),
        Case(CE["zeros_label"], (y5, with_zeros(_rng, y5, p5), prefix_mask([4, 3, 1], 4)),
             nan_hint=CE["zeros"]),
    ]


#: CodeExercise: ``f(y_true, y_prob, mask)``, each sequence's mean cross-entropy over its real
#: steps (0 when fully masked), then the batch mean (:func:`mmtutor.losses.sequence_crossentropy`).
sequence_cross_entropy = CodeExercise(
    "formulas.sequence_cross_entropy",
    reference=lambda y_true, y_prob, mask: sequence_crossentropy(y_true, y_prob, mask=mask),
    solution=_solutions.sequence_cross_entropy,
    outputs={"loss": "()"},
    cases=_seq_cases(),
    mistakes=[
        Mistake(SEQ["ignore_mask"], same_as=_ignore_mask),
        Mistake(SEQ["divide_by_t"], same_as=_divide_by_t),
        Mistake(SEQ["token_mean"], same_as=_token_mean),
        Mistake(SEQ["no_division"], same_as=_no_division),
        Mistake(SEQ["drop_empty"], same_as=_drop_empty),
        Mistake(SEQ["sum_batch"], same_as=lambda y, p, m: np.sum(_per_sequence(y, p, m))),
    ],
    question=SEQ["question"], hints=SEQ["hints"], remark=SEQ["remark"],
)


# ---- attention_pool: alpha_i = softmax_i(a^T v_i), z = sum_i alpha_i v_i ---------------------

def _reference_attention(values, query, mask):
    return _attention_pool(values, query, mask=mask)


def _scaled(values, query, mask):
    scores = np.where(mask, values @ query / np.sqrt(values.shape[-1]), -np.inf)  # (N, n)
    weights = np.nan_to_num(softmax(scores, axis=1)) * mask  # (N, n)
    return np.einsum("nt,ntd->nd", weights, values), weights


def _empty_row_nonzero(args, got, expected):
    empty = ~args[2].any(axis=1)  # (N,): rows without a real step
    return bool(empty.any()) and bool(np.abs(got[1][empty]).max() > 1e-9
                                      or np.abs(got[0][empty]).max() > 1e-9)


def _masked_step_weight(args, got, expected):
    return bool(np.any(np.abs(got[1][~args[2]]) > 1e-9))


def _over_batch(args, got, expected):
    mask, weights = args[2], got[1]
    steps = mask.any(axis=0)  # (n,): steps that are real in some row
    rows = mask.any(axis=1)  # (N,): rows with a real step
    return (np.allclose(weights[:, steps].sum(axis=0), 1.0, atol=1e-6)
            and not np.allclose(weights[rows].sum(axis=1), 1.0, atol=1e-6))


def _unnormalized(args, got, expected):
    sums = got[1][args[2].any(axis=1)].sum(axis=1)  # (rows with a real step,)
    off = ~np.isclose(sums, 1.0, atol=1e-6) & ~np.isclose(sums, 0.0, atol=1e-6)
    return bool(off.any())  # a row of zeros is the underflow of exp, named by the case


def _weights_right(args, got, expected):
    return np.allclose(got[1], expected[1], rtol=1e-4, atol=1e-6)


def _att_cases():
    big = _rng.normal(size=(3, 4, 2)) * 100.0  # scores a^T v of magnitude 1e4
    query = np.array([60.0, -80.0])
    big[1, 3] = 5e4 * query / (query @ query)  # a masked step with the largest score, 5e4
    return [
        Case(_RANDOM, (_rng.normal(size=(3, 4, 2)), _rng.normal(size=2),
                       prefix_mask([4, 2, 3], 4))),
        Case(_RANDOM, (_rng.normal(size=(2, 5, 3)), _rng.normal(size=3),
                       scattered_mask(_rng, 2, 5))),
        Case(_BATCH_OF_ONE, (_rng.normal(size=(1, 5, 3)), _rng.normal(size=3),
                             np.ones((1, 5), dtype=bool))),
        Case(ATT["big_label"], (big, query, prefix_mask([4, 3, 2], 4)),
             hint=ATT["big_differs"], nan_hint=ATT["big"]),
        Case(ATT["empty_label"], (_rng.normal(size=(3, 4, 2)), _rng.normal(size=2),
                                  np.array([[1, 1, 1, 1], [0, 0, 0, 0], [1, 0, 1, 0]], bool)),
             nan_hint=ATT["empty"]),
    ]


#: CodeExercise: ``f(values, query, mask)`` returning ``(context, weights)``, the seed's
#: attention formula with masked steps left out (:func:`mmtutor.layers.attention_pool`).
attention_pool = CodeExercise(
    "formulas.attention_pool",
    reference=_reference_attention,
    solution=_solutions.attention_pool,
    outputs={"context": "(N, d)", "weights": "(N, n)"},
    cases=_att_cases(),
    mistakes=[
        Mistake(ATT["empty_row"], when=_empty_row_nonzero),
        Mistake(ATT["masked_step"], when=_masked_step_weight),
        Mistake(ATT["over_batch"], when=_over_batch),
        Mistake(ATT["unnormalized"], when=_unnormalized),
        Mistake(ATT["scaled"], same_as=_scaled),
        Mistake(ATT["context"], when=_weights_right),
    ],
    question=ATT["question"], hints=ATT["hints"], remark=ATT["remark"],
)


# ---- Numbers by hand, conceptual questions and experiments, page by page ---------------------

def _choice(name, texts, answer):
    return MultipleChoice(name, question=texts["question"], options=texts["options"],
                          answer=answer, feedback=texts["feedback"],
                          explanation=texts["explanation"], hints=texts["hints"],
                          remark=texts["remark"])


def _by_hand(name, texts, value, mistakes):
    return NumericAnswer(name, question=texts["question"], value=value, tolerance=1e-3,
                         mistakes=[(wrong, texts[key]) for wrong, key in mistakes],
                         working=texts["working"], hints=texts["hints"], remark=texts["remark"])


#: NumericAnswer: the autoencoder loss of a two-example table, by hand (2.625).
autoencoder_loss_by_hand = _by_hand(
    "formulas.autoencoder_loss_by_hand", AE_HAND, (4.25 + 1.0) / 2,
    [(4.25 + 1.0, "sum_batch"), ((4.25 + 1.0) / 6, "mse"),
     ((np.sqrt(4.25) + 1.0) / 2, "norm"), ((2.5 + 1.0) / 2, "abs")])

#: MultipleChoice: the noise model under which squared error is maximum likelihood.
squared_error_noise = _choice("formulas.squared_error_noise", AE_NOISE, "a")

#: ExperimentAnswer: the trained linear autoencoder's test loss over PCA's, near 1.
linear_autoencoder_test = ExperimentAnswer(
    "formulas.linear_autoencoder_test", question=AE_TEST["question"], expect="within",
    band=(0.97, 1.03), valid_range=(0.0, np.inf), feedback=AE_TEST["feedback"],
    explanation=AE_TEST["explanation"], hints=AE_TEST["hints"], remark=AE_TEST["remark"])

_TRUE_CLASS = -np.log([0.8, 0.5, 0.25])  # (3,): -log p_true of the page's table

#: NumericAnswer: the cross-entropy of a three-example table, by hand (0.7675).
cross_entropy_by_hand = _by_hand(
    "formulas.cross_entropy_by_hand", CE_HAND, _TRUE_CLASS.mean(),
    [(_TRUE_CLASS.sum(), "sum"), (_TRUE_CLASS.mean() / np.log(2), "log2"),
     (_TRUE_CLASS.mean() / np.log(10), "log10"), (-_TRUE_CLASS.mean(), "sign"),
     (_TRUE_CLASS.sum() / 9, "all_classes")])

#: MultipleChoice: the gradient of softmax followed by cross-entropy, y_hat - y.
softmax_gradient = _choice("formulas.softmax_gradient", CE_GRAD, "a")

#: ExperimentAnswer: the test loss of the trained model's logits times 10 (higher).
overconfident_logits = ExperimentAnswer(
    "formulas.overconfident_logits", question=CE_SCALE["question"], expect="higher",
    valid_range=(0.0, np.inf), feedback=CE_SCALE["feedback"],
    explanation=CE_SCALE["explanation"], hints=CE_SCALE["hints"], remark=CE_SCALE["remark"])

#: NumericAnswer: the masked sequence cross-entropy of a two-sequence table, by hand (0.7).
sequence_loss_by_hand = _by_hand(
    "formulas.sequence_loss_by_hand", SEQ_HAND, (1.2 / 3 + 1.0) / 2,
    [(2.2 / 4, "per_token"), (2.2 / 6, "diluted"), ((1.2 + 1.0) / 2, "no_division"),
     (1.2 / 3 + 1.0, "sum_batch")])

#: MultipleChoice: what the mask of the sequence cross-entropy does.
sequence_mask = _choice("formulas.sequence_mask", SEQ_MASK, "a")

_ATT_WEIGHTS = np.array([2.0, 1.0, 2.0]) / 5  # (3,): softmax of (log 2, 0, log 2)
_ATT_SCALED = np.exp(np.log([2.0, 1.0, 2.0]) / np.sqrt(2))  # exps of the scores over sqrt(d)

#: NumericAnswer: the first component of a three-step attention context, by hand (0.8).
attention_by_hand = _by_hand(
    "formulas.attention_by_hand", ATT_HAND, _ATT_WEIGHTS @ [1.0, 0.0, 1.0],
    [(2 / 3, "uniform"), (4.0, "unnormalized"), (2 * np.log(2), "scores"),
     (_ATT_WEIGHTS @ [0.0, 1.0, 1.0], "second"),
     (_ATT_SCALED @ [1.0, 0.0, 1.0] / _ATT_SCALED.sum(), "scaled")])

#: MultipleChoice: why the Transformer divides the scores by sqrt(d).
scaled_scores = _choice("formulas.scaled_scores", ATT_SQRT, "a")

#: ExperimentAnswer: the trained attention model's accuracy with the marked step masked out,
#: lower than the page's by more than 0.3.
masked_marker = ExperimentAnswer(
    "formulas.masked_marker", question=ATT_MARKER["question"], expect="lower", margin=0.3,
    valid_range=(0.0, 1.0), feedback=ATT_MARKER["feedback"],
    explanation=ATT_MARKER["explanation"], hints=ATT_MARKER["hints"],
    remark=ATT_MARKER["remark"])
