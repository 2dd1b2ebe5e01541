"""Reading the book's sources for the tests in this folder: notebooks, cells, the toc."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
CHINESE = ROOT / "zh"  # the Chinese edition: zh/_toc.yml, zh/book/


def read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def toc_files(caption: str | None = None, root: Path = ROOT) -> list[str]:
    """The files ``_toc.yml`` lists (``book/name``, no suffix), or those of one part."""
    text = (root / "_toc.yml").read_text(encoding="utf-8")
    if caption is not None:
        parts = re.split(r"^\s*- caption:\s*", text, flags=re.MULTILINE)
        text = next(p for p in parts[1:] if p.startswith(caption))
        return re.findall(r"^\s*-?\s*file:\s*(\S+)", text, re.MULTILINE)
    root = re.findall(r"^root:\s*(\S+)", text, re.MULTILINE)
    return root + re.findall(r"^\s*-?\s*file:\s*(\S+)", text, re.MULTILINE)


def chapter_pages(root: Path = ROOT) -> list[Path]:
    """The pages of the toc's chapters part, as the files they are (.ipynb or .md).

    ``root`` is the repository root (the English edition) or ``CHINESE``.
    """
    pages = []
    for name in toc_files("Chapters" if root == ROOT else "章节", root):
        found = [root / f"{name}{ext}" for ext in (".ipynb", ".md")
                 if (root / f"{name}{ext}").exists()]
        pages += found[:1]
    return pages
