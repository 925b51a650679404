"""The index queue and its single writer, on a real Whoosh index in a temporary folder."""

from __future__ import annotations

import threading
from pathlib import Path

import haystack
import pytest
from django.core.management import call_command
from haystack.query import SearchQuerySet
from whoosh.index import LockError, open_dir

from briefings.ingest.load import load_conference
from briefings.models import Conference, Exchange, Person, Turn
from search import indexing
from search.models import IndexQueue
from tests.conftest import miit_briefing, source_file

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_WH = Path(__file__).resolve().parent.parent / "demo" / "white-house"


@pytest.fixture(autouse=True)
def index_folder(settings, tmp_path):
    """A fresh index per test: haystack's connection points at a temporary folder."""
    connection = dict(settings.HAYSTACK_CONNECTIONS["default"])
    connection["PATH"] = str(tmp_path / "whoosh_index")
    settings.HAYSTACK_CONNECTIONS = {"default": connection}
    settings.SEARCH_WRITER_TIMEOUT = 0.2
    haystack.connections.reload("default")
    yield tmp_path / "whoosh_index"
    haystack.connections.reload("default")


def found(text: str) -> set[int]:
    return {int(r.pk) for r in SearchQuerySet().filter(content=text)}


def test_it_queues_an_ingest_and_the_drain_makes_it_searchable():
    result = load_conference(miit_briefing(), [source_file()])
    exchanges = set(result.conference.exchanges.values_list("pk", flat=True))
    assert set(IndexQueue.objects.values_list("exchange_id", flat=True)) == exchanges

    report = indexing.drain()

    assert report.updated == len(exchanges)
    assert IndexQueue.objects.count() == 0
    assert found("5G-connected factories") == {
        Turn.objects.get(text__contains="5G-connected").exchange_id
    }
    assert indexing.reconcile().ok


def test_it_removes_a_replaced_transcripts_old_exchanges():
    load_conference(miit_briefing(), [source_file(text="one")])
    indexing.drain()
    changed = miit_briefing()
    changed.exchanges[3].turns[1].text = "We will build 300 new smart factories."

    load_conference(changed, [source_file(text="two")], replace=True)
    indexing.drain()

    assert found("5G-connected") == set()
    assert len(found("smart factories")) == 1
    assert indexing.reconcile().ok


def test_a_deleted_exchange_is_really_gone():
    load_conference(miit_briefing(), [source_file()])
    indexing.drain()
    doomed = Turn.objects.get(text__contains="5G-connected").exchange

    doomed.delete()
    indexing.drain()

    assert found("5G-connected") == set()
    assert indexing.reconcile().ok


def test_the_queue_survives_a_failed_write_and_the_retry_applies_it(index_folder):
    load_conference(miit_briefing(), [source_file()])
    indexing.drain()
    turn = Turn.objects.get(text__contains="5G-connected")
    turn.text = "We will build a batch of fully 6G-ready factories."
    turn.save()
    blocker = open_dir(str(index_folder)).writer()  # another writer holds Whoosh's lock

    try:
        with pytest.raises(LockError):
            indexing.drain()
        row = IndexQueue.objects.get()
        assert row.attempts == 1
        assert "LockError" in row.last_error
    finally:
        blocker.cancel()

    indexing.drain()
    assert IndexQueue.objects.count() == 0
    assert found("6G-ready") == {turn.exchange_id}


def test_only_one_drain_writes_at_a_time():
    load_conference(miit_briefing(), [source_file()])
    with indexing.writer_lock(block=True):
        assert indexing.drain(block=False) is None  # someone else is the writer
    assert indexing.drain(block=False).updated > 0


def test_admin_edits_of_a_person_reach_the_index():
    load_conference(miit_briefing(), [source_file()])
    indexing.drain()
    tian = Person.objects.get(name="Tian Yulong")

    tian.name = "Tian Yulong Jr"
    tian.save()
    indexing.drain()

    assert {r.speaker_names for r in SearchQuerySet().filter(content="Jr")} == {
        "Liang Wenhua Tian Yulong Jr",
        "Tian Yulong Jr",
    }


def test_rebuild_swaps_in_a_complete_index_and_searches_never_see_an_empty_one(index_folder):
    call_command("ingest", str(DEMO_WH), stdout=open("/dev/null", "w"))  # noqa: SIM115
    expected = len(found("vaccine"))
    assert expected > 0
    first_generation = index_folder.resolve()
    counts: list[int] = []
    done = threading.Event()

    def search_repeatedly() -> None:
        while not done.is_set():
            counts.append(len(found("vaccine")))

    searcher = threading.Thread(target=search_repeatedly)
    searcher.start()
    try:
        report = indexing.rebuild()
    finally:
        done.set()
        searcher.join()

    assert report.documents == Exchange.objects.count()
    assert index_folder.resolve() != first_generation
    assert counts
    assert set(counts) == {expected}
    assert indexing.reconcile().ok


def test_reconcile_finds_and_fixes_what_the_index_lacks():
    load_conference(miit_briefing(), [source_file()])
    IndexQueue.objects.all().delete()  # as if the queue had been lost

    result = indexing.reconcile(fix=True)

    assert len(result.missing) == Exchange.objects.count()
    indexing.drain()
    assert indexing.reconcile().ok


def test_a_rolled_back_ingest_leaves_nothing_in_the_queue():
    broken = miit_briefing()
    broken.exchanges[2].turns[0].role = "shouting"

    with pytest.raises(Exception):  # noqa: B017, PT011 - the database refuses the row
        load_conference(broken, [source_file()])

    assert IndexQueue.objects.count() == 0
    assert Conference.objects.count() == 0
