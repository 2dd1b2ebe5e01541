"""Check the built sdist and wheel, then use the installed wheel as a reader would.

`tools/check_wheel.sh` (`make dist-check`) runs both steps:

    python tools/check_dist.py contents dist/   # in the repository: what the archives hold
    python tools/check_dist.py smoke            # in a fresh venv with only the wheel installed,
                                                # from a folder outside the repository

``contents`` fails when a file of the package (module or data) is missing from the wheel or
the sdist, when the sdist carries anything beyond the package and the project's documents
(``_build/``, virtual environments, benchmark results, the book, the tests), or when either
archive carries compiled Python files. ``smoke`` fails when ``mmtutor`` is not imported from
the virtual environment, when a shipped description cannot be read, when
``load_multidigits()`` gives the wrong splits, or when a CNN does not train for one epoch.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SDIST_TOP_LEVEL = {"PKG-INFO", "setup.cfg", "pyproject.toml", "README.md", "LICENSE",
                   "CHANGELOG.md", "MANIFEST.in", "mmtutor", "mmtutor.egg-info"}


def package_files() -> set[str]:
    """Every file of the package in the working tree (tracked, or new and not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", "mmtutor"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    return {name for name in listed
            if (ROOT / name).is_file() and "__pycache__" not in name
            and not name.endswith((".pyc", ".pyo"))}


def version() -> str:
    text = (ROOT / "mmtutor" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE).group(1)


def _only_one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    if len(found) != 1:
        raise SystemExit(f"check_dist expects one {pattern} in {folder}. Received: "
                         f"{[p.name for p in found]}. Run `make dist-check`, which empties "
                         f"the folder before building.")
    return found[0]


def check_contents(dist: Path) -> list[str]:
    """Return the problems found in the wheel and sdist of ``dist`` (empty: all good)."""
    problems = []
    ver = version()
    expected = package_files()
    wheel = _only_one(dist, f"mmtutor-{ver}-py3-none-any.whl")
    sdist = _only_one(dist, f"mmtutor-{ver}.tar.gz")

    with zipfile.ZipFile(wheel) as archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
    in_wheel = {n for n in names if n.startswith("mmtutor/")}
    others = {n.split("/")[0] for n in names} - {"mmtutor", f"mmtutor-{ver}.dist-info"}
    problems += [f"wheel lacks {n}" for n in sorted(expected - in_wheel)]
    problems += [f"wheel has {n}, which is not in the working tree"
                 for n in sorted(in_wheel - expected)]
    problems += [f"wheel has a top-level entry {n}" for n in sorted(others)]

    prefix = f"mmtutor-{ver}/"
    with tarfile.open(sdist) as archive:
        names = [m.name for m in archive.getmembers() if m.isfile()]
    stray = [n for n in names if not n.startswith(prefix)]
    problems += [f"sdist has {n} outside {prefix}" for n in stray]
    names = [n[len(prefix):] for n in names if n.startswith(prefix)]
    in_sdist = {n for n in names if n.startswith("mmtutor/")}
    problems += [f"sdist lacks {n}" for n in sorted(expected - in_sdist)]
    problems += [f"sdist has {n}, which is not in the working tree"
                 for n in sorted(in_sdist - expected)]
    top = {n.split("/")[0] for n in names}
    problems += [f"sdist has {n} (only the package and the project's documents belong there: "
                 f"prune it in MANIFEST.in)" for n in sorted(top - SDIST_TOP_LEVEL)]
    problems += [f"sdist lacks {n}" for n in ("PKG-INFO", "pyproject.toml", "README.md",
                                              "LICENSE", "CHANGELOG.md") if n not in top]
    problems += [f"{n} is compiled Python" for n in names
                 if "__pycache__" in n or n.endswith((".pyc", ".pyo"))]
    if not problems:
        data = sorted(n for n in expected if not n.endswith(".py"))
        print(f"check_dist: {wheel.name} ({wheel.stat().st_size / 1024:.0f} KiB) and "
              f"{sdist.name} ({sdist.stat().st_size / 1024:.0f} KiB) each hold the "
              f"{len(expected)} files of the package, data included: {', '.join(data)}")
    return problems


def smoke() -> None:
    """Use the installed wheel: imports, shipped data, the book's data set, one epoch of fit."""
    import math
    import time
    from importlib import resources

    import keras

    import mmtutor
    from mmtutor.datasets import describe, load_digits, load_multidigits
    from mmtutor.models import CNN

    location = Path(mmtutor.__file__).resolve()
    if not location.is_relative_to(Path(sys.prefix).resolve()):
        raise SystemExit(f"check_dist smoke expects mmtutor from the virtual environment "
                         f"{sys.prefix}. Received: {location}. Run it from a folder outside "
                         f"the repository.")
    print(f"check_dist: mmtutor {mmtutor.__version__} from {location.parent}, "
          f"keras {keras.__version__}")

    shipped = resources.files("mmtutor.datasets")
    for entry in sorted(shipped.joinpath("descr").iterdir(), key=lambda e: e.name):
        title = describe(entry.name.removesuffix(".md")).splitlines()[0]
        assert title.startswith("# "), (entry.name, title)
    data_files = [e.name for e in shipped.joinpath("data").iterdir()]
    assert data_files, "mmtutor/datasets/data is empty in the installed package"

    start = time.perf_counter()
    data = load_multidigits()
    sizes = (len(data.train), len(data.validation), len(data.test))
    assert sorted(data.train.inputs) == ["audio", "image", "text"], sorted(data.train.inputs)
    assert sum(sizes) == 1797, sizes
    print(f"check_dist: load_multidigits() {sizes} in {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    keras.utils.set_random_seed(0)
    (x_train, y_train), (x_test, y_test) = load_digits()
    model = CNN(input_shape=(8, 8, 1), num_classes=10)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x_train, y_train, epochs=1, batch_size=64, verbose=0)
    loss = history.history["loss"][-1]
    probabilities = model.predict(x_test, verbose=0)
    assert math.isfinite(loss), loss
    assert probabilities.shape == (len(x_test), 10), probabilities.shape
    print(f"check_dist: CNN fit, 1 epoch: loss {loss:.3f}, "
          f"{time.perf_counter() - start:.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    contents = commands.add_parser("contents", help="check the archives in a folder")
    contents.add_argument("dist", type=Path)
    commands.add_parser("smoke", help="use the installed wheel (run in its venv)")
    args = parser.parse_args(argv)
    if args.command == "contents":
        problems = check_contents(args.dist)
        for problem in problems:
            print(f"check_dist: {problem}", file=sys.stderr)
        return 1 if problems else 0
    smoke()
    return 0


if __name__ == "__main__":
    sys.exit(main())
