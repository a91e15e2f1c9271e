# Everything a fresh clone needs: `make demo` to see edgegate run, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck pytest package cfn-lint bench sim clean java

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# DynamoDB Local (used by the concurrency tests) needs a Java runtime.
java:
	@command -v java >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null; }

demo: $(VENV)/.installed
	$(BIN)/edgegate demo

sim: $(VENV)/.installed
	$(BIN)/edgegate sim serve

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy

pytest: $(VENV)/.installed node_modules/.installed java
	$(BIN)/pytest

# The real serverless.yml, packaged offline by the open-source Serverless Framework,
# then the generated CloudFormation template linted.
package: $(VENV)/.installed node_modules/.installed
	npx --no-install osls package --stage ci
	$(BIN)/cfn-lint --non-zero-exit-code error .serverless/cloudformation-template-update-stack.json

test: lint typecheck package pytest

bench: $(VENV)/.installed
	$(BIN)/edgegate bench decode
	$(BIN)/edgegate bench gate
	$(BIN)/edgegate bench pipeline

clean:
	rm -rf $(VENV) node_modules .serverless .mypy_cache .ruff_cache .pytest_cache
