# Backend Path. `make run` serves the app on SQLite; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: install run serve test lint format bench soak fuzz screenshots clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

install: $(VENV)/.installed

var:
	mkdir -p var

run: install var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_catalog --if-empty
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production settings on a laptop: gunicorn + whitenoise, DEBUG off, plain HTTP allowed.
serve: install var
	@test -s var/secret_key || $(PY) -c "import secrets; print(secrets.token_urlsafe(64))" > var/secret_key
	DJANGO_DEBUG=0 \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)}" \
	DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-localhost,127.0.0.1}" \
	DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}" \
	BIND="$${BIND:-127.0.0.1:$(PORT)}" PYTHON=$(abspath $(PY)) bin/serve

test: install var
	@bin/ensure-chromium || exit 1
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# PNGs of the home, catalog and a technology page (desktop and phone) in docs/screenshots/,
# from a temporary SQLite database holding the default catalog.
screenshots: install
	@bin/ensure-chromium || exit 1
	$(PY) bin/screenshots

clean:
	rm -rf var/staticfiles var/db.sqlite3 .pytest_cache .ruff_cache

# Throughput, latency, planner and loader timings; exits non-zero when a target is missed.
bench: install var
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) bench/run.py

# gunicorn (DEBUG off) for 60 s at 32 connections on 127.0.0.1 over a mix of pages, searches,
# plan posts and progress posts: fails on any error, worker restart or growing worker memory.
soak: install var
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) bench/soak.py $(SOAK_ARGS)

# The Hypothesis fuzz tests with 5000 examples per target (`make test` runs a few hundred).
fuzz: install var
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-5000} $(PY) -m pytest tests/hardening/test_fuzz.py $(PYTEST_ARGS)
