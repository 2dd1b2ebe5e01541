"""The generic non-code exercises: MultipleChoice, NumericAnswer and ExperimentAnswer."""

import numpy as np
import pytest

from mmtutor.exercises import ExperimentAnswer, MultipleChoice, NumericAnswer, ____, text


def choice(answer="b"):
    return MultipleChoice(
        "demo.choice", question=text("Which?"),
        options={"a": text("one"), "b": text("two"), "c": text("three")}, answer=answer,
        feedback={"a": text("Not one.")}, explanation=text("Because."))


@pytest.mark.parametrize("answer", ["b", "B", "(b)", " b. ", ["b"]])
def test_multiple_choice_reads_a_letter_however_it_is_written(answer):
    assert choice().check(answer).status == "correct"


@pytest.mark.parametrize("answer, status, hint", [
    ("a", "incorrect", "Not one."),
    ("c", "incorrect", "Option (c) is not the best answer"),
    ("a, b", "incorrect", "Choose one option only"),
    ("e", "incorrect", "Choose among a, b, c"),
    (2, "incorrect", "Choose among a, b, c"),
    ("", "not_attempted", 'e.g. .check("b")'),
    ("____", "not_attempted", 'e.g. .check("b")'),
    (____, "not_attempted", 'e.g. .check("b")'),
])
def test_multiple_choice_explains_every_other_answer(answer, status, hint):
    result = choice().check(answer)
    assert result.status == status and hint in result.message


@pytest.mark.parametrize("answer, status, hint", [
    ("a, c", "correct", ""), (["c", "a"], "correct", ""), ("ac", "correct", ""),
    ("a", "incorrect", "one or more right options are missing"),
    ("a b c", "incorrect", "Option (b) is not the best answer"),
])
def test_multiple_choice_with_several_right_options(answer, status, hint):
    result = choice(answer={"a", "c"}).check(answer)
    assert result.status == status and hint in result.message


def test_multiple_choice_shows_its_options_and_its_solution():
    q = choice()
    assert "(a) one\n(b) two\n(c) three" in repr(q)
    assert "(c) three" in q._repr_html_()
    assert q.solution().message == "The answer is (b) two. Because."


def test_multiple_choice_rejects_an_answer_outside_its_options():
    with pytest.raises(ValueError, match="MultipleChoice expects answer to be among the options"):
        choice(answer="z")


def numeric():
    return NumericAnswer("demo.number", question=text("Mean of 1 and 2?"), value=1.5,
                         tolerance=0.01, mistakes=[(3.0, text("That is the sum."))],
                         working=text("(1 + 2) / 2."))


@pytest.mark.parametrize("answer, status, hint", [
    (1.5, "correct", ""), ("1.505", "correct", ""), (np.float32(1.5), "correct", ""),
    (np.array([1.5]), "correct", ""),
    (3, "incorrect", "That is the sum."),
    (150, "incorrect", "looks like a percentage"),
    (1.7, "incorrect", "1.7 is not within 0.01 of the expected value"),
    (float("nan"), "incorrect", "Your number is nan"),
    ([1.5, 2.0], "incorrect", "Pass one number"),
    (None, "not_attempted", ".check(0.75)"),
])
def test_numeric_answer_checks_within_its_tolerance(answer, status, hint):
    result = numeric().check(answer)
    assert result.status == status and hint in result.message


def test_numeric_answer_solution_shows_the_working_and_the_value():
    assert numeric().solution().message == "(1 + 2) / 2. The answer is 1.5."


@pytest.mark.parametrize("expect, options, measured, baseline, status", [
    ("lower", {}, 0.7, 0.8, "correct"),
    ("lower", {"margin": 0.05}, 0.77, 0.8, "incorrect"),
    ("higher", {}, 0.85, 0.8, "correct"),
    ("higher", {}, 0.8, 0.8, "incorrect"),
    ("similar", {"margin": 0.02}, 0.81, 0.8, "correct"),
    ("similar", {"margin": 0.02}, 0.9, 0.8, "incorrect"),
    ("within", {"band": (0.6, 0.7)}, 0.65, None, "correct"),
    ("within", {"band": (0.6, 0.7)}, 0.75, None, "incorrect"),
    ("lower", {"baseline": 0.8}, 0.7, None, "correct"),
])
def test_experiment_answer_checks_a_direction_or_a_band(expect, options, measured, baseline,
                                                        status):
    q = ExperimentAnswer("demo.experiment", question=text("Measure."), expect=expect, **options)
    assert q.check(measured, baseline=baseline).status == status


def test_experiment_answer_says_what_it_expected():
    q = ExperimentAnswer("demo.experiment", question=text("Measure."), expect="higher")
    message = q.check(0.8, baseline=0.82).message
    assert message.startswith("You measured 0.8, which is not higher than the baseline 0.82")
    assert "[0.6, 0.7]" in ExperimentAnswer(
        "demo.band", question=text("Measure."), expect="within", band=(0.6, 0.7)).check(
        0.9).message


def test_experiment_answer_rejects_a_band_without_within():
    with pytest.raises(ValueError, match="band=\\(low, high\\) exactly when expect='within'"):
        ExperimentAnswer("demo", question=text("?"), expect="lower", band=(0, 1))
    with pytest.raises(ValueError, match="expect to be one of"):
        ExperimentAnswer("demo", question=text("?"), expect="down")


def test_experiment_answer_takes_the_baseline_by_position_and_names_its_margin():
    q = ExperimentAnswer("demo", question=text("?"), expect="lower", margin=0.05)
    assert q.check(0.7, 0.8).status == "correct"
    assert "not lower than the baseline 0.8 by more than 0.05." in q.check(0.78, 0.8).message
