# The two commands of the README: `make demo` and `make test`. Both create .venv and install maaltal
# with what it needs on first use (and again whenever pyproject.toml changes): the extras the tests use,
# `dev` and `spark` (the Spark test compares Spark with DuckDB; without Java it skips itself).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_STORE := out/demo.duckdb

.PHONY: demo test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "maaltal needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p out
	$(BIN)/maaltal --store $(DEMO_STORE) demo
	COLUMNS=110 $(BIN)/maaltal --store $(DEMO_STORE) overview --area 167 --period 2024M12
	$(BIN)/maaltal --store $(DEMO_STORE) report --area 167 --period 2024M12 --previous 2024M09 \
		--benchmark group:vestegnen --committee "Social- og Arbejdsmarkedsudvalget" --out out --agenda \
		--catalogue examples/demo-hvidovre-2024.yaml --attach forecast=examples/budget/enhedspriser-demo.csv

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
