"""The read path of our Whoosh backend: SearchQuerySet on it, the shared searcher, the
time budget, deletes and rebuilds seen by searches, and escaped highlighting."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection as database
from haystack import connections
from haystack.query import SearchQuerySet
from whoosh import query as wq
from whoosh.analysis import StemmingAnalyzer

from briefings.ingest.load import load_conference
from briefings.models import Exchange, Turn
from search import engines, indexing
from search.filters import resolve_filters
from search.highlight import Highlight, highlight_snippet
from search.searching import SearchInput, search_archive
from search.whoosh.open_index import shared_searcher
from tests.conftest import briefing, miit_briefing, official, reporter, source_file

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("search_index")]


def vaccine_briefing(held_on: dt.date = dt.date(2021, 2, 1)) -> object:
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
        ],
    )


@pytest.fixture
def archive() -> None:
    load_conference(miit_briefing(), [source_file("miit.txt", "miit")])
    load_conference(vaccine_briefing(), [source_file("vaccines.md", "vaccines")])
    indexing.drain()


def backend() -> object:
    return connections["default"].get_backend()


def test_searchqueryset_works_through_our_backend(archive):
    vaccines = SearchQuerySet().auto_query("vaccine").highlight()
    psaki = SearchQuerySet().filter(content="vaccine", speakers="jen-psaki").order_by("-held_on")
    faceted = SearchQuerySet().auto_query("vaccine").facet("outlets")

    assert vaccines.count() == 2
    first = vaccines[0]
    assert first.model is Exchange
    assert first.speakers == ["jen-psaki"]
    assert "<mark>vaccine</mark>" in first.highlighted["text"][0]
    assert psaki.count() == 2
    # "AP" is the seeded alias of Associated Press, unless a transactional test emptied the
    # tables before this one: the outlet's own slug either way.
    ap = Turn.objects.get(text="Are vaccines reaching rural towns?").outlet.slug
    assert faceted.facet_counts()["fields"]["outlets"] == [(ap, 1), ("cnn", 1)]
    exchange = Exchange.objects.get(pk=first.pk)
    similar = SearchQuerySet().more_like_this(exchange)
    assert str(exchange.pk) not in {result.pk for result in similar}
    assert SearchQuerySet().all().count() == Exchange.objects.count()


def test_searchqueryset_date_filters_narrow_like_the_page(archive):
    day = dt.date(2021, 2, 1)
    that_day = SearchQuerySet().filter(content="vaccine", held_on__gte=day, held_on__lte=day)
    later = SearchQuerySet().filter(held_on__gte=day + dt.timedelta(days=1))
    either = SearchQuerySet().filter(content="vaccine").filter_or(held_on__lte=day)

    assert that_day.count() == search_archive(SearchInput(q="vaccine from:2021-02-01")).total
    assert that_day.count() == 2
    assert later.count() == 5  # the SCIO briefing, 2022
    assert either.count() == 2  # a range inside OR is left to whoosh


def test_one_searcher_serves_every_search_until_the_index_changes(archive):
    backend().find(wq.Term("text", "vaccin"))
    searcher = shared_searcher()
    backend().find(wq.Term("text", "guidelin"))
    assert shared_searcher() is searcher

    load_conference(vaccine_briefing(dt.date(2022, 3, 1)), [source_file("v2.md", "v2")])
    indexing.drain()  # a new generation in the same folder

    assert backend().find(wq.Term("text", "vaccin")).total == 4
    assert shared_searcher() is not searcher


def test_a_deleted_exchange_disappears_after_a_drain(archive):
    doomed = Turn.objects.get(text__contains="rural towns by mobile").exchange
    before = search_archive(SearchInput(q="rural"))
    assert [hit.exchange.pk for hit in before.hits] == [doomed.pk]

    doomed.delete()
    indexing.drain()

    assert search_archive(SearchInput(q="rural")).total == 0


def test_searches_see_the_whole_index_while_it_is_rebuilt(archive):
    expected = search_archive(SearchInput(q="vaccine OR guidelines")).total
    totals: list[int] = []
    finished = threading.Event()

    def rebuild() -> None:
        try:
            indexing.rebuild()
        finally:
            database.close()
            finished.set()

    thread = threading.Thread(target=rebuild)
    thread.start()
    while not finished.is_set():
        totals.append(search_archive(SearchInput(q="vaccine OR guidelines")).total)
    thread.join()
    totals.append(search_archive(SearchInput(q="vaccine OR guidelines")).total)

    assert expected == 3
    assert set(totals) == {expected}


def test_a_search_out_of_time_gives_an_estimate_and_says_so(archive):
    found = backend().find(
        wq.Or([wq.Term("text", "vaccin"), wq.Term("text", "suppli")]), time_limit=-1
    )

    assert found.timed_out
    assert found.estimated
    assert found.total >= len(found.hits)


def test_a_filter_only_search_is_sorted_newest_first(archive):
    load_conference(vaccine_briefing(dt.date(2024, 5, 1)), [source_file("v3.md", "v3")])
    indexing.drain()

    result = search_archive(SearchInput(q="speaker:psaki"))

    dates = [hit.exchange.conference.held_on for hit in result.hits]
    assert dates == sorted(dates, reverse=True)
    assert result.total == 4


ANALYZER = StemmingAnalyzer()


def test_highlighting_escapes_the_text_before_marking_it():
    text = "Title\n1 < 2 and <b onmouseover=alert(1)>briefing</b> & more"

    snippet = highlight_snippet(text, Highlight(terms=frozenset({"brief"})), ANALYZER)

    assert (
        "1 &lt; 2 and &lt;b onmouseover=alert(1)&gt;<mark>briefing</mark>&lt;/b&gt; &amp; more"
    ) in snippet
    assert "<b" not in snippet


def test_highlighting_marks_a_phrase_only_where_its_words_stand_together():
    text = "Title\nThe chain of supply is long, but the supply chain is short."

    snippet = highlight_snippet(text, Highlight(phrases=(("suppli", "chain"),)), ANALYZER)

    assert snippet.count("<mark>") == 2
    assert "<mark>supply</mark> <mark>chain</mark> is short" in snippet
    assert "<mark>" not in snippet.split("but")[0]


def test_undated_briefings_come_last_in_either_date_order(archive):
    load_conference(
        miit_briefing(title="An undated conference on vaccines", held_on=None),
        [source_file("undated.txt", "undated")],
    )
    indexing.drain()

    for sort in ("newest", "oldest"):
        result = search_archive(SearchInput(q="vaccine OR vaccines", sort=sort))
        dates = [hit.exchange.conference.held_on for hit in result.hits]
        assert dates[:2] == [dt.date(2021, 2, 1)] * 2
        assert set(dates[2:]) == {None}
        assert [year.value for year in result.years] == ["2021"]


def test_a_snippet_comes_from_what_was_said(archive):
    # Found by who spoke ("psaki"), an exchange's snippet is still its words: the names
    # (and the title) are fields of their own, never shown as text.
    reader = engines.reader()
    parsed = SearchInput(q="psaki supply").parse()
    compiled = reader.compile(parsed, resolve_filters(parsed))
    found = reader.find(compiled, start=0, end=10, highlight=True)

    assert [hit.snippet for hit in found.hits] == [
        "Will the vaccine <mark>supply</mark> grow this month?\n"
        "The vaccine <mark>supply</mark> will grow by 16 percent"
    ]
