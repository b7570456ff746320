# Sharewell. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Local work runs with DEBUG on (no SECRET_KEY needed) unless DEBUG is set; serve-prod never does.
DEV := DEBUG=$${DEBUG:-true}
# serve-prod: where collectstatic gathers files, and which Procfile processes to start (all when empty).
STATIC_ROOT ?= $(CURDIR)/staticfiles
PROCESSES ?=
# The suite runs on every core (pytest-xdist), each worker with its own test database.
TEST_WORKERS ?= auto

.PHONY: help run serve-prod test test-browser lint format bench install install-dev system-check frontend migrate data demo clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed (looked for $(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static_build/sharewell.css: node_modules/.installed frontend/sharewell.scss
	npm run --silent build

# WeasyPrint (the committee reports' PDFs) needs pango from the system, and Debian's fonts-liberation
# (metric-compatible with Arial); nothing is downloaded from elsewhere.
system-check: ## Install (as root, with apt) or name the system libraries and fonts the PDFs need
	@# WeasyPrint needs pango; the PDFs use Liberation Sans, metric-compatible with Arial.
	@missing=""; \
	  ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || missing="$$missing libpango-1.0-0"; \
	  ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || missing="$$missing libpangoft2-1.0-0"; \
	  fc-list 2>/dev/null | grep -q 'LiberationSans' || missing="$$missing fonts-liberation fontconfig"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      echo "Installing for the committee reports' PDFs:$$missing"; \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	    else \
	      echo "The committee reports' PDFs need:$$missing (sudo apt-get install$$missing)"; exit 1; \
	    fi; \
	  fi

install: system-check $(VENV)/.installed frontend ## Install Python and npm dependencies
install-dev: system-check $(VENV)/.installed-dev frontend ## Install what the tests need too
frontend: static_build/sharewell.css ## Compile the front end (GOV.UK Frontend, Leaflet) from npm

migrate: install ## Create or update the database
	$(DEV) $(BIN)/python manage.py migrate --no-input

data: migrate ## Load (or refresh) the reference data: rerunnable
	$(DEV) $(BIN)/python manage.py load_reference_data

demo: data ## Load demo accounts and content
	$(DEV) DEMO_ACCOUNTS=true $(BIN)/python manage.py load_demo

run: demo ## Install everything, load data and serve on http://127.0.0.1:8000, with the background worker
	@echo "Sharewell is at http://$(HOST):$(PORT)/ (Ctrl+C to stop the site and its worker)"
	@# The worker runs beside the server and stops with it; a job it was running goes back in the queue.
	@export DEBUG=$${DEBUG:-true}; \
	  $(BIN)/python manage.py run_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

serve-prod: migrate ## Serve as a server would (Procfile, gunicorn, DEBUG off) on http://127.0.0.1:8000: needs SECRET_KEY
	DEBUG=false STATIC_ROOT=$(STATIC_ROOT) $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@echo "Sharewell (production server) is at http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	@# The site reads .env itself, the environment winning; honcho's own reading would let .env win.
	DEBUG=false STATIC_ROOT=$(STATIC_ROOT) BIND_ADDRESS=$(HOST) PORT=$(PORT) PATH="$(CURDIR)/$(BIN):$$PATH" \
	  $(BIN)/honcho start --env /dev/null $(PROCESSES)

test: lint ## Lint, then run the whole test suite (browser tests too, where Chromium is installed)
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run > /dev/null || { echo "Model changes lack a migration: run manage.py makemigrations"; exit 1; }
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure"; exit 1; fi; exit $$status

test-browser: install-dev ## Run only the browser tests (Playwright on Debian's Chromium)
	$(BIN)/pytest -n $(TEST_WORKERS) -m browser $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no browser tests: that is a failure"; exit 1; fi; exit $$status

lint: install-dev ## Lint, check the formatting and type-check the pure modules
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-dev ## Format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-dev ## Print benchmark figures: the register against Datasette under wrk, scale table, server times
	$(BIN)/pip install --quiet -r requirements-bench.txt
	@command -v wrk >/dev/null || { echo "Installing wrk (Debian's package) for the load test"; apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m bench.compare
	$(BIN)/python -m bench
	$(BIN)/python -m partners.bench
	$(BIN)/python -m engines.appraisal.bench

clean: ## Remove installed dependencies and built files (keeps the database)
	rm -rf $(VENV) node_modules static_build staticfiles
