"""Settings come from the environment through typed helpers that refuse bad values."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from config.settings import database_from_url, env_bool, env_int, env_list, search_from_url


def test_it_reads_booleans_and_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG='maybe' is not a boolean"):
        env_bool("FLAG", False)


def test_it_refuses_a_number_that_is_not_one(monkeypatch):
    monkeypatch.setenv("SIZE", "10MB")
    with pytest.raises(ImproperlyConfigured, match="SIZE='10MB' is not a whole number"):
        env_int("SIZE", 1)


def test_it_splits_host_lists(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , b.example,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def test_it_reads_a_postgres_url():
    database = database_from_url("postgres://archive:s%3Dcret@db.internal:5433/briefings")

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == (
        "briefings",
        "archive",
        "s=cret",
    )
    assert (database["HOST"], database["PORT"]) == ("db.internal", "5433")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x@y/z", "scheme 'mysql' is not supported"),
        ("postgres://x@y/", "names no database"),
    ],
)
def test_it_refuses_a_database_url_it_cannot_use(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        database_from_url(url)


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL has no journal mode or transaction_mode option")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert connection.settings_dict["OPTIONS"]["timeout"] >= 5


@pytest.mark.parametrize(
    ("read", "url"),
    [
        (database_from_url, "postgres://archive:s3#cret@db.example/"),
        (search_from_url, "elasticsearch7://user:s3#cret@search.example:9200/idx"),
        (search_from_url, "solr://user:s3/cret@search.example:8983/"),
    ],
)
def test_an_error_about_a_url_never_shows_its_password(read, url):
    with pytest.raises(ImproperlyConfigured) as refused:
        read(url)
    assert "s3" not in str(refused.value)
    assert "cret" not in str(refused.value)
