# Regie: `make run` serves the demo corporation, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/regie
export REGIE_DATA_DIR ?= $(CURDIR)/var

.PHONY: install run demo worker test test-sqlite test-postgres lint security bench bench-national messages clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

install: $(STAMP)

# Install, migrate, load the demo corporation (once), serve at http://127.0.0.1:8000 on SQLite.
run: install
	mkdir -p var/static
	REGIE_DEMO=1 $(BIN)/regie migrate --noinput
	REGIE_DEMO=1 $(BIN)/regie demo --if-empty
	@echo "Regie runs at http://127.0.0.1:8000 (demo accounts: see README.md; stop with Ctrl-C)"
	@# The worker (imports, detection) runs beside the server and stops with it.
	REGIE_DEMO=1 $(BIN)/regie worker --interval 1 & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	REGIE_DEMO=1 $(BIN)/regie runserver 127.0.0.1:8000

# The background worker (django-tasks, database backend).
worker: install
	REGIE_DEMO=1 $(BIN)/regie worker

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    (apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)); \
	  else echo "NOTE: /usr/bin/chromium is missing; the browser tests will be skipped. Install Debian's chromium package."; fi; \
	fi

test: install chromium
	$(MAKE) --no-print-directory test-sqlite
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  $(MAKE) --no-print-directory test-postgres; \
	else \
	  if [ -n "$$REGIE_REQUIRE_POSTGRES" ]; then echo "PostgreSQL at $(PG_URL) is not reachable, and it is required here"; exit 1; fi; \
	  echo "NOTE: PostgreSQL is not reachable at $(PG_URL); the suite ran on SQLite only."; \
	fi

test-sqlite: install
	@echo "== tests on SQLite =="
	REGIE_TESTING=1 $(BIN)/pytest -q $(PYTEST_ARGS)

test-postgres: install
	@echo "== tests on PostgreSQL =="
	REGIE_TESTING=1 DATABASE_URL=$(PG_URL) $(BIN)/pytest -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

# Static security scan: fails on any high-severity finding (config in pyproject.toml [tool.bandit]).
# `make security BANDIT_LEVEL=-ll` lists the medium ones too (reviewed in docs/security.md).
BANDIT_LEVEL ?= -lll
security: install
	$(BIN)/bandit -c pyproject.toml -r src -q $(BANDIT_LEVEL)

# Issue 2's pages and throughput, then issue 3's import (100,000 tenancies) and detection
# (100,000 tenancies, against pandas and DuckDB). Each prints its figures beside its targets.
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/importing.py
	$(BIN)/python bench/detection.py
	$(BIN)/python bench/subject_export.py

# Detection at the scale of the whole Dutch social-housing stock: 2.3 million tenancies, 55 million
# snapshots (~9 GB of PostgreSQL; the first fill takes ~4 minutes, later runs reuse it).
bench-national: install
	$(BIN)/python bench/detection.py --tenancies 2300000 --runs 1 --url postgres://postgres@127.0.0.1:5432/regie_bench_detect_national

# Refresh the translation catalogue after changing texts, then translate and compile.
messages: install
	cd src/regie && ../../$(BIN)/regie makemessages -l nl --no-obsolete --add-location file
	cd src/regie && ../../$(BIN)/regie compilemessages -l nl

clean:
	rm -rf $(VENV) var
