"""Searching and writing through haystack's generic API, for any engine haystack speaks
to: the path for a search server (SEARCH_URL: Elasticsearch 7 or Solr, docs/scaling.md).

`QuerySetReader` maps the public query language (search/language.py) onto a SearchQuerySet:
- each word or phrase becomes an `Exact` clause on the document (a quoted phrase, which
  every engine analyses as it indexed; a single word is a term), OR groups an `SQ` OR,
  exclusions `~SQ`; user text never reaches an engine's query syntax;
- filters (speaker, outlet, organization, briefing, dates) go in as `narrow()` queries
  on the exact fields: Elasticsearch's filter context and Solr's `fq`, which narrow
  without scoring, as our Whoosh read path does;
- facets are haystack field facets on the exact fields, and the year a date facet;
- by relevance, the server's backend may name an order (`RELEVANCE_ORDER`: content-free
  exchanges after every other, then the score), as the Whoosh path ranks;
- snippets come from our own escaped highlighter (search/highlight.py) over the stored
  text, never from an engine's HTML; more like this is SearchQuerySet.more_like_this.

`HaystackStore` is the index writer's side: the backend's update and remove, clear for a
rebuild that starts empty, and the index's ids read a page at a time.

The same code runs in the tests on the Whoosh index (tests/test_search_portable.py), so
what would be sent to a search server is exercised without one; what only a real server
can show is listed in docs/scaling.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.conf import settings
from haystack import connections
from haystack.constants import DJANGO_ID
from haystack.exceptions import SearchBackendError
from haystack.indexes import SearchIndex
from haystack.inputs import Exact
from haystack.models import SearchResult
from haystack.query import SQ, SearchQuerySet
from haystack.utils import get_model_ct
from whoosh.analysis import CompositeAnalyzer

from briefings.models import Exchange

from ..analysis import archive_analyzer
from ..fields import DATE_FIELD, INDEX_FIELDS, MONTH, TEXT_FIELD, YEAR
from ..filters import ResolvedFilter
from ..highlight import Highlight, Marks, highlight_snippet
from ..language import Clause, ParsedQuery, Phrase
from ..results import Found, Hit

# Ties in a sort by date: a briefing's exchanges together and in their order (Whoosh
# keeps the order of indexing; a server's order of equal values is its own).
TIE_BREAKERS = ("conference", "position")
FACET_SIZE = 10  # values per facet a server returns; the page shows ten
YEARS = (dt.date(1900, 1, 1), dt.date(2100, 1, 1))  # the span of the year facet
ID_PAGE = 1000  # ids read per query when listing the index (Elasticsearch: at most 10,000)
WRITE_BATCH = 500  # exchanges per update request in a rebuild


def analyzer() -> CompositeAnalyzer:
    """The analysis our snippets and the dropped-word check use: the index's Snowball
    English (search/analysis.py); Elasticsearch's snowball and Solr's text_en also stem
    English and drop its common words, so what is marked is what was found, give or take
    a stem."""
    return archive_analyzer()


@dataclass
class PortableQuery:
    """A parsed query as SearchQuerySet clauses."""

    text: SQ | None  # words, phrases, OR groups; scored
    narrowing: SQ | None  # exclusions and filters; narrow without scoring
    dates: tuple[dt.date | None, dt.date | None]
    highlight: Highlight
    has_text: bool
    matches_nothing: bool = False  # a filter names nothing, or nothing is left to look for


class QuerySetReader:
    """search.engines.Reader through haystack's SearchQuerySet."""

    def __init__(self, using: str = "default") -> None:
        self.using = using

    @property
    def errors(self) -> tuple[type[BaseException], ...]:
        errors: list[type[BaseException]] = [OSError, SearchBackendError]
        try:
            from elasticsearch import TransportError

            errors.append(TransportError)
        except ImportError:
            pass
        try:
            from pysolr import SolrError

            errors.append(SolrError)
        except ImportError:
            pass
        return tuple(errors)

    def compile(self, parsed: ParsedQuery, filters: list[ResolvedFilter]) -> PortableQuery:
        marks = Marks(analyzer())

        def clause_value(clause: Clause, *, mark: bool) -> Exact | None:
            if not marks.tokens(clause, mark=mark):
                return None
            return Exact(_phrase_text(clause))

        text: SQ | None = None
        for group in parsed.required:
            values = [v for v in (clause_value(c, mark=True) for c in group) if v is not None]
            if values:
                text = _and(text, _any([SQ(content=value) for value in values]))
        narrowing: SQ | None = None
        for clause in parsed.excluded:
            value = clause_value(clause, mark=False)
            if value is not None:
                # Narrowed out, so it scores nothing (as on the Whoosh path); the field is
                # named, since a server's narrowing query has no default field.
                narrowing = _and(narrowing, ~SQ(**{TEXT_FIELD: value}))
        highlight = marks.highlight(parsed)

        matches_nothing = False
        for item in filters:
            if not item.values:
                # A filter that names nothing matches nothing; excluding it, everything.
                matches_nothing = matches_nothing or not item.filter.negated
                continue
            condition = _filter_sq(item)
            narrowing = _and(narrowing, ~condition if item.filter.negated else condition)
        dates = (parsed.date_from, parsed.date_to)
        if text is None and narrowing is None and not any(dates):
            # Nothing left to look for (every word too common, a filter excluding
            # nothing): the Whoosh path finds nothing too, rather than everything.
            matches_nothing = True
        return PortableQuery(
            text,
            narrowing,
            dates,
            highlight,
            has_text=text is not None,
            matches_nothing=matches_nothing,
        )

    def queryset(
        self,
        compiled: PortableQuery,
        *,
        sort_by: Sequence[str] = (),
        facets: Sequence[str] = (),
    ) -> SearchQuerySet:
        """The SearchQuerySet for `compiled`, not yet run."""
        found = SearchQuerySet(using=self.using).models(Exchange)
        if compiled.text is not None:
            found = found.filter(compiled.text)
        narrowing = compiled.narrowing
        start, end = compiled.dates
        if start is not None:
            narrowing = _and(narrowing, SQ(**{f"{DATE_FIELD}__gte": start}))
        if end is not None:
            narrowing = _and(narrowing, SQ(**{f"{DATE_FIELD}__lte": end}))
        if narrowing is not None:
            if not _has_positive(narrowing):
                # A purely negative query is not read alike by every engine: start from
                # every exchange.
                narrowing = _every() & narrowing
            found = found.narrow(narrowing)
        if sort_by:
            found = found.order_by(*sort_by, *TIE_BREAKERS)
        elif compiled.text is not None:
            # By relevance, content-free exchanges last, where the engine can say so.
            order = getattr(connections[self.using].get_backend(), "RELEVANCE_ORDER", ())
            if order:
                found = found.order_by(*order)
        for name in facets:
            if name in (YEAR, MONTH):
                # Months over the query's own dates where it has them: a server answers a
                # bucket for every month of the span.
                first, last = (compiled.dates[0] or YEARS[0], compiled.dates[1] or YEARS[1])
                span = YEARS if name == YEAR else (first, last + dt.timedelta(days=1))
                found = found.date_facet(
                    DATE_FIELD, start_date=span[0], end_date=span[1], gap_by=name
                )
            else:
                # `size` is Elasticsearch's option (its default is 10 too); others ignore it.
                found = found.facet(name, size=FACET_SIZE)
        return found

    def find(
        self,
        compiled: PortableQuery,
        *,
        start: int,
        end: int,
        sort_by: Sequence[str] = (),
        highlight: bool = False,
        facets: Sequence[str] = (),
        last_page: bool = False,
    ) -> Found:
        if compiled.matches_nothing:
            return Found([], 0, facets={name: [] for name in facets}, start=start)
        end = max(end, start + 1)
        found = self.queryset(compiled, sort_by=sort_by, facets=facets)
        results = found[start:end]  # one request: hits, total and facets
        total = found.count()
        if last_page and not results and start and total:
            size = end - start
            start = (total - 1) // size * size
            found = self.queryset(compiled, sort_by=sort_by, facets=facets)
            results = found[start : start + size]
            total = found.count()
        marks = compiled.highlight if highlight else None
        analyse = analyzer()
        hits = [
            self._hit(result, scored=not sort_by, highlight=marks, analyse=analyse)
            for result in results
        ]
        counts = _facet_counts(found.facet_counts(), facets) if facets else {}
        return Found(hits, total, facets=counts, start=start)

    def count_by_month(self, compiled: PortableQuery, *, time_limit: float) -> Found:
        # A server keeps its own time limits; `time_limit` is for the embedded engine.
        return self.find(compiled, start=0, end=1, facets=(MONTH,))

    def similar(self, exchange: Exchange, *, end: int) -> Found:
        found = SearchQuerySet(using=self.using).models(Exchange).more_like_this(exchange)
        results = [result for result in found[:end] if result is not None]
        return Found([self._hit(result) for result in results], len(results))

    def suggest_spelling(self, words: Sequence[str]) -> dict[str, str]:
        """The engine's suggestion (connection option INCLUDE_SPELLING), word for word."""
        if not words:
            return {}
        text: SQ | None = None
        for word in words:
            text = _and(text, SQ(content=Exact(_clean(word))))
        asked = " ".join(words)
        found = SearchQuerySet(using=self.using).models(Exchange).filter(text)
        suggestion = found.spelling_suggestion(asked)
        if not suggestion or suggestion == asked:
            return {}
        suggested = suggestion.split()
        if len(suggested) != len(words):
            return {}
        return {
            word: better
            for word, better in zip(words, suggested, strict=True)
            if better.lower() != word.lower()
        }

    def spelling_candidates(self, words: Sequence[str]) -> dict[str, list[str]]:
        """The server suggests one word for each: that is the only candidate."""
        return {word: [better] for word, better in self.suggest_spelling(words).items()}

    def text_analyzer(self) -> CompositeAnalyzer:
        return analyzer()

    def _hit(
        self,
        result: SearchResult,
        *,
        scored: bool = True,
        highlight: Highlight | None = None,
        analyse: CompositeAnalyzer | None = None,
    ) -> Hit:
        fields = dict(result.get_additional_fields())
        fields[DJANGO_ID] = result.pk
        snippet = ""
        if highlight is not None:
            text = str(fields.get(TEXT_FIELD) or "")
            snippet = highlight_snippet(text, highlight, analyse or analyzer())
        return Hit(None, result.score if scored else None, fields, snippet)


def _phrase_text(clause: Clause) -> str:
    # Inside quotes, only the quote and the backslash mean anything to an engine's parser.
    raw = " ".join(clause.words) if isinstance(clause, Phrase) else clause.text
    return _clean(raw)


def _clean(text: str) -> str:
    return " ".join(text.replace('"', " ").replace("\\", " ").split())


def _and(left: SQ | None, right: SQ) -> SQ:
    return right if left is None else left & right


def _any(alternatives: list[SQ]) -> SQ:
    combined = alternatives[0]
    for alternative in alternatives[1:]:
        combined = combined | alternative
    return combined


def _every() -> SQ:
    """Every exchange: a positive clause for queries that would be purely negative."""
    return SQ(django_ct=Exact(get_model_ct(Exchange)))


def _has_positive(sq: SQ) -> bool:
    return not sq.negated and (
        any(not isinstance(child, SQ) or _has_positive(child) for child in sq.children)
    )


def _filter_sq(item: ResolvedFilter) -> SQ:
    if item.filter.kind == "conference":
        # The resolved exchange ids of one briefing: the same as its slug while the index
        # is current, and what the Whoosh path filters on.
        return SQ(django_id__in=item.values)
    return SQ(**{f"{INDEX_FIELDS[item.filter.kind]}__in": item.values})


def _facet_counts(counts: dict, facets: Sequence[str]) -> dict[str, list[tuple[str, int]]]:
    """haystack's facet answer in the shape of our Whoosh read path's: value and count,
    most frequent first; years as "2021"."""
    answer: dict[str, list[tuple[str, int]]] = {}
    for name in facets:
        if name in (YEAR, MONTH):
            width = 4 if name == YEAR else 7  # "2021", "2021-03"
            spans: dict[str, int] = {}
            for key, count in counts.get("dates", {}).get(DATE_FIELD, []):
                # Elasticsearch and Solr give each bucket's start, Whoosh its range.
                day = key[0] if isinstance(key, tuple) else key
                if count and day is not None:
                    text = day.isoformat() if hasattr(day, "isoformat") else str(day)
                    spans[text[:width]] = spans.get(text[:width], 0) + count
            values = list(spans.items())
        else:
            values = [
                (str(value), count)
                for value, count in counts.get("fields", {}).get(name, [])
                if value is not None and count
            ]
        answer[name] = sorted(values, key=lambda item: (-item[1], item[0]))
    return answer


class HaystackStore:
    """search.engines.IndexStore through the backend's update, remove and clear."""

    def __init__(self, using: str = "default") -> None:
        self.using = using

    @property
    def backend(self) -> object:
        return connections[self.using].get_backend()

    def lock_path(self) -> Path:
        # One writer per machine; docs/scaling.md says to run one per deployment.
        return Path(settings.DATA_DIR) / "search_writer.lock"

    def apply_changes(
        self, index: SearchIndex, *, updates: Iterable[Exchange], deletes: Iterable[int]
    ) -> None:
        backend = self.backend
        updates = list(updates)
        label = get_model_ct(index.get_model())
        identifiers = [f"{label}.{pk}" for pk in deletes]
        # Deletes first: a server refreshes its searchers on the last write's commit.
        for place, identifier in enumerate(identifiers, start=1):
            backend.remove(identifier, commit=not updates and place == len(identifiers))
        if updates:
            backend.update(index, updates)

    def rebuild(
        self, index: SearchIndex, documents: Iterable[Exchange], *, total: int, clear: bool
    ) -> tuple[int, str]:
        """Every document written again, in batches, then the ones the database no
        longer has removed: searches find everything throughout. With `clear` the index
        is emptied first (the way to a new mapping or schema), and searches find only
        what is written so far until the rebuild ends."""
        backend = self.backend
        if clear:
            backend.clear()
        written: set[str] = set()
        count = 0
        batches = _batches(iter(documents), WRITE_BATCH)
        for batch in batches:
            backend.update(index, batch)
            written.update(str(exchange.pk) for exchange in batch)
            count += len(batch)
        if not clear:
            stale = {str(pk) for pk in self.indexed_ids(index)} - written
            label = get_model_ct(index.get_model())
            for place, pk in enumerate(sorted(stale), start=1):
                backend.remove(f"{label}.{pk}", commit=place == len(stale))
        return count, _describe(connections[self.using].options)

    def indexed_ids(self, index: SearchIndex) -> set[int]:
        """Every exchange id in the index, read a page at a time in id order (as text,
        the way the engines keep them); a page starts after the last id of the one before,
        since servers refuse deep offsets (Elasticsearch: past 10,000)."""
        model = index.get_model()
        ids: set[int] = set()
        last: str | None = None
        while True:
            page = SearchQuerySet(using=self.using).models(model).order_by("django_id")
            if last is not None:
                page = page.narrow(SQ(django_id__gt=last))
            keys = [str(result.pk) for result in page[:ID_PAGE] if result is not None]
            ids.update(int(key) for key in keys)
            if len(keys) < ID_PAGE:
                return ids
            last = keys[-1]


def _batches(items: Iterator[Exchange], size: int) -> Iterator[list[Exchange]]:
    while batch := list(islice(items, size)):
        yield batch


def _describe(options: dict) -> str:
    """The engine and where, without credentials."""
    url = str(options.get("URL") or options.get("PATH") or "")
    url = url.split("://", 1)[-1].rpartition("@")[2]
    name = options.get("INDEX_NAME")
    return f"{url} {name}".strip() if name else url
