# The two commands of the README: `make book` builds the book, `make test` runs every test.
# Each makes its own virtual environment on first use, so a fresh machine needs only Python.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.mmtutor-installed

export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONHASHSEED := 0

.PHONY: book check-pages test lint unit slow scale notebooks bench gpu-check dist-check lower-bounds \
	clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,book]"
	touch $@

## book: execute every chapter and build the HTML book, warnings as errors: the English
## edition at _build/html/, then the Chinese edition (zh/, same code cells, so its outputs
## come from the English edition's execution cache) at _build/html/zh/.
## Chapters whose code cells did not change come from Jupyter Book's execution cache
## (_build/.jupyter_cache); tools/book_cache.py drops the cache first when mmtutor/ or
## pyproject.toml changed, since the cache's hash covers the notebooks only. A fresh clone
## (CI) has no cache and executes every chapter.
book: $(STAMP)
	$(BIN)/python tools/book_cache.py
	$(BIN)/jupyter-book build . -W -n --keep-going
	$(BIN)/jupyter-book build zh -W -n --keep-going
	rm -rf _build/html/zh && cp -r zh/_build/html _build/html/zh
	@echo "The book is at $(CURDIR)/_build/html/index.html (中文: _build/html/zh/index.html)"

## check-pages: open every built page in headless Chromium (Debian's `chromium` package;
## skipped with a hint when absent): console errors, images, offline math, launch links, and
## a screenshot per page in _build/screenshots.
check-pages: $(STAMP)
	$(BIN)/python tools/check_pages.py

## test: lint, unit tests with coverage (and doctests), the slow tests, the scale tests,
## then every chapter under nbval.
test: lint unit slow scale notebooks

lint: $(STAMP)
	$(BIN)/ruff check .

# Two worker processes (pytest-xdist), one per core of the machine the budget is set for;
# `make unit TEST_WORKERS=0` runs everything in one process. nbval is only for `notebooks`.
# Plain asserts skip pytest's rewriting of every test and plugin module on each run (~4 s
# over the suite); for a failing test, `make unit TEST_ASSERT=rewrite` shows the compared
# values of a bare `assert`.
TEST_WORKERS ?= 2
TEST_ASSERT ?= plain

unit: $(STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadscope -p no:nbval --assert=$(TEST_ASSERT) \
		-m "not slow and not scale" --cov=mmtutor --cov-report=term-missing:skip-covered \
		--cov-fail-under=95

## slow: the tests marked slow (the common harness over every layer and model, whole
## protocols), in their own step so `make unit` stays within its one-minute budget.
slow: $(STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadscope -p no:nbval -p no:cov \
		--assert=$(TEST_ASSERT) -m slow

## scale: the tests marked scale (one device against two replicas, two workers on
## localhost, precision and XLA), each in fresh processes of its own; within 180 s on 2 cores.
## One pytest process: the subprocesses they start already use both cores.
scale: $(STAMP)
	$(BIN)/pytest -p no:nbval -p no:cov --assert=$(TEST_ASSERT) -m scale tests

notebooks: $(STAMP)
	$(BIN)/pytest --nbval-lax --nbval-current-env -p no:cov book/

## bench: the benchmark scripts (minutes, not seconds).
bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

## gpu-check: on a machine with a GPU (else on the CPU, and it says so), every chapter under
## nbval with its time, the distribution, precision and XLA tests, and the scaling benchmark;
## prints every failure. GPU_CHECK_CHAPTERS="05a 04c" and GPU_CHECK_PARTS limit it.
gpu-check: $(STAMP)
	VENV_PYTHON=$(BIN)/python bash tools/gpu-check.sh

## dist-check: build the sdist and wheel (dist/), twine-check them and their contents, then
## install the wheel into a fresh venv and load data and fit a model with it.
dist-check: $(STAMP)
	VENV_PYTHON=$(BIN)/python PYTHON=$(PYTHON) bash tools/check_wheel.sh

## lower-bounds: unit tests and doctests with every runtime dependency at the lowest version
## pyproject.toml allows, in its own venv (.venv-lower/; `PYTHON=python3.10` for the oldest
## Python). tools/lower_bounds.py writes the pins; the test tools come as the dev extra
## declares them. Only wheels: a lower bound must install without compiling.
LOWER_VENV ?= .venv-lower
LOWER_BIN := $(LOWER_VENV)/bin
LOWER_STAMP := $(LOWER_VENV)/.mmtutor-installed
LOWER_TEST_TOOLS := pytest pytest-xdist hypothesis

$(LOWER_STAMP): pyproject.toml tools/lower_bounds.py tools/lower_bounds_constraints.txt
	rm -rf $(LOWER_VENV)
	$(PYTHON) -m venv $(LOWER_VENV)
	$(LOWER_BIN)/python -m pip install --quiet --upgrade pip
	$(LOWER_BIN)/python -m pip install --quiet packaging "tomli; python_version < '3.11'"
	$(LOWER_BIN)/python tools/lower_bounds.py -o $(LOWER_VENV)/lower-bounds.txt
	$(LOWER_BIN)/python tools/lower_bounds.py --extra dev --only $(LOWER_TEST_TOOLS) \
		-o $(LOWER_VENV)/test-tools.txt
	$(LOWER_BIN)/python -m pip install --quiet --only-binary=:all: \
		-r $(LOWER_VENV)/lower-bounds.txt -r $(LOWER_VENV)/test-tools.txt \
		-c tools/lower_bounds_constraints.txt
	$(LOWER_BIN)/python -m pip install --quiet --no-deps -e .
	$(LOWER_BIN)/python -m pip check
	touch $@

lower-bounds: $(LOWER_STAMP)
	@$(LOWER_BIN)/python -m pip list --format=freeze | grep -iE \
		'^(tensorflow|keras|numpy|scipy|matplotlib|scikit-learn)=='
	$(LOWER_BIN)/pytest -n $(TEST_WORKERS) --dist loadscope -p no:nbval -p no:cov \
		--assert=$(TEST_ASSERT) -m "not scale" tests mmtutor

clean:
	rm -rf _build .coverage htmlcov dist
