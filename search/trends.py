"""Trends: how often up to three searches match, month by month, as a share of every
exchange of that month that the same filters let through, for the trends page and its
CSV and JSON.

Counts come through the engine's `Reader.count_by_month` (search/engines.py): on Whoosh
the month of each match is read from the date column the read path already keeps for
sorting and the year facet, so no index field is added; on a search server it is a date
facet by month. The denominator is the same search without its words (its filters and
dates only), counted the same way: the same definitions of speaker, outlet and body as
the numerator, so a share is never above 100%, and on an index in step with the
database it is the database's count of exchanges per month (a test holds them equal).

The page has two time budgets (settings.SEARCH_TIME_LIMIT each), not one per count: one
for the filters' counts, then one for the searches, each in turn with what is left.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field, replace

from django.conf import settings

from .engines import Reader, answering, reader
from .fields import MONTH
from .filters import ResolvedFilter, resolve_filters
from .language import (
    MAX_QUERY_LENGTH,
    ParsedQuery,
    control_characters_note,
    describe,
    printable,
)
from .searching import SearchInput

MAX_LINES = 3
EARLIEST = dt.date(1900, 1, 1)  # "every dated exchange": the denominator's open start
MIN_SECONDS = 0.05  # a count is not started with less than this left of the budget


@dataclass
class TrendInput:
    """What the trends page asks for: the searches, and the search form's filters (its
    own `q`, sort and page are not used) for all of them."""

    queries: list[str] = field(default_factory=list)
    filters: SearchInput = field(default_factory=SearchInput)
    control_note: str = field(
        default="", repr=False, compare=False
    )  # as SearchInput's, for the queries

    def __post_init__(self) -> None:
        if note := control_characters_note(self.queries):
            self.control_note = note
            self.queries = [printable(text) for text in self.queries]

    def search(self, text: str) -> SearchInput:
        """The search page's search for one of the lines."""
        return replace(self.filters, q=text, sort="relevance", page=1)

    def parse(self, text: str) -> ParsedQuery:
        return self.search(text).parse()


@dataclass
class Denominator:
    """Exchanges per month that a set of filters lets through."""

    label: str  # "every exchange", or the filters in the query language
    counts: dict[str, int]
    total: int
    estimated: bool = False


@dataclass
class TrendLine:
    query: str  # as typed, cut to the query length
    understood_as: str
    counts: dict[str, int]
    total: int
    denominator: Denominator
    estimated: bool = False  # counts scaled up from a sample, or partial
    timed_out: bool = False

    def share(self, month: str) -> float | None:
        """Percent of the month's exchanges; None in a month with none."""
        exchanges = self.denominator.counts.get(month, 0)
        if not exchanges:
            return None
        return 100 * self.counts.get(month, 0) / exchanges


@dataclass
class Trends:
    input: TrendInput
    lines: list[TrendLine] = field(default_factory=list)
    denominators: list[Denominator] = field(default_factory=list)
    months: list[str] = field(default_factory=list)  # consecutive, "2021-03"
    messages: list[str] = field(default_factory=list)

    def note(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)


def count_trends(wanted: TrendInput) -> Trends:
    """Each search's matches per month beside the month's exchanges under its filters."""
    result = Trends(wanted)
    if wanted.control_note:
        result.note(wanted.control_note)
    texts = [text.strip() for text in wanted.queries if text.strip()]
    if len(texts) > MAX_LINES:
        left_out = ", ".join(f"“{_cut(text)}”" for text in texts[MAX_LINES:])
        result.note(f"At most {MAX_LINES} searches; left out: {left_out}.")
        texts = texts[:MAX_LINES]
    if not texts:
        if wanted.queries:
            result.note("Every search box was empty: type a word or phrase to chart.")
        return result
    engine = reader()
    with answering(engine):
        return _count(wanted, result, texts, engine)


def _count(wanted: TrendInput, result: Trends, texts: list[str], engine: Reader) -> Trends:
    deadline = time.monotonic() + settings.SEARCH_TIME_LIMIT
    asked: list[tuple[str, ParsedQuery, list[ResolvedFilter], object]] = []
    for text in texts:
        parsed = wanted.parse(text)
        filters = resolve_filters(parsed)
        compiled = engine.compile(parsed, filters) if parsed.has_text else None
        for message in parsed.messages:
            result.note(message)
        if compiled is None or not compiled.has_text:
            result.note(f"“{_cut(text)}” has no words to look for, so it is not charted.")
            continue
        asked.append((text, parsed, filters, compiled))

    # The filters' counts first: a share needs them, and they are cheap, but for the
    # first count in a process, which reads the index's date column (up to a second on
    # the full corpus). The searches' budget starts after them, so that a cold start
    # does not leave every search uncounted.
    denominators: dict[str, Denominator] = {}
    for _text, parsed, filters, _compiled in asked:
        key = _filters_label(parsed)
        if key not in denominators:
            denominators[key] = _count_denominator(engine, parsed, filters, deadline)
    result.denominators = list(denominators.values())
    deadline = time.monotonic() + settings.SEARCH_TIME_LIMIT

    for text, parsed, _filters, compiled in asked:
        denominator = denominators[_filters_label(parsed)]
        left = deadline - time.monotonic()
        if left < MIN_SECONDS:
            result.note(f"“{_cut(text)}” was not counted: the page ran out of time.")
            continue
        found = engine.count_by_month(compiled, time_limit=left)
        if found.timed_out and not found.facets.get(MONTH):
            # Nothing counted in time: a line of zeros would read as "never said".
            result.note(f"“{_cut(text)}” was not counted: the page ran out of time.")
            continue
        line = TrendLine(
            query=text[:MAX_QUERY_LENGTH],
            understood_as=describe(parsed),
            counts=dict(found.facets.get(MONTH, [])),
            total=found.total,
            denominator=denominator,
            estimated=found.estimated,
            timed_out=found.timed_out,
        )
        if found.timed_out:
            result.note(
                f"Counting “{line.query}” took too long and was stopped early: its counts "
                "cover part of the archive. More words or a filter make it faster."
            )
        elif found.estimated:
            result.note(
                f"The counts of “{line.query}” are estimates from a sample of the "
                "exchanges that have its words."
            )
        result.lines.append(line)
    result.months = _span(result.lines)
    if result.lines and not result.months:
        result.note("No dated exchange matches these filters, so there is nothing to chart.")
    return result


def _count_denominator(
    engine: Reader, parsed: ParsedQuery, filters: list[ResolvedFilter], deadline: float
) -> Denominator:
    """The exchanges the search's filters and dates let through, without its words."""
    bare = ParsedQuery(
        filters=list(parsed.filters),
        date_from=parsed.date_from or EARLIEST,
        date_to=parsed.date_to,
    )
    compiled = engine.compile(bare, filters)
    found = engine.count_by_month(
        compiled, time_limit=max(MIN_SECONDS, deadline - time.monotonic())
    )
    return Denominator(
        label=_filters_label(parsed),
        counts=dict(found.facets.get(MONTH, [])),
        total=found.total,
        estimated=found.estimated,
    )


def _filters_label(parsed: ParsedQuery) -> str:
    """The filters and dates of `parsed` in the query language; "" for none."""
    bare = ParsedQuery(filters=parsed.filters, date_from=parsed.date_from, date_to=parsed.date_to)
    return describe(bare)


def _span(lines: list[TrendLine]) -> list[str]:
    """Every month from the first to the last that has exchanges under a line's filters."""
    months = sorted(
        month for line in lines for month, count in line.denominator.counts.items() if count
    )
    if not months:
        return []
    year, month = map(int, months[0].split("-"))
    last = months[-1]
    span = []
    while True:
        key = f"{year:04d}-{month:02d}"
        span.append(key)
        if key >= last:
            return span
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _cut(text: str) -> str:
    return text if len(text) <= MAX_QUERY_LENGTH else text[:MAX_QUERY_LENGTH] + "…"


def month_label(month: str) -> str:
    """ "2021-03" -> "Mar 2021"."""
    return dt.date(int(month[:4]), int(month[5:7]), 1).strftime("%b %Y")
