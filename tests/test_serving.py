"""Serving in production: `check --deploy` is clean with the documented environment,
start-up refuses what is missing, gunicorn reads its settings from the environment, the
client's address is found behind proxies, and /healthz tells whether the database and
the index can be read.
"""

from __future__ import annotations

import json
import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage

from briefings.ingest.load import load_conference
from config.proxies import client_ip
from search import indexing
from search.whoosh.open_index import shared_searcher
from tests.conftest import miit_briefing, source_file

ROOT = Path(__file__).resolve().parent.parent


def production_env(data_dir: Path, **changes: str) -> dict[str, str]:
    """What docs/deploy.md tells a deployment behind a TLS proxy to set."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DEBUG"}
        and not key.startswith(("SECURE_", "SEARCH_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATA_DIR=str(data_dir),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="archive.example.org",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        SECURE_SSL_REDIRECT="1",
        SECURE_HSTS_PRELOAD="1",
    )
    env.update(changes)
    return {key: value for key, value in env.items() if value != ""}


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deploy_check_is_clean_with_the_production_environment(tmp_path):
    done = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_without_the_proxy_settings_the_deploy_check_asks_only_for_what_a_deployment_decides(
    tmp_path,
):
    env = production_env(tmp_path, SECURE_SSL_REDIRECT="", SECURE_HSTS_PRELOAD="")

    done = manage(env, "check", "--deploy")

    warnings = {
        line.split(")")[0] + ")" for line in done.stderr.splitlines() if "(security." in line
    }
    assert warnings == {"?: (security.W008)", "?: (security.W021)"}, done.stderr


def test_start_up_without_a_secret_key_names_the_variable(tmp_path):
    done = manage(production_env(tmp_path, SECRET_KEY=""), "check")

    assert done.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in done.stderr


def test_a_bad_proxy_header_stops_start_up_with_its_name(tmp_path):
    done = manage(
        production_env(tmp_path, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https"), "check"
    )

    assert done.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER='X-Forwarded-Proto: https' is not a header name" in done.stderr


def test_the_data_folder_is_made_for_the_service_user_alone(tmp_path):
    data_dir = tmp_path / "fresh" / "data"

    done = manage(production_env(data_dir), "check")

    assert done.returncode == 0, done.stderr
    assert data_dir.stat().st_mode & 0o777 == 0o700


def test_gunicorn_reads_its_settings_from_the_environment(monkeypatch):
    for name, value in {
        "WEB_CONCURRENCY": "5",
        "GUNICORN_THREADS": "4",
        "GUNICORN_TIMEOUT": "45",
        "GUNICORN_GRACEFUL_TIMEOUT": "20",
        "GUNICORN_KEEPALIVE": "7",
        "GUNICORN_MAX_REQUESTS": "500",
        "GUNICORN_MAX_REQUESTS_JITTER": "50",
        "GUNICORN_LIMIT_REQUEST_LINE": "4094",
    }.items():
        monkeypatch.setenv(name, value)

    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    assert (conf["workers"], conf["threads"], conf["timeout"]) == (5, 4, 45)
    assert (conf["graceful_timeout"], conf["keepalive"]) == (20, 7)
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (500, 50)
    assert conf["limit_request_line"] == 4094
    assert callable(conf["post_fork"])


def test_gunicorns_defaults_let_a_long_search_reach_the_page(monkeypatch):
    for name in ("GUNICORN_LIMIT_REQUEST_LINE", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)

    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    assert conf["limit_request_line"] == 8190  # gunicorn's maximum
    assert (conf["workers"], conf["timeout"]) == (3, 30)


def test_a_bad_gunicorn_number_stops_it_with_the_variables_name(monkeypatch):
    monkeypatch.setenv("GUNICORN_TIMEOUT", "30s")

    with pytest.raises(SystemExit, match="GUNICORN_TIMEOUT='30s' is not a whole number"):
        runpy.run_path(str(ROOT / "gunicorn.conf.py"))


# The client's address, for the login lockout.


def test_the_client_is_the_direct_peer_when_no_proxy_is_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get(
        "/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )

    assert client_ip(request) == "203.0.113.9"


def test_behind_one_proxy_the_client_is_the_address_it_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote "10.0.0.1" itself; the proxy appended the address it saw.
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.7"
    )

    assert client_ip(request) == "198.51.100.7"


def test_a_forwarded_address_counts_only_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    # A client reaching gunicorn directly names a new address for every guess.
    direct = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    proxied = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert client_ip(direct) == "203.0.113.9"
    assert client_ip(proxied) == "1.2.3.4"


def test_a_request_that_skipped_the_proxies_is_its_own_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert client_ip(request) == "203.0.113.9"


# /healthz


@pytest.mark.django_db(transaction=True)
def test_health_is_ok_when_the_database_and_the_index_answer(client, search_index):
    load_conference(miit_briefing(), [source_file()])
    indexing.drain()

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "index": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies, "a health check must not start a session"
    assert all(query["sql"].lstrip().upper().startswith("SELECT") for query in queries)


@pytest.mark.django_db(transaction=True)
def test_health_fails_naming_the_index_when_its_folder_is_missing(client, search_index):
    assert not search_index.exists()

    response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "failing",
        "database": "ok",
        "index": "index folder missing",
    }
    assert not search_index.exists(), "the health check must not create an index"


@pytest.mark.django_db(transaction=True)
def test_health_fails_naming_the_index_when_the_folder_holds_none(client, search_index):
    search_index.mkdir()

    body = json.loads(client.get("/healthz").content)

    assert body["index"] == "no index in the index folder"


@pytest.mark.django_db(transaction=True)
def test_health_searches_the_index_this_process_has_open(client, search_index):
    load_conference(miit_briefing(), [source_file()])
    indexing.drain()
    assert client.get("/healthz").status_code == 200
    opened = shared_searcher()

    assert client.get("/healthz").status_code == 200

    assert opened is not None
    assert shared_searcher() is opened, "a health check must not open the index again"


@pytest.mark.django_db(transaction=True)
def test_health_fails_when_the_open_index_is_removed_from_its_folder(client, search_index):
    load_conference(miit_briefing(), [source_file()])
    indexing.drain()
    assert client.get("/healthz").status_code == 200  # the index is now open in this process
    for path in search_index.resolve().iterdir():
        path.unlink()

    response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content)["index"] == "no index in the index folder"


@pytest.mark.django_db(transaction=True)
def test_health_fails_when_the_open_index_is_replaced_by_an_older_schema(client, search_index):
    load_conference(miit_briefing(), [source_file()])
    indexing.drain()
    assert client.get("/healthz").status_code == 200
    folder = search_index.resolve()
    for path in folder.iterdir():
        path.unlink()
    old = Schema(id=ID(stored=True, unique=True), text=TEXT(analyzer=StemmingAnalyzer()))
    FileStorage(str(folder)).create_index(old).writer().commit()  # no searcher closed

    response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content)["index"] == (
        "index schema out of date: rebuild it (manage.py reindex)"
    )


@pytest.mark.django_db(transaction=True)
def test_health_fails_naming_the_database_when_it_cannot_be_opened(client, search_index, tmp_path):
    load_conference(miit_briefing(), [source_file()])
    indexing.drain()  # an index that is fine
    original = connection.settings_dict["NAME"]
    connection.close()
    missing = str(tmp_path / "no-such-folder" / "db.sqlite3")
    if connection.vendor == "postgresql":
        missing = "no_such_database"  # a path is no PostgreSQL database name
    connection.settings_dict["NAME"] = missing
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original

    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "failing"
    assert body["database"].startswith("database unreadable")
    assert body["index"] == "ok"
