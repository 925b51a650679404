"""The search-server path (search/servers/portable.py) without a search server.

The code that would talk to Elasticsearch or Solr goes through haystack's generic API
only (SearchQuerySet; the backend's update, remove and clear), so it runs here on Whoosh:

- the reader on our own Whoosh connection, compared with our Whoosh read path on the same
  index: the same hits in the same order, totals, facets, snippets and messages;
- the writer (queue, drain, failed writes, reconcile, rebuild) and the whole search page
  on haystack's stock Whoosh engine, an engine that is not ours, chosen through
  search.engines exactly as Elasticsearch or Solr would be.

What only a real server can show (its analysis, scoring, paging limits, errors) is not
tested here; tests/test_search_url.py checks the requests that would be sent to one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import haystack
import pytest
from django.test import override_settings
from haystack import connections
from haystack.query import SearchQuerySet
from whoosh.index import LockError, open_dir

from briefings.ingest.load import load_conference
from briefings.models import Conference, Exchange, Turn
from search import engines, indexing
from search.fields import MONTH
from search.filters import resolve_filters
from search.models import IndexQueue
from search.searching import (
    FACET_FIELDS,
    SearchInput,
    _sort_fields,
    export_results,
    search_archive,
    similar_exchanges,
)
from search.servers import portable
from search.servers.portable import HaystackStore, QuerySetReader
from search.whoosh.engine import WhooshReader
from search.whoosh.open_index import close_searchers
from tests.conftest import briefing, miit_briefing, official, reporter, source_file

pytestmark = pytest.mark.django_db(transaction=True)


def vaccine_briefing(held_on: dt.date) -> object:
    return briefing(
        f"Press Briefing on vaccines, {held_on}",
        held_on,
        [
            reporter("CNN", "Will the vaccine supply grow this month?"),
            official("Jen Psaki", "The vaccine supply will grow by 16 percent.", label="MS. PSAKI"),
            reporter("AP", "Are vaccines reaching rural towns?"),
            official(
                "Jen Psaki", "Vaccines reach rural towns by mobile clinics.", label="MS. PSAKI"
            ),
            reporter("CNN", "And <script>alert(1)</script> the factories?"),
            official("Jen Psaki", "Factories make the vaccine supply grow.", label="MS. PSAKI"),
        ],
    )


def load_archive() -> None:
    load_conference(miit_briefing(), [source_file("miit.txt", "miit")])
    load_conference(vaccine_briefing(dt.date(2021, 2, 1)), [source_file("v1.md", "v1")])
    load_conference(vaccine_briefing(dt.date(2021, 9, 6)), [source_file("v2.md", "v2")])


@pytest.fixture
def archive(search_index: Path) -> None:
    """Three briefings on our Whoosh index (the `search_index` fixture's folder)."""
    load_archive()
    indexing.drain()


@pytest.fixture
def stock_engine(tmp_path: Path, settings: object, monkeypatch: pytest.MonkeyPatch) -> Path:
    """haystack's own Whoosh engine as the default connection: an engine that is not
    ours, so search.engines picks the portable reader and store, as for a server."""
    folder = tmp_path / "stock_index"
    connection = {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": str(folder),
        "SILENTLY_FAIL": False,
    }
    settings.HAYSTACK_CONNECTIONS = {"default": connection}
    settings.DATA_DIR = tmp_path
    # haystack reads ENGINE from the settings it was imported with, options from now.
    monkeypatch.setattr(haystack.connections, "connections_info", {"default": connection})
    haystack.connections.reload("default")
    close_searchers()
    yield folder
    monkeypatch.undo()
    haystack.connections.reload("default")


def run(reader: engines.Reader, q: str, *, sort: str = "relevance", end: int = 20) -> tuple:
    wanted = SearchInput(q=q, sort=sort)
    parsed = wanted.parse()
    compiled = reader.compile(parsed, resolve_filters(parsed))
    found = reader.find(
        compiled,
        start=0,
        end=end,
        sort_by=_sort_fields(sort, has_text=compiled.has_text),
        highlight=True,
        facets=FACET_FIELDS,
        last_page=True,
    )
    return found, parsed.messages


def ids(found: object) -> list[int]:
    return [int(hit.fields["django_id"]) for hit in found.hits]


QUERIES = [
    "vaccine",
    "vaccines supply",
    '"supply will grow"',
    '"supply grow"',
    "vaccine -rural",
    'vaccine -"mobile clinics"',
    "factories OR rural",
    "guidelines OR clinics OR nothingatall",
    "speaker:psaki",
    "speaker:psaki -outlet:cnn",
    "outlet:cnn vaccine",
    'org:"State Council Information Office"',
    "vaccine from:2021-09",
    "from:2021 to:2021-06",
    "conference:SLUG",
    "-speaker:psaki",
    "the",
    "the speaker:psaki",
    "vaccine speaker:nobody",
    "script",
    "5G-connected",
    "covid-19 OR vaccine",
]


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
@pytest.mark.parametrize("q", QUERIES)
def test_searchqueryset_finds_what_the_whoosh_read_path_finds(archive, q, sort):
    if "SLUG" in q:
        q = q.replace("SLUG", Conference.objects.get(held_on=dt.date(2021, 9, 6)).slug)
    whoosh = engines.reader()
    assert isinstance(whoosh, WhooshReader)

    expected, expected_messages = run(whoosh, q, sort=sort)
    found, messages = run(QuerySetReader(), q, sort=sort)

    assert ids(found) == ids(expected)
    assert found.total == expected.total
    assert found.facets == expected.facets
    assert [hit.snippet for hit in found.hits] == [hit.snippet for hit in expected.hits]
    assert messages == expected_messages
    if sort == "relevance" and expected.hits and expected.hits[0].score is not None:
        assert [round(hit.score, 6) for hit in found.hits] == [
            round(hit.score, 6) for hit in expected.hits
        ]


@pytest.mark.parametrize(
    ("q", "dates"),
    [("vaccine", ("", "")), ("speaker:psaki", ("2021-01", "2021-12")), ("from:1900", ("", ""))],
)
def test_searchqueryset_counts_months_as_the_whoosh_read_path_does(archive, q, dates):
    # The trends page's counts (search/trends.py): a date facet by month on a server.
    wanted = SearchInput(q=q, date_from=dates[0], date_to=dates[1])
    counted = []
    for reader in (engines.reader(), QuerySetReader()):
        parsed = wanted.parse()
        found = reader.count_by_month(reader.compile(parsed, resolve_filters(parsed)), time_limit=1)
        counted.append((found.total, sorted(found.facets[MONTH])))

    assert counted[0] == counted[1]
    assert dict(counted[0][1]).get("2021-09", 0) > 0


def test_the_comparison_covers_hits_facets_and_marks(archive):
    # The parametrised comparison above is only as good as what it compares.
    found, _ = run(QuerySetReader(), "vaccine outlet:cnn")

    assert found.total == 4
    assert found.facets["speakers"] == [("jen-psaki", 4)]
    assert found.facets["outlets"] == [("cnn", 4)]
    assert found.facets["year"] == [("2021", 4)]
    assert all("<mark>vaccine</mark>" in hit.snippet for hit in found.hits)
    marked = run(QuerySetReader(), "script")[0].hits[0].snippet
    assert "&lt;<mark>script</mark>&gt;alert(1)" in marked
    assert "<script>" not in marked


def test_pages_and_the_last_page_match(archive):
    for start in (0, 2, 4, 40):
        expected = engines.reader().find(
            engines.reader().compile(*_parsed("vaccine OR guidelines")),
            start=start,
            end=start + 2,
            last_page=True,
        )
        found = QuerySetReader().find(
            QuerySetReader().compile(*_parsed("vaccine OR guidelines")),
            start=start,
            end=start + 2,
            last_page=True,
        )
        assert (found.start, ids(found), found.total) == (
            expected.start,
            ids(expected),
            expected.total,
        )


def _parsed(q: str) -> tuple:
    parsed = SearchInput(q=q).parse()
    return parsed, resolve_filters(parsed)


def test_more_like_this_through_searchqueryset_matches_the_read_path(archive):
    exchange = Turn.objects.filter(text__contains="rural towns by mobile").first().exchange

    expected = engines.reader().similar(exchange, end=5)
    found = QuerySetReader().similar(exchange, end=5)

    assert ids(found) == ids(expected)
    assert ids(found)
    assert exchange.pk not in ids(found)


def test_spelling_suggestions_come_from_the_engine(archive):
    # haystack asks the engine only with INCLUDE_SPELLING on, as SEARCH_URL sets it.
    connection = {**connections["default"].options, "INCLUDE_SPELLING": True}
    with override_settings(HAYSTACK_CONNECTIONS={"default": connection}):
        haystack.connections.reload("default")
        assert QuerySetReader().suggest_spelling(["vacine", "supply"]) == {"vacine": "vaccine"}
        assert QuerySetReader().suggest_spelling(["vaccine"]) == {}


# The writer and the pages on an engine that is not ours.


def test_the_engine_decides_which_reader_and_store(stock_engine):
    assert isinstance(engines.reader(), QuerySetReader)
    assert isinstance(engines.store(), HaystackStore)
    assert indexing.lock_path().name == "search_writer.lock"


def test_the_queue_drains_through_haystacks_update_and_remove(stock_engine):
    load_conference(miit_briefing(), [source_file()])
    exchanges = set(Exchange.objects.values_list("pk", flat=True))

    report = indexing.drain()

    assert report.updated == len(exchanges)
    assert {int(r.pk) for r in SearchQuerySet().all()} == exchanges
    doomed = Turn.objects.get(text__contains="5G-connected").exchange_id
    Exchange.objects.get(pk=doomed).delete()
    indexing.drain()
    assert {int(r.pk) for r in SearchQuerySet().all()} == exchanges - {doomed}
    assert indexing.reconcile().ok


def test_a_failed_delete_stays_queued_and_the_retry_applies_it(stock_engine):
    load_conference(miit_briefing(), [source_file()])
    indexing.drain()
    doomed = Turn.objects.get(text__contains="5G-connected").exchange_id
    Exchange.objects.get(pk=doomed).delete()
    blocker = open_dir(str(stock_engine)).writer()  # another writer holds Whoosh's lock

    try:
        with pytest.raises(LockError):
            indexing.drain()
        rows = list(IndexQueue.objects.all())
        assert {row.exchange_id for row in rows} == {doomed}
        assert {row.attempts for row in rows} == {1}
        assert "LockError" in rows[0].last_error
    finally:
        blocker.cancel()

    indexing.drain()
    assert IndexQueue.objects.count() == 0
    assert doomed not in {int(r.pk) for r in SearchQuerySet().all()}


def test_reconcile_reads_the_index_a_page_at_a_time(stock_engine, monkeypatch):
    # Ids 1..n as text sort "1", "10", "11", "2": each page starts after the last one.
    monkeypatch.setattr(portable, "ID_PAGE", 3)
    load_archive()
    indexing.drain()
    lost = Turn.objects.get(text__contains="5G-connected").exchange_id
    gone = Exchange.objects.filter(conference__held_on=dt.date(2021, 9, 6)).first().pk
    Exchange.objects.filter(pk=gone).delete()
    IndexQueue.objects.all().delete()  # as if the queue had been lost
    HaystackStore().apply_changes(indexing.exchange_index(), updates=[], deletes=[lost])

    result = indexing.reconcile(fix=True)

    assert (result.missing, result.extra) == ([lost], [gone])
    indexing.drain()
    assert indexing.reconcile().ok
    assert len(HaystackStore().indexed_ids(indexing.exchange_index())) == Exchange.objects.count()


@pytest.mark.parametrize("clear", [False, True])
def test_a_rebuild_rewrites_every_exchange_and_drops_the_gone(stock_engine, clear):
    load_archive()
    indexing.drain()
    gone = Exchange.objects.filter(conference__held_on=dt.date(2021, 2, 1)).first().pk
    Exchange.objects.filter(pk=gone).delete()
    IndexQueue.objects.all().delete()
    assert not indexing.reconcile().ok

    report = indexing.rebuild(clear=clear)

    assert report.documents == Exchange.objects.count()
    assert report.into == str(stock_engine)
    assert indexing.reconcile().ok


def test_the_search_page_exports_and_more_like_this_work_on_another_engine(stock_engine):
    load_archive()
    indexing.drain()

    page = search_archive(SearchInput(q="vaccine supply outlet:cnn"))
    export = export_results(SearchInput(q="vaccine supply"))
    exchange = page.hits[0].exchange

    assert page.total == 4
    assert {hit.exchange.conference.held_on for hit in page.hits} == {
        dt.date(2021, 2, 1),
        dt.date(2021, 9, 6),
    }
    assert all("<mark>supply</mark>" in hit.snippet for hit in page.hits)
    assert [(value.value, value.count) for value in page.years] == [("2021", 4)]
    assert [value.label for value in page.facets["speakers"]] == ["Jen Psaki"]
    assert export.total == 4
    row = next(export.rows())
    assert row.held_on in {dt.date(2021, 2, 1), dt.date(2021, 9, 6)}
    assert row.speakers == ["Jen Psaki"]
    assert set(row.outlets) <= {"CNN", "AP"}
    assert exchange not in similar_exchanges(exchange)
