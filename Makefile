# One way to run everything. See README.md.
#   make run    install, build, migrate, load the strategy, serve on http://127.0.0.1:8000
#   make test   the whole suite: SQLite, PostgreSQL and Chromium browser tests
SHELL := /bin/sh
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The development settings build SITE_URL (links in emails, canonical links) from it.
export PORT

# Development defaults for `make run`; production sets these in the environment.
DEV_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-true}

.PHONY: run serve worker install build migrate superuser demo-data test test-sqlite \
        test-postgres test-browser lint format bench clean

## Set-up ----------------------------------------------------------------------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the lock file changes.
$(VENV)/.installed: requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q --require-hashes -r requirements/dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

STATIC_SOURCES := $(shell find static/scss static/js static/images static/build.mjs -type f 2>/dev/null)
static/build/.built: node_modules/.installed $(STATIC_SOURCES)
	npm run --silent build
	touch $@

build: static/build/.built

# A development .env, so plain `.venv/bin/python manage.py ...` works in a checkout
# (DJANGO_ENV_FILE names another file). Never overwritten: a server's own .env
# stays as its operator wrote it.
ENV_FILE := $(or $(DJANGO_ENV_FILE),.env)
$(ENV_FILE):
	@printf '# Development settings, written by make run. Never use on a server.\nDJANGO_DEBUG=true\n' > $@
	@echo "Wrote $@ (DJANGO_DEBUG=true) for development."

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input

## Running ---------------------------------------------------------------------
# The development server and the email worker together; Ctrl+C stops both.
run: install build $(ENV_FILE) migrate
	@echo ""
	@echo "  Medway SEND Strategy: http://127.0.0.1:$(PORT)/"
	@echo "  Admin: http://127.0.0.1:$(PORT)/admin/  (create a login with: make superuser)"
	@if [ -n "$$EMAIL_HOST" ]; then echo "  Emails go out through $$EMAIL_HOST."; \
	 else echo "  Emails are written as .eml files to var/mail/ (set EMAIL_HOST to send them)."; fi
	@echo ""
	@$(DEV_ENV) $(BIN)/python manage.py run_email_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production: gunicorn with the environment's settings (DJANGO_DEBUG off).
# manage.py and gunicorn read a .env file if there is one, but the real
# environment always wins over it. The first step refuses to go on with
# DJANGO_DEBUG on or a setting missing, before anything is changed.
GUNICORN := $(BIN)/gunicorn -c medway_send/gunicorn.conf.py
serve: install build
	@$(GUNICORN) --check-config
	@$(BIN)/python manage.py collectstatic --no-input -v 0
	@$(BIN)/python manage.py migrate --no-input
	@exec $(GUNICORN)

# The email worker on its own (production: run one or more beside `make serve`).
worker: install
	@exec $(BIN)/python manage.py run_email_worker

superuser: install $(ENV_FILE)
	$(DEV_ENV) $(BIN)/python manage.py createsuperuser

# Made-up action items, updates and news for trying the site out; never for production.
demo-data: migrate
	$(DEV_ENV) $(BIN)/python manage.py load_demo_data

## Checks ----------------------------------------------------------------------
test: install build
	scripts/ensure-system-packages.sh
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-browser

test-sqlite: install build
	$(BIN)/pytest -m "not browser" -p no:cacheprovider

# A throwaway cluster from the Debian packages, on a free port in a private folder;
# the leg fails if it cannot start.
test-postgres: install build
	$(BIN)/python scripts/throwaway.py postgres -- \
	  env REQUIRE_POSTGRES=1 $(BIN)/pytest -m "not browser" -p no:cacheprovider

test-browser: install build
	$(BIN)/pytest -m browser -p no:cacheprovider

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install build
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/newsletter_delivery.py
	$(BIN)/python bench/newsletter_digest.py
	$(BIN)/python bench/newsletter_import.py
	$(BIN)/python bench/signup_load.py
	$(BIN)/python bench/heavy_pages.py

clean:
	rm -rf $(VENV) node_modules static/build staticfiles
