# Everything a fresh clone needs: `make demo` to see edgegate run, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
# The Lambda runtime's Python, to check the packaged gate on it (pyenv's 3.12 here).
PY312 ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12; do \
  $$p -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null && { echo $$p; break; }; done)

.PHONY: lock upgrade exports demo test lint typecheck pytest package vendor cfn-lint bench sim clean java chromium systemd-analyze offline

# uv, pinned with hashes in tools/uv-requirements.txt, installs everything below from uv.lock.
UV_HOME ?= .uv
UV := $(UV_HOME)/bin/uv
export UV_PYTHON_DOWNLOADS := never
LOCK_STALE := uv.lock does not match pyproject.toml: run 'make lock' (or 'make upgrade') and commit uv.lock and infra/*-requirements.txt

$(UV): tools/uv-requirements.txt
	rm -rf $(UV_HOME) && $(PYTHON) -m venv $(UV_HOME)
	$(UV_HOME)/bin/python -m pip --isolated install -q --no-deps \
	  --require-hashes -r tools/uv-requirements.txt
	touch $@

# Exactly the lock, package for package (uv sync removes anything the lock does not list).
$(VENV)/.installed: pyproject.toml uv.lock $(UV)
	@$(UV) lock --check --python $(PYTHON) -q || { echo "$(LOCK_STALE)" >&2; exit 1; }
	$(UV) sync --locked --python $(PYTHON) -q
	touch $@

# Re-resolve after pyproject.toml changed, keeping every version the lock already has that
# still fits; `make upgrade` moves every package to the newest version the ranges allow.
lock: $(UV)
	$(UV) lock --python $(PYTHON)
	$(MAKE) --no-print-directory exports

upgrade: $(UV)
	$(UV) lock --upgrade --python $(PYTHON)
	$(MAKE) --no-print-directory exports

# The Lambda package's dependencies and the Lambda runtime's boto3, pinned with hashes
# from uv.lock (tests/unit/test_lock.py fails when these drift from the lock).
EXPORT = { echo '\# Generated from uv.lock by make lock (dependency group $(1) in pyproject.toml): do not edit.'; \
  echo '\# $(2)'; $(UV) export --frozen --only-group $(1) --no-emit-project --no-header -q; }
exports: $(UV)
	$(call EXPORT,lambda,What the gate vendors: make vendor installs them for python3.12 on x86_64.) \
	  > infra/lambda-requirements.txt
	$(call EXPORT,lambda-runtime,What the Lambda runtime brings: the python3.12 environment that tests the package.) \
	  > infra/lambda-runtime-requirements.txt

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# A python3.12 with boto3 only (as in Lambda): tests run the packaged gate on it.
.venv312/.installed: infra/lambda-runtime-requirements.txt $(UV)
	@if [ -n "$(PY312)" ]; then rm -rf .venv312 && $(UV) venv -q --python $(PY312) .venv312 && \
	  $(UV) pip sync -q --python .venv312/bin/python --require-hashes \
	    infra/lambda-runtime-requirements.txt && touch $@; \
	else echo "no python3.12 found: the Lambda-runtime package test will be skipped"; fi

# DynamoDB Local (used by the concurrency tests) needs a Java runtime.
java:
	@command -v java >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null; }

# The report's browser test (tests/integration/report) renders report.html in Debian's
# headless Chromium.
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

# The brain unit's test (tests/integration/infra) runs systemd-analyze verify and security.
systemd-analyze:
	@command -v systemd-analyze >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq systemd >/dev/null; }

demo: $(VENV)/.installed
	$(BIN)/edgegate demo

# The gate under serverless-offline (serverless.yml's local stage) on 127.0.0.1:8701,
# against the simulator and a loopback DynamoDB; export EDGEGATE_SIGNING_SECRET and
# EDGEGATE_ADMIN_SECRET first (>= 32 bytes each, different).
offline: $(VENV)/.installed node_modules/.installed
	$(BIN)/edgegate offline

sim: $(VENV)/.installed
	$(BIN)/edgegate sim serve

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy

pytest: $(VENV)/.installed node_modules/.installed java chromium systemd-analyze .venv312/.installed
	$(BIN)/pytest

# The gate's vendored dependencies: PyPI wheels for the Lambda runtime (python3.12, x86_64).
build/vendor/.installed: infra/lambda-requirements.txt $(UV)
	rm -rf build/vendor && mkdir -p build/vendor
	$(UV) pip install -q --no-deps --require-hashes --only-binary :all: \
	  --python-platform x86_64-manylinux2014 --python-version 3.12 \
	  --target build/vendor -r infra/lambda-requirements.txt
	@# The stamp is the requirements it was built from: osls refuses to package without it
	@# (tools/serverless/vendor-check.js), so a zip without its dependencies cannot ship.
	cp infra/lambda-requirements.txt $@

vendor: $(VENV)/.installed build/vendor/.installed

# The real serverless.yml, packaged offline by the open-source Serverless Framework for
# STAGE (make package STAGE=dev), then the generated CloudFormation template linted.
STAGE ?= ci
package: $(VENV)/.installed node_modules/.installed build/vendor/.installed
	npx --no-install osls package --stage $(STAGE)
	@# W3005 (redundant DependsOn) is in what the framework generates, not in serverless.yml.
	$(BIN)/cfn-lint --non-zero-exit-code error --ignore-checks W3005 \
	  -- .serverless/cloudformation-template-update-stack.json

test: lint typecheck package pytest

bench: $(VENV)/.installed
	$(BIN)/edgegate bench decode
	$(BIN)/edgegate bench gate
	$(BIN)/edgegate bench pipeline

clean:
	rm -rf $(VENV) $(UV_HOME) .venv312 node_modules .serverless build .mypy_cache .ruff_cache .pytest_cache
