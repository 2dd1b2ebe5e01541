"""The blank ``____`` that exercises leave for the learner, and what every exercise shares.

An exercise has a name, a question, staged hints, a remark for a correct answer and a
solution; its ``check`` never raises on a learner's answer. Subclasses say how an answer is
judged (``_judge``) and what the solution is (``_solution``).
"""

from __future__ import annotations

import contextlib
import functools
import html
import io
import types
import warnings
from collections.abc import Mapping, Sequence

from mmtutor.exercises._display import Hint, Result, Solution
from mmtutor.exercises._language import (
    LANGUAGES,
    get_language,
    lang_of,
    set_language,
    text,
    tr,
)

BLANK_NAME = "____"


class PlaceholderError(Exception):
    """Raised when code uses the blank ``____`` as a value (the exercise is not filled in)."""


class _Blank:
    """The single placeholder object ``____``: using it as a value raises PlaceholderError."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return BLANK_NAME

    def __reduce__(self):
        return BLANK_NAME  # pickles as the module attribute, so it stays one object

    def _use(self, *args, **kwargs):
        raise PlaceholderError(f"{BLANK_NAME} is a blank to fill in: replace it with your code.")

    __call__ = __getitem__ = __iter__ = __len__ = __bool__ = __array__ = _use
    __float__ = __int__ = __index__ = __neg__ = __pos__ = __abs__ = _use
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _use
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = _use
    __pow__ = __rpow__ = __matmul__ = __rmatmul__ = __mod__ = __rmod__ = _use
    __lt__ = __le__ = __gt__ = __ge__ = _use


____ = _Blank()


def _code_uses_blank(code: types.CodeType) -> bool:
    """True if ``code`` (or a function, lambda or comprehension nested in it) names ``____``."""
    if BLANK_NAME in code.co_names:
        return True
    return any(isinstance(c, types.CodeType) and _code_uses_blank(c) for c in code.co_consts)


def _uses_blank(obj, seen: set) -> bool:
    if obj is None or obj is ____:
        return True
    if id(obj) in seen:
        return False
    seen.add(id(obj))
    if isinstance(obj, (tuple, list)):
        return any(item is ____ for item in obj)
    if isinstance(obj, functools.partial):
        parts = (*obj.args, *obj.keywords.values())
        return any(p is ____ for p in parts) or _uses_blank(obj.func, seen)
    if isinstance(obj, types.MethodType):
        obj = obj.__func__
    wrapped = getattr(obj, "__wrapped__", None)
    if wrapped is not None and _uses_blank(wrapped, seen):
        return True
    if isinstance(obj, types.FunctionType):
        if _code_uses_blank(obj.__code__):
            return True
        defaults = (*(obj.__defaults__ or ()), *(obj.__kwdefaults__ or {}).values())
        if any(d is ____ for d in defaults):
            return True
        for cell in obj.__closure__ or ():
            try:
                content = cell.cell_contents
            except ValueError:  # an empty cell: a name not assigned yet
                continue
            if content is ____ or (isinstance(content, types.FunctionType)
                                   and _uses_blank(content, seen)):
                return True
        return False
    # A callable object: look at the function its class defines as __call__.
    call = next((vars(k)["__call__"] for k in type(obj).__mro__ if "__call__" in vars(k)), None)
    return isinstance(call, types.FunctionType) and _uses_blank(call, seen)


def is_blank(answer) -> bool:
    """True when ``answer`` is ``None``, the blank ``____``, or a function that still uses it.

    Example:
        >>> is_blank(____), is_blank(lambda x: ____), is_blank(lambda x: 2 * x)
        (True, True, False)
    """
    try:
        return _uses_blank(answer, set())
    except Exception:  # an exotic object: judge it by calling it instead
        return False


def raised_by_blank(error: BaseException | None) -> bool:
    """True if ``error``, or an exception it was raised from, is a PlaceholderError."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, PlaceholderError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


_NOT_ATTEMPTED = text(
    "Replace every ____ with your answer, then run the cell again.",
    "把每个 ____ 换成你的答案，然后重新运行这个单元格。")
_CHECKER_FAILED = text(
    "The checker could not judge this answer ({error}). Check that it has the form the "
    "exercise asks for.",
    "检查程序无法判断这个答案（{error}）。请确认答案符合题目要求的形式。")
_NO_HINTS = text("This exercise has no hints; .solution() shows the solution.",
                 "这道题没有提示；.solution() 显示参考答案。")
_LAST_HINT = text("That was the last hint; .solution() shows the solution.",
                  "这是最后一条提示；.solution() 显示参考答案。")
_DEFAULT_REMARK = text("Well done.", "做得好。")


def in_every_language(make):
    """``make()`` in the current language, with its twins in the other languages attached.

    A result renders in every language, each tagged with its ``lang``, and shows the one the
    learner chose (:func:`set_language`), or the one of the page it sits on: the Chinese
    edition of the book shares the English edition's executed outputs, and its stylesheet
    shows their Chinese text. ``make`` runs once per language; the other runs are quiet
    (a learner's function that prints does not print twice).
    """
    panel = make()
    current = get_language()
    for lang in LANGUAGES:
        if lang == current:
            continue
        sink = io.StringIO()
        try:
            set_language(lang)
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink), \
                    warnings.catch_warnings():
                warnings.simplefilter("ignore")
                panel.translations[lang] = make()
        finally:
            set_language(current)
    return panel


class Exercise:
    """What every exercise has: a name, a question, staged hints and a solution.

    Args:
        name: the exercise's name, e.g. ``"formulas.autoencoder_loss"``.
        question: the question, as ``{"en": ..., "zh": ...}`` (optional).
        hints: hints from the most general to the most specific, each a language dict.
        remark: shown with a correct answer: why the result matters.
    """

    _blank_text = _NOT_ATTEMPTED

    def __init__(self, name: str, *, question: Mapping[str, str] | None = None,
                 hints: Sequence[Mapping[str, str]] = (),
                 remark: Mapping[str, str] | None = None):
        self.name = name
        self.question = question
        self.hints = tuple(hints)
        self.remark = remark if remark is not None else _DEFAULT_REMARK
        self._hints_given = 0

    def check(self, answer) -> Result:
        """Judge ``answer``; returns a :class:`Result` and never raises on the answer."""
        return self._guard(self._judge, answer)

    def _guard(self, judge, answer, *args, **kwargs) -> Result:
        """Judge in the current language, and again, quietly, in the others (see below)."""
        return in_every_language(lambda: self._guard_once(judge, answer, *args, **kwargs))

    def _guard_once(self, judge, answer, *args, **kwargs) -> Result:
        if is_blank(answer):
            return self._result("not_attempted", self._blank_text)
        try:
            return judge(answer, *args, **kwargs)
        except Exception as error:  # a checker bug must reach the learner as text, not a trace
            if raised_by_blank(error):
                return self._result("not_attempted", self._blank_text)
            return self._result("incorrect", _CHECKER_FAILED, error=f"{error!r}")

    def _judge(self, answer) -> Result:
        raise NotImplementedError

    def _result(self, status: str, texts, **fields) -> Result:
        return Result(status, tr(texts, **fields), exercise=self.name, lang=lang_of(texts))

    def _correct(self) -> Result:
        return self._result("correct", self.remark)

    def hint(self, number: int | None = None) -> Hint:
        """The next hint (the first call gives hint 1), or hint ``number`` (counting from 1)."""
        total = len(self.hints)
        if not total:
            return Hint(0, 0, tr(_NO_HINTS), exercise=self.name, lang=lang_of(_NO_HINTS))
        if number is None:
            self._hints_given = min(self._hints_given + 1, total)
            number = self._hints_given
        number = max(1, min(int(number), total))

        def make() -> Hint:
            message = tr(self.hints[number - 1])
            if number == total:
                message += " " + tr(_LAST_HINT)
            return Hint(number, total, message, exercise=self.name,
                        lang=lang_of(self.hints[number - 1]))

        return in_every_language(make)

    def reset_hints(self) -> None:
        """Start the hints again from the first."""
        self._hints_given = 0

    def solution(self) -> Solution:
        """The reference solution, with its code for a code exercise."""
        explanation, code = self._solution()
        return in_every_language(lambda: Solution(tr(explanation), code=code,
                                                  exercise=self.name, lang=lang_of(explanation)))

    def _solution(self) -> tuple[Mapping[str, str], str | None]:
        raise NotImplementedError

    def _question_text(self) -> str:
        return tr(self.question) if self.question else ""

    def __repr__(self) -> str:
        question = self._question_text()
        return f"{type(self).__name__}({self.name!r})" + (f": {question}" if question else "")

    def _repr_html_(self) -> str:
        question = html.escape(self._question_text()).replace("\n", "<br>")
        lang = lang_of(self.question) if self.question else "en"
        return (f'<div class="mmtutor-exercise" lang="{lang}"><strong>'
                f"{html.escape(self.name)}</strong><div>{question}</div></div>")
