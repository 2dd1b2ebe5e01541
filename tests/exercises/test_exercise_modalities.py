"""The exercises of mmtutor.exercises.modalities: late fusion, shared spaces, the challenges.

The wrong answers are written here as a learner would write them, independently of the
mistake functions inside the package.
"""

import numpy as np
import pytest
from judging import check

from mmtutor.exercises import ExperimentAnswer, MultipleChoice, ____, modalities


def unit_rows(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


# ---- late_fusion_mean ------------------------------------------------------------------------

def test_late_fusion_mean_accepts_the_reference_solution_and_a_masked_average():
    check(modalities.late_fusion_mean, modalities._mean_solution, "correct")

    def masked_average(probabilities, present):
        weights = present[:, :, None] / present.sum(axis=1)[:, None, None]  # (N, M, 1)
        return np.sum(weights * probabilities, axis=1)

    check(modalities.late_fusion_mean, masked_average, "correct")


def test_late_fusion_mean_reference_matches_a_numpy_loop():
    probabilities, present = modalities.late_fusion_mean.cases[1].args
    expected = np.stack([probabilities[n, present[n]].mean(axis=0)
                         for n in range(len(present))])
    np.testing.assert_allclose(modalities.late_fusion_mean.expected(1)[0], expected, atol=1e-6)


@pytest.mark.parametrize("answer, hint", [
    (lambda p, present: p.mean(axis=1), "A missing modality was averaged in"),
    (lambda p, present: np.sum(p * present[:, :, None], axis=1) / p.shape[1],
     "You divided by the number of modalities M"),
    (lambda p, present: np.sum(p * present[:, :, None], axis=1), "without dividing"),
    (lambda p, present: np.exp(np.log(p).sum(axis=1))
     / np.exp(np.log(p).sum(axis=1)).sum(axis=1, keepdims=True), "normalized product"),
])
def test_late_fusion_mean_names_the_mistake(answer, hint):
    assert hint in check(modalities.late_fusion_mean, answer)


def test_late_fusion_mean_names_the_shape_when_averaging_over_the_classes():
    message = check(modalities.late_fusion_mean, lambda p, present: p.mean(axis=2))
    assert "of shape (N, C)" in message


# ---- late_fusion_product ---------------------------------------------------------------------

def test_late_fusion_product_accepts_the_reference_solution_and_a_clipped_log():
    check(modalities.late_fusion_product, modalities._product_solution, "correct")

    def clipped(probabilities, present):
        log_p = np.log(np.clip(probabilities, 1e-12, 1.0)) * present[:, :, None]
        scores = log_p.sum(axis=1)
        exps = np.exp(scores - scores.max(axis=1, keepdims=True))
        return exps / exps.sum(axis=1, keepdims=True)

    check(modalities.late_fusion_product, clipped, "correct")


def test_late_fusion_product_reference_is_the_normalized_product():
    probabilities, present = modalities.late_fusion_product.cases[1].args
    product = np.prod(np.where(present[:, :, None], probabilities, 1.0), axis=1)
    np.testing.assert_allclose(modalities.late_fusion_product.expected(1)[0],
                               product / product.sum(axis=1, keepdims=True), atol=1e-9)


def test_late_fusion_product_gives_zero_to_a_class_one_modality_rules_out():
    probabilities, present = modalities.late_fusion_product.cases[4].args
    ruled_out = np.any((probabilities == 0) & present[:, :, None], axis=1)  # (N, C)
    assert ruled_out.any()
    assert np.all(modalities.late_fusion_product.expected(4)[0][ruled_out] == 0)


def product_of(p, present):
    return np.prod(np.where(present[:, :, None], p, 1.0), axis=1)


@pytest.mark.parametrize("answer, hint", [
    (product_of, "do not sum to 1"),
    (lambda p, present: np.prod(p, axis=1) / np.prod(p, axis=1).sum(axis=1, keepdims=True),
     "A missing modality was multiplied in"),
    (lambda p, present: p.mean(axis=1), "That is the mean of the probabilities"),
    (lambda p, present: np.exp(np.mean(np.log(np.clip(p, 1e-12, 1)), axis=1))
     / np.exp(np.mean(np.log(np.clip(p, 1e-12, 1)), axis=1)).sum(axis=1, keepdims=True),
     "normalized geometric mean"),
])
def test_late_fusion_product_names_the_mistake(answer, hint):
    assert hint in check(modalities.late_fusion_product, answer)


def test_late_fusion_product_names_a_nan_from_a_missing_modality_set_to_zero():
    def zeroed(p, present):
        product = np.prod(np.where(present[:, :, None], p, 0.0), axis=1)
        return product / product.sum(axis=1, keepdims=True)

    assert "must drop out" in check(modalities.late_fusion_product, zeroed)


@pytest.mark.parametrize("exercise", [modalities.late_fusion_mean,
                                      modalities.late_fusion_product,
                                      modalities.cosine_similarity])
def test_code_exercises_placeholder_is_not_attempted_and_an_exception_is_incorrect(exercise):
    check(exercise, ____, "not_attempted")
    check(exercise, lambda a, b: ____, "not_attempted")

    def raises(a, b):
        raise ValueError("operands could not be broadcast")

    assert "ValueError: operands could not be broadcast" in check(exercise, raises)


# ---- cosine_similarity -----------------------------------------------------------------------

def test_cosine_similarity_accepts_the_reference_solution_and_einsum():
    check(modalities.cosine_similarity, modalities._cosine_solution, "correct")
    check(modalities.cosine_similarity,
          lambda q, c: np.einsum("id,jd->ij", unit_rows(q), unit_rows(c)), "correct")


@pytest.mark.parametrize("answer, hint", [
    (lambda q, c: q @ c.T, "That is the dot product"),
    (lambda q, c: (q / np.linalg.norm(q, axis=0)) @ (c / np.linalg.norm(c, axis=0)).T,
     "You normalized the columns"),
    (lambda q, c: unit_rows(q) @ c.T, "Only the queries were normalized"),
    (lambda q, c: q @ unit_rows(c).T, "Only the candidates were normalized"),
])
def test_cosine_similarity_names_the_mistake(answer, hint):
    assert hint in check(modalities.cosine_similarity, answer)


def test_cosine_similarity_names_a_transposed_matrix():
    message = check(modalities.cosine_similarity, lambda q, c: unit_rows(c) @ unit_rows(q).T)
    assert "your function returned shape (5, 3)" in message


# ---- numbers and choices ---------------------------------------------------------------------

@pytest.mark.parametrize("wrong, hint", [
    (0.06, "the share both get wrong"),
    (0.56, "the share both get right"),
    (0.75, "the mean of the two accuracies"),
    (94, "looks like a percentage"),
])
def test_independent_errors_accepts_094_and_names_the_wrong_values(wrong, hint):
    check(modalities.independent_errors, 0.94, "correct")
    assert hint in check(modalities.independent_errors, wrong)
    check(modalities.independent_errors, ____, "not_attempted")


def test_cca_directions_is_nine_not_ten():
    check(modalities.cca_directions, 9, "correct")
    assert "centered means are linearly dependent" in check(modalities.cca_directions, 10)
    assert "chance correlations" in check(modalities.cca_directions, 64)
    check(modalities.cca_directions, ____, "not_attempted")


@pytest.mark.parametrize("exercise, right, wrong, hint", [
    (modalities.liang_quantification, "f", "e", "taken away, not transferred"),
    (modalities.liang_transference, "e", "a", "whether knowledge learned on one modality"),
])
def test_liang_questions_accept_the_answer_and_explain_a_wrong_one(exercise, right, wrong,
                                                                   hint):
    check(exercise, right, "correct")
    assert hint in check(exercise, wrong)
    check(exercise, ____, "not_attempted")


def test_liang_transference_solution_names_co_learning():
    assert "co-learning" in modalities.liang_transference.solution().message


# ---- experiments -----------------------------------------------------------------------------

def test_broken_image_experiment_wants_the_product_below_the_mean():
    q = modalities.broken_image_experiment
    assert q.check(0.35, baseline=0.45).status == "correct"
    assert "only the images were shuffled" in q.check(0.47, baseline=0.45).message
    assert "baseline=" in q.check(0.35).message  # the mean's accuracy is required


def test_cca_directions_experiment_wants_a_drop_of_more_than_two_points():
    q = modalities.cca_directions_experiment
    assert q.check(0.29, baseline=0.36).status == "correct"
    assert "20 directions" in q.check(0.35, baseline=0.36).message
    assert "looks like a percentage" in q.check(29, baseline=0.36).message


# ---- languages -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", modalities.__all__)
def test_every_text_has_english_and_chinese(name):
    exercise = getattr(modalities, name)
    texts = [exercise.question, exercise.remark, *exercise.hints]
    for mistake in getattr(exercise, "mistakes", ()):  # Mistake objects, or (value, hint) pairs
        texts.append(mistake.hint if hasattr(mistake, "hint") else mistake[1])
    if isinstance(exercise, MultipleChoice):
        texts += list(exercise.feedback.values())  # letter -> text
    elif isinstance(exercise, ExperimentAnswer):
        texts.append(exercise.feedback)
    for item in texts:
        assert item["en"].strip() and item["zh"].strip(), item


def test_a_wrong_answer_is_explained_in_chinese():
    from mmtutor.exercises import set_language

    set_language("zh")
    try:
        message = check(modalities.late_fusion_mean, lambda p, present: p.mean(axis=1))
    finally:
        set_language("en")
    assert "把缺失的模态也平均进去了" in message
