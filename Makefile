# dedup: the two commands of the README, and a few more.
#   make demo    install dedup into .venv and scan the sample corpus in data/ (groups printed, outputs in out/)
#   make test    install dedup with its test extras (and Debian's chromium when root) and run the tests
#   make bench   run the benchmark harness (benchmarks/harness.py)
#   make check   run the project's acceptance checks (../shared/checks/run-all)
# Needs only GNU make and Python 3.11 (python3.11, else python3); everything else comes from the registries.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY_BOOT ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
CORPUS ?= data/corpus.jsonl
OUT ?= out
PYTEST_ARGS ?=

.PHONY: help demo test bench check clean browser

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

# -- the virtual environment and what is installed in it (stamps: a second run installs nothing) --
$(PY):
	@test -n "$(PY_BOOT)" || { echo "make: need python3.11 (or python3) on PATH" >&2; exit 1; }
	$(PY_BOOT) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install -e '.[test]'
	@touch $@ $(VENV)/.installed

# Debian's chromium and chromium-driver for the headless browser tests: only when root with apt-get;
# otherwise those tests skip with a reason.
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing chromium and chromium-driver"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null \
	    || echo "make: could not install chromium; the browser tests will skip" >&2; \
	fi

# -- the README's two commands -----------------------------------------------------------------
demo: $(VENV)/.installed
	$(VENV)/bin/dedup scan $(CORPUS) -o $(OUT)/ --report $(OUT)/report.html

test: $(VENV)/.installed-test browser
	$(PY) -m pytest $(PYTEST_ARGS)

# -- more ---------------------------------------------------------------------------------------
$(VENV)/.installed-bench: pyproject.toml | $(PY)
	$(PIP) install -e '.[bench]'
	@touch $@ $(VENV)/.installed

bench: $(VENV)/.installed-bench
	$(PY) benchmarks/harness.py

check: $(VENV)/.installed
	../shared/checks/run-all

clean:
	rm -rf $(OUT) .pytest_cache .hypothesis
