"""What a learner sees: results, hints and solutions that render in Jupyter, Colab and a terminal.

Each is a small object with ``_repr_html_`` (a colored panel, tagged with the text's
``lang``) and a plain-text ``__repr__``/``__str__``, so a bare ``q.check(f)`` at the end of a
cell shows itself and ``print(q.check(f))`` works anywhere.
"""

from __future__ import annotations

import html

from mmtutor import _validation as v
from mmtutor.exercises._language import get_language, text, tr

STATUSES = ("correct", "incorrect", "not_attempted")

# kind: (symbol, accent color, background color)
_LOOK = {
    "correct": ("✓", "#1b7f3b", "#eaf6ed"),
    "incorrect": ("✗", "#b3261e", "#fdeceb"),
    "not_attempted": ("…", "#5f6368", "#f1f3f4"),
    "hint": ("?", "#1a5fb4", "#e8f0fb"),
    "solution": ("✎", "#6a3fa0", "#f3eefa"),
}

TITLES = {
    "correct": text("Correct", "正确"),
    "incorrect": text("Not yet correct", "还不对"),
    "not_attempted": text("Not attempted yet", "尚未作答"),
    "solution": text("Solution", "参考答案"),
}


class Panel:
    """A titled message, optionally with code, rendered as HTML or as plain text.

    Args:
        kind: one of the keys of ``_LOOK`` (a result status, ``"hint"`` or ``"solution"``).
        title: the heading, already in the chosen language.
        message: the body text.
        exercise: the exercise's name, shown small beside the title.
        code: optional source code, shown verbatim below the message.
        lang: the language of the text (the ``lang`` attribute of the HTML).
    """

    def __init__(self, kind: str, title: str, message: str, *, exercise: str = "",
                 code: str | None = None, lang: str | None = None):
        self.kind = kind
        self.title = title
        self.message = message
        self.exercise = exercise
        self.code = code
        self.lang = lang or get_language()
        #: The same panel in the other languages (see ``in_every_language``), by language.
        self.translations: dict[str, Panel] = {}

    def __str__(self) -> str:
        symbol = _LOOK[self.kind][0]
        name = f" [{self.exercise}]" if self.exercise else ""
        out = f"{symbol} {self.title}{name}: {self.message}"
        if self.code:
            out += "\n\n" + self.code.rstrip()
        return out

    __repr__ = __str__

    def _repr_html_(self) -> str:
        if not self.translations:
            return self._panel_html(self.lang)
        chosen = get_language()
        panels = {chosen: self, **self.translations}
        # Every language is in the page; the learner's choice shows, except on a page whose
        # <html lang> is Chinese (the book's Chinese edition), which shows the Chinese.
        style = ("<style>.mmtutor-i18n>[data-lang]{display:none}"
                 f".mmtutor-i18n>[data-lang='{chosen}']{{display:block}}"
                 "html[lang^='zh'] .mmtutor-i18n>[data-lang]{display:none}"
                 "html[lang^='zh'] .mmtutor-i18n>[data-lang='zh']{display:block}</style>")
        body = "".join(f'<div data-lang="{lang}">{panel._panel_html(panel.lang)}</div>'
                       for lang, panel in panels.items())
        return f'<div class="mmtutor-i18n">{style}{body}</div>'

    def _panel_html(self, lang: str) -> str:
        symbol, accent, background = _LOOK[self.kind]
        name = (f' <span style="color:#5f6368;font-weight:normal;font-size:0.85em">'
                f"{html.escape(self.exercise)}</span>") if self.exercise else ""
        code = ""
        if self.code:
            code = ('<pre style="background:#ffffff;color:#202124;padding:0.5em;'
                    'margin:0.5em 0 0 0;overflow-x:auto"><code class="language-python">'
                    f"{html.escape(self.code.rstrip())}</code></pre>")
        message = html.escape(self.message).replace("\n", "<br>")
        return (
            f'<div class="mmtutor-exercise mmtutor-{self.kind}" lang="{lang}" '
            f'style="border-left:4px solid {accent};background:{background};color:#202124;'
            f'padding:0.5em 0.8em;margin:0.3em 0">'
            f'<strong style="color:{accent}">{symbol} {html.escape(self.title)}</strong>{name}'
            f'<div style="margin-top:0.3em">{message}</div>{code}</div>'
        )


class Result(Panel):
    """The outcome of ``exercise.check(answer)``.

    Attributes:
        status: ``"correct"``, ``"incorrect"`` or ``"not_attempted"``.
        message: the remark (correct), the hint naming what failed (incorrect) or what to fill
            in (not attempted).

    Example:
        >>> result = Result("incorrect", "a masked step got a nonzero weight")
        >>> result.status, result.correct
        ('incorrect', False)
        >>> print(result)
        ✗ Not yet correct: a masked step got a nonzero weight
    """

    def __init__(self, status: str, message: str, *, exercise: str = "",
                 lang: str | None = None):
        v.check_option("Result", "status", status, STATUSES)
        super().__init__(status, tr(TITLES[status]), message, exercise=exercise, lang=lang)
        self.status = status

    @property
    def correct(self) -> bool:
        """True when the answer was judged correct."""
        return self.status == "correct"


class Hint(Panel):
    """One hint, number ``number`` of ``total``.

    Example:
        >>> print(Hint(1, 2, "Sum over the features first."))
        ? Hint 1 of 2: Sum over the features first.
    """

    def __init__(self, number: int, total: int, message: str, *, exercise: str = "",
                 lang: str | None = None):
        title = tr(text("Hint {number} of {total}", "提示 {number}/{total}"),
                   number=number, total=total) if total else tr(text("Hint", "提示"))
        super().__init__("hint", title, message, exercise=exercise, lang=lang)
        self.number = number
        self.total = total


class Solution(Panel):
    """The reference solution: an explanation and, for code exercises, the source code.

    Example:
        >>> s = Solution("Average the squared errors.", code="def f(x):\\n    return x")
        >>> "<pre" in s._repr_html_() and "def f(x):" in str(s)
        True
    """

    def __init__(self, message: str, *, code: str | None = None, exercise: str = "",
                 lang: str | None = None):
        super().__init__("solution", tr(TITLES["solution"]), message, exercise=exercise,
                         code=code, lang=lang)
