"""The English ⇄ 中文 switch at the top of every page: the same page in the other edition.

The English edition is the root of the HTML output and the Chinese edition its ``zh/`` folder
(``make book`` copies it there), with the same page names: ``book/01_background.html`` and
``zh/book/01_background.html``. Each build says which edition it is with the Sphinx setting
``mmtutor_edition`` (``"en"`` or ``"zh"``); a page the other edition does not have (the
search page, the general index) links to the other edition's front page.
"""

from __future__ import annotations

import html

LABELS = {"en": "English", "zh": "中文"}
STYLE = ("text-align:right;font-size:0.9em;margin:0 0 0.5em 0;"
         "padding:0.2em 0;border-bottom:1px solid #e0e0e0")


def other_page(pagename: str, edition: str, has_page: bool) -> str:
    """The relative URL, from page ``pagename`` of ``edition``, of its page in the other one.

    >>> other_page("book/01_background", "en", True)
    '../zh/book/01_background.html'
    >>> other_page("book/01_background", "zh", True)
    '../../book/01_background.html'
    >>> other_page("search", "en", False)
    'zh/book/index.html'
    """
    up = "../" * pagename.count("/")
    target = pagename if has_page else "book/index"
    if edition == "en":
        return f"{up}zh/{target}.html"
    return f"{up}../{target}.html"


def _add_switch(app, pagename, templatename, context, doctree):
    if "body" not in context:
        return
    edition = app.config.mmtutor_edition
    other = "zh" if edition == "en" else "en"
    has_page = pagename in app.env.found_docs and pagename.startswith("book/")
    href = other_page(pagename, edition, has_page)
    switch = (f'<div class="mmtutor-language-switch" style="{STYLE}">'
              f'<span lang="{edition}">{LABELS[edition]}</span> · '
              f'<a href="{html.escape(href)}" hreflang="{other}" lang="{other}">'
              f"{LABELS[other]}</a></div>")
    context["body"] = switch + context["body"]


def setup(app):
    app.add_config_value("mmtutor_edition", "en", "html")
    app.connect("html-page-context", _add_switch)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
