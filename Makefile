# Two commands: `make run` (a populated site on http://127.0.0.1:8000) and `make test`.
# Production: `make serve` (README, "Production").
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
# Extra gunicorn options for `make serve` (bench/load.py passes a certificate: HTTPS on one host, no proxy).
GUNICORN_ARGS ?=
PROD := DJANGO_SETTINGS_MODULE=config.settings.production
# The suite runs on every core (pytest-xdist); on each worker the tests that commit run after the others
# (tests/conftest.py). `PYTEST_ARGS=` runs it in one process.
PYTEST_ARGS ?= -n auto

.PHONY: install run migrate seed test lint check pytest browser-deps node-deps vendor-plotly bench bench-deps clean prod-setup serve serve-prod audit

install: $(STAMP)

# Reinstall only when the dependencies change.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Debian's Chromium for the Playwright tests and the PDF reports; never a downloaded browser build. Chromium is
# found on PATH (chromium or chromium-browser) or through $$CHROMIUM, and its absence fails saying so. The
# reports' font (DejaVu Sans), poppler's pdftoppm and pdffonts (PDF tests), Java (the Nu Html Checker) and npm
# (node-deps) come along; apt runs only when one of them is missing.
browser-deps:
	@missing=; \
	[ -n "$$CHROMIUM" ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing="$$missing chromium"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	[ -z "$$missing" ] || { \
	  echo "Installing Debian's$$missing for the browser tests and the PDF reports…"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing >/dev/null; }

# What the load and throughput benchmarks need (bench/README.md): locust from PyPI, wrk from Debian.
bench-deps: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing Debian's wrk for the throughput benchmark…"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk >/dev/null; }

# The checkers the page tests run (axe-core, injected with Playwright; the Nu Html Checker, vnu.jar on the
# machine's Java) and plotly.js's basic bundle, from package-lock.json; npm runs only when it changes.
NODE_STAMP := node_modules/.installed
node-deps: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $(NODE_STAMP)

# The site serves plotly.js from analytics/static/plotly/ (committed, so `make run` needs no npm); this
# copies it anew after package.json moves to another version (keep it the plotly package's plotly.js).
vendor-plotly: node-deps
	cp node_modules/plotly.js-basic-dist-min/plotly-basic.min.js node_modules/plotly.js-basic-dist-min/LICENSE analytics/static/plotly/

# The cache table holds the rate-limit counters every process shares when REDIS_URL is not set.
migrate: install
	$(MANAGE) createcachetable  # first: what migrate writes drops the page cache (cms/page_cache.py)
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo --if-empty

# The background worker (recomputes after moderation decisions) runs beside the web server.
run: seed
	@$(MANAGE) db_worker --interval 5 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

# Production settings (SECRET_KEY and ALLOWED_HOSTS exported): the deployment checks, the migrations, and
# the static files whitenoise serves; its manifest storage answers 500 on every page until they are collected.
prod-setup: install
	$(PROD) $(MANAGE) check --deploy
	$(PROD) $(MANAGE) createcachetable
	$(PROD) $(MANAGE) migrate --noinput
	$(PROD) $(MANAGE) collectstatic --noinput

# The production profile on one host: prod-setup, then gunicorn (WORKERS) and the background worker, with
# the production settings; PostgreSQL and Redis from DATABASE_URL and REDIS_URL. Ctrl-C stops both.
serve: prod-setup
	@$(PROD) $(MANAGE) db_worker --interval 5 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PROD) $(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile - $(GUNICORN_ARGS)

serve-prod: serve

# Style, the layering contracts of pyproject.toml ([tool.importlinter]), then bandit: a finding of medium or
# high severity fails, unless the line says `# nosec <test>` with its reason on the line above.
BANDIT_PATHS := accounts ratings surveys analytics cms api operations config scripts
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/bandit --quiet --recursive $(BANDIT_PATHS) --severity-level medium --exclude '*/migrations/*'

# Known vulnerabilities in the installed packages (needs the network to reach the advisory database).
audit: install
	$(BIN)/python -m pip install --quiet pip-audit
	$(BIN)/pip-audit --skip-editable

check: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run

pytest: install browser-deps node-deps
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint check pytest

bench: install
	$(BIN)/python bench/recompute.py
	$(BIN)/python bench/import_responses.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .import_linter_cache staticfiles
