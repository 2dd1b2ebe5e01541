"""The checkers of mmtutor.exercises.formulas: right answers pass, known mistakes are named.

The wrong answers are written here as a learner would write them, independently of the
mistake functions inside the package.
"""

import numpy as np
import pytest
import tensorflow as tf
from judging import check

from mmtutor.exercises import ____, _solutions, formulas


def log_clipped(p):
    return np.log(np.clip(p, 1e-7, 1.0))


# ---- autoencoder_loss ------------------------------------------------------------------------

def test_autoencoder_loss_accepts_the_reference_solution():
    check(formulas.autoencoder_loss, _solutions.autoencoder_loss, "correct")


def test_autoencoder_loss_accepts_tensorflow_tensors_as_return_values():
    def loss(x, x_hat):
        squared = tf.square(tf.constant(x) - x_hat)
        return tf.reduce_mean(tf.reduce_sum(squared, axis=list(range(1, x.ndim))))

    check(formulas.autoencoder_loss, loss, "correct")


@pytest.mark.parametrize("answer, hint", [
    (lambda x, x_hat: np.mean((x - x_hat) ** 2), "You averaged over the features"),
    (lambda x, x_hat: np.sum((x - x_hat) ** 2), "You summed over the batch as well"),
    (lambda x, x_hat: np.mean(np.linalg.norm(x - x_hat, axis=1)), "not its square"),
    (lambda x, x_hat: np.mean(np.sum(np.abs(x - x_hat), axis=1)), "absolute errors"),
    # right for (N, features), wrong for images (N, H, W)
    (lambda x, x_hat: np.mean(np.sum((x - x_hat) ** 2, axis=1)), "every axis except the batch"),
])
def test_autoencoder_loss_names_the_mistake(answer, hint):
    assert hint in check(formulas.autoencoder_loss, answer)


def test_autoencoder_loss_wants_one_number_not_one_per_example():
    message = check(formulas.autoencoder_loss, lambda x, x_hat: np.sum((x - x_hat) ** 2, axis=1))
    assert "single number (shape ())" in message and "shape (4,)" in message


@pytest.mark.parametrize("answer", [None, ____, lambda x, x_hat: ____])
def test_autoencoder_loss_blank_is_not_attempted(answer):
    def loss(x, x_hat):
        return np.mean(np.sum(____, axis=1))

    check(formulas.autoencoder_loss, answer, "not_attempted")
    check(formulas.autoencoder_loss, loss, "not_attempted")


def test_autoencoder_loss_reports_the_exception_of_an_answer_that_raises():
    def loss(x, x_hat):
        raise ValueError("operands could not be broadcast")

    message = check(formulas.autoencoder_loss, loss)
    assert "ValueError: operands could not be broadcast" in message


# ---- cross_entropy ---------------------------------------------------------------------------

def test_cross_entropy_accepts_the_reference_solution_and_the_true_class_form():
    check(formulas.cross_entropy, _solutions.cross_entropy, "correct")
    check(formulas.cross_entropy,
          lambda y, p: -np.mean(np.log(np.sum(y * p, axis=1))), "correct")


@pytest.mark.parametrize("answer, hint", [
    (lambda y, p: -np.mean(np.sum(y * np.log(p), axis=1)), "0 * log(0)"),
    (lambda y, p: -np.sum(y * log_clipped(p)), "You summed over the examples"),
    (lambda y, p: -np.mean(y * log_clipped(p)), "You averaged over the classes too"),
    (lambda y, p: np.mean(np.sum(y * log_clipped(p), axis=1)), "Check the sign"),
    (lambda y, p: -np.mean(np.sum(y * np.log2(np.clip(p, 1e-7, 1)), axis=1)),
     "natural logarithm"),
    (lambda y, p: -np.mean(np.sum(y * p, axis=1)), "Take the logarithm"),
])
def test_cross_entropy_names_the_mistake(answer, hint):
    assert hint in check(formulas.cross_entropy, answer)


def test_cross_entropy_wants_one_number():
    message = check(formulas.cross_entropy, lambda y, p: -np.sum(y * log_clipped(p), axis=1))
    assert "single number (shape ())" in message


# ---- sequence_cross_entropy ------------------------------------------------------------------

def per_step(y, p):
    return -np.sum(y * log_clipped(p), axis=-1)  # (N, T)


def test_sequence_cross_entropy_accepts_the_reference_solution():
    check(formulas.sequence_cross_entropy, _solutions.sequence_cross_entropy, "correct")


def test_sequence_cross_entropy_names_a_nan_for_an_empty_sequence():
    def loss(y, p, mask):
        return np.mean(np.sum(per_step(y, p) * mask, axis=1) / mask.sum(axis=1))

    assert "NaN for a fully masked sequence" in check(formulas.sequence_cross_entropy, loss)


def test_sequence_cross_entropy_names_a_nan_from_zero_probabilities():
    def loss(y, p, mask):
        steps = -np.sum(y * np.log(p), axis=-1)
        return np.mean(np.sum(steps * mask, axis=1) / np.maximum(mask.sum(axis=1), 1))

    assert "0 * log(0)" in check(formulas.sequence_cross_entropy, loss)


def test_sequence_cross_entropy_names_a_sequence_dropped_from_the_batch_mean():
    def loss(y, p, mask):
        per_sequence = np.sum(per_step(y, p) * mask, axis=1) / np.maximum(mask.sum(axis=1), 1)
        return per_sequence[mask.any(axis=1)].mean()

    assert "still counts in the batch mean" in check(formulas.sequence_cross_entropy, loss)


@pytest.mark.parametrize("answer, hint", [
    (lambda y, p, mask: np.mean(per_step(y, p)), "Padded steps were counted"),
    (lambda y, p, mask: np.sum(per_step(y, p) * mask) / np.sum(mask),
     "all real steps of the batch at once"),
    (lambda y, p, mask: np.mean(np.sum(per_step(y, p) * mask, axis=1) / mask.shape[1]),
     "divided each sequence by T"),
    (lambda y, p, mask: np.mean(np.sum(per_step(y, p) * mask, axis=1)),
     "You summed over the steps"),
])
def test_sequence_cross_entropy_names_the_mistake(answer, hint):
    assert hint in check(formulas.sequence_cross_entropy, answer)


# ---- attention_pool --------------------------------------------------------------------------

def pool(values, weights):
    return np.einsum("nt,ntd->nd", weights, values)


def masked_softmax(scores, mask, fill=-np.inf):
    """Stable softmax over axis 1 with masked scores set to ``fill``; 0/0 left as NaN."""
    scores = np.where(mask, scores, fill)
    top = np.max(scores, axis=1, keepdims=True)
    exps = np.exp(scores - np.where(np.isfinite(top), top, 0.0))
    return exps / exps.sum(axis=1, keepdims=True)


def test_attention_pool_accepts_the_reference_solution():
    check(formulas.attention_pool, _solutions.attention_pool, "correct")


def test_attention_pool_names_an_overflow_at_scores_of_1e4():
    def attention(values, query, mask):
        exps = np.exp(values @ query) * mask  # no maximum subtracted
        weights = exps / exps.sum(axis=1, keepdims=True)
        return pool(values, weights), weights

    message = check(formulas.attention_pool, attention)
    assert "NaN for scores of magnitude 1e4" in message
    assert "subtract each row's largest score over its real steps" in message.lower()


def test_attention_pool_names_a_maximum_taken_over_masked_steps_too():
    def attention(values, query, mask):
        scores = values @ query
        exps = np.exp(scores - scores.max(axis=1, keepdims=True)) * mask
        total = exps.sum(axis=1, keepdims=True)
        weights = np.where(total > 0, exps / np.where(total > 0, total, 1), 0.0)
        return pool(values, weights), weights

    assert "over its real (unmasked) steps" in check(formulas.attention_pool, attention)


def test_attention_pool_names_a_nan_in_a_fully_masked_row():
    def attention(values, query, mask):
        weights = masked_softmax(values @ query, mask)
        return pool(values, weights), weights

    assert "NaN for a fully masked row" in check(formulas.attention_pool, attention)


@pytest.mark.parametrize("attention, hint", [
    (lambda v, q, m: (pool(v, masked_softmax(v @ q, np.ones_like(m))),
                      masked_softmax(v @ q, np.ones_like(m))),
     "A masked step got a nonzero weight"),
    (lambda v, q, m: (pool(v, np.nan_to_num(masked_softmax(v @ q, m, fill=-1e30))),
                      np.nan_to_num(masked_softmax(v @ q, m, fill=-1e30))),
     "A fully masked row must give zero weights"),
    (lambda v, q, m: (pool(v, np.nan_to_num(masked_softmax(v @ q / np.sqrt(v.shape[-1]), m))),
                      np.nan_to_num(masked_softmax(v @ q / np.sqrt(v.shape[-1]), m))),
     "no 1/sqrt(d) scale"),
    (lambda v, q, m: (v.mean(axis=1), np.nan_to_num(masked_softmax(v @ q, m))),
     "weights are right but the context is not"),
])
def test_attention_pool_names_the_mistake(attention, hint):
    assert hint in check(formulas.attention_pool, attention)


def test_attention_pool_names_weights_normalised_over_the_batch():
    def attention(values, query, mask):
        exps = np.exp(values @ query) * mask
        weights = exps / exps.sum(axis=0, keepdims=True)  # over the batch
        return pool(values, weights), weights

    assert "Your weights sum to 1 over the batch" in check(formulas.attention_pool, attention)


def test_attention_pool_names_weights_left_unnormalised():
    def attention(values, query, mask):
        scores = np.where(mask, values @ query, -np.inf)
        exps = np.exp(scores - np.max(scores, axis=1, keepdims=True))  # no division
        return pool(values, exps), exps

    assert "divide the exps by their sum" in check(formulas.attention_pool, attention)


def test_attention_pool_names_the_expected_shape():
    def attention(values, query, mask):
        context, weights = _solutions.attention_pool(values, query, mask)
        return context, weights[..., None]

    message = check(formulas.attention_pool, attention)
    assert "Expected weights of shape (N, n), here (3, 4); your function returned shape " \
           "(3, 4, 1)" in message


def test_attention_pool_asks_for_both_outputs():
    def attention(values, query, mask):
        return _solutions.attention_pool(values, query, mask)[0]

    assert "Return 2 values, (context, weights)" in check(formulas.attention_pool, attention)


def test_attention_pool_names_outputs_returned_in_the_wrong_order():
    def attention(values, query, mask):
        return _solutions.attention_pool(values, query, mask)[::-1]

    assert "Return (context, weights) in this order" in check(formulas.attention_pool, attention)


# ---- numbers by hand -------------------------------------------------------------------------

@pytest.mark.parametrize("exercise, right, wrong", [
    (formulas.autoencoder_loss_by_hand, 2.625, [
        (5.25, "divide by N = 2"),
        (0.875, "Keras's mean squared error"),
        ((np.sqrt(4.25) + 1) / 2, "the loss squares them"),
        (1.75, "absolute differences"),
    ]),
    (formulas.cross_entropy_by_hand, 0.7675, [
        (np.log(10), "divide by N = 3"),
        (0.7675 / np.log(2), "in bits"),
        (1 / 3, "log base 10"),
        (-0.7675, "Check the sign"),
        (np.log(10) / 9, "average over the examples only"),
    ]),
    (formulas.sequence_loss_by_hand, 0.7, [
        (0.55, "all 4 real steps of the batch at once"),
        (2.2 / 6, "diluted the short sequence"),
        (1.1, "without dividing by its length"),
        (1.4, "take their mean"),
    ]),
    (formulas.attention_by_hand, 0.8, [
        (2 / 3, "plain mean of the steps"),
        (4.0, "without dividing by their sum"),
        (2 * np.log(2), "weighted by the scores"),
        (0.6, "second component"),
        (0.7655, "divided the scores by sqrt(d)"),
    ]),
])
def test_number_by_hand_accepts_the_value_and_names_each_wrong_one(exercise, right, wrong):
    assert exercise.check(right).status == "correct"
    for value, hint in wrong:
        assert hint in check(exercise, value)
    assert "not within" in check(exercise, right + 0.1)
    assert check(exercise, ____, "not_attempted")


def test_numbers_by_hand_match_an_independent_computation():
    x = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 1.0]])
    x_hat = np.array([[0.5, 0.0, 4.0], [0.0, 0.0, 1.0]])
    assert np.isclose(formulas.autoencoder_loss_by_hand.value, _solutions.autoencoder_loss(
        x, x_hat))
    y = np.eye(3)
    p = np.array([[0.8, 0.1, 0.1], [0.25, 0.5, 0.25], [0.6, 0.15, 0.25]])
    assert np.isclose(formulas.cross_entropy_by_hand.value, _solutions.cross_entropy(y, p))
    per_step = np.array([[0.2, 0.4, 0.6], [1.0, 0.0, 0.0]])
    mask = np.array([[True, True, True], [True, False, False]])
    per_sequence = (per_step * mask).sum(axis=1) / mask.sum(axis=1)
    assert np.isclose(formulas.sequence_loss_by_hand.value, per_sequence.mean())
    values = np.array([[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]])
    context, _ = _solutions.attention_pool(values, np.array([np.log(2), 0.0]),
                                           np.ones((1, 3), bool))
    assert np.isclose(formulas.attention_by_hand.value, context[0, 0])


def test_number_by_hand_reports_an_answer_that_is_not_a_number():
    assert "Pass one number" in check(formulas.cross_entropy_by_hand, "about 0.77")
    assert "division by zero" in check(formulas.cross_entropy_by_hand, np.nan)


# ---- conceptual questions --------------------------------------------------------------------

@pytest.mark.parametrize("exercise, right, wrong", [
    (formulas.squared_error_noise, "a", [("b", "binary cross-entropy"),
                                         ("c", "absolute error"), ("d", "predicted variance")]),
    (formulas.softmax_gradient, "a", [("b", "with respect to the probability"),
                                      ("c", "softmax's Jacobian"), ("d", "no factor 2")]),
    (formulas.sequence_mask, "a", [("b", "capacity predicting padding"),
                                   ("c", "unmasked loss"), ("d", "per-token reduction")]),
    (formulas.scaled_scores, "a", [("b", "at any scale"), ("c", "Subtracting the largest score"),
                                   ("d", "how spread out")]),
])
def test_question_accepts_the_answer_and_explains_each_wrong_option(exercise, right, wrong):
    assert exercise.check(right).status == "correct"
    assert exercise.check(f"({right.upper()})").status == "correct"
    for letter, hint in wrong:
        assert hint in check(exercise, letter)
    assert "Choose one option only" in check(exercise, "ab")
    assert "Choose among" in check(exercise, "z")
    check(exercise, ____, "not_attempted")
    assert f"The answer is ({right})" in exercise.solution().message


NEW_EXERCISES = ("autoencoder_loss_by_hand", "squared_error_noise", "linear_autoencoder_test",
                 "cross_entropy_by_hand", "softmax_gradient", "overconfident_logits",
                 "sequence_loss_by_hand", "sequence_mask", "attention_by_hand", "scaled_scores",
                 "masked_marker")


@pytest.mark.parametrize("name", NEW_EXERCISES)
def test_exercise_has_every_text_in_chinese_too(name):
    exercise = getattr(formulas, name)
    texts = [exercise.question, exercise.remark]
    texts += list(getattr(exercise, "options", {}).values())
    feedback = getattr(exercise, "feedback", {})
    texts += [feedback] if "en" in feedback else list(feedback.values())
    texts += [hint for _, hint in getattr(exercise, "mistakes", ())]
    texts += [t for t in (getattr(exercise, "working", None), getattr(exercise, "explanation",
                                                                       None)) if t]
    # a hint that is one line of code needs no translation
    texts += [h for h in exercise.hints if " " in h["en"].split("(")[0]]
    missing = [t["en"] for t in texts if "zh" not in t and t["en"] not in ("y_hat_k - y_k",
               "-y_k / y_hat_k", "y_hat_k (1 - y_hat_k)", "2 (y_hat_k - y_k)")]
    assert not missing


def test_questions_answer_in_chinese_when_asked():
    from mmtutor import exercises

    exercises.set_language("zh")
    assert "伯努利" in check(formulas.squared_error_noise, "b")
    assert "除以 N = 3" in check(formulas.cross_entropy_by_hand, np.log(10))


# ---- experiments on the pages' trained models ------------------------------------------------

def test_linear_autoencoder_test_wants_a_ratio_near_one():
    q = formulas.linear_autoencoder_test
    assert q.check(1.00002).status == "correct"
    assert q.check(0.985).status == "correct"
    assert "Center the test digits with the training mean" in check(q, 1.19)
    assert "cannot be right" in check(q, -1.0)
    check(q, ____, "not_attempted")


def test_overconfident_logits_wants_a_higher_loss():
    q = formulas.overconfident_logits
    assert q.check(1.16, baseline=0.25).status == "correct"
    assert "Multiply the logits (before the softmax)" in check(q, 0.2, baseline=0.25)
    assert "Pass the chapter's value too" in check(q, 1.16)
    check(q, ____, "not_attempted")


def test_masked_marker_wants_an_accuracy_far_below_the_page():
    q = formulas.masked_marker
    assert q.check(0.26, baseline=0.99).status == "correct"
    assert "Set the mask to False at where_test" in check(q, 0.8, baseline=0.99)
    assert "looks like a percentage" in check(q, 26, baseline=0.99)
    check(q, ____, "not_attempted")


def test_an_experiment_answer_that_raises_is_judged_incorrect():
    class Broken:
        def __float__(self):
            raise RuntimeError("broken")

        def __array__(self, *args, **kwargs):
            raise RuntimeError("broken")

    assert "Pass one number" in check(formulas.masked_marker, Broken())
