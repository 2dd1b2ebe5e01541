"""The machinery shared by every exercise: results, hints, solutions, blanks, languages."""

import functools

import numpy as np
import pytest

from mmtutor import exercises
from mmtutor.exercises import (
    Case,
    CodeExercise,
    Mistake,
    PlaceholderError,
    Result,
    ____,
    _solutions,
    evaluation,
    formulas,
    set_language,
    shared_representations,
    text,
)


def double(x):
    return 2 * x


def make_exercise(**overrides):
    options = dict(
        reference=lambda x: 2 * x, solution=double, outputs={"y": "(N,)"},
        cases=[Case(text("a vector", "一个向量"), (np.arange(3.0),)),
               Case(text("an empty vector"), (np.zeros(0),))],
        mistakes=[Mistake(text("Multiply by 2, do not add 2.", "要乘以 2，不是加 2。"),
                          same_as=lambda x: x + 2)],
        hints=[text("Scale it.", "缩放它。"), text("Multiply by two.")],
        remark=text("Doubling <works>.", "加倍 <有效>。"))
    options.update(overrides)
    return CodeExercise("demo.double", **options)


# ---- results and their rendering ----------------------------------------------------------

@pytest.mark.parametrize("status, title, symbol", [
    ("correct", "Correct", "✓"), ("incorrect", "Not yet correct", "✗"),
    ("not_attempted", "Not attempted yet", "…")])
def test_result_renders_as_html_and_as_text(status, title, symbol):
    result = Result(status, "a < b & c", exercise="demo.q")
    page = result._repr_html_()
    assert f'class="mmtutor-exercise mmtutor-{status}"' in page and 'lang="en"' in page
    assert "a &lt; b &amp; c" in page and title in page and "demo.q" in page
    assert str(result) == repr(result) == f"{symbol} {title} [demo.q]: a < b & c"


def test_result_rejects_an_unknown_status():
    with pytest.raises(ValueError, match="Result expects status to be one of"):
        Result("maybe", "?")


def test_correct_result_carries_the_remark():
    result = make_exercise().check(double)
    assert result.status == "correct" and result.correct
    assert result.message == "Doubling <works>."
    assert "Doubling &lt;works&gt;." in result._repr_html_()


def test_incorrect_result_names_the_mistake_and_the_case():
    result = make_exercise().check(lambda x: x + 2)
    assert not result.correct
    assert result.message.splitlines() == [
        "Multiply by 2, do not add 2.",
        "(Checked on a vector (x (3,)): expected [0. 2. 4.], got [2. 3. 4.].)"]


def test_chinese_results_carry_lang_zh_and_fall_back_to_english():
    set_language("zh")
    exercise = make_exercise()
    result = exercise.check(lambda x: x + 2)
    assert result.message.startswith("要乘以 2，不是加 2。")
    assert 'lang="zh"' in result._repr_html_() and "还不对" in str(result)
    hint = exercise.hint(2)  # no Chinese text yet: English, marked as such
    assert hint.message.startswith("Multiply by two.") and 'lang="en"' in hint._repr_html_()


def test_set_language_rejects_an_unknown_language():
    with pytest.raises(ValueError, match="set_language expects lang to be one of 'en', 'zh'"):
        set_language("fr")
    assert exercises.get_language() == "en"


# ---- hints and solutions ------------------------------------------------------------------

def test_hints_come_one_stage_per_call_and_stop_at_the_last():
    exercise = make_exercise()
    first, second, again = exercise.hint(), exercise.hint(), exercise.hint()
    assert (first.number, first.total, first.message) == (1, 2, "Scale it.")
    assert second.message.startswith("Multiply by two.") and "last hint" in second.message
    assert again.number == 2
    assert exercise.hint(1).message == "Scale it."
    assert "Hint 1 of 2" in str(first) and "Hint 1 of 2" in first._repr_html_()
    exercise.reset_hints()
    assert exercise.hint().number == 1


def test_hint_of_an_exercise_without_hints_points_to_the_solution():
    hint = make_exercise(hints=()).hint()
    assert ".solution()" in hint.message and str(hint).startswith("? Hint [demo.double]")


def test_solution_shows_the_source_of_the_reference_solution():
    solution = formulas.cross_entropy.solution()
    assert solution.code.startswith("def cross_entropy(y_true, y_prob):")
    page = solution._repr_html_()
    assert '<pre' in page and "def cross_entropy(y_true, y_prob):" in page
    assert "np.clip" in str(solution)


# ---- blanks -----------------------------------------------------------------------------------

def uses_blank_through_a_helper(x):
    return helper_with_blank(x)


def helper_with_blank(x):
    return x * ____  # raises PlaceholderError when called


def helper_returning_blank(x):
    return ____


def closure_over_blank():
    blank = ____
    return lambda x: blank


class CallableAnswer:
    def __call__(self, x):
        return ____


@pytest.mark.parametrize("answer", [
    None, ____, lambda x: ____, lambda x: [____ for _ in x], closure_over_blank(),
    functools.partial(lambda x, k: k * x, k=____), CallableAnswer(),
    uses_blank_through_a_helper, lambda x: helper_returning_blank(x),
    lambda x, k=____: x,
])
def test_an_answer_with_blanks_left_is_not_attempted(answer):
    result = make_exercise().check(answer)
    assert result.status == "not_attempted" and "____" in result.message


def test_using_the_blank_as_a_value_raises_placeholder_error():
    with pytest.raises(PlaceholderError, match="is a blank to fill in"):
        ____ + 1
    with pytest.raises(PlaceholderError):
        np.log(____)
    assert repr(____) == "____"


# ---- the checker never raises on an answer ----------------------------------------------------

def generator_answer(x):
    yield 2 * x


@pytest.mark.parametrize("answer, hint", [
    (3.0, "Pass your function itself"),
    ("double", "Pass your function itself"),
    (lambda: 0, "TypeError"),
    (lambda x: None, "forget the `return` line"),
    (lambda x: "twice x", "could not be read as numbers"),
    (lambda x: {"y": x}, "could not be read as numbers"),
    (generator_answer, "could not be read as numbers"),
    (lambda x: x[5], "IndexError"),
    (lambda x: np.full(len(x), np.nan), "NaN or infinity"),
    (lambda x: 2 * x[:-1],
     "Expected y of shape (N,), here (3,); your function returned shape (2,)"),
])
def test_a_broken_answer_is_incorrect_never_an_exception(answer, hint):
    result = make_exercise().check(answer)
    assert result.status == "incorrect" and hint in result.message


def test_an_answer_that_changes_its_inputs_does_not_change_the_cases():
    def in_place(x):
        x *= 2
        return x

    exercise = make_exercise()
    assert exercise.check(in_place).status == "correct"
    assert exercise.check(double).status == "correct"
    np.testing.assert_array_equal(exercise.cases[0].args[0], [0.0, 1.0, 2.0])


def test_a_case_hint_explains_a_failure_no_mistake_explains():
    exercise = make_exercise(cases=[
        Case(text("a vector"), (np.arange(3.0),)),
        Case(text("a big vector"), (np.full(2, 1e6),), hint=text("Mind large inputs."))])
    result = exercise.check(lambda x: np.minimum(2 * x, 10.0))
    assert result.message.startswith("Mind large inputs.")


def test_a_wrong_answer_without_a_known_mistake_gets_the_generic_hint_and_values():
    result = make_exercise().check(lambda x: 3 * x)
    assert result.message.startswith("Your values differ from the reference. .hint()")
    assert "expected [0. 2. 4.], got [0. 3. 6.]" in result.message


def test_a_mistake_takes_exactly_one_test():
    with pytest.raises(ValueError, match="exactly one of same_as and when"):
        Mistake(text("?"))


# ---- every code exercise of the book -----------------------------------------------------

CODE_EXERCISES = [
    (formulas.autoencoder_loss, _solutions.autoencoder_loss),
    (formulas.cross_entropy, _solutions.cross_entropy),
    (formulas.sequence_cross_entropy, _solutions.sequence_cross_entropy),
    (formulas.attention_pool, _solutions.attention_pool),
    (evaluation.f1_macro, _solutions.f1_macro),
    (shared_representations.info_nce, _solutions.info_nce),
]


@pytest.mark.parametrize("exercise, solution", CODE_EXERCISES, ids=lambda x: getattr(x, "name", ""))
def test_every_code_exercise_judges_solution_blank_and_exception(exercise, solution):
    def raises(*args):
        raise ZeroDivisionError("my own message")

    def blank(*args):
        return ____

    assert exercise.check(solution).status == "correct"
    assert exercise.check(blank).status == "not_attempted"
    assert exercise.check(lambda *args: ____).status == "not_attempted"
    result = exercise.check(raises)
    assert result.status == "incorrect"
    assert "ZeroDivisionError: my own message" in result.message
    assert exercise.solution().code.startswith(f"def {solution.__name__}(")


def test_results_hints_and_solutions_carry_every_language_and_show_the_chosen_one(capsys):
    from mmtutor.exercises import formulas

    def noisy(x, x_hat):
        print("debugging")
        return np.mean((x - x_hat) ** 2)

    result = formulas.autoencoder_loss.check(noisy)
    assert capsys.readouterr().out.count("debugging") >= 1  # the learner's own run prints
    twin = result.translations["zh"]
    assert twin.status == result.status == "incorrect" and twin.lang == "zh"
    page = result._repr_html_()
    assert 'data-lang="en"' in page and 'data-lang="zh"' in page and "还不对" in page
    assert ".mmtutor-i18n>[data-lang='en']{display:block}" in page
    assert "html[lang^='zh'] .mmtutor-i18n>[data-lang='zh']{display:block}" in page
    hint = formulas.autoencoder_loss.hint()
    assert hint.number == hint.translations["zh"].number == 1 and "提示" in str(
        hint.translations["zh"])
    assert formulas.autoencoder_loss.hint().number == 2  # asked once, counted once
    exercises.set_language("zh")
    solution = formulas.autoencoder_loss.solution()
    assert solution.lang == "zh" and solution.translations["en"].lang == "en"
    assert ".mmtutor-i18n>[data-lang='zh']{display:block}" in solution._repr_html_()


def test_a_learner_function_prints_once_per_check(capsys):
    from mmtutor.exercises import formulas

    calls = []

    def counted(x, x_hat):
        calls.append(1)
        print("called")
        return np.mean(np.sum((x - x_hat) ** 2, axis=tuple(range(1, x.ndim))))

    assert formulas.autoencoder_loss.check(counted).status == "correct"
    printed = capsys.readouterr().out.count("called")
    assert printed == len(calls) // 2  # run in each language, printed in one
