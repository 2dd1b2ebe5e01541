"""The exercises of mmtutor.exercises.scale: the gathered InfoNCE, negatives, precision, XLA.

The wrong answers are written here as a learner would write them, independently of the
mistake functions inside the package.
"""

import numpy as np
import pytest
import tensorflow as tf
from judging import check as _check

from mmtutor.exercises import ____, scale
from mmtutor.losses import info_nce


def _normalized(x):
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def _symmetric_info_nce(a, b, temperature):
    logits = a @ b.T / temperature
    rows = tf.nn.log_softmax(logits, axis=1).numpy()
    columns = tf.nn.log_softmax(logits, axis=0).numpy()
    return np.mean(-0.5 * (np.diag(rows) + np.diag(columns)))


# ---- gathered_info_nce -----------------------------------------------------------------------

def test_gathered_reference_is_info_nce_of_the_concatenated_batch():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 3, 4))
    expected = float(info_nce(np.concatenate(a), np.concatenate(b), temperature=0.5))
    assert scale._gathered_reference(a, b, 0.5) == pytest.approx(expected, rel=1e-6)


def test_gathered_reference_exceeds_the_local_losses_here():
    # Three replicas of one pair each: locally a pair has no negative and its loss is 0.
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(3, 1, 4)), rng.normal(size=(3, 1, 4))
    assert scale._gathered_reference(a, b, 0.3) > 0.1
    np.testing.assert_allclose(scale._local(a, b, 0.3), 0.0, atol=1e-12)


def test_gathered_info_nce_accepts_the_reference_solution_and_a_tensorflow_answer():
    q = scale.gathered_info_nce
    _check(q, q.solution_function, "correct")

    def with_tensorflow(a, b, temperature):
        a = tf.math.l2_normalize(tf.reshape(a, (-1, a.shape[-1])), axis=1)
        b = tf.math.l2_normalize(tf.reshape(b, (-1, b.shape[-1])), axis=1)
        return _symmetric_info_nce(a.numpy(), b.numpy(), temperature)

    _check(q, with_tensorflow, "correct")


def _local_mean(a, b, temperature):
    return np.mean([_symmetric_info_nce(_normalized(x), _normalized(y), temperature)
                    for x, y in zip(a, b, strict=True)])


def _local_sum(a, b, temperature):
    return np.sum([_symmetric_info_nce(_normalized(x), _normalized(y), temperature)
                   for x, y in zip(a, b, strict=True)])


def _not_normalized(a, b, temperature):
    return _symmetric_info_nce(np.concatenate(a), np.concatenate(b), temperature)


@pytest.mark.parametrize("answer, hint", [
    (_local_mean, "WITHOUT the gather"),
    (_local_sum, "You summed the replicas' local losses"),
    (_not_normalized, "The embeddings are not normalized"),
])
def test_gathered_info_nce_names_the_mistake(answer, hint):
    assert hint in _check(scale.gathered_info_nce, answer)


def test_gathered_info_nce_placeholder_and_raising_answer():
    def blank(a, b, temperature):
        return ____

    _check(scale.gathered_info_nce, blank, "not_attempted")

    def raises(a, b, temperature):
        raise RuntimeError("no gather here")

    assert "no gather here" in _check(scale.gathered_info_nce, raises)


def test_gathered_info_nce_names_overflow_for_huge_logits():
    def no_max_subtracted(a, b, temperature):
        a = _normalized(np.concatenate(a))
        b = _normalized(np.concatenate(b))
        e = np.exp(a @ b.T / temperature)
        rows = np.diag(e) / e.sum(axis=1)
        columns = np.diag(e) / e.sum(axis=0)
        return np.mean(-0.5 * (np.log(rows) + np.log(columns)))

    assert "log-sum-exp" in _check(scale.gathered_info_nce, no_max_subtracted)


# ---- global_negatives ------------------------------------------------------------------------

@pytest.mark.parametrize("answer, hint", [
    (31, "That is without the gather"),
    (256, "its positive: subtract it"),
    (32, "That is one replica's batch"),
    (510, "Count one direction only"),
])
def test_global_negatives_names_the_mistake(answer, hint):
    assert _check(scale.global_negatives, 255, "correct")
    assert hint in _check(scale.global_negatives, answer)


def test_global_negatives_placeholder_is_not_attempted():
    _check(scale.global_negatives, ____, "not_attempted")


# ---- multiple choice -------------------------------------------------------------------------

@pytest.mark.parametrize("exercise, right, wrong, hint", [
    (scale.synchronized_batch_norm, "a", "b", "sums the replicas' gradients"),
    (scale.synchronized_batch_norm, "a", "c", "It is slower"),
    (scale.float32_outputs, "b", "a", "the weights stay float32"),
    (scale.float32_outputs, "b", "c", "XLA compiles float16 softmax fine"),
])
def test_scale_questions_accept_the_answer_and_explain_a_wrong_one(exercise, right, wrong,
                                                                   hint):
    _check(exercise, right, "correct")
    assert hint in _check(exercise, wrong)
    _check(exercise, ____, "not_attempted")


# ---- xla_speedup_experiment ------------------------------------------------------------------

def test_xla_speedup_experiment_wants_the_chapter_value():
    q = scale.xla_speedup_experiment
    assert q.check(1.504, baseline=1.51).status == "correct"
    result = q.check(0.66, baseline=1.51)  # the inverse ratio
    assert result.status == "incorrect" and "examples_per_second" in result.message
    assert q.check(float("nan"), baseline=1.51).status == "incorrect"
    assert q.check(____, baseline=1.51).status == "not_attempted"
