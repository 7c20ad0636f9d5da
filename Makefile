# cxbench: `make run` (the demo, end to end) and `make test` (the whole suite).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CXBENCH_HOME ?= $(CURDIR)/data
export CXBENCH_HOME
# No telemetry from any part of the stack.
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false
export DAGSTER_DISABLE_TELEMETRY := 1

.PHONY: help venv system-packages manifest run test lint ui clean

help:
	@echo "make run    - write the demo landing set (when landing/ is empty) and run the benchmark"
	@echo "make test   - the whole test suite (installs R, survey and chromium when missing)"
	@echo "make ui     - Dagster UI and daemon on http://127.0.0.1:3000 (CXBENCH_UI_PORT; Ctrl-C stops)"
	@echo "make lint   - ruff, and SQLFluff over the dbt project"
	@echo "make bench  - performance against the DuckDB floor and pandas (ROWS=1M, ROWS=10M)"
	@echo "make clean  - remove the venv and dbt build output (keeps data/)"

# The venv is rebuilt whenever the lock or the package metadata changes.
$(BIN)/.installed: requirements.lock requirements-spark.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-input -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-input -c requirements.lock -r requirements-spark.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-input --no-deps -e .
	touch $@

venv: $(BIN)/.installed

# SQLFluff in a venv of its own (requirements-lint.lock says why).
LINT_VENV := .venv-lint
$(LINT_VENV)/bin/.installed: requirements-lint.lock
	$(PYTHON) -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/pip install --quiet --disable-pip-version-check --no-input -r requirements-lint.lock
	touch $@

manifest: venv
	$(BIN)/python -c "from orchestration.dbt import ensure_manifest; ensure_manifest()"

system-packages:
	bash scripts/ensure-system-packages.sh

run: manifest
	@mkdir -p "$(CXBENCH_HOME)/landing"
	@if [ -z "$$(ls -A "$(CXBENCH_HOME)/landing")" ]; then $(BIN)/cxbench demo-data; fi
	$(BIN)/cxbench run

test: manifest system-packages
	$(BIN)/python -m pytest

# Webserver and daemon as two processes on 127.0.0.1 (scripts/ui.sh stops both on Ctrl-C).
ui: manifest
	bash scripts/ui.sh

lint: venv $(LINT_VENV)/bin/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# dbt renders the SQL (dbt_project/.sqlfluff); its parse output goes to a scratch folder.
	scratch=$$(mktemp -d) && cd dbt_project && \
	  CXBENCH_WAREHOUSE=$$scratch/lint.duckdb DBT_TARGET_PATH=$$scratch DBT_LOG_PATH=$$scratch \
	  ../$(LINT_VENV)/bin/sqlfluff lint models tests --processes 2; \
	  status=$$?; rm -rf $$scratch; exit $$status

clean:
	rm -rf $(VENV) $(LINT_VENV) dbt_project/target dbt_project/logs

# Performance (not part of `make test`): `make bench` or `make bench ROWS=10M REPEATS=3`.
ROWS ?= 1M
REPEATS ?= 3
.PHONY: bench
bench: manifest
	$(BIN)/python -m bench.run --rows $(ROWS) --repeats $(REPEATS)
