#!/usr/bin/env bash
# Release check (`make dist-check`): build the sdist and the wheel, check their metadata
# (twine check --strict) and contents, install the wheel with its dependencies into a fresh
# virtual environment, and use it there from a folder outside the repository: the package's
# data, load_multidigits() and one epoch of a CNN's fit.
#
# Environment: VENV_PYTHON, the Python with build and twine (the dev extra; default
# .venv/bin/python); PYTHON, the Python that makes the fresh venv (default python3);
# DIST, the output folder (default dist/, emptied first).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
VENV_PYTHON=${VENV_PYTHON:-.venv/bin/python}
PYTHON=${PYTHON:-python3}
DIST=${DIST:-dist}

work=$(mktemp -d "${TMPDIR:-/tmp}/mmtutor-dist-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

rm -rf "$DIST"
mkdir -p "$DIST"
dist=$(cd "$DIST" && pwd)
"$VENV_PYTHON" -m build --outdir "$dist" . >"$work/build.log" 2>&1 \
    || { cat "$work/build.log"; exit 1; }
"$VENV_PYTHON" -m twine check --strict "$dist"/*
"$VENV_PYTHON" tools/check_dist.py contents "$dist"

"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --upgrade pip
"$work/venv/bin/python" -m pip install --quiet "$dist"/*.whl
"$work/venv/bin/python" -m pip check
cd "$work"
MMTUTOR_DATA_DIR="$work/data" TF_CPP_MIN_LOG_LEVEL=3 \
    "$work/venv/bin/python" "$root/tools/check_dist.py" smoke
echo "dist-check: $(cd "$dist" && echo *) pass"
