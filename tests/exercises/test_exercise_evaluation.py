"""The exercises of mmtutor.exercises.evaluation: macro-F1 in code and by hand."""

import numpy as np
import pytest
from sklearn.metrics import f1_score

from mmtutor.exercises import ____, _solutions, evaluation


def check(exercise, answer, status="incorrect"):
    result = exercise.check(answer)
    assert result.status == status, result.message
    return result.message


def per_class_f1(y_true, y_pred, num_classes):
    f1 = np.zeros(num_classes)
    for c in range(num_classes):
        tp = np.sum((y_pred == c) & (y_true == c))
        fp = np.sum((y_pred == c) & (y_true != c))
        fn = np.sum((y_pred != c) & (y_true == c))
        f1[c] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return f1


def test_f1_macro_accepts_the_reference_solution():
    check(evaluation.f1_macro, _solutions.f1_macro, "correct")


def test_f1_macro_accepts_scikit_learn_with_every_label():
    check(evaluation.f1_macro, lambda t, p, c: f1_score(t, p, labels=range(c), average="macro",
                                                        zero_division=0), "correct")


@pytest.mark.parametrize("answer", [
    # leaves out a class absent from both arrays instead of counting its F1 as 0
    lambda t, p, c: per_class_f1(t, p, c)[np.union1d(t, p)].mean(),
    lambda t, p, c: f1_score(t, p, average="macro", zero_division=0),
])
def test_f1_macro_names_absent_classes_left_out(answer):
    assert "absent from both y_true and y_pred counts as F1 = 0" in check(evaluation.f1_macro,
                                                                          answer)


def test_f1_macro_names_the_nan_of_a_zero_division():
    def f1(y_true, y_pred, num_classes):
        scores = []
        for c in range(num_classes):
            tp = np.sum((y_pred == c) & (y_true == c))
            precision = tp / np.sum(y_pred == c)
            recall = tp / np.sum(y_true == c)
            scores.append(2 * precision * recall / (precision + recall))
        return np.mean(scores)

    assert "0/0" in check(evaluation.f1_macro, f1)


def f1_of_means(y_true, y_pred, num_classes):
    classes = np.arange(num_classes)[:, None]
    tp = np.sum((y_pred == classes) & (y_true == classes), axis=1)
    precision = np.mean(tp / np.maximum(np.sum(y_pred == classes, axis=1), 1))
    recall = np.mean(tp / np.maximum(np.sum(y_true == classes, axis=1), 1))
    return 2 * precision * recall / (precision + recall)


@pytest.mark.parametrize("answer, hint", [
    (lambda t, p, c: np.mean(t == p), "You computed accuracy"),
    (f1_of_means, "F1 of the averaged precision and recall"),
    (lambda t, p, c: f1_score(t, p, labels=range(c), average="weighted", zero_division=0),
     "weighted the classes by their support"),
])
def test_f1_macro_names_the_mistake(answer, hint):
    assert hint in check(evaluation.f1_macro, answer)


def test_f1_macro_wants_one_number():
    message = check(evaluation.f1_macro, per_class_f1)
    assert "single number (shape ())" in message


def test_macro_f1_by_hand_accepts_the_value_within_its_tolerance():
    check(evaluation.macro_f1_by_hand, 0.656, "correct")
    check(evaluation.macro_f1_by_hand, "0.6559", "correct")
    assert abs(evaluation.macro_f1_by_hand.value - 0.65593) < 1e-5


@pytest.mark.parametrize("answer, hint", [
    (0.68, "That is the accuracy"),
    (0.708, "support-weighted F1"),
    (0.723, "F1 of the mean precision and the mean recall"),
    (0.693, "mean precision"),
    (0.756, "mean recall"),
    (65.6, "looks like a percentage"),
    (0.5, "is not within 0.005 of the expected value"),
    ("about two thirds", "Pass one number"),
])
def test_macro_f1_by_hand_names_the_wrong_value(answer, hint):
    assert hint in check(evaluation.macro_f1_by_hand, answer)


def test_macro_f1_by_hand_blank_is_not_attempted():
    check(evaluation.macro_f1_by_hand, ____, "not_attempted")


def test_rare_class_accepts_macro_f1_and_explains_the_others():
    check(evaluation.rare_class, "c", "correct")
    assert "dominated by the frequent class" in check(evaluation.rare_class, "a")
    assert "micro-F1 equals accuracy" in check(evaluation.rare_class, "B")
    assert "0.474" in evaluation.rare_class.solution().message
