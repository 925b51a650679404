"""The search index's read path: the half of our haystack backend that searches.

`ReadPath` is mixed into `search.backend.ArchiveWhooshBackend` (whose own code is the
write path). It mends what haystack's Whoosh backend does on every search, measured in
research/performance.md and research/reliability.md:

- one searcher per process, shared by its searches and re-opened only when the index
  changes: a rebuild points the index symlink at another folder, a drain commits a new
  generation in the same folder (then `Searcher.refresh` keeps the unchanged segments);
  haystack opened a new one per search (6 ms) and ran a "narrow" query over every
  document (25 ms at 20k documents);
- no spelling pass, unless asked for and a search found nothing;
- the queries the search page builds are evaluated a posting list at a time
  (search/bulk.py): the same hits, scores and counts as whoosh's matchers, 3-10x faster
  on common words and phrases; other queries go through whoosh's matchers;
- a time budget (settings.SEARCH_TIME_LIMIT) over ranking, counting and faceting. Only
  the top `end` hits are ranked; the total comes from an unscored pass over the matches,
  and when that cannot finish in time it is an estimate, flagged as such (haystack's
  exact count of one common-word phrase took seconds and stalled a worker);
- facets count exact stored values (KEYWORD slugs, the year of `held_on`) through maps
  from document number to values, built once per index generation;
- snippets are escaped before <mark> tags are added (search/highlight.py).

`find` and `similar` take Whoosh queries (search/query.py builds them from the public
query language); haystack's `search` and `more_like_this` run on them, so a
SearchQuerySet gets the same treatment.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import heapq
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain

from django.conf import settings
from django.utils.encoding import force_str
from haystack.backends import log_query
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.models import SearchResult
from haystack.utils import get_identifier, get_model_ct
from haystack.utils.app_loading import haystack_get_model
from whoosh import query as wq
from whoosh.collectors import (
    Collector,
    SortingCollector,
    TimeLimitCollector,
    TopCollector,
    UnsortedCollector,
)
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, FileIndex
from whoosh.matching import Matcher, NullMatcher, WrappingMatcher
from whoosh.searching import SearchContext, Searcher, TimeLimit
from whoosh.sorting import FieldFacet
from whoosh.util.times import datetime_to_long, long_to_datetime

from .bulk import Evaluated, Postings, evaluate
from .highlight import highlight_snippet
from .query import Highlight, Unscored

YEAR = "year"  # a facet computed from the held_on column, not an index field
DATE_FIELD = "held_on"
NO_DATE = 2**64 - 1  # what whoosh's column holds for a document without a date
UNBOUNDED_END = 1000  # haystack asks for "everything" with no end offset; rank this many


class ReadPath:
    """Searching, for a haystack Whoosh backend (it provides `path`, `schema`,
    `content_field_name`, `parser`, `setup()`)."""

    def find(
        self,
        query: wq.Query,
        *,
        start: int = 0,
        end: int = 20,
        sort_by: Sequence[str] = (),
        dates: tuple[dt.date | None, dt.date | None] = (None, None),
        highlight: Highlight | None = None,
        facets: Sequence[str] = (),
        last_page: bool = False,
        exact: bool = True,
        time_limit: float | None = None,
        bulk: bool = True,
    ) -> Found:
        """Hits `start` to `end` of `query` in relevance order (or by `sort_by` fields,
        "-field" for descending), held between `dates` (inclusive, either may be None),
        with the total and counts of `facets` over every match.

        The query is evaluated a posting list at a time when it has a shape
        search/bulk.py knows (every query the search page builds), 3-10x faster than
        whoosh's matchers; `bulk` off always uses whoosh's, for comparison. There, one
        pass over the matches ranks the top `end`, counts them all and keeps their
        numbers for the facets: whoosh's block skipping saved nothing on our queries
        (measured), and a second, unscored pass for the count cost as much again.
        With `exact` off, whoosh may skip what cannot reach the top (more like this: an
        OR of a dozen words), and the total is only what it looked at.
        With `last_page`, a `start` past the last hit returns the last page instead.
        """
        if not self.setup_complete:
            self.setup()
        budget = Budget(settings.SEARCH_TIME_LIMIT if time_limit is None else time_limit)
        end = max(end, start + 1)
        with _READING:
            opened = self._opened()
            if opened is None:
                return Found([], 0)
            searcher = opened.searcher
            query, ranged = _take_date_ranges(query)
            held = _intersect(_day_bounds(*dates), ranged)
            by_date = tuple(sort_by) in (("held_on",), ("-held_on",))
            if bulk and exact and (by_date or not sort_by):
                opened.postings.expired = budget.expired
                try:
                    evaluated = evaluate(
                        opened.postings,
                        query,
                        self.content_field_name,
                        allow=opened.date_filter(held),
                    )
                except TimeLimit:
                    return Found([], 0, estimated=True, timed_out=True, start=start)
                if evaluated is not None:
                    newest = sort_by[0].startswith("-") if by_date else None
                    return self._found(
                        opened,
                        evaluated,
                        start=start,
                        end=end,
                        newest=newest,
                        highlight=highlight,
                        facets=facets,
                        last_page=last_page,
                    )
            bounded = _with_budget(query, budget)
            if by_date:
                ranking = UnsortedCollector()
            elif exact:
                ranking = _ranking_collector(sort_by, limit=end)
            else:
                ranking = TopCollector(limit=end)
            collector = BudgetCollector(ranking, budget, allow=opened.date_filter(held))
            try:
                searcher.search_with_collector(bounded, collector)
            except TimeLimit:
                # Raised between hits, or in a phrase matcher (even as it is set up, when
                # it looks for its first match): what was collected in time stands.
                collector.timed_out = True
            matched = collector.docnums
            if by_date:
                ranked = opened.rank_by_date(matched, newest=sort_by[0][0] == "-", limit=end)
            else:
                ranked = collector.results().top_n
            total, estimated = len(matched), not exact
            if collector.timed_out:
                total, estimated = _estimate(searcher, bounded, len(matched), collector.last), True
            if last_page and start >= len(ranked) and ranked:
                size = end - start
                start = (len(ranked) - 1) // size * size
            hits = [
                self._hit(searcher, docnum, None if sort_by else float(key), highlight)
                for key, docnum in ranked[start:end]
            ]
            return Found(
                hits,
                total,
                estimated=estimated,
                timed_out=collector.timed_out,
                facets=opened.count_facets(matched, facets),
                start=start,
            )

    def _found(
        self,
        opened: OpenIndex,
        evaluated: Evaluated,
        *,
        start: int,
        end: int,
        newest: bool | None,
        highlight: Highlight | None,
        facets: Sequence[str],
        last_page: bool,
    ) -> Found:
        """`find`'s answer from a bulk evaluation (search/bulk.py): by relevance, or by
        date when `newest` is not None."""
        scores = evaluated.scores
        if newest is None:
            ranked = evaluated.ranked(None, end)
        else:
            ranked = evaluated.ranked(opened.date_rank(newest=newest).__getitem__, end)
        if last_page and start >= len(ranked) and ranked:
            size = end - start
            start = (len(ranked) - 1) // size * size
        counts = opened.count_facets(evaluated.matched, facets)
        if evaluated.estimated and evaluated.matched:
            share = evaluated.total / len(evaluated.matched)
            counts = {
                name: [(value, _round_estimate(count * share)) for value, count in values]
                for name, values in counts.items()
            }
        hits = [
            self._hit(
                opened.searcher, docnum, None if newest is not None else scores[docnum], highlight
            )
            for docnum in ranked[start:end]
        ]
        # The page's hits are matches whatever a sample said: at least that many.
        total = max(evaluated.total, len(ranked))
        return Found(
            hits,
            total,
            estimated=evaluated.estimated,
            timed_out=evaluated.timed_out,
            facets=counts,
            start=start,
        )

    def _hit(
        self, searcher: Searcher, docnum: int, score: float | None, highlight: Highlight | None
    ) -> Hit:
        fields = searcher.stored_fields(docnum)
        snippet = ""
        if highlight is not None:
            text = force_str(fields.get(self.content_field_name) or "")
            analyzer = self.schema[self.content_field_name].analyzer
            snippet = highlight_snippet(text, highlight, analyzer)
        return Hit(docnum, score, fields, snippet)

    def similar(
        self,
        identifier: str,
        *,
        start: int = 0,
        end: int = 5,
        narrowing: wq.Query | None = None,
        highlight: Highlight | None = None,
        time_limit: float | None = None,
    ) -> Found:
        """Documents like the one with `identifier` ("briefings.exchange.12"): a search
        for its most telling words, without the document itself."""
        if not self.setup_complete:
            self.setup()
        with _READING:
            opened = self._opened()
            if opened is None:
                return Found([], 0)
            searcher = opened.searcher
            docnum = searcher.document_number(**{ID: identifier})
            if docnum is None:
                return Found([], 0)
            # Words in more than one document in 50 ("how", "he") say little about what
            # this one is about, and an OR with them matches half the archive: over 57,000
            # exchanges, 10 rarer words took 25-40 ms where 12 of any kind took 150.
            reader = searcher.reader()
            common = max(10, reader.doc_count() // 50)
            field_name = self.content_field_name
            words = [
                (word, weight)
                for word, weight in searcher.key_terms([docnum], field_name, numterms=30)
                if reader.doc_frequency(field_name, word) <= common
            ][:10]
            if not words:
                return Found([], 0)
            query: wq.Query = wq.Or(
                [wq.Term(field_name, word, boost=weight) for word, weight in words]
            )
            if narrowing is not None:
                query = wq.And([query, Unscored(narrowing)])
            query = wq.AndNot(query, wq.Term(ID, identifier))
            return self.find(
                query,
                start=start,
                end=end,
                highlight=highlight,
                time_limit=time_limit,
            )

    def suggest_spelling(self, words: Sequence[str]) -> dict[str, str]:
        """For "did you mean": the nearest indexed word for each of `words` that is not
        in the index itself. Only worth asking when a search found nothing (haystack
        asked on every search: 8 s against 0.2 s without, django-haystack#159)."""
        if not self.setup_complete:
            self.setup()
        with _READING:
            opened = self._opened()
            if opened is None:
                return {}
            reader = opened.searcher.reader()
            analyzer = self.schema[self.content_field_name].analyzer
            corrector = opened.searcher.corrector(self.content_field_name)
            suggestions = {}
            for word in words:
                terms = [token.text for token in analyzer(word)]
                if all((self.content_field_name, term) in reader for term in terms):
                    continue  # spelled as indexed: nothing to correct
                # whoosh ranks candidates by how common they are, so "vacine" got
                # "facing": take the nearest of the common ones.
                # The first two letters are taken as typed: over 57,000 exchanges a
                # miss took 60-130 ms with one, 3-15 ms with two.
                candidates = corrector.suggest(word.lower(), limit=10, prefix=2)
                if candidates:
                    suggestions[word] = min(
                        candidates, key=lambda candidate: _edit_distance(word.lower(), candidate)
                    )
            return suggestions

    def text_analyzer(self) -> Callable[..., Iterable]:
        """The analyser the document field was indexed with, for queries and snippets."""
        if not self.setup_complete:
            self.setup()
        return self.schema[self.content_field_name].analyzer

    def _opened(self) -> OpenIndex | None:
        """This process's searcher for the live generation; call with _READING held."""
        for attempt in range(2):
            folder = os.path.realpath(self.path)
            current = _OPEN.get(self.path)
            if current is not None and current.folder == folder:
                current.refresh()
                return current
            try:
                # No mmap: Whoosh copies every mmapped sub-file of a compound segment into
                # a BytesIO (142 MB of a worker's memory on the full corpus); read through
                # file handles instead and let the page cache hold the index.
                index = FileStorage(folder, supports_mmap=False).open_index(schema=self.schema)
            except EmptyIndexError:
                return None
            except FileNotFoundError:
                # Two rebuilds in quick succession removed the folder we resolved.
                if attempt:
                    raise
                continue
            # One index per process in production; tests move to a new folder per test,
            # so whatever was open before is closed, not kept.
            close_searchers()
            _OPEN[self.path] = opened = OpenIndex(folder, index)
            return opened
        return None

    # haystack's interface, for SearchQuerySet: the same read path.

    @log_query
    def search(
        self,
        query_string: str,
        sort_by: Sequence[str] | None = None,
        start_offset: int = 0,
        end_offset: int | None = None,
        fields: str = "",
        highlight: bool = False,
        facets: dict | None = None,
        date_facets: dict | None = None,
        query_facets: list | None = None,
        narrow_queries: set | None = None,
        spelling_query: str | None = None,
        within: object = None,
        dwithin: object = None,
        distance_point: object = None,
        models: Sequence[type] | None = None,
        limit_to_registered_models: bool | None = None,
        result_class: type | None = None,
        **kwargs: object,
    ) -> dict:
        """haystack's search, on our read path. Besides haystack's keys the answer has
        `hits_estimated` and `timed_out`."""
        yearly = _yearly(date_facets)
        if (date_facets and not yearly) or query_facets:
            # Rare, and not on our pages: haystack's own path (a fresh searcher, exact
            # counts) is fine for them.
            return super().search(
                query_string,
                sort_by=sort_by,
                start_offset=start_offset,
                end_offset=end_offset,
                fields=fields,
                highlight=highlight,
                facets=facets,
                date_facets=date_facets,
                query_facets=query_facets,
                narrow_queries=narrow_queries,
                spelling_query=spelling_query,
                models=models,
                limit_to_registered_models=limit_to_registered_models,
                result_class=result_class,
                **kwargs,
            )
        if not self.setup_complete:
            self.setup()
        query_string = force_str(query_string)
        # As haystack: an empty or one-character query finds nothing.
        if not query_string or (len(query_string) <= 1 and query_string != "*"):
            return {"results": [], "hits": 0}
        parsed = self.parser.parse(query_string)
        if parsed is None or parsed is wq.NullQuery:
            return {"results": [], "hits": 0}
        narrowing = [self.parser.parse(force_str(nq)) for nq in narrow_queries or ()]
        if models and not self._every_indexed_model(models):
            cts = sorted(get_model_ct(model) for model in models)
            narrowing.append(wq.Or([wq.Term(DJANGO_CT, ct) for ct in cts]))
        # The haystack query is the highlight source; filters are never marked.
        marks = _highlight_of(parsed, self.content_field_name) if highlight else None
        query = wq.And([parsed, Unscored(wq.And(narrowing))]) if narrowing else parsed
        if end_offset is None:
            end_offset = start_offset + UNBOUNDED_END
        found = self.find(
            query,
            start=start_offset,
            end=max(end_offset, start_offset + 1),
            sort_by=list(sort_by or ()),
            highlight=marks,
            facets=[*(facets or ()), *([YEAR] if yearly else [])],
        )
        results = [self._search_result(hit, result_class, highlight) for hit in found.hits]
        suggestion = None
        if self.include_spelling and found.total == 0:
            words = (spelling_query or query_string).split()
            corrected = self.suggest_spelling(words)
            suggestion = " ".join(corrected.get(word, word) for word in words)
        answer = {
            "results": results,
            "hits": found.total,
            "hits_estimated": found.estimated,
            "timed_out": found.timed_out,
            "spelling_suggestion": suggestion,
        }
        if facets or yearly:
            fields = {name: counts for name, counts in found.facets.items() if name != YEAR}
            dates = {}
            if yearly:
                # As haystack's other engines answer a date facet: each bucket's start.
                low, high = yearly
                dates[DATE_FIELD] = [
                    (start, count)
                    for year, count in found.facets[YEAR]
                    if low <= (start := dt.datetime(int(year), 1, 1)) < high
                ]
            answer["facets"] = {"fields": fields, "dates": dates, "queries": {}}
        return answer

    def _every_indexed_model(self, models: Sequence[type]) -> bool:
        # .models(Exchange) on an index of exchanges narrows nothing, yet its term matches
        # every document and makes each search step through all of them (10 ms at 57,000).
        from haystack import connections

        indexed = connections[self.connection_alias].get_unified_index().get_indexed_models()
        return {get_model_ct(model) for model in indexed} <= {get_model_ct(m) for m in models}

    def more_like_this(
        self,
        model_instance: object,
        additional_query_string: str | None = None,
        start_offset: int = 0,
        end_offset: int | None = None,
        models: Sequence[type] | None = None,
        limit_to_registered_models: bool | None = None,
        result_class: type | None = None,
        **kwargs: object,
    ) -> dict:
        if not self.setup_complete:
            self.setup()
        narrowing = None
        if additional_query_string and additional_query_string != "*":
            narrowing = self.parser.parse(force_str(additional_query_string))
        if end_offset is None:
            end_offset = start_offset + UNBOUNDED_END
        found = self.similar(
            get_identifier(model_instance),
            start=start_offset,
            end=max(end_offset, start_offset + 1),
            narrowing=narrowing,
        )
        results = [self._search_result(hit, result_class, False) for hit in found.hits]
        return {"results": results, "hits": found.total}

    def _search_result(
        self, hit: Hit, result_class: type | None, highlighted: bool
    ) -> SearchResult:
        # As haystack's _process_results: stored values back to Python by the index's fields.
        from haystack import connections

        stored = dict(hit.fields)
        app_label, model_name = stored.pop(DJANGO_CT).split(".")
        pk = stored.pop(DJANGO_ID)
        model = haystack_get_model(app_label, model_name)
        index_fields = (
            connections[self.connection_alias].get_unified_index().get_index(model).fields
        )
        values: dict[str, object] = {}
        for key, value in stored.items():
            index_field = index_fields.get(key)
            if index_field is not None and hasattr(index_field, "convert"):
                if index_field.is_multivalued:
                    values[key] = value.split(",") if value else []
                else:
                    values[key] = index_field.convert(value)
            else:
                values[key] = self._to_python(value)
        if highlighted:
            values["highlighted"] = {self.content_field_name: [hit.snippet]}
        return (result_class or SearchResult)(app_label, model_name, pk, hit.score or 0, **values)


@dataclass
class Hit:
    docnum: int | None  # the Whoosh document number; None from another engine
    score: float | None  # None when sorted by a field
    fields: dict[str, object]  # the stored fields
    snippet: str = ""  # escaped HTML with <mark>, when a highlight was asked for


@dataclass
class Found:
    hits: list[Hit]
    total: int
    estimated: bool = False  # the total is an estimate: out of time, or exact=False
    timed_out: bool = False  # cut short by the time budget: hits and facets may be partial
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    start: int = 0  # the offset of hits[0]; moved back when asked past the last page


class Budget:
    """The deadline of one search, shared by its collector and its phrase matchers."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def expired(self) -> bool:
        return time.monotonic() > self.deadline

    def check(self) -> None:
        if self.expired():
            raise TimeLimit


class BudgetCollector(TimeLimitCollector):
    """whoosh's TimeLimitCollector, reading a clock between hits instead of arming a
    timer thread and SIGALRM: signals work only in a process's main thread (runserver
    and threaded workers search in others), and whoosh leaves its handler installed.

    It keeps the number of every match it collects (for the count and the facets), and
    passes on only documents `allow` accepts (the date range, read from a column).
    """

    def __init__(
        self, child: Collector, budget: Budget, *, allow: Callable[[int], bool] | None = None
    ) -> None:
        super().__init__(child, timelimit=0, use_alarm=False)
        self.budget = budget
        self.allow = allow
        self.docnums: list[int] = []  # every match collected, in document order
        self.last: int | None = None  # the last document number looked at
        self.timed_out = False

    def prepare(self, top_searcher: Searcher, q: wq.Query, context: SearchContext) -> None:
        self.child.prepare(top_searcher, q, context)

    def collect_matches(self) -> None:
        child = self.child
        offset = child.offset
        allow = self.allow
        expired = self.budget.expired
        docnums = self.docnums
        for sub_docnum in child.matches():
            docnum = self.last = offset + sub_docnum
            if allow is None or allow(docnum):
                child.collect(sub_docnum)
                docnums.append(docnum)
            if expired():
                raise TimeLimit

    def finish(self) -> None:
        self.child.finish()


class BudgetMatcher(WrappingMatcher):
    """A word matcher that stops the search when its budget runs out."""

    def __init__(self, child: Matcher, budget: Budget, boost: float = 1.0) -> None:
        super().__init__(child, boost=boost)
        self.budget = budget

    def _replacement(self, newchild: Matcher) -> BudgetMatcher:
        return BudgetMatcher(newchild, self.budget, self.boost)

    def copy(self) -> BudgetMatcher:
        return BudgetMatcher(self.child.copy(), self.budget, self.boost)

    def next(self) -> bool | None:
        self.budget.check()
        return self.child.next()

    def skip_to(self, id: int) -> bool | None:
        self.budget.check()
        return self.child.skip_to(id)


class BudgetTerm(wq.Term):
    def __init__(self, fieldname: str, text: str | bytes, *, budget: Budget) -> None:
        super().__init__(fieldname, text)
        self.budget = budget

    def matcher(self, searcher: Searcher, context: SearchContext | None = None) -> Matcher:
        return BudgetMatcher(super().matcher(searcher, context), self.budget)


class BudgetPhrase(wq.Phrase):
    """A phrase whose word matchers keep to the budget.

    A phrase of common words spends its time inside its matcher, checking positions in
    document after document that has every word but never in a row; the collector's
    clock runs only between hits, so without this one such search could run for seconds
    (research/reliability.md finding 7). Mirrors whoosh's Phrase.matcher.
    """

    def __init__(
        self,
        fieldname: str,
        words: Sequence[str],
        *,
        budget: Budget,
        slop: int = 1,
        boost: float = 1.0,
    ) -> None:
        super().__init__(fieldname, list(words), slop=slop, boost=boost)
        self.budget = budget

    def matcher(self, searcher: Searcher, context: SearchContext | None = None) -> Matcher:
        if self.fieldname not in searcher.schema:
            return NullMatcher()
        field_type = searcher.schema[self.fieldname]
        if not field_type.format or not field_type.format.supports("positions"):
            raise wq.QueryError(f"Phrase search: {self.fieldname!r} field has no positions")
        reader = searcher.reader()
        terms = []
        for word in self.words:
            try:
                encoded = field_type.to_bytes(word)
            except ValueError:
                return NullMatcher()
            if (self.fieldname, encoded) not in reader:
                return NullMatcher()
            terms.append(BudgetTerm(self.fieldname, encoded, budget=self.budget))
        near = wq.SpanNear2(terms, slop=self.slop, ordered=True, mindist=1)
        found = near.matcher(searcher, context)
        return WrappingMatcher(found, boost=self.boost) if self.boost != 1.0 else found


def _with_budget(query: wq.Query, budget: Budget) -> wq.Query:
    def bound(node: wq.Query) -> wq.Query:
        if type(node) is wq.Phrase:
            return BudgetPhrase(
                node.fieldname, node.words, budget=budget, slop=node.slop, boost=node.boost
            )
        return node

    return query.accept(bound)


def _yearly(date_facets: dict | None) -> tuple[dt.datetime, dt.datetime] | None:
    """The span of a SearchQuerySet.date_facet by year on the date field, the one date
    facet the read path counts itself (from the column, as the page's years)."""
    if not date_facets or set(date_facets) != {DATE_FIELD}:
        return None
    options = date_facets[DATE_FIELD]
    if options.get("gap_by") != "year" or options.get("gap_amount", 1) != 1:
        return None

    def moment(value: dt.date) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        return dt.datetime.combine(value, dt.time.min)

    return moment(options["start_date"]), moment(options["end_date"])


def _day_bounds(start: dt.date | None, end: dt.date | None) -> tuple[int, int] | None:
    """Column bounds for whole days from `start` to `end`; None for no bounds."""
    if start is None and end is None:
        return None
    low = datetime_to_long(dt.datetime.combine(start, dt.time.min)) if start else 0
    high = datetime_to_long(dt.datetime.combine(end, dt.time.max)) if end else NO_DATE - 1
    return low, high


def _take_date_ranges(query: wq.Query) -> tuple[wq.Query, tuple[int, int] | None]:
    """`query` without the ranges of `held_on` that narrow all of it (haystack's
    held_on__gte/__lte filters), and those ranges as column bounds: a whoosh range query
    over trie terms cost 70 ms a search at 57,000 documents, the column a few."""
    if isinstance(query, wq.NumericRange) and query.fieldname == DATE_FIELD:
        low = 0 if query.start is None else query.start + query.startexcl
        high = NO_DATE - 1 if query.end is None else query.end - query.endexcl
        return wq.Every(), (low, high)
    if isinstance(query, Unscored):
        child, bounds = _take_date_ranges(query.child)
        return (child if isinstance(child, wq.Every) else Unscored(child)), bounds
    if not isinstance(query, wq.And):
        return query, None
    kept: list[wq.Query] = []
    bounds = None
    for subquery in query.subqueries:
        subquery, found = _take_date_ranges(subquery)
        bounds = _intersect(bounds, found)
        if not isinstance(subquery, wq.Every):
            kept.append(subquery)
    if bounds is None:
        return query, None
    if not kept:
        return wq.Every(), bounds
    return (kept[0] if len(kept) == 1 else wq.And(kept, boost=query.boost)), bounds


def _intersect(
    first: tuple[int, int] | None, second: tuple[int, int] | None
) -> tuple[int, int] | None:
    if first is None or second is None:
        return first or second
    return max(first[0], second[0]), min(first[1], second[1])


def _ranking_collector(sort_by: Sequence[str], *, limit: int) -> Collector:
    if not sort_by:
        # Every match must reach collect() to be counted: no block skipping, and no
        # "replace" either, which drops an OR's weaker words once the top N is full.
        return TopCollector(limit=limit, usequality=False, replace=0)
    facets = [FieldFacet(name.lstrip("-"), reverse=name.startswith("-")) for name in sort_by]
    # Ties keep document order: within a conference, its exchanges in order.
    return SortingCollector(facets if len(facets) > 1 else facets[0], limit=limit)


def _estimate(searcher: Searcher, query: wq.Query, seen: int, last: int | None) -> int:
    """About how many documents match, from `seen` matches found up to document `last`
    when time ran out.

    Documents are numbered in the order they were indexed, which has nothing to do with
    what they say, so the share of numbers covered is a fair sample; whoosh's own
    estimate (an upper bound: the rarest word's document count for an AND) caps it.
    With no match seen there is nothing to go on, and a guess of thousands next to an
    empty page would mislead: it stays 0, flagged as an estimate.
    """
    if not seen or last is None:
        return seen
    reader = searcher.reader()
    guess = seen * reader.doc_count_all() / (last + 1)
    with contextlib.suppress(NotImplementedError):  # a query type with no estimate
        guess = min(guess, query.estimate_size(reader))
    return _round_estimate(max(seen, guess))


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions."""
    previous = list(range(len(b) + 1))
    for i, left in enumerate(a, start=1):
        current = [i]
        for j, right in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left != right))
            )
        previous = current
    return previous[-1]


def _round_estimate(value: float) -> int:
    # "About 4,300", not "about 4,317": two significant figures.
    return int(value) if value < 100 else int(float(f"{value:.2g}"))


def _highlight_of(query: wq.Query, fieldname: str) -> Highlight:
    """The words and phrases a (haystack-built) query looks for in `fieldname`, leaving
    out exclusions and filters."""
    terms: set[str] = set()
    phrases: list[tuple[str, ...]] = []

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not | Unscored):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
        elif isinstance(node, wq.Phrase):
            if node.fieldname == fieldname:
                phrases.append(tuple(force_str(word) for word in node.words))
        elif isinstance(node, wq.Term):
            if node.fieldname == fieldname:
                terms.add(force_str(node.text))
        else:
            for child in node.children():
                walk(child)

    walk(query)
    return Highlight(frozenset(terms), tuple(phrases))


class OpenIndex:
    """One generation of the index, opened once per process, and the facet maps built
    over it (document number -> values), kept until the index changes."""

    def __init__(self, folder: str, index: FileIndex) -> None:
        self.folder = folder
        self.index = index
        self.searcher: Searcher = index.searcher()
        self.postings = Postings(self.searcher)
        self._values: dict[str, list[tuple[str, ...]]] = {}
        self._date_ranks: dict[bool, list[int]] = {}
        self._live: list[int] | None = None
        self._everything: dict[str, Counter] = {}  # facet counts over every document
        self._dates: list[int] | None = None
        self._years: list[str | None] | None = None

    def refresh(self) -> None:
        """Follow new commits in this folder (a drain); unchanged segments are reused."""
        searcher = self.searcher.refresh()
        if searcher is not self.searcher:
            self.searcher = searcher
            self.postings = Postings(searcher)
            self._values = {}
            self._date_ranks = {}
            self._live = None
            self._everything = {}
            self._dates = None
            self._years = None

    def close(self) -> None:
        self.searcher.close()

    def values_by_doc(self, fieldname: str) -> list[tuple[str, ...]]:
        """Each document's values of a KEYWORD (or ID) field, read from the postings."""
        if fieldname not in self._values:
            reader = self.searcher.reader()
            by_doc: list[tuple[str, ...]] = [()] * reader.doc_count_all()
            for value in reader.field_terms(fieldname):
                for docnum in reader.postings(fieldname, value).all_ids():
                    by_doc[docnum] += (value,)
            self._values[fieldname] = by_doc
        return self._values[fieldname]

    def date_values(self) -> list[int]:
        """Each document's date as whoosh stores it in the column (microseconds since
        year 1), NO_DATE where there is none."""
        if self._dates is None:
            # Segment by segment: whoosh's multi-segment column reader leaves out a
            # segment without the column (every document in it undated) and then
            # misplaces the values of the documents after it.
            self._dates = []
            for leaf, _offset in self.searcher.leaf_searchers():
                reader = leaf.reader()
                if reader.has_column(DATE_FIELD):
                    self._dates += reader.column_reader(DATE_FIELD, translate=False)
                else:
                    self._dates += [NO_DATE] * reader.doc_count_all()
        return self._dates

    def years(self) -> list[str | None]:
        if self._years is None:
            self._years = [
                str(long_to_datetime(value).year) if value < NO_DATE else None
                for value in self.date_values()
            ]
        return self._years

    def rank_by_date(
        self, docnums: Iterable[int], *, newest: bool, limit: int
    ) -> list[tuple[None, int]]:
        """The first `limit` of `docnums` by date, undated last either way; within a day,
        in document order (a briefing's exchanges in their order)."""
        key = self.date_rank(newest=newest).__getitem__
        return [(None, docnum) for docnum in heapq.nsmallest(limit, docnums, key=key)]

    def date_rank(self, *, newest: bool) -> list[int]:
        """Each document's place in date order (undated last, then document order), so
        that ranking by date is a list lookup per match, not a Python key function."""
        if newest not in self._date_ranks:
            values = self.date_values()
            sign = -1 if newest else 1
            order = sorted(
                range(len(values)),
                key=lambda docnum: (values[docnum] >= NO_DATE, sign * values[docnum], docnum),
            )
            rank = [0] * len(values)
            for place, docnum in enumerate(order):
                rank[docnum] = place
            self._date_ranks[newest] = rank
        return self._date_ranks[newest]

    def date_filter(self, bounds: tuple[int, int] | None) -> Callable[[int], bool] | None:
        """Whether a document number's date is within `bounds` (column values, inclusive)."""
        if bounds is None:
            return None
        values = self.date_values()
        low, high = bounds
        return lambda docnum: low <= values[docnum] <= high

    def count_facets(
        self, docnums: Iterable[int], fieldnames: Sequence[str]
    ) -> dict[str, list[tuple[str, int]]]:
        """Exact counts per value, most frequent first, over `docnums`."""
        docnums = docnums if isinstance(docnums, Collection) else list(docnums)
        counts = {}
        live = self.live()
        # Most of the archive (a word in every briefing's title): count what is left
        # out, and take it from the counts over every document.
        complement = None
        if fieldnames and len(docnums) > len(live) // 2:
            complement = set(live).difference(docnums)
        for name in fieldnames:
            if complement is None:
                counter = self._counted(name, docnums)
            else:
                if name not in self._everything:
                    self._everything[name] = self._counted(name, live)
                counter = self._everything[name] - self._counted(name, complement)
            counts[name] = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
        return counts

    def _counted(self, name: str, docnums: Collection[int]) -> Counter:
        if name == YEAR:
            counter = Counter(map(self.years().__getitem__, docnums))
            counter.pop(None, None)
            return counter
        by_doc = self.values_by_doc(name)
        return Counter(chain.from_iterable(map(by_doc.__getitem__, docnums)))

    def live(self) -> list[int]:
        """The number of every document not deleted."""
        if self._live is None:
            self._live = [
                offset + docnum
                for leaf, offset in self.searcher.leaf_searchers()
                for docnum in leaf.reader().all_doc_ids()
            ]
        return self._live


# One searcher per process, for every thread: whoosh's readers keep file positions, so
# searches take turns (they are pure Python under the GIL: no parallelism is lost).
_READING = threading.RLock()
_OPEN: dict[str, OpenIndex] = {}  # by index path: the one in use


def close_searchers() -> None:
    """Close this process's searcher; the next search opens the live index again."""
    with _READING:
        for opened in _OPEN.values():
            opened.close()
        _OPEN.clear()


def shared_searcher() -> Searcher | None:
    """The searcher this process's searches share right now (for diagnostics and tests)."""
    with _READING:
        return next((opened.searcher for opened in _OPEN.values()), None)
