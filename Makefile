# Two commands do all set-up on a fresh Linux machine with Python 3.11+:
#   make demo   runs the main job on the sandbox (JupyterLab on the demo client)
#   make test   runs the whole test suite (installs Debian's Chromium for the browser tests if missing)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo demo-headless test lint bench chromium clean help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "wxsync needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

venv: $(STAMP) ## create or refresh the virtual environment

chromium: ## install Debian's Chromium for the browser tests (no browser download by any tool)
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends chromium; \
	fi

demo: $(STAMP) ## run the whole job on the sandbox and open JupyterLab on the demo client
	$(BIN)/wxsync demo

demo-headless: $(STAMP) ## the same job with no browser: notebooks executed in order, evidence printed
	$(BIN)/wxsync demo --headless

lint: $(STAMP) ## ruff over the code
	$(BIN)/ruff check wxsync tests benchmarks

test: $(STAMP) chromium ## the whole test suite: lint, unit, sandbox, notebooks and browser tests
	$(BIN)/ruff check wxsync tests benchmarks
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(STAMP) ## print the speed, memory and accuracy figures
	$(BIN)/python benchmarks/load.py
	$(BIN)/python benchmarks/matching.py
	$(BIN)/python benchmarks/merge.py
	$(BIN)/python benchmarks/review_browser.py

clean: ## remove the virtual environment and caches (keeps data/)
	rm -rf $(VENV) .pytest_cache .ruff_cache
