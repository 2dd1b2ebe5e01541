"""Drop the book's execution cache when the package it imports has changed.

Jupyter Book's execution cache (``execute_notebooks: cache``) re-executes a chapter only when
its code cells change, so a prose edit rebuilds in seconds. It hashes the notebooks alone,
not the ``mmtutor`` package they import: after a change to the package, a cached output could
show what the old code computed. ``make book`` runs this script first. It hashes every file of
``mmtutor/`` and ``pyproject.toml`` (the declared dependencies), compares the hash with the
one stored beside the cache, and when they differ removes the cache and Sphinx's saved
environment (``.doctrees``, the English edition's and the Chinese edition's, which shares the
cache): without the latter, Sphinx would not even read the chapters whose files did not
change, and their old outputs would stay. Every chapter then runs again against the new
package.

Usage:
    python tools/book_cache.py [--build DIR]    # default DIR: _build
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def source_hash(root: Path = ROOT) -> str:
    """SHA-256 over the path and bytes of every package file and of pyproject.toml."""
    digest = hashlib.sha256()
    files = sorted(p for p in (root / "mmtutor").rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts)
    for path in [*files, root / "pyproject.toml"]:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=ROOT / "_build")
    args = parser.parse_args(argv)
    saved = [args.build / ".jupyter_cache", args.build / ".doctrees",
             ROOT / "zh" / "_build" / ".doctrees"]
    stamp = args.build / ".mmtutor-source-hash"
    current = source_hash()
    previous = stamp.read_text().strip() if stamp.exists() else None
    if previous != current:
        for folder in saved:
            shutil.rmtree(folder, ignore_errors=True)
        print("mmtutor changed since the last build (or no build yet): every chapter runs")
        args.build.mkdir(parents=True, exist_ok=True)
        temporary = stamp.with_suffix(".tmp")
        temporary.write_text(current + "\n")
        temporary.replace(stamp)
    else:
        print("mmtutor unchanged: chapters whose code cells did not change come from the cache")


if __name__ == "__main__":
    main()
