"""Two writers at once, on the database DATABASE_URL names (SQLite when unset).

SQLite runs one writing transaction at a time (BEGIN IMMEDIATE); PostgreSQL runs them side
by side, so these tests hold one transaction open while a second writer starts, and on
PostgreSQL wait until the database says the second one is waiting for a lock.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import close_old_connections, connection, connections, transaction

from briefings.ingest.load import CREATED, UNCHANGED, LoadResult, load_conference
from briefings.models import Conference, Exchange, Organization, Person
from search import indexing
from search.models import IndexQueue
from tests.conftest import Writer, miit_briefing, source_file, until_waiting

pytestmark = pytest.mark.django_db(transaction=True)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: SQLite runs one writer at a time, so this cannot happen there",
)


def test_two_ingests_of_one_briefing_at_once_store_it_once():
    with transaction.atomic():
        first = load_conference(miit_briefing(), [source_file()])
        second = Writer(lambda: load_conference(miit_briefing(), [source_file()]))
        second.start()
        until_waiting(second)

    result = second.outcome()

    assert isinstance(result, LoadResult)
    assert (first.status, result.status) == (CREATED, UNCHANGED)
    assert result.conference.pk == first.conference.pk
    assert Conference.objects.count() == 1


def test_two_briefings_with_the_same_new_speakers_at_once_make_each_person_once():
    with transaction.atomic():
        load_conference(miit_briefing(), [source_file("one.txt", "day one")])
        later = miit_briefing(title="SCIO press conference on SMEs", held_on=dt.date(2022, 3, 3))
        second = Writer(lambda: load_conference(later, [source_file("two.txt", "day two")]))
        second.start()
        until_waiting(second)

    assert second.outcome().status == CREATED
    assert Conference.objects.count() == 2
    names = list(Person.objects.values_list("name", flat=True))
    assert sorted(names) == ["Liang Wenhua", "Tian Yulong", "Xi Yanchun"]
    outlets = Organization.objects.filter(kind=Organization.Kind.MEDIA)
    assert sorted(outlets.values_list("name", flat=True)) == [
        "China Daily",
        "Science and Technology Daily",
    ]


@postgres_only
def test_a_rebuild_keeps_the_queued_changes_of_a_transaction_that_commits_during_it(
    search_index,
):
    """On PostgreSQL a transaction that started earlier can commit later: its queue rows
    have lower ids than rows already committed (here by an admin-style edit while an
    ingest is open). A rebuild that read the database before that commit must leave them
    queued for the writer."""
    later = miit_briefing(title="SCIO press conference on SMEs", held_on=dt.date(2022, 3, 3))
    edited = load_conference(later, [source_file("edited.txt", "edited")]).conference
    opened, commit = threading.Event(), threading.Event()

    def ingest_and_wait() -> LoadResult:
        with transaction.atomic():
            result = load_conference(miit_briefing(), [source_file("slow.txt", "slow")])
            opened.set()
            assert commit.wait(timeout=60), "the rebuild never got to its first chunk"
        return result

    slow = Writer(ingest_and_wait)
    slow.start()
    assert opened.wait(timeout=60)
    with transaction.atomic():
        indexing.enqueue_exchanges(edited.exchanges.values_list("pk", flat=True))

    def commit_the_slow_ingest(done: int, total: int) -> None:
        commit.set()
        slow.join(timeout=60)

    indexing.rebuild(progress=commit_the_slow_ingest)

    assert slow.outcome().status == CREATED
    assert Exchange.objects.filter(conference__title=miit_briefing().title).exists()
    assert indexing.reconcile().ok, "the slow ingest's exchanges are missing from the index"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: SQLite has no server connection to lose",
)
def test_the_index_writer_reconnects_after_losing_its_database_connection(search_index):
    """A PostgreSQL server restart ends every session; SQLite has no connection to lose."""
    load_conference(miit_briefing(), [source_file()])
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    killer = Writer(lambda: _terminate(backend))
    killer.start()
    killer.outcome()
    rounds = iter(range(3))

    indexing.watch(interval=0, stop=lambda: next(rounds, None) is None)

    close_old_connections()
    assert IndexQueue.objects.count() == 0
    assert indexing.reconcile().ok


def _terminate(backend: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
