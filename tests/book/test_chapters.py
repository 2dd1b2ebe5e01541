"""Checks on the book's sources that need no execution: fast, and without TensorFlow.

What nbval cannot see: a chapter committed with outputs, a Colab install cell that drifted from
the repository URL or the package version, a chapter without exercises, a table of contents
that names a missing file, a docstring that points at a section the book does not have.
"""

from __future__ import annotations

import json
import re

import pytest
from book_sources import BOOK, ROOT, read_notebook, source, toc_files

import mmtutor

CHAPTERS = sorted(BOOK.glob("*.ipynb"))

INSTALL_CELL = '''\
# In Colab, install the mmtutor version this book goes with; elsewhere this cell does nothing.
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # silence TensorFlow's start-up logs
if "google.colab" in sys.modules:
    import subprocess

    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "mmtutor @ git+{url}@v{version}"], check=True)'''


def _repository_url() -> str:
    """The one URL setting of ``_config.yml``: ``repository: url:``."""
    text = (ROOT / "_config.yml").read_text(encoding="utf-8")
    match = re.search(r"^repository:\s*\n(?:[ \t]+.*\n)*?[ \t]+url:\s*(\S+)", text, re.MULTILINE)
    assert match, "_config.yml has no repository.url setting"
    return match.group(1).strip("\"'")


def _headings(notebook: dict) -> list[str]:
    headings = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            headings += [line.lstrip("#").strip() for line in source(cell).splitlines()
                         if re.match(r"^#{1,6}\s", line)]
    return headings


def test_book_has_chapters():
    assert len(CHAPTERS) >= 5, f"expected the chapters as book/*.ipynb, found {CHAPTERS}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_is_committed_without_outputs(path):
    notebook = read_notebook(path)
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: cell {index} has outputs"
            assert cell.get("execution_count") is None, (
                f"{path.name}: cell {index} has an execution count")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_first_code_cell_is_colab_install_cell(path):
    """Same cell everywhere; its URL is _config.yml's, its tag the package's version."""
    notebook = read_notebook(path)
    code_cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code_cells, f"{path.name} has no code cell"
    expected = INSTALL_CELL.format(url=_repository_url(), version=mmtutor.__version__)
    assert source(code_cells[0]).strip() == expected


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_says_what_you_learn_and_ends_with_summary_and_exercises(path):
    headings = [h.lower() for h in _headings(read_notebook(path))]
    assert headings, f"{path.name} has no headings"
    assert any(h.startswith("exercises") for h in headings), f"{path.name}: no Exercises"
    assert any(h.startswith("summary") for h in headings), f"{path.name}: no Summary"
    text = json.dumps(read_notebook(path)["cells"][:3]).lower()
    assert any(opening in text for opening in ("what you will learn", "learning objectives",
                                               "after this page you can")), (
        f"{path.name}: no learning objectives ('What you will learn') at the top")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_that_draws_enables_inline_figures(path):
    """A kernel started with MPLBACKEND set (as many CI systems and shells do) honours it over
    its inline default, and figures never reach the page; `%matplotlib inline` makes them."""
    code = "\n".join(source(c) for c in read_notebook(path)["cells"] if c["cell_type"] == "code")
    if re.search(r"\bplt\.|mmtutor\.plotting|from mmtutor\.plotting import", code):
        assert "%matplotlib inline" in code, f"{path.name} draws figures without the inline backend"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_runs_on_the_python3_kernel(path):
    assert read_notebook(path)["metadata"]["kernelspec"]["name"] == "python3"


def test_every_toc_entry_exists():
    files = toc_files()
    assert "book/index" in files
    missing = [f for f in files
               if not any((ROOT / f"{f}{ext}").exists() for ext in (".md", ".ipynb"))]
    assert not missing, f"_toc.yml names files that do not exist: {missing}"


def test_every_chapter_is_in_the_toc():
    listed = set(toc_files())
    orphans = [p.name for p in CHAPTERS if f"book/{p.stem}" not in listed]
    assert not orphans, f"chapters missing from _toc.yml: {orphans}"


def test_docstring_book_sections_exist():
    """Every 'Book: section "sec-..."' line in the package names a label the book defines."""
    cited = set()
    for module in (ROOT / "mmtutor").rglob("*.py"):
        cited |= set(re.findall(r'Book: section "(sec-[a-z0-9-]+)"', module.read_text("utf-8")))
    defined = set()
    for page in list(BOOK.glob("*.md")) + CHAPTERS:
        defined |= set(re.findall(r"\((sec-[a-z0-9-]+)\)=", page.read_text("utf-8")))
    assert cited, "no docstring names a book section"
    missing = sorted(cited - defined)
    assert not missing, f"sections named in docstrings but not defined in the book: {missing}"


def test_front_page_names_the_package_version():
    assert f"mmtutor v{mmtutor.__version__}" in (BOOK / "index.md").read_text(encoding="utf-8")


def test_config_builds_offline_and_strictly():
    text = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert "sphinx.ext.intersphinx" not in text  # would fetch inventories from the network
    assert re.search(r"^\s*execute_notebooks:\s*cache", text, re.MULTILINE)
    # The cache hashes the notebooks only: make book drops it when the package changes.
    assert "tools/book_cache.py" in (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^\s*allow_errors:\s*false", text, re.MULTILINE)
    assert re.search(r"^\s*branch:\s*main", text, re.MULTILINE)
    assert "sphinx-mathjax-offline" in text


def test_book_cache_is_dropped_when_the_package_changes(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("book_cache", ROOT / "tools" / "book_cache.py")
    book_cache = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(book_cache)
    saved = [tmp_path / ".jupyter_cache", tmp_path / ".doctrees"]
    for folder in saved:
        folder.mkdir()
    monkeypatch.setattr(book_cache, "source_hash", lambda: "one")
    book_cache.main(["--build", str(tmp_path)])  # no hash recorded yet: dropped
    assert not any(folder.exists() for folder in saved)
    for folder in saved:
        folder.mkdir()
    book_cache.main(["--build", str(tmp_path)])  # same package: kept
    assert all(folder.exists() for folder in saved)
    monkeypatch.setattr(book_cache, "source_hash", lambda: "two")
    book_cache.main(["--build", str(tmp_path)])  # package changed: both dropped
    assert not any(folder.exists() for folder in saved)
    assert (tmp_path / ".mmtutor-source-hash").read_text().strip() == "two"
