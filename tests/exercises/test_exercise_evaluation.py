"""The exercises of mmtutor.exercises.evaluation: standardizing, precision, recall, macro-F1."""

import numpy as np
import pytest
from judging import check
from sklearn.metrics import f1_score

from mmtutor.exercises import ____, _solutions, evaluation


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


def log_mel(rng, n, frames, bins, shift=0.0):
    return rng.normal(0, 2, size=bins) + shift + rng.normal(size=(n, frames, bins))


def test_standardize_reference_matches_keras_normalization():
    import keras

    rng = np.random.default_rng(0)
    train, test = log_mel(rng, 12, 7, 4), log_mel(rng, 3, 7, 4, shift=1.0)
    layer = keras.layers.Normalization(axis=-1)
    layer.adapt(train.astype("float32"))
    np.testing.assert_allclose(evaluation.standardize_reference(train, test),
                               np.asarray(layer(test.astype("float32"))), atol=1e-4)


def test_standardize_log_mel_accepts_the_reference_solution():
    check(evaluation.standardize_log_mel, evaluation.solution_standardize_log_mel, "correct")


def test_standardize_log_mel_blank_is_not_attempted_and_an_error_is_incorrect():
    check(evaluation.standardize_log_mel, lambda train, x: ____, "not_attempted")

    def broken(train_audio, audio):
        return (audio - train_audio.mean(axis=(0, 2))) / 1.0  # (frames,) against bins

    assert "raised" in check(evaluation.standardize_log_mel, broken)


@pytest.mark.parametrize("answer, hint", [
    (lambda train, x: x / train.max(), "divided by the maximum"),
    (lambda train, x: (x - train.min(axis=(0, 1))) / (train.max(axis=(0, 1))
                                                      - train.min(axis=(0, 1))),
     "min-max scaling"),
    (lambda train, x: (x - x.mean(axis=(0, 1))) / x.std(axis=(0, 1)),
     "statistics on the split you transform"),
    (lambda train, x: (x - train.mean()) / train.std(), "one mean and one standard deviation"),
    (lambda train, x: (x - x.mean(axis=-1, keepdims=True)) / x.std(axis=-1, keepdims=True),
     "Wrong axis"),
    (lambda train, x: x - train.mean(axis=(0, 1)), "did not divide"),
    (lambda train, x: (x - train.mean(axis=(0, 1))) / train.std(axis=(0, 1), ddof=1),
     "population standard deviation"),
])
def test_standardize_log_mel_names_the_mistake(answer, hint):
    assert hint in check(evaluation.standardize_log_mel, answer)


def test_precision_recall_accepts_the_solution_and_scikit_learn():
    from sklearn.metrics import precision_recall_fscore_support

    check(evaluation.precision_recall, evaluation.solution_precision_recall, "correct")
    check(evaluation.precision_recall, lambda t, p, c: precision_recall_fscore_support(
        t, p, labels=range(c), zero_division=0)[:2], "correct")


def test_precision_recall_blank_is_not_attempted():
    check(evaluation.precision_recall, lambda t, p, c: (____, ____), "not_attempted")


def swapped(y_true, y_pred, num_classes):
    precision, recall = evaluation.solution_precision_recall(y_true, y_pred, num_classes)
    return recall, precision


def over_n(y_true, y_pred, num_classes):
    tp = np.array([np.sum((y_pred == c) & (y_true == c)) for c in range(num_classes)])
    return tp / len(y_true), tp / len(y_true)


def unguarded(y_true, y_pred, num_classes):
    classes = np.arange(num_classes)[:, None]
    tp = np.sum((y_pred == classes) & (y_true == classes), axis=1)
    return tp / np.sum(y_pred == classes, axis=1), tp / np.sum(y_true == classes, axis=1)


@pytest.mark.parametrize("answer, hint", [
    (swapped, "Precision and recall are swapped"),
    (over_n, "number of examples N"),
    (unguarded, "Count it as 0"),
    (lambda t, p, c: evaluation.solution_precision_recall(t, p, c)[0], "Return 2 values"),
])
def test_precision_recall_names_the_mistake(answer, hint):
    assert hint in check(evaluation.precision_recall, answer)


def test_missing_audio_experiment_wants_the_dropout_model_higher():
    q = evaluation.missing_audio_experiment
    check(q, 0.80, "correct", baseline=0.60)
    assert "marked absent in both" in check(q, 0.55, baseline=0.60)
    assert "looks like a percentage" in check(q, 80, baseline=0.60)
    check(q, ____, "not_attempted")
