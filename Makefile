# Every target installs what it needs: on a fresh machine `make serve` and `make test` are enough.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_READY := $(VENV)/.installed
LOCK := requirements.lock
JS_READY := node_modules/.installed
CHROMIUM := /usr/bin/chromium
# Quiet the theme's banner about its successor on every build.
export NO_MKDOCS_2_WARNING := 1

.DEFAULT_GOAL := help
.PHONY: help serve build check test lint unit clean schema browser bench jsunit lock

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# The whole Python tree (the extras dev and xlsx, and setuptools, the build backend) is pinned
# with hashes in requirements.lock: pip refuses any file whose hash is not there. The project
# itself goes in editable, which cannot be hashed: without its dependencies (they are the lock's)
# and with the backend from the lock rather than an isolated, unpinned build environment.
$(PY_READY): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# `make lock` keeps every pin that pyproject.toml still allows; `make lock UPGRADE=1` takes the
# newest release of everything (the direct dependencies stay as pyproject.toml pins them).
lock: $(PY_READY) ## Resolve requirements.lock anew from pyproject.toml (UPGRADE=1: newest of all)
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra xlsx --universal --python-version 3.11 \
		--generate-hashes --no-config --custom-compile-command 'make lock' --quiet \
		$(if $(UPGRADE),--upgrade) -o $(LOCK)

$(JS_READY): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

serve: $(PY_READY) $(JS_READY) ## Check the rubrics and serve the site with live reload (edited .py files: restart it)
	$(BIN)/thangdiem check
	$(BIN)/mkdocs serve --livereload --watch rubrics --watch site_src --watch generator

build: $(PY_READY) $(JS_READY) ## Build the site into site/
	$(BIN)/mkdocs build --strict

check: $(PY_READY) ## Validate every rubric in rubrics/
	$(BIN)/thangdiem check

lint: $(PY_READY) $(JS_READY) ## ruff (lint and format), mypy; eslint and tsc for the browser code
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	node_modules/.bin/eslint --max-warnings=0 site_src/javascripts
	node_modules/.bin/tsc -p tsconfig.json

jsunit: $(JS_READY) ## node --test: the browser code's pure parts (site_src/javascripts/**/*.test.mjs)
	node --test $$(find site_src/javascripts -name '*.test.mjs' | sort)

test: jsunit

browser: $(PY_READY) ## Make sure a Chromium is there for the browser tests (e2e/)
	@if [ -x $(CHROMIUM) ] || command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		$(BIN)/python -m playwright install chromium; \
	fi

unit: $(PY_READY) $(JS_READY) ## pytest tests/: unit, property, Pyodide (Node), site build
	$(BIN)/pytest

# A bare `pytest` leaves the browser out (testpaths); `make test` runs it all the same.
.PHONY: e2e
e2e: $(PY_READY) $(JS_READY) browser ## pytest e2e/: the browser tests (Chromium)
	$(BIN)/pytest e2e

test: lint unit e2e ## All the tests

clean: ## Remove what the build made
	rm -rf site dist build .pytest_cache .mypy_cache .ruff_cache

bench: $(PY_READY) $(JS_READY) browser ## Measure speed and weight (benchmarks/results.*, README)
	$(BIN)/python benchmarks/bench.py

schema: $(PY_READY) ## Regenerate site_src/schema/rubric.schema.json from the model
	$(BIN)/thangdiem schema > site_src/schema/rubric.schema.json
