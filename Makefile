# Everything a fresh clone needs: `make demo` to see edgegate run, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
# The Lambda runtime's Python, to check the packaged gate on it (pyenv's 3.12 here).
PY312 ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12; do \
  $$p -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null && { echo $$p; break; }; done)

.PHONY: demo test lint typecheck pytest package vendor cfn-lint bench sim clean java

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# A python3.12 with boto3 only (as in Lambda): tests run the packaged gate on it.
.venv312/.installed:
	@if [ -n "$(PY312)" ]; then $(PY312) -m venv .venv312 && \
	  .venv312/bin/python -m pip install -q --disable-pip-version-check boto3 && touch $@; \
	else echo "no python3.12 found: the Lambda-runtime package test will be skipped"; fi

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

pytest: $(VENV)/.installed node_modules/.installed java .venv312/.installed
	$(BIN)/pytest

# The gate's vendored dependencies: PyPI wheels for the Lambda runtime (python3.12, x86_64).
build/vendor/.installed: infra/lambda-requirements.txt
	rm -rf build/vendor && mkdir -p build/vendor
	$(PY) -m pip install -q --disable-pip-version-check --no-compile \
	  --platform manylinux2014_x86_64 --implementation cp --python-version 3.12 \
	  --only-binary=:all: --target build/vendor -r infra/lambda-requirements.txt
	touch $@

vendor: $(VENV)/.installed build/vendor/.installed

# The real serverless.yml, packaged offline by the open-source Serverless Framework,
# then the generated CloudFormation template linted.
package: $(VENV)/.installed node_modules/.installed build/vendor/.installed
	npx --no-install osls package --stage ci
	@# W3005 (redundant DependsOn) is in what the framework generates, not in serverless.yml.
	$(BIN)/cfn-lint --non-zero-exit-code error --ignore-checks W3005 \
	  -- .serverless/cloudformation-template-update-stack.json

test: lint typecheck package pytest

bench: $(VENV)/.installed
	$(BIN)/edgegate bench decode
	$(BIN)/edgegate bench gate
	$(BIN)/edgegate bench pipeline

clean:
	rm -rf $(VENV) .venv312 node_modules .serverless build .mypy_cache .ruff_cache .pytest_cache
