"""The language of the exercises' messages: every text is a dict ``{"en": ..., "zh": ...}``.

One place decides the language (:func:`set_language`), one function picks a text in it
(:func:`tr`). A text without a translation falls back to English, so a new language can be
added one message at a time.
"""

from __future__ import annotations

from collections.abc import Mapping

from mmtutor import _validation as v

LANGUAGES = ("en", "zh")
_state = {"lang": "en"}


def set_language(lang: str) -> None:
    """Choose the language of every later result, hint and solution.

    Args:
        lang: ``"en"`` (English, the default) or ``"zh"`` (Chinese; a text not translated yet
            stays English).

    Raises:
        ValueError: for any other language code.

    Example:
        >>> set_language("zh")
        >>> get_language()
        'zh'
        >>> set_language("en")

    Book: section "sec-formulas" (every chapter's exercises).
    """
    v.check_option("set_language", "lang", lang, LANGUAGES)
    _state["lang"] = lang


def get_language() -> str:
    """Return the language chosen with :func:`set_language` (``"en"`` unless changed).

    Example:
        >>> get_language()
        'en'
    """
    return _state["lang"]


def text(en: str, zh: str | None = None) -> dict[str, str]:
    """Bundle one message in its languages: ``text("Correct", "正确")``.

    Example:
        >>> text("Correct", "正确")
        {'en': 'Correct', 'zh': '正确'}
    """
    return {"en": en} if zh is None else {"en": en, "zh": zh}


def tr(texts: Mapping[str, str] | str, **fields) -> str:
    """Return ``texts`` in the current language (English if missing), with ``fields`` filled in.

    A plain string is taken as English. Fields use ``str.format`` names: ``{error}``.

    Example:
        >>> tr(text("{n} steps", "{n} 步"), n=3)
        '3 steps'
    """
    if isinstance(texts, str):
        chosen = texts
    else:
        chosen = texts.get(get_language()) or texts["en"]
    return chosen.format(**fields) if fields else chosen


def lang_of(texts: Mapping[str, str] | str) -> str:
    """The language :func:`tr` actually returns for ``texts`` (for HTML ``lang`` attributes)."""
    if isinstance(texts, str):
        return "en"
    return get_language() if texts.get(get_language()) else "en"
