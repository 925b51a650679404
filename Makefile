# Two commands for a fresh machine with Python 3.11+:
#   make serve   install, migrate, load the demo transcripts, serve on http://127.0.0.1:8000
#   make test    install the dev requirements, lint, check the import layers, run the suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= $(CURDIR)/var
HOST ?= 127.0.0.1
PORT ?= 8000

# A local serve: production settings (DEBUG off) over plain HTTP on loopback.
SERVE_ENV := DATA_DIR=$(DATA_DIR) ALLOWED_HOSTS=$(HOST),localhost SECURE_COOKIES=0 \
	SECRET_KEY="$$(cat $(DATA_DIR)/secret_key)"

.PHONY: serve test install install-dev demo createsuperuser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt

$(DATA_DIR)/secret_key:
	mkdir -p -m 700 $(DATA_DIR)
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

demo: install $(DATA_DIR)/secret_key
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py ingest demo/
	$(SERVE_ENV) $(BIN)/python manage.py reindex --if-outdated
	$(SERVE_ENV) $(BIN)/python manage.py reconcile --fix
	$(SERVE_ENV) $(BIN)/python manage.py index --drain
	$(SERVE_ENV) $(BIN)/python manage.py archive_file
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0

serve: demo
	@echo "Serving on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/;" \
		"create a login with: make createsuperuser)"
	$(SERVE_ENV) BIND=$(HOST):$(PORT) $(BIN)/python -m config.serve

createsuperuser: install $(DATA_DIR)/secret_key
	$(SERVE_ENV) $(BIN)/python manage.py createsuperuser

# With TEST_POSTGRES_URL=postgres://user:password@host:5432/name set, the whole suite runs
# again on PostgreSQL (the role needs CREATEDB: pytest makes and drops test_<name>).
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	env -u DATABASE_URL $(BIN)/pytest
	@if [ -n "$$TEST_POSTGRES_URL" ]; then \
		echo "== The whole suite again, on PostgreSQL (TEST_POSTGRES_URL)"; \
		DATABASE_URL="$$TEST_POSTGRES_URL" $(BIN)/pytest; \
	else \
		echo "== Tested on SQLite only: set TEST_POSTGRES_URL to run the suite on PostgreSQL too"; \
	fi

clean:
	rm -rf $(VENV) $(DATA_DIR)
