"""Keep the Chinese edition (zh/) in step with the English book (book/).

The two editions are one book: a Chinese notebook has the English notebook's cells, by cell
id, with the same code cells (source and metadata) and the notebook's metadata; only its
markdown cells differ, and each records which version of the English cell it translates, as
``metadata["mmtutor"]["translates"]``, a hash of the English cell's source. A markdown page
(``.md``) records the hash of the whole English page in its first line,
``<!-- translates: <hash> -->``.

Usage (from the repository root):

    python tools/translations.py start book/01_background.ipynb   # zh/book/... from the English
    python tools/translations.py stamp zh/book/01_background.ipynb  # after translating cells
    python tools/translations.py sync      # copy code changes over, list what needs translating
    python tools/translations.py status    # list stale or untranslated cells; exit 1 if any

``start`` copies the English notebook (markdown in English, no stamps); ``stamp`` records the
English hash on every markdown cell whose text differs from the English cell's (translated
since) and on cells that have nothing to translate (no letters: a label, an equation);
``sync`` copies every code cell and the notebook metadata from the English notebook, adds
new English cells (untranslated), drops removed ones, keeps the English order, and prints the
cells whose English changed since they were translated.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENGLISH, CHINESE = ROOT / "book", ROOT / "zh" / "book"
_MD_STAMP = re.compile(r"^<!-- translates: ([0-9a-f]+) -->\n")


def fingerprint(text: str) -> str:
    """The hash a translation records of the English text it translates."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def source(cell: dict) -> str:
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def write(path: Path, notebook: dict) -> None:
    """Write a notebook the way the English ones are written (nbformat's layout), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n",
                         encoding="utf-8")
    temporary.replace(path)


def counterpart(path: Path) -> Path:
    """The other edition's file of ``path`` (book/x <-> zh/book/x)."""
    path = path.resolve()
    if path.is_relative_to(CHINESE):
        return ENGLISH / path.relative_to(CHINESE)
    return CHINESE / path.relative_to(ENGLISH)


def stamp_of(cell: dict) -> str | None:
    return cell.get("metadata", {}).get("mmtutor", {}).get("translates")


def needs_no_translation(text: str) -> bool:
    """A cell without words (a label, an equation, an image) is the same in both editions."""
    prose = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|\([\w-]+\)=|\{[\w:-]+\}`[^`]*`|`[^`]*`", "", text,
                   flags=re.DOTALL)
    return not re.search(r"[A-Za-z]{2,}", prose)


def problems(english: dict, chinese: dict) -> list[str]:
    """Every way ``chinese`` is not a current translation of ``english``, one line each."""
    found = []
    ids_en = [c.get("id") for c in english["cells"]]
    ids_zh = [c.get("id") for c in chinese["cells"]]
    if ids_en != ids_zh:
        missing = [i for i in ids_en if i not in ids_zh]
        extra = [i for i in ids_zh if i not in ids_en]
        found.append(f"cells differ: missing {missing}, extra {extra}"
                     if missing or extra else "cells are in a different order")
        return found
    if chinese.get("metadata") != english.get("metadata"):
        found.append("notebook metadata differs from the English notebook's")
    for en, zh in zip(english["cells"], chinese["cells"], strict=True):
        where = f"cell {en.get('id')}"
        if en["cell_type"] != zh["cell_type"]:
            found.append(f"{where}: {zh['cell_type']} here, {en['cell_type']} in English")
        elif en["cell_type"] == "code":
            if source(en) != source(zh) or en.get("metadata") != zh.get("metadata"):
                found.append(f"{where}: code or its metadata differs from the English cell")
        elif stamp_of(zh) is None:
            found.append(f"{where}: not translated yet")
        elif stamp_of(zh) != fingerprint(source(en)):
            found.append(f"{where}: stale, the English cell changed since it was translated")
    return found


def markdown_problems(english: Path, chinese: Path) -> list[str]:
    match = _MD_STAMP.match(chinese.read_text(encoding="utf-8"))
    if not match:
        return ["no '<!-- translates: HASH -->' first line"]
    if match.group(1) != fingerprint(english.read_text(encoding="utf-8")):
        return ["stale, the English page changed since it was translated"]
    return []


def start(path: Path) -> Path:
    target = counterpart(path)
    if target.exists():
        raise SystemExit(f"{target} exists; use `sync` to bring it up to date")
    if path.suffix == ".md":
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    else:
        write(target, read(path))
    return target


def stamp(path: Path) -> int:
    """Record the English hash on the translated (or wordless) markdown cells of ``path``."""
    english_path = counterpart(path)
    if path.suffix == ".md":
        text = _MD_STAMP.sub("", path.read_text(encoding="utf-8"))
        line = f"<!-- translates: {fingerprint(english_path.read_text(encoding='utf-8'))} -->\n"
        path.write_text(line + text, encoding="utf-8")
        return 1
    english, chinese = read(english_path), read(path)
    by_id = {c.get("id"): c for c in english["cells"]}
    stamped = 0
    for cell in chinese["cells"]:
        en = by_id.get(cell.get("id"))
        if cell["cell_type"] != "markdown" or en is None:
            continue
        if source(cell) != source(en) or needs_no_translation(source(en)):
            cell.setdefault("metadata", {}).setdefault("mmtutor", {})["translates"] = (
                fingerprint(source(en)))
            stamped += 1
    write(path, chinese)
    return stamped


def sync(path: Path) -> list[str]:
    """Bring ``path`` (Chinese) in step with its English notebook; return what needs work."""
    english = read(counterpart(path))
    chinese = read(path) if path.exists() else {"cells": []}
    by_id = {c.get("id"): c for c in chinese["cells"]}
    cells = []
    for en in english["cells"]:
        zh = by_id.get(en.get("id"))
        if en["cell_type"] == "code" or zh is None or zh["cell_type"] != en["cell_type"]:
            cells.append(copy.deepcopy(en))
        else:
            cells.append(zh)
    synced = copy.deepcopy(english)
    synced["cells"] = cells
    write(path, synced)
    return problems(english, synced)


def _pages() -> list[Path]:
    return sorted(p for p in ENGLISH.iterdir() if p.suffix in (".ipynb", ".md"))


def status() -> int:
    bad = 0
    for page in _pages():
        target = counterpart(page)
        if not target.exists():
            print(f"{target.relative_to(ROOT)}: missing")
            bad += 1
            continue
        found = (markdown_problems(page, target) if page.suffix == ".md"
                 else problems(read(page), read(target)))
        for line in found:
            print(f"{target.relative_to(ROOT)}: {line}")
        bad += bool(found)
    return bad


def main(argv: list[str]) -> int:
    command, *paths = argv or ["status"]
    if command == "start":
        for p in paths:
            print(f"wrote {start(Path(p)).relative_to(ROOT)}")
    elif command == "stamp":
        for p in paths:
            print(f"{p}: {stamp(Path(p))} cells stamped")
    elif command == "sync":
        for page in _pages():
            target = counterpart(page)
            if page.suffix == ".ipynb" and target.exists():
                for line in sync(target):
                    print(f"{target.relative_to(ROOT)}: {line}")
    elif command == "status":
        return 1 if status() else 0
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
