"""Exercises answered with a choice or a number: multiple choice, a computed number, a measurement.

- :class:`MultipleChoice`: a conceptual question, answered with a letter, ``q.check("b")``;
- :class:`NumericAnswer`: a number to compute by hand, checked within a tolerance, with hints
  for the common wrong values;
- :class:`ExperimentAnswer`: a number the learner measured after changing the chapter's code,
  checked against a band or against the chapter's baseline (lower, higher or similar).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

import numpy as np

from mmtutor import _validation as v
from mmtutor.exercises._exercise import Exercise
from mmtutor.exercises._language import text, tr

_CHOOSE = text("Choose among {options}. Received: {got!r}.",
               "请从 {options} 中选择。收到的是：{got!r}。")
_ONE_ONLY = text("Choose one option only.", "只能选一个选项。")
_NOT_THIS = text("Option ({letter}) is not the best answer. .hint() gives a clue.",
                 "选项 ({letter}) 不是最佳答案。.hint() 会给出提示。")
_MISSING = text("Every option you chose is right, but one or more right options are missing.",
                "你选的都对，但还漏了正确的选项。")
_THE_ANSWER = text("The answer is {answer}.", "答案是 {answer}。")
_NOT_A_NUMBER = text("Pass one number, e.g. .check(0.75). Received: {got!r}.",
                     "请传入一个数，例如 .check(0.75)。收到的是：{got!r}。")
_NOT_FINITE = text("Your number is {got}: check for a division by zero.",
                   "你的数是 {got}：检查是否除以了零。")
_NOT_WITHIN = text("{got:.6g} is not within {tolerance:g} of the expected value. .hint() gives "
                   "a clue.", "{got:.6g} 与正确答案的差超过了 {tolerance:g}。.hint() 会给出提示。")
_PERCENT = text("{got:g} looks like a percentage: give the value as a fraction ({fraction:g}).",
                "{got:g} 看起来是百分数：请给出小数形式（{fraction:g}）。")
_OUT_OF_RANGE = text("{got:.6g} cannot be right: the value lies in [{low:g}, {high:g}].",
                     "{got:.6g} 不可能正确：这个值应在 [{low:g}, {high:g}] 之间。")
_NEED_BASELINE = text(
    "Pass the chapter's value too: .check(your_value, baseline=chapter_value).",
    "请同时传入本章的基准值：.check(your_value, baseline=chapter_value)。")
_BY = text(" by more than {margin:g}", "（差距需超过 {margin:g}）")
_EXPECTED = {
    "lower": text(
        "You measured {measured:.4g}, which is not lower than the baseline {baseline:.4g}{by}. "
        "Check that you changed only what the exercise asks and trained again from scratch; "
        "with one seed, noise can hide a small effect, so try two more.",
        "你测得 {measured:.4g}，没有低于基准值 {baseline:.4g}{by}。请确认只改了题目要求的部分"
        "并从头重新训练；只用一个随机种子时噪声可能掩盖较小的效果，再试两个种子。"),
    "higher": text(
        "You measured {measured:.4g}, which is not higher than the baseline {baseline:.4g}{by}. "
        "Check that you changed only what the exercise asks and trained again from scratch; "
        "with one seed, noise can hide a small effect, so try two more.",
        "你测得 {measured:.4g}，没有高于基准值 {baseline:.4g}{by}。请确认只改了题目要求的部分"
        "并从头重新训练；只用一个随机种子时噪声可能掩盖较小的效果，再试两个种子。"),
    "similar": text(
        "You measured {measured:.4g}, more than {margin:g} away from the baseline "
        "{baseline:.4g}. Check that you changed only what the exercise asks.",
        "你测得 {measured:.4g}，与基准值 {baseline:.4g} 相差超过 {margin:g}。"
        "请确认只改了题目要求的部分。"),
    "within": text(
        "You measured {measured:.4g}, outside the expected range [{low:.4g}, {high:.4g}]. "
        "Check that you changed only what the exercise asks and trained again from scratch.",
        "你测得 {measured:.4g}，不在预期范围 [{low:.4g}, {high:.4g}] 内。请确认只改了题目要求的部分"
        "并从头重新训练。"),
}


def _number(answer) -> float | None:
    """``answer`` as a float (a number, a 1-element array or tensor, a numeric string), or None."""
    if answer is None:
        return None
    try:
        array = np.asarray(answer, dtype=np.float64)
    except Exception:
        return None
    return float(array.reshape(())) if array.size == 1 else None


class MultipleChoice(Exercise):
    """A conceptual question answered with the letter of an option: ``q.check("b")``.

    Args:
        name: the exercise's name.
        question: the question, ``{"en": ..., "zh": ...}``.
        options: letter to option text, e.g. ``{"a": text("early fusion"), ...}``.
        answer: the right letter, or a collection of letters when several are right.
        feedback: letter to the hint shown when that wrong option is chosen.
        explanation: why the answer is right (the solution).
        hints, remark: as for every exercise.

    Example:
        >>> q = MultipleChoice("demo", question=text("2 + 2?"),
        ...                    options={"a": text("3"), "b": text("4")}, answer="b",
        ...                    feedback={"a": text("Count again.")})
        >>> q.check("b").status, q.check("(A)").message
        ('correct', 'Count again.')
    """

    _blank_text = text('Pass the letter of your choice, e.g. .check("b").',
                       '传入你选择的字母，例如 .check("b")。')

    def __init__(self, name: str, *, question: Mapping[str, str],
                 options: Mapping[str, Mapping[str, str]], answer: str | Collection[str],
                 feedback: Mapping[str, Mapping[str, str]] | None = None,
                 explanation: Mapping[str, str] | None = None,
                 hints: Sequence[Mapping[str, str]] = (),
                 remark: Mapping[str, str] | None = None):
        super().__init__(name, question=question, hints=hints, remark=remark)
        self.options = {k.lower(): val for k, val in options.items()}
        self.answer = frozenset(a.lower() for a in ([answer] if isinstance(answer, str)
                                                    else answer))
        if not self.answer or not self.answer <= set(self.options):
            raise ValueError(v.message("MultipleChoice", "answer to be among the options",
                                       f"answer={answer!r}", "Name the right option's letter"))
        self.feedback = dict(feedback or {})
        self.explanation = explanation

    def _letters(self, answer) -> list[str] | None:
        items = [answer] if isinstance(answer, str) else answer
        try:
            tokens = [t for item in items for t in re.split(r"[\s,;/]+", item.strip().lower())]
        except (TypeError, AttributeError):
            return None
        tokens = [t.strip("().") for t in tokens if t.strip("().")]
        if len(tokens) == 1 and tokens[0] not in self.options and set(tokens[0]) <= set(
                self.options):
            tokens = list(tokens[0])  # "ac" for a and c
        return tokens

    def _judge(self, answer):
        if isinstance(answer, str) and answer.strip(" _") == "":
            return self._result("not_attempted", self._blank_text)
        letters = self._letters(answer)
        if not letters or not set(letters) <= set(self.options):
            return self._result("incorrect", _CHOOSE, got=answer,
                                options=", ".join(sorted(self.options)))
        chosen = set(letters)
        if chosen == self.answer:
            return self._correct()
        if len(self.answer) == 1 and len(chosen) > 1:
            return self._result("incorrect", _ONE_ONLY)
        wrong = sorted(chosen - self.answer)
        if not wrong:
            return self._result("incorrect", _MISSING)
        return self._result("incorrect", self.feedback.get(wrong[0], _NOT_THIS), letter=wrong[0])

    def _question_text(self) -> str:
        lines = [tr(self.question)] + [f"({k}) {tr(val)}" for k, val in self.options.items()]
        return "\n".join(lines)

    def _solution(self):
        answer = ", ".join(f"({k}) {tr(self.options[k])}" for k in sorted(self.answer))
        explanation = tr(_THE_ANSWER, answer=answer)
        if self.explanation:
            explanation += " " + tr(self.explanation)
        return text(explanation), None


class NumericAnswer(Exercise):
    """A number to compute, e.g. by hand: correct within ``tolerance``.

    Args:
        name: the exercise's name.
        question: the question.
        value: the right value.
        tolerance: the largest accepted absolute difference.
        mistakes: ``(wrong_value, hint)`` pairs for the common wrong values.
        working: how the value is computed (the solution).
        hints, remark: as for every exercise.

    Example:
        >>> q = NumericAnswer("demo", question=text("Mean of 1 and 2?"), value=1.5,
        ...                   mistakes=[(3.0, text("That is the sum: divide by 2."))])
        >>> q.check(1.5).status, q.check(3).message
        ('correct', 'That is the sum: divide by 2.')
    """

    _blank_text = text("Replace ____ with your number, e.g. .check(0.75).",
                       "把 ____ 换成你的数，例如 .check(0.75)。")

    def __init__(self, name: str, *, question: Mapping[str, str], value: float,
                 tolerance: float = 1e-3,
                 mistakes: Sequence[tuple[float, Mapping[str, str]]] = (),
                 working: Mapping[str, str] | None = None,
                 hints: Sequence[Mapping[str, str]] = (),
                 remark: Mapping[str, str] | None = None):
        super().__init__(name, question=question, hints=hints, remark=remark)
        self.value = float(value)
        self.tolerance = float(tolerance)
        self.mistakes = tuple(mistakes)
        self.working = working

    def _close(self, got: float, value: float) -> bool:
        return abs(got - value) <= self.tolerance

    def _judge(self, answer):
        got = _number(answer)
        if got is None:
            return self._result("incorrect", _NOT_A_NUMBER, got=answer)
        if not np.isfinite(got):
            return self._result("incorrect", _NOT_FINITE, got=got)
        if self._close(got, self.value):
            return self._correct()
        for wrong, hint in self.mistakes:
            if self._close(got, wrong):
                return self._result("incorrect", hint, got=got)
        if self.value and abs(got / 100 - self.value) <= self.tolerance:
            return self._result("incorrect", _PERCENT, got=got, fraction=got / 100)
        return self._result("incorrect", _NOT_WITHIN, got=got, tolerance=self.tolerance)

    def _solution(self):
        explanation = tr(_THE_ANSWER, answer=f"{self.value:.6g}")
        if self.working:
            explanation = tr(self.working) + " " + explanation
        return text(explanation), None


class ExperimentAnswer(Exercise):
    """A number the learner measured, checked against a band or against the chapter's baseline.

    Args:
        name: the exercise's name.
        question: what to change and what to measure.
        expect: ``"lower"`` or ``"higher"`` than the baseline by more than ``margin``,
            ``"similar"`` (within ``margin`` of it), or ``"within"`` the ``band``.
        baseline: the chapter's value; ``check(..., baseline=...)`` may pass it instead.
        margin: see ``expect``; 0 by default.
        band: ``(low, high)``, required for ``expect="within"``.
        valid_range: ``(low, high)`` of possible values, e.g. ``(0, 1)`` for an accuracy.
        feedback: the hint when the expectation fails; fields ``{measured}``, ``{baseline}``,
            ``{margin}``, ``{low}``, ``{high}`` (and ``{by}``: " by more than <margin>" or "").
        explanation: what the experiment shows (the solution).
        hints, remark: as for every exercise.

    Example:
        >>> q = ExperimentAnswer("demo", question=text("Halve the data; accuracy?"),
        ...                      expect="lower", valid_range=(0, 1))
        >>> q.check(0.81, baseline=0.86).status, q.check(0.9, baseline=0.86).status
        ('correct', 'incorrect')
        >>> q.check(81, baseline=0.86).message
        '81 looks like a percentage: give the value as a fraction (0.81).'
    """

    def __init__(self, name: str, *, question: Mapping[str, str], expect: str,
                 baseline: float | None = None, margin: float = 0.0,
                 band: tuple[float, float] | None = None,
                 valid_range: tuple[float, float] | None = None,
                 feedback: Mapping[str, str] | None = None,
                 explanation: Mapping[str, str] | None = None,
                 hints: Sequence[Mapping[str, str]] = (),
                 remark: Mapping[str, str] | None = None):
        super().__init__(name, question=question, hints=hints, remark=remark)
        v.check_option("ExperimentAnswer", "expect", expect, tuple(_EXPECTED))
        if (expect == "within") != (band is not None):
            raise ValueError(v.message("ExperimentAnswer", "band=(low, high) exactly when "
                                       "expect='within'", f"expect={expect!r}, band={band!r}"))
        self.expect, self.baseline, self.margin = expect, baseline, float(margin)
        self.band, self.valid_range = band, valid_range
        self.feedback = feedback or _EXPECTED[expect]
        self.explanation = explanation

    def check(self, measured, baseline: float | None = None):
        """Judge the measured value (against ``baseline`` when given, else the stored one)."""
        return self._guard(self._judge, measured, baseline)

    def _judge(self, measured, baseline=None):
        got = _number(measured)
        if got is None:
            return self._result("incorrect", _NOT_A_NUMBER, got=measured)
        if not np.isfinite(got):
            return self._result("incorrect", _NOT_FINITE, got=got)
        if self.valid_range is not None:
            low, high = self.valid_range
            if high <= 1 < got <= 100:
                return self._result("incorrect", _PERCENT, got=got, fraction=got / 100)
            if not low <= got <= high:
                return self._result("incorrect", _OUT_OF_RANGE, got=got, low=low, high=high)
        low, high = self.band if self.band is not None else (np.nan, np.nan)
        base = np.nan
        if self.expect != "within":
            base = _number(baseline if baseline is not None else self.baseline)
            if base is None:
                return self._result("incorrect", _NEED_BASELINE)
        ok = {"lower": got < base - self.margin, "higher": got > base + self.margin,
              "similar": abs(got - base) <= self.margin, "within": low <= got <= high}
        if ok[self.expect]:
            return self._correct()
        by = tr(_BY, margin=self.margin) if self.margin else ""
        return self._result("incorrect", self.feedback, measured=got, baseline=base,
                            margin=self.margin, low=low, high=high, by=by)

    def _solution(self):
        return self.explanation or text("Run the experiment and compare with the chapter."), None
