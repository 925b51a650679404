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

.PHONY: serve test install install-dev venv demo createsuperuser port-free \
	clean clean-env clean-data

# The Python that builds .venv: 3.11 or newer, checked before anything is installed. A
# .venv made by another Python version (an earlier try with python3.10, say) or left
# without pip is made again; the data in $(DATA_DIR) is not touched. A VENV that is not a
# Python environment (no pyvenv.cfg) is never deleted.
venv:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "Briefing Archive needs Python 3.11 or newer; '$(PYTHON)' is" \
			"$$($(PYTHON) --version 2>&1 || echo 'not found')."; \
		echo "Install Python 3.11+ and name it: make $(or $(MAKECMDGOALS),serve) PYTHON=python3.11"; \
		exit 1; }
	@want="$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')"; have=""; \
	if [ -x $(BIN)/pip ]; then \
		have="$$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)"; \
	fi; \
	if [ "$$have" != "$$want" ]; then \
		if [ -e $(VENV) ] && [ ! -f $(VENV)/pyvenv.cfg ]; then \
			echo "$(VENV) is there but is not a Python environment: nothing was deleted." \
				"Move it away, or name another: VENV=..."; \
			exit 1; \
		fi; \
		if [ -n "$$have" ]; then \
			echo "$(VENV) was made with Python $$have, $(PYTHON) is $$want: making it again" \
				"(the data in $(DATA_DIR) is kept)"; \
		elif [ -e $(VENV) ]; then \
			echo "$(VENV) is incomplete (no pip): making it again (the data in $(DATA_DIR) is kept)"; \
		fi; \
		rm -rf $(VENV); \
		$(PYTHON) -m venv $(VENV) || { \
			rm -rf $(VENV); \
			echo "$(PYTHON) could not make a virtual environment; on Debian or Ubuntu:" \
				"apt-get install python3-venv"; \
			exit 1; }; \
		$(BIN)/pip install --quiet --upgrade pip; \
	fi

install: venv
	$(BIN)/pip install --quiet -r requirements.txt

install-dev: venv
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

# Checked before the set-up and again before serving: gunicorn alone says only
# "Can't connect" when another program holds the port.
port-free: venv
	@$(BIN)/python -c 'import socket, sys; s = socket.socket(); \
		s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("$(HOST)", $(PORT)))' \
		2>/dev/null || { \
		echo "Port $(PORT) on $(HOST) is taken by another program. Stop it, or serve on" \
			"another port: make serve PORT=8001"; \
		exit 1; }

serve: port-free demo
	@$(MAKE) --no-print-directory port-free
	@echo "Serving on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/;" \
		"create a login with: make createsuperuser)"
	$(SERVE_ENV) BIND=$(HOST):$(PORT) $(BIN)/python -m config.serve

# The first admin login. In a terminal it asks for the name and password; without one
# (a script, a container) it takes them from the environment:
#   ADMIN_USERNAME=editor ADMIN_EMAIL=editor@example.org ADMIN_PASSWORD=... make createsuperuser
createsuperuser: install $(DATA_DIR)/secret_key
	@if [ -n "$$ADMIN_USERNAME" ]; then \
		[ -n "$$ADMIN_PASSWORD" ] || { echo "ADMIN_USERNAME is set: set ADMIN_PASSWORD too"; exit 1; }; \
		$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput --verbosity 0 && \
		$(SERVE_ENV) $(BIN)/python manage.py create_admin; \
	elif [ -t 0 ]; then \
		$(SERVE_ENV) $(BIN)/python manage.py createsuperuser; \
	else \
		echo "No terminal to ask for a name and password: set them in the environment,"; \
		echo "  ADMIN_USERNAME=editor ADMIN_EMAIL=editor@example.org ADMIN_PASSWORD=... make createsuperuser"; \
		exit 1; \
	fi

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

# clean-env deletes the Python environment only (made again by the next make serve or
# make test); clean-data deletes the archive: the database, the search index, the
# uploads, the secret key, everything in $(DATA_DIR). clean does both.
clean-env:
	rm -rf $(VENV)

clean-data:
	rm -rf $(DATA_DIR)

clean: clean-env clean-data
