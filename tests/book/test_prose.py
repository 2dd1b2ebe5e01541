"""Every measured number in the chapters' prose comes from a cell.

A sentence that types an accuracy, a time or a parameter count goes stale the day the code
changes, and nobody notices. The chapters insert such numbers with myst-nb's glue
(``{glue:text}`name```), which the build fills in from the cell that computed them. This test
reads every chapter page's markdown, drops what is not prose (math, code, MyST roles and
their targets, link targets, labels, HTML, list numbering) and fails on any number left that
is neither glued nor declared a constant of the data or the world (an image size, the number
of classes, a formula's coefficient): a notebook declares them in its metadata,
``metadata["mmtutor"]["prose_constants"]``, a markdown page in ``MARKDOWN_CONSTANTS`` below.
The Chinese edition is scanned too, against the English notebook's constants (a translated
notebook keeps the English metadata).
Years are allowed, as are the numbers of chapters, sections, exercises, figures, steps and
seeds (第 N, 练习 N in the Chinese edition), and numbers that are part of a word (F1, R@1,
Conv2D, float16).
"""

from __future__ import annotations

import re

import pytest
from book_sources import CHINESE, chapter_pages, read_notebook, source

#: Constants of the markdown (not notebook) chapter pages, which have no metadata to hold them.
MARKDOWN_CONSTANTS: dict[str, list[str]] = {}

_DROP = [
    re.compile(r"^(```|~~~)[^\n]*\n.*?^\1[ \t]*$", re.MULTILINE | re.DOTALL),  # code fences
    re.compile(r"\$\$.*?\$\$", re.DOTALL),  # display math
    re.compile(r"\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.DOTALL),  # LaTeX environments
    re.compile(r"(?<!\\)\$(?:[^$\n]|\n(?!\s*\n))+?(?<!\\)\$"),  # inline math, across a line
    re.compile(r"\{[\w:-]+\}`[^`]*`"),  # MyST roles: {cite}`key`, {glue:text}`name`, {ref}...
    re.compile(r"`+[^`]*`+"),  # inline code
    re.compile(r"\]\([^)]*\)"),  # link targets, keeping the link text
    re.compile(r"<[^>\n]+>"),  # HTML tags and autolinks
    re.compile(r"^\s*\([\w-]+\)=\s*$", re.MULTILINE),  # labels
    re.compile(r"^\s*\d+[.)]\s", re.MULTILINE),  # list numbering
    re.compile(r"^:[\w-]+:.*$", re.MULTILINE),  # directive options (:width: 80%)
]
_NUMBER = re.compile(r"(?<![\w@.#/\\])(?<![A-Za-z]-)\d+(?:[.,]\d+)*(?:[eE][-+]?\d+)?(?![\w@])")
_COUNTED = re.compile(r"(?:(?:chapters?|sections?|exercises?|figures?|steps?|seeds?|parts?)\s+"
                      r"|(?:第|练习|种子|图)\s*)$", re.IGNORECASE)


def prose_numbers(markdown: str) -> list[str]:
    """The numbers of ``markdown`` that are prose: what the test asks to glue or declare.

    >>> prose_numbers("Accuracy {glue:text}`acc` after 12 epochs, $p = 0.5$, in chapter 3 (2019).")
    ['12']
    """
    for pattern in _DROP:
        markdown = pattern.sub(" ", markdown)
    numbers = []
    for match in _NUMBER.finditer(markdown):
        number, before = match.group(), markdown[:match.start()]
        if _COUNTED.search(before[-20:]):
            continue
        if re.fullmatch(r"(19|20[0-2])\d", number):  # a year
            continue
        numbers.append(number)
    return numbers


def _page_text_and_constants(path) -> tuple[list[tuple[str, str]], set[str]]:
    if path.suffix == ".md":
        return [("page", path.read_text(encoding="utf-8"))], set(MARKDOWN_CONSTANTS.get(
            path.name, []))
    notebook = read_notebook(path)
    cells = [(cell.get("id", str(i)), source(cell)) for i, cell in enumerate(notebook["cells"])
             if cell["cell_type"] == "markdown"]
    constants = notebook["metadata"].get("mmtutor", {}).get("prose_constants", [])
    return cells, set(constants)


def test_prose_numbers_drops_what_is_not_prose():
    text = """(sec-x)=
# 3 things
1. first, with R@1, F1, Conv2D and float16
See [the 2 data sets](https://example.org/v2/10) and <img width="300">.
```python
x = 42
```
$$ y = 2x $$ and $\\sqrt{d}$ and `range(7)`, {cite}`kaplan2020`, seed 4, SHA-256, 1e-5 and 0.962.
"""
    assert prose_numbers(text) == ["3", "2", "1e-5", "0.962"]
    assert prose_numbers("### 练习 2：第 6 章的第 0 步，共 12 轮") == ["12"]


@pytest.mark.parametrize("path", chapter_pages() + chapter_pages(CHINESE),
                         ids=lambda p: p.relative_to(p.parents[1]).as_posix())
def test_every_number_in_the_prose_is_glued_or_a_declared_constant(path):
    cells, constants = _page_text_and_constants(path)
    if path.is_relative_to(CHINESE):
        constants |= set(MARKDOWN_CONSTANTS.get(path.name, []))
    bare = [(cell, number) for cell, text in cells for number in prose_numbers(text)
            if number not in constants]
    assert not bare, (
        f"{path.name}: numbers in the prose that no cell computed: {bare[:12]} "
        f"(cell id, number). Glue a measured number from the cell that computed it "
        "({glue:text}`name`), or declare a constant of the data in the notebook's "
        'metadata["mmtutor"]["prose_constants"]')


@pytest.mark.parametrize("path", chapter_pages(), ids=lambda p: p.name)
def test_declared_constants_are_used(path):
    """A constant left in the list after its sentence changed would hide the next one."""
    cells, constants = _page_text_and_constants(path)
    used = {number for _, text in cells for number in prose_numbers(text)}
    assert not constants - used, f"{path.name}: unused prose constants {sorted(constants - used)}"
