# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# WeasyPrint's native libraries (libharfbuzz-subset0: without it a permit renders ~5x slower),
# fonts that ship with Debian (nothing is fetched from the web), gettext for translations.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
	fonts-dejavu-core gettext
# End-to-end tests drive Debian's Chromium through Playwright; no browser is ever downloaded.
# poppler-utils: `pdfsig`, the independent validator the signed-permit tests ask.
TEST_SYSTEM_PACKAGES := $(SYSTEM_PACKAGES) chromium poppler-utils
# manage.py, the WSGI entry and Celery default to the production settings: every target here
# that runs the demo or a developer's command names its settings.
LOCAL := DJANGO_SETTINGS_MODULE=config.settings.local
HOST ?= 127.0.0.1
PORT ?= 8000
# The embedded gateway, its webhooks and the permits' QR codes all point at this same server.
RUN_ENV = $(LOCAL) SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} \
	PAYMENT_GATEWAY_URL=$${PAYMENT_GATEWAY_URL:-http://$(HOST):$(PORT)/sandbox/stripe} \
	PAYMENT_SANDBOX_WEBHOOK_URL=$${PAYMENT_SANDBOX_WEBHOOK_URL:-http://$(HOST):$(PORT)/payments/webhooks/stripe/} \
	OSS_BASE_URL=$${OSS_BASE_URL:-http://$(HOST):$(PORT)/sandbox/oss}

.PHONY: run code test lint audit bench system-packages deps messages clean graph serve \
	release-check backup restore

run: system-packages deps messages .env
	@mkdir -p var
	$(LOCAL) $(BIN)/python manage.py migrate --noinput -v0
	$(LOCAL) $(BIN)/python manage.py signing_init
	$(RUN_ENV) $(BIN)/python manage.py seed_demo --site-url http://$(HOST):$(PORT)/
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The code a demo staff account's authenticator app would show now (EMAIL=kepala@izin.test).
code: deps
	@test -n "$(EMAIL)" || { echo "Usage: make code EMAIL=kepala@izin.test"; exit 1; }
	@$(RUN_ENV) $(BIN)/python manage.py demo_code $(EMAIL)

# The production shape on this machine (README.md, "Running it for real"): gunicorn, a worker
# per queue and beat under honcho, on PostgreSQL and a broker named in $(ENV_FILE). Migrations
# run before the new code serves; the release check must pass first.
ENV_FILE ?= production.env
serve: system-packages deps messages
	@test -f $(ENV_FILE) || { echo "Copy production.env.example to $(ENV_FILE) and fill it in."; exit 1; }
	@mkdir -p var
	$(WITH_ENV) $(BIN)/python manage.py migrate --noinput
	$(WITH_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(WITH_ENV) $(BIN)/python manage.py release_check
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/honcho -e $(ENV_FILE) -f Procfile start

# With $(ENV_FILE) present, these act on the production shape's database and files (its
# DJANGO_SETTINGS_MODULE, production by default); without it, on make run's.
WITH_ENV = $(if $(wildcard $(ENV_FILE)),$(BIN)/honcho -e $(ENV_FILE) run,$(LOCAL))

release-check: deps
	$(WITH_ENV) $(BIN)/python manage.py release_check

# The database, then every private file, into one new folder (var/backups/izin-<time> or TO=…).
backup: deps
	$(WITH_ENV) $(BIN)/python manage.py backup $(if $(TO),--to $(TO),)

# Puts back the database and the files of FROM=<folder>. Stop the web and the workers first.
restore: deps
	@test -n "$(FROM)" || { echo "Name the backup folder: make restore FROM=var/backups/izin-…"; exit 1; }
	$(WITH_ENV) $(BIN)/python manage.py restore $(FROM) --yes

test: deps messages
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(TEST_SYSTEM_PACKAGES)"
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest

lint: system-packages deps
	$(BIN)/ruff check .
	@# The allowed directions between apps (docs/ARCHITECTURE.md; contracts in pyproject.toml).
	$(BIN)/lint-imports
	@# Every string in the code is in the Indonesian catalogue (dates in its header aside).
	$(LOCAL) $(BIN)/python manage.py makemessages -l id --no-obsolete --add-location file --ignore='.venv/*' -v0
	git diff --exit-code -I 'POT-Creation-Date' -- locale/
	$(BIN)/python manage.py makemigrations --check --dry-run -v1 --settings=config.settings.test

# Known vulnerabilities in every installed dependency (pip-audit, against PyPI's advisory
# data). It needs the network: when the database cannot be reached, or does not know the
# packages (a mirror without it), nothing was checked, and this fails saying so instead of
# passing. Not part of CI, which may run offline (README.md, "Checking the dependencies").
AUDIT_UNREACHABLE := could not be audited|Max retries exceeded|ConnectionError|ProxyError|Failed to establish|Temporary failure in name resolution|Name or service not known|timed out
audit: deps
	@out=$$(mktemp); \
	$(BIN)/pip-audit --strict --progress-spinner off --skip-editable >"$$out" 2>&1; status=$$?; \
	if [ $$status -ne 0 ] && grep -qE "$(AUDIT_UNREACHABLE)" "$$out"; then \
		grep -E "$(AUDIT_UNREACHABLE)" "$$out" | tail -n 3; rm -f "$$out"; \
		echo "make audit: FAILED, nothing was checked: pip-audit could not reach its vulnerability database (https://pypi.org/pypi/<package>/<version>/json). Run it where the internet is reachable."; \
		exit 2; \
	fi; \
	cat "$$out"; rm -f "$$out"; exit $$status

# Reconciling 100,000 settlement lines on PostgreSQL against a plain SQL join (bench/README.md).
# Needs DATABASE_URL=postgres://…; it creates and drops its own database, izin_bench, beside it.
bench: deps
	$(BIN)/python bench/reconcile_100k.py

graph: deps
	@# Source on stdout: `-o` would need Graphviz's `dot` binary even to write a .dot file.
	$(LOCAL) $(BIN)/python manage.py graph_transitions licensing.Application > docs/application-states.dot
	@if command -v dot >/dev/null; then \
		dot -Tsvg docs/application-states.dot -o docs/application-states.svg; fi

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null \
		| grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

deps: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

messages: deps
	$(LOCAL) $(BIN)/python manage.py compilemessages -v0 --ignore='.venv'

# A random secret key for this machine, kept out of git.
.env:
	@echo "DJANGO_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote .env with a new secret key."

clean:
	rm -rf $(VENV) var
