"""The exercises of mmtutor.exercises.interpretability: saliency, ablation, scaling, deletion."""

import numpy as np
import pytest
from judging import check

from mmtutor.exercises import ____, interpretability


def softmax(scores):
    exps = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)


def finite_difference_saliency(x, weights, bias, labels, step=1e-6):
    """|d p_y / d x| by central differences, one input feature at a time."""
    rows = np.arange(len(x))
    gradient = np.zeros_like(x)
    for j in range(x.shape[1]):
        shift = np.zeros_like(x)
        shift[:, j] = step
        up = softmax((x + shift) @ weights + bias)[rows, labels]
        down = softmax((x - shift) @ weights + bias)[rows, labels]
        gradient[:, j] = (up - down) / (2 * step)
    return np.abs(gradient)


def test_linear_saliency_reference_matches_finite_differences():
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(4, 5)), rng.normal(size=(5, 3)), rng.normal(size=3)
    y = np.array([0, 2, 1, 2])
    np.testing.assert_allclose(interpretability.solution_linear_saliency(x, w, b, y),
                               finite_difference_saliency(x, w, b, y), atol=1e-7)


def test_linear_saliency_accepts_the_reference_solution():
    check(interpretability.linear_saliency, interpretability.solution_linear_saliency,
          "correct")


def test_linear_saliency_blank_is_not_attempted():
    def saliency(x, weights, bias, labels):
        return ____

    check(interpretability.linear_saliency, saliency, "not_attempted")


def test_linear_saliency_reports_an_answer_that_raises():
    def saliency(x, weights, bias, labels):
        raise RuntimeError("shapes do not match")

    assert "shapes do not match" in check(interpretability.linear_saliency, saliency)


def signed(x, weights, bias, labels):
    p = softmax(x @ weights + bias)
    p_y = p[np.arange(len(x)), labels]
    return p_y[:, None] * (weights[:, labels].T - p @ weights.T)


def without_max(x, weights, bias, labels):
    exps = np.exp(x @ weights + bias)
    p = exps / exps.sum(axis=1, keepdims=True)
    p_y = p[np.arange(len(x)), labels]
    return np.abs(p_y[:, None] * (weights[:, labels].T - p @ weights.T))


@pytest.mark.parametrize("answer, hint", [
    (lambda x, w, b, y: np.abs(w[:, y].T), "gradient of its score"),
    (lambda x, w, b, y: np.abs(w[:, y].T - softmax(x @ w + b) @ w.T), "left out the factor p_y"),
    (lambda x, w, b, y: np.abs(signed(x, w, b, (x @ w + b).argmax(axis=1))), "predicted class"),
    (signed, "absolute value of the gradient"),
    (lambda x, w, b, y: np.abs(signed(x, w, b, y))
     / np.abs(signed(x, w, b, y)).max(axis=1, keepdims=True), "divided each example's"),
    (without_max, "Subtract each row's largest score before exp"),
])
def test_linear_saliency_names_the_mistake(answer, hint):
    assert hint in check(interpretability.linear_saliency, answer)


def test_ablation_accepts_b_and_explains_the_others():
    check(interpretability.ablation, "b", "correct")
    assert "attention weights" in check(interpretability.ablation, "a")
    assert "single-modality model" in check(interpretability.ablation, "c")
    assert "gradient saliency" in check(interpretability.ablation, "d")
    check(interpretability.ablation, ____, "not_attempted")


def test_scaling_factor_accepts_ten_to_the_minus_alpha():
    check(interpretability.scaling_factor, 0.8395, "correct")
    assert abs(interpretability.scaling_factor.value - 10 ** -0.076) < 1e-12


@pytest.mark.parametrize("answer, hint", [
    (0.924, "a linear guess"),
    (1.191, "The loss grows"),
    (0.1, "alpha = 1"),
    (83.95, "looks like a percentage"),
    ("most of it", "Pass one number"),
])
def test_scaling_factor_names_the_wrong_value(answer, hint):
    assert hint in check(interpretability.scaling_factor, answer)


def test_scaling_factor_blank_is_not_attempted():
    check(interpretability.scaling_factor, ____, "not_attempted")


def test_deletion_experiment_wants_a_lower_accuracy_than_random_deletion():
    q = interpretability.deletion_experiment
    check(q, 0.80, "correct", baseline=0.85)
    assert "ranked the pixels by saliency" in check(q, 0.86, baseline=0.85)
    assert "cannot be right" in check(q, -0.1, baseline=0.85)
    assert "baseline=chapter_value" in check(q, 0.8)
    check(q, ____, "not_attempted")
