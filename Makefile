# Two entry points for a fresh machine (see README.md):
#   make demo   set up .venv and scan sample_data/ into out/sample (DuckDB store out/sample.duckdb)
#   make test   set up .venv and run the test suite
PY ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: setup demo test test-fast lint bench

$(BIN)/cib: pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev,spark]' -c constraints.txt
	touch $(BIN)/cib

setup: $(BIN)/cib

demo: setup
	rm -f out/sample.duckdb
	$(BIN)/cib scan sample_data/sim/posts.csv --db out/sample.duckdb --out out/sample
	$(BIN)/cib evaluate --labels sample_data/sim/labels.csv --accounts out/sample/accounts.csv

test: setup
	$(BIN)/python -m pytest -q -x

# Unit tests without the real embedding model, Spark or the browser (a developer's loop;
# `make test` is the full suite that CI runs).
test-fast: setup
	$(BIN)/python -m pytest -q -x -m "not slow and not spark and not browser"

lint: setup
	$(BIN)/ruff check cib tests pipelines
	$(BIN)/ruff format --check cib tests pipelines
	$(BIN)/mypy --strict cib/detect cib/report cib/store

bench: setup
	$(BIN)/python pipelines/benchmark.py --sizes 100k,1m,5m --repeats 3
