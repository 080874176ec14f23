# Calf Rehab Tracker: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_SETTINGS := DJANGO_DEBUG=1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev lint migrations-check ci clean bench load screenshots

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(DEV_SETTINGS) $(BIN)/python manage.py migrate --noinput
	$(DEV_SETTINGS) $(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ with the task queue consumer beside it (Ctrl+C stops both)"
	$(DEV_SETTINGS) $(BIN)/python scripts/run_dev.py $(HOST):$(PORT)

test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .

migrations-check: install-dev
	$(DEV_SETTINGS) $(BIN)/python manage.py makemigrations --check --dry-run

ci: test lint migrations-check

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

bench: install-dev
	$(BIN)/python bench/charts.py $(BENCH_ARGS)

load: install-dev
	$(BIN)/python bench/load.py $(LOAD_ARGS)

# PNGs of the dashboard, a session form and the physio caseload (desktop and phone) for the README,
# from the demo data on a throwaway database; needs Chromium (apt-get install chromium).
screenshots: install-dev
	$(BIN)/python scripts/screenshots.py
