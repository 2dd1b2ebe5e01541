# The two commands of the README: `make book` builds the book, `make test` runs every test.
# Each makes its own virtual environment on first use, so a fresh machine needs only Python.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.mmtutor-installed

export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONHASHSEED := 0

.PHONY: book test lint unit notebooks bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,book]"
	touch $@

## book: execute every chapter and build the HTML book, warnings as errors.
book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "The book is at $(CURDIR)/_build/html/index.html"

## test: lint, unit tests with coverage (and doctests), then every chapter under nbval.
test: lint unit notebooks

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
		--cov=mmtutor --cov-report=term-missing:skip-covered --cov-fail-under=90

notebooks: $(STAMP)
	$(BIN)/pytest --nbval-lax --nbval-current-env -p no:cov book/

## bench: the benchmark scripts (minutes, not seconds).
bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf _build .coverage htmlcov
