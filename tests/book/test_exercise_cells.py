"""Every chapter ends with exercises, each with a checker and an executed, checked solution.

The pattern a chapter notebook follows (the build runs every cell, so a solution that stops
being right fails the build):

- a markdown cell ``### Exercise N: title`` with the question (``### 练习 N：标题`` in the
  Chinese edition);
- a code cell tagged ``exercise`` that binds ``qN`` to a checker of ``mmtutor.exercises``
  (``q1 = formulas.cross_entropy``, or ``q1 = exercises.evaluation.f1_macro`` where a topic's
  name would hide a package module) and
  calls ``qN.check(...)`` on an answer with blanks (``____``): "not attempted" in the build;
- a code cell tagged ``solution`` and ``hide-input`` (a dropdown in the book) whose first line
  is Colab's form title ``#@title Solution to exercise N { display-mode: "form" }`` (Colab
  hides the code), which checks the reference answer and asserts it is judged correct.

Part-opening pages (markdown) and the back matter need no exercises.
"""

from __future__ import annotations

import re

import pytest
from book_sources import CHINESE, chapter_pages, read_notebook, source

import mmtutor.exercises as exercises

NOTEBOOKS = [p for p in chapter_pages() + chapter_pages(CHINESE) if p.suffix == ".ipynb"]
_BINDING = re.compile(r"^(q\d+)\s*=\s*(?:(?:mmtutor\.)?exercises\.)?(\w+)\.(\w+)\s*$",
                      re.MULTILINE)
_TITLE = re.compile(r'^#@title Solution to exercise (\d+) \{ display-mode: "form" \}\n')


def _tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def exercises_of(notebook: dict) -> list[dict]:
    """The page's exercises in order: heading number, exercise cell and solution cell."""
    found, current = [], None
    for cell in notebook["cells"]:
        text = source(cell)
        if cell["cell_type"] == "markdown":
            for number in re.findall(r"^###\s+(?:Exercise|练习)\s*(\d+)", text, re.MULTILINE):
                current = {"number": int(number), "exercise": None, "solution": None}
                found.append(current)
        elif current is not None and "exercise" in _tags(cell):
            current["exercise"] = text
        elif current is not None and "solution" in _tags(cell):
            current["solution"] = (text, _tags(cell))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS,
                         ids=lambda p: p.relative_to(p.parents[1]).as_posix())
def test_chapter_ends_with_three_to_six_exercises_each_checked_and_solved(path):
    found = exercises_of(read_notebook(path))
    assert 3 <= len(found) <= 6, f"{path.name}: {len(found)} exercises, expected 3 to 6"
    assert [e["number"] for e in found] == list(range(1, len(found) + 1)), (
        f"{path.name}: exercises numbered {[e['number'] for e in found]}")
    for e in found:
        where = f"{path.name}, exercise {e['number']}"
        assert e["exercise"], f"{where}: no code cell tagged 'exercise' after its heading"
        bindings = _BINDING.findall(e["exercise"])
        assert bindings, f"{where}: the exercise cell binds no checker (q1 = module.name)"
        assert "____" in e["exercise"], f"{where}: the exercise cell leaves no blank ____"
        for variable, module, name in bindings:
            checker = getattr(getattr(exercises, module, None), name, None)
            assert isinstance(checker, exercises.Exercise), (
                f"{where}: {module}.{name} is not an exercise of mmtutor.exercises")
            assert f"{variable}.check(" in e["exercise"], f"{where}: {variable} is not checked"
            assert e["solution"], f"{where}: no solution cell (tagged 'solution')"
            text, tags = e["solution"]
            assert "hide-input" in tags, f"{where}: the solution is not hidden (hide-input)"
            title = _TITLE.match(text)
            assert title and int(title.group(1)) == e["number"], (
                f"{where}: the solution does not start with Colab's form title "
                f'#@title Solution to exercise {e["number"]} {{ display-mode: "form" }}')
            assert f"{variable}.check(" in text and re.search(
                r'assert .*\.status == "correct"', text), (
                f"{where}: the solution does not assert that {variable}.check judges it correct")


def test_exercises_of_reads_the_pattern():
    cells = [{"cell_type": "markdown", "source": "### Exercise 1: a loss"},
             {"cell_type": "code", "metadata": {"tags": ["exercise"]}, "source": "q1 = a.b"},
             {"cell_type": "code", "metadata": {"tags": ["solution", "hide-input"]},
              "source": "#@title ..."}]
    (found,) = exercises_of({"cells": cells})
    assert _BINDING.findall("q2 = exercises.evaluation.f1_macro") == [
        ("q2", "evaluation", "f1_macro")]
    assert found["number"] == 1 and found["exercise"] == "q1 = a.b"
    assert found["solution"] == ("#@title ...", {"solution", "hide-input"})
