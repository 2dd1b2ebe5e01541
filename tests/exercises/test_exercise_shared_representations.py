"""The exercises of mmtutor.exercises.shared_representations: InfoNCE and its temperature."""

import numpy as np
import pytest

from mmtutor.exercises import ____, _solutions, shared_representations


def check(exercise, answer, status="incorrect", **kwargs):
    result = exercise.check(answer, **kwargs)
    assert result.status == status, result.message
    return result.message


def unit(x, axis=1):
    return x / np.linalg.norm(x, axis=axis, keepdims=True)


def log_softmax(z, axis):
    z = z - z.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


def loss_from(logits, both=True, average=True):
    a_to_b = -np.diag(log_softmax(logits, axis=1))
    if not both:
        return a_to_b.mean()
    b_to_a = -np.diag(log_softmax(logits, axis=0))
    return np.mean(0.5 * (a_to_b + b_to_a)) if average else np.mean(a_to_b + b_to_a)


def test_info_nce_accepts_the_reference_solution():
    check(shared_representations.info_nce, _solutions.info_nce, "correct")


@pytest.mark.parametrize("answer, hint", [
    (lambda a, b, t: loss_from(unit(a) @ unit(b).T / t, both=False), "one direction only"),
    (lambda a, b, t: loss_from(unit(a) @ unit(b).T / t, average=False),
     "You added the two directions"),
    (lambda a, b, t: loss_from(a @ b.T / t), "The embeddings are not normalised"),
    (lambda a, b, t: loss_from(unit(a, axis=0) @ unit(b, axis=0).T / t),
     "You normalised the columns"),
    (lambda a, b, t: loss_from(unit(a) @ unit(b).T * t), "Divide the similarities by the"),
    (lambda a, b, t: len(a) * loss_from(unit(a) @ unit(b).T / t), "You summed over the pairs"),
])
def test_info_nce_names_the_mistake(answer, hint):
    assert hint in check(shared_representations.info_nce, answer)


def test_info_nce_names_an_overflow_at_temperature_1e_minus_4():
    def naive(a, b, temperature):
        e = np.exp(unit(a) @ unit(b).T / temperature)
        a_to_b = -np.log(np.diag(e) / e.sum(axis=1))
        b_to_a = -np.log(np.diag(e) / e.sum(axis=0))
        return np.mean(0.5 * (a_to_b + b_to_a))

    assert "log-sum-exp" in check(shared_representations.info_nce, naive)


def test_info_nce_blank_is_not_attempted():
    check(shared_representations.info_nce, lambda a, b, temperature: ____, "not_attempted")


def test_temperature_question_explains_each_wrong_option():
    q = shared_representations.temperature
    check(q, "b", "correct")
    assert "lower temperature" in check(q, "a")
    assert "only invariant to shifts" in check(q, "c")


def test_temperature_experiment_wants_a_lower_recall_than_the_chapter():
    q = shared_representations.temperature_experiment
    check(q, 0.61, "correct", baseline=0.78)
    assert "not below the chapter's 0.78" in check(q, 0.8, baseline=0.78)
    assert "baseline=chapter_value" in check(q, 0.61)
    assert "percentage" in check(q, 61.0, baseline=0.78)
