"""The exercises of mmtutor.exercises.fusion: early and late fusion, a missing modality."""

import pytest

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
