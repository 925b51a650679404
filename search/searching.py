"""Searching the archive, for the pages and exports: the public query language
(search/language.py, search/filters.py) run on the index through the engine's `Reader`
(search/engines.py: our Whoosh read path, or SearchQuerySet on a search server), joined
with the database for what the pages show. Views call these functions; nothing here
knows about requests.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from haystack.constants import DJANGO_ID

from briefings.models import Exchange, Organization, Participant, Person, Turn
from briefings.text import NOTE_PATTERN

from .cards import Card, build_card
from .engines import Reader, reader
from .fields import YEAR
from .filters import ResolvedFilter, resolve_filters
from .highlight import Highlight, match_spans, opening
from .language import Analyzer, ParsedQuery, Word, parse_query
from .results import Found, Hit

logger = logging.getLogger(__name__)

MAX_PAGES = 50  # 1,000 results at 20 a page; deeper pages rank more than anyone reads
EXPORT_MAX_ROWS = 5000  # CSV and JSON exports; documented on the search page
FEED_ENTRIES = 50
SIMILAR = 5
FACET_FIELDS = ("speakers", "outlets", "organizations", YEAR)
FACETS_SHOWN = 10
SORTS = {"relevance": (), "newest": ("-held_on",), "oldest": ("held_on",)}
SORT_LABELS = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first"}


@dataclass
class SearchInput:
    """What a search asks for: the box, the form's filter controls, sort and page."""

    q: str = ""
    speaker: str = ""
    outlet: str = ""
    organization: str = ""
    date_from: str = ""
    date_to: str = ""
    conference: str = ""
    sort: str = "relevance"
    page: int = 1

    def parse(self) -> ParsedQuery:
        return parse_query(
            self.q,
            speaker=self.speaker,
            outlet=self.outlet,
            organization=self.organization,
            date_from=self.date_from,
            date_to=self.date_to,
            conference=self.conference,
        )


@dataclass
class SearchHit:
    exchange: Exchange
    snippet: SafeString  # escaped, with <mark> around matches
    score: float | None
    speakers: list[tuple[str, str]]  # (name, title at that briefing) of who answered
    outlets: list[str]  # where the questions came from
    card: Card | None = None  # the question, who answered and where the words matched


@dataclass
class FacetValue:
    value: str  # the slug (or year) the filter uses
    label: str
    count: int
    selected: bool = False
    share: int = 0  # percent of the largest count, for bars


@dataclass
class SearchPage:
    input: SearchInput
    parsed: ParsedQuery
    filters: list[ResolvedFilter]
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    estimated: bool = False  # `total` is an estimate: the time budget ran out
    timed_out: bool = False
    page: int = 1
    pages: int = 0
    page_size: int = 20
    sort: str = "relevance"  # the order shown (a filter-only search is newest first)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    years: list[FacetValue] = field(default_factory=list)  # in order, for the chart
    suggestion: str = ""  # a corrected query, when nothing was found

    @property
    def messages(self) -> list[str]:
        return self.parsed.messages

    @property
    def searched(self) -> bool:
        return not self.parsed.is_empty

    @property
    def first(self) -> int:
        return (self.page - 1) * self.page_size + 1

    @property
    def last(self) -> int:
        return self.first + len(self.hits) - 1


@dataclass
class ExportRow:
    url: str  # the exchange's path; views make it absolute
    held_on: dt.date | None
    conference: str
    conference_slug: str
    position: int
    kind: str
    speakers: list[str]
    outlets: list[str]
    score: float | None
    excerpt: str


@dataclass
class Export:
    parsed: ParsedQuery
    rows: list[ExportRow]
    total: int
    estimated: bool
    timed_out: bool


def search_archive(wanted: SearchInput) -> SearchPage:
    """One page of results, with facets and hits per year."""
    parsed = wanted.parse()
    filters = resolve_filters(parsed)
    result = SearchPage(wanted, parsed, filters)
    if parsed.is_empty:
        return result
    engine = reader()
    compiled = engine.compile(parsed, filters)
    size = settings.HAYSTACK_SEARCH_RESULTS_PER_PAGE
    asked = max(1, wanted.page)
    page = min(asked, MAX_PAGES)
    found = engine.find(
        compiled,
        start=(page - 1) * size,
        end=page * size,
        sort_by=_sort_fields(wanted.sort, has_text=compiled.has_text),
        # The snippets are the cards' (search/cards.py), cut from the turns themselves.
        highlight=False,
        facets=FACET_FIELDS,
        last_page=True,
    )
    shown = found.start // size + 1
    if asked > MAX_PAGES and found.total > MAX_PAGES * size:
        parsed.note(f"Only the first {MAX_PAGES} pages can be shown; narrow the search.")
    elif found.hits and shown != asked:
        parsed.note(f"There is no page {asked}; this is the last page, {shown}.")
    elif not found.hits and asked > 1:
        parsed.note(f"There is no page {asked} of these results.")
    result.page, result.page_size = shown, size
    result.sort = effective_sort(wanted.sort, has_text=compiled.has_text)
    result.total, result.estimated, result.timed_out = found.total, found.estimated, found.timed_out
    result.pages = max(shown, math.ceil(min(found.total, MAX_PAGES * size) / size))
    result.hits = _page_hits(found.hits, compiled.highlight, engine.text_analyzer())
    result.facets = _facets(found, parsed, filters)
    result.years = sorted(result.facets.pop(YEAR, []), key=lambda value: value.value)
    _scale(result.years)
    if found.timed_out:
        parsed.note(
            "This search took too long and was stopped early: the results and counts "
            "cover part of the archive. Adding words or a filter makes it faster."
        )
    if found.total == 0 and not found.timed_out:
        result.suggestion = _suggestion(wanted.q, parsed, engine)
    return result


def export_results(wanted: SearchInput, *, limit: int = EXPORT_MAX_ROWS) -> Export:
    """Up to `limit` results as plain rows (CSV, JSON, the Atom feed): read from the
    index's stored fields, with names from two queries, never a query per row."""
    parsed = wanted.parse()
    filters = resolve_filters(parsed)
    if parsed.is_empty:
        return Export(parsed, [], 0, False, False)
    engine = reader()
    compiled = engine.compile(parsed, filters)
    found = engine.find(
        compiled,
        start=0,
        end=limit,
        sort_by=_sort_fields(wanted.sort, has_text=compiled.has_text),
    )
    if found.total > limit:
        parsed.note(f"Exports hold at most {limit:,} rows; the first {limit:,} are here.")
    people = _names(Person, _values(found.hits, "speakers"))
    outlets = _names(Organization, _values(found.hits, "outlets"))
    rows = []
    for hit in found.hits:
        stored = hit.fields
        rows.append(
            ExportRow(
                url=_exchange_path(stored),
                held_on=_day(stored.get("held_on")),
                conference=str(stored.get("conference_title", "")),
                conference_slug=str(stored.get("conference", "")),
                position=int(stored.get("position") or 0),
                kind=str(stored.get("kind", "")),
                speakers=[people.get(slug, slug) for slug in _split(stored.get("speakers"))],
                outlets=[outlets.get(slug, slug) for slug in _split(stored.get("outlets"))],
                score=hit.score,
                excerpt=opening(str(stored.get("text", ""))),
            )
        )
    return Export(parsed, rows, found.total, found.estimated, found.timed_out)


def similar_exchanges(exchange: Exchange, *, limit: int = SIMILAR) -> list[Exchange]:
    """Exchanges most like this one, best first; none when the index does not have it.

    The exchange page is the archive's core: a search index that cannot be read (not
    built yet, a folder gone) costs it this list, never the page.
    """
    engine = reader()
    try:
        found = engine.similar(exchange, end=limit)
    except engine.errors:
        logger.exception("more like this failed for exchange %s", exchange.pk)
        return []
    ids = [int(hit.fields[DJANGO_ID]) for hit in found.hits]
    by_id = Exchange.objects.select_related("conference").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def effective_sort(sort: str, *, has_text: bool) -> str:
    if sort not in SORTS:
        return "relevance" if has_text else "newest"
    if sort == "relevance" and not has_text:
        return "newest"  # a filter alone gives every hit the same score
    return sort


def _sort_fields(sort: str, *, has_text: bool) -> tuple[str, ...]:
    return SORTS[effective_sort(sort, has_text=has_text)]


def _page_hits(hits: list[Hit], highlight: Highlight, analyzer: Analyzer) -> list[SearchHit]:
    """The page's exchanges from the database (2 queries), in the index's order, each with
    its card. An exchange deleted since the last index write is left out."""
    ids = [int(hit.fields[DJANGO_ID]) for hit in hits]
    # An official's title at that briefing, where the turn's label printed none: the
    # participant's, in the same query.
    title_here = Participant.objects.filter(
        conference=OuterRef("exchange__conference"), person=OuterRef("person")
    ).values("title")[:1]
    turns = (
        Turn.objects.select_related("person", "outlet")
        .annotate(title_here=Subquery(title_here))
        .order_by("position")
    )
    exchanges = Exchange.objects.select_related("conference").prefetch_related(
        Prefetch("turns", queryset=turns)
    )
    by_id = exchanges.in_bulk(ids)
    page = []
    for hit, pk in zip(hits, ids, strict=True):
        exchange = by_id.get(pk)
        if exchange is None:
            continue
        speakers: dict[int, tuple[str, str]] = {}
        outlets: list[str] = []
        for turn in exchange.turns.all():
            if turn.role == Turn.Role.QUESTION:
                if turn.outlet and turn.outlet.name not in outlets:
                    outlets.append(turn.outlet.name)
            elif turn.person and turn.is_official:
                speakers.setdefault(turn.person_id, (turn.person.name, turn.speaker_title))
        card = build_card(exchange.turns.all(), highlight, analyzer)
        # The snippet is HTML built by search.highlight: escaped text and our <mark>s.
        snippet = mark_safe(card.answer.excerpt.html if card.answer else hit.snippet)
        page.append(SearchHit(exchange, snippet, hit.score, list(speakers.values()), outlets, card))
    return page


def searched_marks(wanted: SearchInput, texts: list[str]) -> list[list[tuple[int, int]]]:
    """Where each of `texts` holds the words `wanted` searched for, as (start, end)
    offsets: the exchange page, arrived at from a search, marks them (never what a
    bracketed note says, which is not searched). Words only: the filters choose
    exchanges, they mark nothing."""
    parsed = wanted.parse()
    if not parsed.required:
        return [[] for _ in texts]
    engine = reader()
    try:
        compiled = engine.compile(parsed, [])
        analyzer = engine.text_analyzer()
    except engine.errors:
        logger.exception("the searched words could not be analysed")
        return [[] for _ in texts]
    return [match_spans(_without_notes(text), compiled.highlight, analyzer) for text in texts]


def _without_notes(text: str) -> str:
    """`text` with its bracketed notes blanked out, so offsets into it still hold."""
    return NOTE_PATTERN.sub(lambda match: " " * len(match.group()), text)


def _facets(
    found: Found, parsed: ParsedQuery, filters: list[ResolvedFilter]
) -> dict[str, list[FacetValue]]:
    """Facet values with display names: one query per facet, for the values shown."""
    chosen = {
        (item.filter.kind, value)
        for item in filters
        if not item.filter.negated
        for value in item.values
    }
    kinds = {"speakers": "speaker", "outlets": "outlet", "organizations": "organization"}
    facets: dict[str, list[FacetValue]] = {}
    for name, counts in found.facets.items():
        if name == YEAR:
            wanted_years = _selected_years(parsed)
            facets[name] = [
                FacetValue(year, year, count, selected=year in wanted_years)
                for year, count in counts
            ]
            continue
        top = counts[:FACETS_SHOWN]
        model = Person if name == "speakers" else Organization
        labels = _names(model, [slug for slug, _ in top])
        facets[name] = [
            FacetValue(slug, labels.get(slug, slug), count, (kinds[name], slug) in chosen)
            for slug, count in top
        ]
    return facets


def _selected_years(parsed: ParsedQuery) -> set[str]:
    start, end = parsed.date_from, parsed.date_to
    if start and end and start.year == end.year:
        return {str(start.year)}
    return set()


def _scale(values: list[FacetValue]) -> None:
    largest = max((value.count for value in values), default=0)
    for value in values:
        value.share = round(100 * value.count / largest) if largest else 0


def _suggestion(q: str, parsed: ParsedQuery, engine: Reader) -> str:
    """The query with misspelt words replaced, or "" when there is nothing to offer."""
    words = [
        clause.text
        for group in parsed.required
        for clause in group
        if isinstance(clause, Word) and clause.text.isalpha()
    ]
    corrected = engine.suggest_spelling(words) if words else {}
    for word, replacement in corrected.items():
        q = re.sub(rf"(?<![\w:-]){re.escape(word)}(?!\w)", replacement, q, count=1)
    return q if corrected else ""


def _names(model: type[Person] | type[Organization], slugs: list[str]) -> dict[str, str]:
    if not slugs:
        return {}
    return dict(model.objects.filter(slug__in=set(slugs)).values_list("slug", "name"))


def _values(hits: list[Hit], fieldname: str) -> list[str]:
    return [slug for hit in hits for slug in _split(hit.fields.get(fieldname))]


def _split(value: object) -> list[str]:
    """A multi-valued field: Whoosh stores "a,b", the search servers return a list."""
    if isinstance(value, list | tuple):
        return [str(part) for part in value if part]
    return [part for part in str(value or "").split(",") if part]


def _day(value: object) -> dt.date | None:
    """A stored date: Whoosh keeps a datetime, the search servers give a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _exchange_path(stored: dict) -> str:
    return reverse(
        "briefings:exchange-detail", args=[stored.get("conference"), stored.get("position")]
    )
