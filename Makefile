# sciatica-care: `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test check format lint bench clean browser-deps lock

# Bytecode for the editable sources, as a regular install has: start-up stays fast even where
# PYTHONDONTWRITEBYTECODE is set. Only changed files are compiled again.
install: $(STAMP)
	@$(BIN)/python -m compileall -q src

# requirements.lock pins the whole resolved set CI tested, so a fresh machine installs exactly it.
$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

# Resolve pyproject.toml's pins afresh in a throwaway environment and write requirements.lock.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -e '.[dev]'
	{ echo "# The whole resolved set that CI tested: make install installs with these as constraints."; \
	  echo "# Regenerate with 'make lock' after changing a pin in pyproject.toml."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^sciatica-care'; } > requirements.lock
	rm -rf .lock-venv

# The web app on the embedded SQLite database ($SCIATICA_HOME/sciatica.db); it prints its
# address and, on a first run, the one-time link that sets up the first admin.
HOST ?= 127.0.0.1
PORT ?= 8000
run: install
	$(BIN)/sciatica serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

# ruff formats the code and fixes what it can fix safely.
format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# The quick loop: lint, then the unit, property and contract tests (no database, no browser),
# each property on fewer examples than `make test` gives it.
check: lint
	$(BIN)/pytest -n auto -q --hypothesis-profile=check tests/unit tests/property tests/contract

# Debian's Chromium for tests/browser, installed only where it is missing (Playwright never
# downloads a browser here). sudo only when not root and sudo exists.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=; if [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi; \
		set -x; \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	}

# On every core (pytest-xdist); tests/conftest.py keeps the groups that must share a worker.
test: lint browser-deps
	$(BIN)/pytest -n auto --dist loadgroup

# web_load.py drives the server with Debian's wrk, installed here when missing; without it the
# benchmark falls back to its Python load generator (and says so).
bench: install
	@command -v wrk >/dev/null 2>&1 || { \
		SUDO=; if [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi; \
		set -x; \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	} || echo "wrk is not installed: bench/web_load.py uses its Python load generator"
	$(BIN)/python bench/plan_engine.py
	$(BIN)/python bench/cold_start.py
	$(BIN)/python bench/web_load.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
