"""The Chinese edition cannot drift from the English one.

Every English page has a Chinese page (zh/book/, same name). A Chinese notebook has the English
notebook's cells, by id and in order, with byte-identical code cells and cell metadata (the
same assertions run, and the execution cache, which hashes code cells with their metadata,
serves both editions) and the same notebook metadata; each translated markdown cell records
the hash of the English text it translates, so a change to the English names the stale
Chinese cell. ``python tools/translations.py sync`` copies code changes over and lists what
needs translating. The two editions' configurations and tables of contents differ only where
an edition must.
"""

from __future__ import annotations

import importlib.util
import re

import pytest
from book_sources import BOOK, CHINESE, ROOT, read_notebook, toc_files


def _module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


translations = _module(ROOT / "tools" / "translations.py", "translations")
languages = _module(BOOK / "_ext" / "mmtutor_languages.py", "mmtutor_languages")
PAGES = sorted(p for p in BOOK.iterdir() if p.suffix in (".ipynb", ".md"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_page_has_a_current_chinese_translation(page):
    chinese = CHINESE / "book" / page.name
    assert chinese.exists(), (
        f"{page.name} has no Chinese page: python tools/translations.py start book/{page.name}")
    if page.suffix == ".md":
        found = translations.markdown_problems(page, chinese)
    else:
        found = translations.problems(read_notebook(page), read_notebook(chinese))
    assert not found, f"zh/book/{page.name}: " + "; ".join(found[:8])


def test_problems_name_a_stale_cell_a_changed_code_cell_and_a_missing_cell():
    english = {"metadata": {"k": 1}, "cells": [
        {"id": "a", "cell_type": "markdown", "source": "Hello", "metadata": {}},
        {"id": "b", "cell_type": "code", "source": "x = 1", "metadata": {}}]}
    chinese = {"metadata": {"k": 1}, "cells": [
        {"id": "a", "cell_type": "markdown", "source": "你好",
         "metadata": {"mmtutor": {"translates": translations.fingerprint("Hello")}}},
        {"id": "b", "cell_type": "code", "source": "x = 1", "metadata": {}}]}
    assert translations.problems(english, chinese) == []
    english["cells"][0]["source"] = "Hello, world"
    english["cells"][1]["source"] = "x = 2"
    assert translations.problems(english, chinese) == [
        "cell a: stale, the English cell changed since it was translated",
        "cell b: code or its metadata differs from the English cell"]
    chinese["cells"].pop()
    assert translations.problems(english, chinese) == ["cells differ: missing ['b'], extra []"]


def test_sync_copies_code_adds_new_cells_and_keeps_translations(tmp_path, monkeypatch):
    english_dir, chinese_dir = tmp_path / "book", tmp_path / "zh" / "book"
    monkeypatch.setattr(translations, "ENGLISH", english_dir)
    monkeypatch.setattr(translations, "CHINESE", chinese_dir)
    english = {"metadata": {}, "nbformat": 4, "nbformat_minor": 5, "cells": [
        {"id": "a", "cell_type": "markdown", "source": "Hello", "metadata": {}},
        {"id": "b", "cell_type": "code", "source": "x = 1", "metadata": {},
         "outputs": [], "execution_count": None}]}
    translations.write(english_dir / "p.ipynb", english)
    target = translations.start(english_dir / "p.ipynb")
    chinese = translations.read(target)
    chinese["cells"][0]["source"] = "你好"
    translations.write(target, chinese)
    assert translations.stamp(target) == 1
    english["cells"][1]["source"] = "x = 2"
    english["cells"].append({"id": "c", "cell_type": "markdown", "source": "New", "metadata": {}})
    translations.write(english_dir / "p.ipynb", english)
    assert translations.sync(target) == ["cell c: not translated yet"]
    synced = translations.read(target)
    assert [translations.source(c) for c in synced["cells"]] == ["你好", "x = 2", "New"]


def test_the_editions_have_the_same_table_of_contents():
    assert toc_files(root=CHINESE) == toc_files()


def test_the_editions_configurations_differ_only_where_an_edition_must():
    yaml = pytest.importorskip("yaml")  # with Jupyter Book (the book extra), not a runtime dep
    english = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    chinese = yaml.safe_load((CHINESE / "_config.yml").read_text(encoding="utf-8"))
    assert chinese["sphinx"]["config"].pop("language") == "zh_CN"
    assert chinese["sphinx"]["config"].pop("nb_code_prompt_show") == "显示代码"
    assert chinese["sphinx"]["config"].pop("nb_code_prompt_hide") == "隐藏代码"
    assert (english["sphinx"]["config"].pop("mmtutor_edition"),
            chinese["sphinx"]["config"].pop("mmtutor_edition")) == ("en", "zh")
    assert chinese["execute"].pop("cache") == "_build/.jupyter_cache"  # the shared cache
    assert chinese["repository"].pop("path_to_book") == "zh"
    assert english["repository"].pop("path_to_book") == ""
    assert chinese["bibtex_bibfiles"] == ["../" + f for f in english.pop("bibtex_bibfiles")]
    assert chinese.pop("bibtex_bibfiles")
    assert chinese["sphinx"].pop("local_extensions") == {
        k: "../" + v for k, v in english["sphinx"].pop("local_extensions").items()}
    for key in ("title", "exclude_patterns", "latex"):
        english.pop(key), chinese.pop(key)
    english["html"].pop("extra_footer"), chinese["html"].pop("extra_footer")
    assert chinese == english


def test_benchmarks_resolve_from_the_chinese_notebooks():
    """They run in zh/book/ when the cache misses and read ../benchmarks/results."""
    assert (CHINESE / "benchmarks" / "results").resolve() == ROOT / "benchmarks" / "results"


def test_language_switch_leads_to_the_same_page_in_the_other_edition():
    assert languages.other_page("book/04b_multimodal_classifier", "en", True) == (
        "../zh/book/04b_multimodal_classifier.html")
    assert languages.other_page("book/04b_multimodal_classifier", "zh", True) == (
        "../../book/04b_multimodal_classifier.html")
    assert languages.other_page("genindex", "zh", False) == "../book/index.html"


@pytest.mark.parametrize("page", [p for p in PAGES if p.suffix == ".ipynb"],
                         ids=lambda p: p.name)
def test_chinese_headings_are_translated(page):
    """A heading left as in English is a cell someone stamped without translating it."""
    chinese = CHINESE / "book" / page.name
    if not chinese.exists():
        pytest.skip("no Chinese page yet (the test above fails)")
    english = {c["id"]: c for c in read_notebook(page)["cells"]}
    for cell in read_notebook(chinese)["cells"]:
        if cell["cell_type"] != "markdown" or cell["id"] not in english:
            continue
        ours = set(re.findall(r"^#{1,4} (.+)$", "".join(cell["source"]), re.MULTILINE))
        theirs = set(re.findall(r"^#{1,4} (.+)$", "".join(english[cell["id"]]["source"]),
                                re.MULTILINE))
        same = [h for h in ours & theirs if re.search(r"[A-Za-z]{3,}", re.sub(r"`[^`]*`", "", h))]
        assert not same, f"zh/book/{page.name}, cell {cell['id']}: headings not translated: {same}"
