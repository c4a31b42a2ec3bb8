# Two commands set everything up on a fresh clone: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test install install-test migrate demo serve bench lint format messages browser clean

$(VENV)/.installed: pyproject.toml
	scripts/ensure-system-packages
	test -x $(PY) || $$(scripts/find-python) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable
	$(PY) manage.py compilemessages -v0 --ignore=.venv
	$(PY) manage.py collectstatic --noinput -v0

demo: migrate
	$(VENV)/bin/tribu demo --if-empty

## Main job: install, migrate, load the demo platforms if the database is empty, serve.
run: demo
	$(VENV)/bin/tribu serve --host $(HOST) --port $(PORT)

## The whole test suite (SQLite by default; DATABASE_URL=postgres://… for PostgreSQL).
test: install-test browser
	mkdir -p var
	$(PY) manage.py compilemessages -v0 --ignore=.venv
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) -m pytest $(PYTEST_ARGS)

## Chromium for browser tests, from Debian's packages (root or sudo installs it).
browser:
	@scripts/ensure-system-packages --test
	@scripts/ensure-axe

bench: install
	$(PY) -m benchmarks.run $(BENCH_ARGS)
	$(PY) -m benchmarks.observatory $(OBSERVATORY_BENCH_ARGS)
	$(PY) -m benchmarks.convince

## Style (ruff) and types (mypy with django-stubs, on the paths listed in pyproject.toml).
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install
	$(PY) manage.py makemessages -l fr -l en --ignore=.venv --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
