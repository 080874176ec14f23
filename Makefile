# Calf Rehab Tracker: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The e-mails' links (printed by the console backend) point at this server unless SITE_URL is set.
LINK_HOST = $(if $(filter 0.0.0.0,$(HOST)),localhost,$(HOST))
DEV_SETTINGS = DJANGO_DEBUG=1 SITE_URL=$(or $(SITE_URL),http://$(LINK_HOST):$(PORT))

.PHONY: run test test-fast install install-dev lint migrations-check ci clean bench bench-chart-cache bench-review bench-pages load faults screenshots

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	@echo "Installing the dependencies into $(VENV) (the first time takes a few minutes)..."
	$(BIN)/pip install --disable-pip-version-check --progress-bar on -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	@echo "Installing the test tools into $(VENV)..."
	$(BIN)/pip install --disable-pip-version-check --progress-bar on -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(DEV_SETTINGS) $(BIN)/python manage.py migrate --noinput
	$(DEV_SETTINGS) $(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ with the task queue consumer beside it (Ctrl+C stops both)"
	$(DEV_SETTINGS) $(BIN)/python scripts/run_dev.py $(HOST):$(PORT)

# The whole suite on every core (pytest-xdist; each worker has its own test database and live
# server), then the 15 slowest tests. PYTEST_ARGS="-n 0" runs it in one process.
# PYTHONDONTWRITEBYTECODE is emptied so that pytest keeps its rewritten modules (a third of the
# start-up of every worker) in __pycache__ instead of compiling them again on every run.
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n auto --dist worksteal --durations=15
test: install-dev
	$(PYTEST) $(PYTEST_ARGS)

# For daily work: everything but the browser tests and the slow (fuzzing) tests.
test-fast: install-dev
	$(PYTEST) -m "not e2e and not slow" $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .

migrations-check: install-dev
	$(DEV_SETTINGS) $(BIN)/python manage.py makemigrations --check --dry-run

ci: test lint migrations-check

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

bench: install-dev
	$(BIN)/python bench/charts.py $(BENCH_ARGS)
	$(BIN)/python bench/pages.py $(PAGES_ARGS)
	$(BIN)/python bench/chart_cache.py $(BENCH_ARGS)

# The dashboard, triage home and caseload against a bare page, on a generated clinic (300 patients;
# PAGES_ARGS="--patients 10000 --physios 100" for the full size, BENCH_DATABASE_URL for PostgreSQL).
bench-pages: install-dev
	$(BIN)/python bench/pages.py $(PAGES_ARGS)

# Cached and cold charts as ratios to floors measured in the same run (docs/chart-speed.md).
bench-chart-cache: install-dev
	$(BIN)/python bench/chart_cache.py $(BENCH_ARGS)

# The physio's review page, triage home and caseload (demo data, then 200 more patients).
bench-review: install-dev
	$(BIN)/python bench/review.py $(BENCH_ARGS)

# 200 users for 120 s on the production topology (scripts/topology.py: PostgreSQL, Redis, two gunicorn
# processes, one consumer); needs postgresql and redis-server installed. docs/production.md.
load: install-dev
	$(BIN)/python bench/load.py $(LOAD_ARGS)

# The same topology while an app process is killed, PostgreSQL restarted, Redis and SMTP stopped (~2 min).
faults: install-dev
	$(BIN)/python bench/faults.py $(FAULTS_ARGS)

# PNGs of the dashboard, a session form and the physio caseload (desktop and phone) for the README,
# from the demo data on a throwaway database; needs Chromium (apt-get install chromium).
screenshots: install-dev
	$(BIN)/python scripts/screenshots.py
