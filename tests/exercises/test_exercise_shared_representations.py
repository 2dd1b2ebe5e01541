"""The exercises of mmtutor.exercises.shared_representations: InfoNCE and its temperature."""

import numpy as np
import pytest
from judging import check

from mmtutor.exercises import ____, _solutions, shared_representations


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
    (lambda a, b, t: loss_from(a @ b.T / t), "The embeddings are not normalized"),
    (lambda a, b, t: loss_from(unit(a, axis=0) @ unit(b, axis=0).T / t),
     "You normalized the columns"),
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


def label_loss(a, b, labels, t, *, normalize=True, mean_over_positives=True, both=True,
               log_of_sum=False):
    """An independent NumPy loop over the rows, with one mistake switched on by a flag."""
    if normalize:
        a, b = unit(a), unit(b)
    logits = a @ b.T / t
    terms = []
    for direction in (logits, logits.T)[:2 if both else 1]:
        rows = []
        for i, row in enumerate(log_softmax(direction, axis=1)):
            positives = np.flatnonzero(labels == labels[i])
            if log_of_sum:
                rows.append(-np.log(np.exp(row[positives]).sum()))
            else:
                total = -row[positives].sum()
                rows.append(total / len(positives) if mean_over_positives else total)
        terms.append(np.array(rows))
    return np.mean(np.mean(terms, axis=0))


def test_label_info_nce_accepts_the_reference_solution_and_a_loop():
    q = shared_representations.label_info_nce
    check(q, shared_representations._label_info_nce_solution, "correct")
    check(q, label_loss, "correct")


def test_label_info_nce_equals_the_instance_loss_when_every_label_differs():
    a, b = np.random.default_rng(0).normal(size=(2, 5, 3))
    assert np.isclose(label_loss(a, b, np.arange(5), 0.3),
                      loss_from(unit(a) @ unit(b).T / 0.3))


@pytest.mark.parametrize("answer, hint", [
    (lambda a, b, y, t: _solutions.info_nce(a, b, t), "that is the instance loss"),
    (lambda a, b, y, t: label_loss(a, b, y, t, mean_over_positives=False),
     "You summed -log softmax over the positives"),
    (lambda a, b, y, t: label_loss(a, b, y, t, log_of_sum=True),
     "You took the log of the positives' total probability"),
    (lambda a, b, y, t: label_loss(a, b, y, t, both=False), "one direction only"),
    (lambda a, b, y, t: label_loss(a, b, y, t, normalize=False),
     "The embeddings are not normalized"),
    (lambda a, b, y, t: label_loss(a, b, y, 1.0), "Divide the similarities by the"),
])
def test_label_info_nce_names_the_mistake(answer, hint):
    assert hint in check(shared_representations.label_info_nce, answer)


def test_label_info_nce_names_a_pair_left_out_of_its_own_positives():
    def others_only(a, b, labels, temperature):
        logits = unit(a) @ unit(b).T / temperature
        positive = (labels[:, None] == labels[None, :]) & ~np.eye(len(labels), dtype=bool)
        terms = [-(positive * log_softmax(z, axis=1)).sum(axis=1) / positive.sum(axis=1)
                 for z in (logits, logits.T)]
        return np.mean(0.5 * (terms[0] + terms[1]))

    assert "The pair itself (j = i) is a positive too" in check(
        shared_representations.label_info_nce, others_only)


def test_label_info_nce_names_an_overflow_at_temperature_1e_minus_4():
    def naive(a, b, labels, temperature):
        e = np.exp(unit(a) @ unit(b).T / temperature)
        positive = labels[:, None] == labels[None, :]
        a_to_b = -(positive * np.log(e / e.sum(axis=1, keepdims=True))).sum(1) / positive.sum(1)
        b_to_a = -(positive * np.log(e / e.sum(axis=0, keepdims=True))).sum(0) / positive.sum(0)
        return np.mean(0.5 * (a_to_b + b_to_a))

    assert "log-sum-exp" in check(shared_representations.label_info_nce, naive)


def test_label_info_nce_blank_is_not_attempted_and_a_raise_is_incorrect():
    q = shared_representations.label_info_nce
    check(q, lambda a, b, labels, temperature: ____, "not_attempted")
    assert "ZeroDivisionError" in check(q, lambda a, b, labels, temperature: 1 / 0)


def test_info_nce_raise_is_incorrect():
    assert "KeyError" in check(shared_representations.info_nce, lambda a, b, t: {}["x"])


def test_info_nce_chance_is_log_of_the_batch_size():
    q = shared_representations.info_nce_chance
    check(q, np.log(64), "correct")
    check(q, 4.16, "correct")
    assert "number of candidates" in check(q, 64)
    assert "probability the softmax gives" in check(q, 1 / 64)
    assert "log base 2" in check(q, 6.0)
    assert "added the two directions" in check(q, 2 * np.log(64))
    assert "count it in the denominator" in check(q, np.log(63))
    check(q, ____, "not_attempted")


def test_instance_positives_question_explains_each_wrong_option():
    q = shared_representations.instance_positives
    check(q, "b", "correct")
    assert "The data do teach that" in check(q, "a")
    assert "bimodal autoencoder" in check(q, "c")
    assert "chance level" in check(q, "d")
    check(q, "____", "not_attempted")


def test_prototype_experiment_wants_a_higher_recall_than_the_chapter():
    q = shared_representations.prototype_experiment
    check(q, 0.49, "correct", baseline=0.39)
    assert "not above the chapter's 0.39" in check(q, 0.35, baseline=0.39)
    assert "baseline=chapter_value" in check(q, 0.49)
    assert "percentage" in check(q, 49.0, baseline=0.39)
    check(q, ____, "not_attempted", baseline=0.39)
