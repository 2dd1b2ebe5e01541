"""The exercises of mmtutor.exercises.fusion: early and late fusion, a missing modality.

The wrong answers are written here as a learner would write them, independently of the
mistake functions inside the package.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf
from judging import check as _check

from mmtutor.exercises import ____, fusion


@pytest.mark.parametrize("exercise, right, wrong, hint", [
    (fusion.early_fusion, "a", "b", "Late fusion combines each modality's prediction"),
    (fusion.late_fusion, "c", "b", "That is intermediate fusion"),
    (fusion.missing_modality, "b", "a", "modality dropout"),
])
def test_fusion_questions_accept_the_answer_and_explain_a_wrong_one(exercise, right, wrong,
                                                                    hint):
    assert exercise.check(right).status == "correct"
    result = exercise.check(wrong)
    assert result.status == "incorrect" and hint in result.message
    assert exercise.check(____).status == "not_attempted"


def test_late_fusion_solution_names_the_per_modality_predictions():
    assert "(c) the per-modality predictions" in fusion.late_fusion.solution().message


def test_missing_modality_experiment_wants_a_lower_accuracy():
    q = fusion.missing_modality_experiment
    assert q.check(0.71, baseline=0.93).status == "correct"
    result = q.check(0.95, baseline=0.93)
    assert result.status == "incorrect" and "presence flag" in result.message
    assert "cannot be right" in q.check(-0.2, baseline=0.93).message


# ---- late_fusion_mean ------------------------------------------------------------------------

def test_late_fusion_mean_reference_is_the_mean_over_present_modalities():
    probs = np.array([[[0.2, 0.8], [0.6, 0.4], [1.0, 0.0]]])  # one example, three modalities
    presence = np.array([[1.0, 1.0, 0.0]])  # the third is missing
    expected = np.array([[0.4, 0.6]])  # the mean of the first two only
    np.testing.assert_allclose(fusion._late_reference(probs, presence), expected, atol=1e-12)


def test_late_fusion_mean_accepts_the_reference_solution_and_a_tensorflow_answer():
    _check(fusion.late_fusion_mean, fusion.late_fusion_mean.solution_function, "correct")

    def with_tensorflow(probs, presence):
        weights = presence / tf.reduce_sum(presence, axis=1, keepdims=True)
        return tf.einsum("nm,nmc->nc", weights, probs)

    _check(fusion.late_fusion_mean, with_tensorflow, "correct")


def _product(probs, presence):
    log_p = np.sum(np.log(np.clip(probs, 1e-7, 1.0)) * presence[..., None], axis=1)
    p = np.exp(log_p - log_p.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("answer, hint", [
    (lambda probs, presence: np.mean(probs, axis=1), "A missing modality got a weight"),
    (lambda probs, presence: np.sum(probs * presence[..., None], axis=1) / 3,
     "You divided by M"),
    (lambda probs, presence: np.sum(probs * presence[..., None], axis=1),
     "That is a sum of probabilities"),
    (_product, "That is the product of the probabilities"),
])
def test_late_fusion_mean_names_the_mistake(answer, hint):
    assert hint in _check(fusion.late_fusion_mean, answer)


def test_late_fusion_mean_blank_is_not_attempted_and_a_raising_answer_is_incorrect():
    def blank(probs, presence):
        weights = ____
        return weights

    _check(fusion.late_fusion_mean, blank, "not_attempted")
    message = _check(fusion.late_fusion_mean, lambda probs, presence: probs @ presence)
    assert "Your function raised" in message


def test_late_fusion_mean_wrong_axis_gets_the_expected_shape():
    message = _check(fusion.late_fusion_mean, lambda probs, presence: probs.mean(axis=2))
    assert "(N, C)" in message


# ---- concatenation_head_parameters -------------------------------------------------------------

def test_concatenation_head_parameters_counts_what_keras_counts():
    head = keras.Sequential([keras.Input((3 * 32 + 3,)), keras.layers.Dense(64),
                             keras.layers.Dense(10)])
    assert fusion.concatenation_head_parameters.value == head.count_params()
    _check(fusion.concatenation_head_parameters, head.count_params(), "correct")


@pytest.mark.parametrize("answer, hint", [
    (3 * 32 * 64 + 64 + 64 * 10 + 10, "You left out the presence flags"),
    (99 * 64 + 64 * 10, "Each unit has a bias too"),
    (99 * 64 + 64, "That is the hidden layer alone"),
])
def test_concatenation_head_parameters_names_the_mistake(answer, hint):
    assert hint in _check(fusion.concatenation_head_parameters, answer)


def test_concatenation_head_parameters_blank_and_non_numbers():
    _check(fusion.concatenation_head_parameters, ____, "not_attempted")
    assert "Pass one number" in _check(fusion.concatenation_head_parameters, "many")


# ---- confident_mistake -----------------------------------------------------------------------

def test_confident_mistake_wants_the_mean_and_explains_the_veto():
    _check(fusion.confident_mistake, "b", "correct")
    assert "vetoes the true class" in _check(fusion.confident_mistake, "a")
    assert "Compute the mean" in _check(fusion.confident_mistake, "d")
    _check(fusion.confident_mistake, ____, "not_attempted")
