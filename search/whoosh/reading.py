"""The search index's read path: the half of our haystack backend that searches.

`ReadPath` is mixed into `search.whoosh.backend.ArchiveWhooshBackend` (whose own code is
the write path). It mends what haystack's Whoosh backend does on every search:

- one searcher per process, shared by its searches and re-opened only when the index
  changes (search/whoosh/open_index.py); haystack opened a new one per search (6 ms)
  and ran a "narrow" query over every document (25 ms at 20k documents);
- no spelling pass, unless asked for and a search found nothing;
- the queries the search page builds are evaluated a posting list at a time
  (search/whoosh/bulk.py): the same hits, scores and counts as whoosh's matchers, 3-10x
  faster on common words and phrases; other queries go through whoosh's matchers;
- a time budget (settings.SEARCH_TIME_LIMIT, search/whoosh/budget.py) over ranking,
  counting and faceting. Only the top `end` hits are ranked; the total comes from an
  unscored pass over the matches, and when that cannot finish in time it is an
  estimate, flagged as such (haystack's exact count of one common-word phrase took
  seconds and stalled a worker);
- facets count exact stored values (KEYWORD slugs, the year of `held_on`) through maps
  from document number to values, built once per index generation;
- snippets are escaped before <mark> tags are added (search/highlight.py);
- by relevance, each score is multiplied by its exchange's factor for the length of its
  answers, and exchanges without content come after every other (search/substance.py),
  on both paths; the scores are shown as ranked, without that lowering.

`find` and `similar` take Whoosh queries (search/whoosh/compiling.py builds them from
the public query language); haystack's `search` and `more_like_this` run on them
(search/whoosh/haystack_api.py), so a SearchQuerySet gets the same treatment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.utils.encoding import force_str
from haystack.constants import ID
from whoosh import query as wq
from whoosh.collectors import Collector, SortingCollector, TopCollector, UnsortedCollector
from whoosh.searching import Searcher, TimeLimit
from whoosh.sorting import FieldFacet
from whoosh.util.times import datetime_to_long

from ..fields import DATE_FIELD, MONTH
from ..highlight import Highlight, highlight_snippet
from ..language import edit_distance
from ..results import Found, Hit
from .budget import Budget, BudgetCollector, estimate, round_estimate, with_budget
from .bulk import DEMOTION, Evaluated, evaluate
from .compiling import Demoted, Unscored
from .open_index import NO_DATE, READING, OpenIndex, open_live


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
        search/whoosh/bulk.py knows (every query the search page builds), 3-10x faster than
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
        with READING:
            opened = open_live(self.path, self.schema)
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
                    if newest is None:
                        evaluated.demoted = opened.content_free()
                        evaluated.factors = opened.answer_factors()
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
            demoted = opened.content_free() if not sort_by else frozenset()
            if not sort_by:
                query = Demoted(query, demoted, opened.answer_factors())
            bounded = with_budget(query, budget)
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
                total, estimated = estimate(searcher, bounded, len(matched), collector.last), True
            if last_page and start >= len(ranked) and ranked:
                size = end - start
                start = (len(ranked) - 1) // size * size
            hits = [
                self._hit(
                    searcher,
                    docnum,
                    None if sort_by else float(key) + DEMOTION * (docnum in demoted),
                    highlight,
                )
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

    def count_by_month(
        self,
        query: wq.Query,
        *,
        dates: tuple[dt.date | None, dt.date | None] = (None, None),
        time_limit: float | None = None,
    ) -> Found:
        """The total of `query` and its matches counted by month (`facets[MONTH]`), with
        no hits: the trends page's counts (search/trends.py). Nothing is ranked: a filter
        alone gives every match the same score, and ranking 50,000 ties to take the first
        cost 30 ms a count. A query of a shape search/whoosh/bulk.py does not know goes
        through `find`."""
        if not self.setup_complete:
            self.setup()
        budget = Budget(settings.SEARCH_TIME_LIMIT if time_limit is None else time_limit)
        with READING:
            opened = open_live(self.path, self.schema)
            if opened is None:
                return Found([], 0)
            bare, ranged = _take_date_ranges(query)
            held = _intersect(_day_bounds(*dates), ranged)
            if isinstance(bare, wq.Every):
                # Every exchange (within dates): the trends' denominator without filters.
                # The process's list of live documents, not a postings dict built of them.
                live = opened.live()
                allow = opened.date_filter(held)
                if (
                    held
                    and held[0] <= min(opened.date_values(), default=0) < NO_DATE <= held[1] + 1
                ):
                    allow = None  # open-ended: it keeps out only the undated, not counted anyway
                matched = live if allow is None else list(filter(allow, live))
                counts = opened.count_facets(matched, (MONTH,))
                return Found([], len(matched), facets=counts)
            opened.postings.expired = budget.expired
            try:
                evaluated = evaluate(
                    opened.postings, bare, self.content_field_name, allow=opened.date_filter(held)
                )
            except TimeLimit:
                return Found([], 0, estimated=True, timed_out=True)
            if evaluated is not None:
                if evaluated.estimated and evaluated.check is not None:
                    _check_every_candidate(evaluated, budget)
                counts = _counted_facets(opened, evaluated, (MONTH,))
                return Found(
                    [],
                    evaluated.total,
                    estimated=evaluated.estimated,
                    timed_out=evaluated.timed_out,
                    facets=counts,
                )
        return self.find(query, start=0, end=1, dates=dates, facets=(MONTH,), time_limit=time_limit)

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
        """`find`'s answer from a bulk evaluation (search/whoosh/bulk.py): by relevance, or by
        date when `newest` is not None."""
        if newest is None:
            ranked = evaluated.ranked(None, end)
        else:
            ranked = evaluated.ranked(opened.date_rank(newest=newest).__getitem__, end)
        if last_page and start >= len(ranked) and ranked:
            size = end - start
            start = (len(ranked) - 1) // size * size
        counts = _counted_facets(opened, evaluated, facets)
        hits = [
            self._hit(
                opened.searcher,
                docnum,
                None if newest is not None else evaluated.ranking_score(docnum),
                highlight,
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
        with READING:
            opened = open_live(self.path, self.schema)
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
        return {word: found[0] for word, found in self.spelling_candidates(words).items()}

    def spelling_candidates(self, words: Sequence[str]) -> dict[str, list[str]]:
        """The indexed words each of `words` the index lacks may be, nearest first (the
        commoner first among equally near ones): "chian" is "chain" or "china", and
        only the rest of the query tells which."""
        if not self.setup_complete:
            self.setup()
        with READING:
            opened = open_live(self.path, self.schema)
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
                    suggestions[word] = sorted(
                        candidates, key=lambda candidate: edit_distance(word.lower(), candidate)
                    )
            return suggestions

    def text_analyzer(self) -> Callable[..., Iterable]:
        """The analyser the document field was indexed with, for queries and snippets."""
        if not self.setup_complete:
            self.setup()
        return self.schema[self.content_field_name].analyzer


def _counted_facets(
    opened: OpenIndex, evaluated: Evaluated, facets: Sequence[str]
) -> dict[str, list[tuple[str, int]]]:
    """The counts of `facets` over a bulk evaluation's matches, scaled to its total when
    they are a sample."""
    counts = opened.count_facets(evaluated.matched, facets)
    if evaluated.estimated and evaluated.matched:
        share = evaluated.total / len(evaluated.matched)
        counts = {
            name: [(value, round_estimate(count * share)) for value, count in values]
            for name, values in counts.items()
        }
    return counts


def _check_every_candidate(evaluated: Evaluated, budget: Budget) -> None:
    """A phrase counted from a sample (search/whoosh/bulk.py) counted exactly, if the
    budget allows: a sample of 1,500 spread over 50 months is 30 a month, too few for a
    trend. When time runs out first, the sample's estimate stands."""
    check = evaluated.check
    matched = []
    for number, docnum in enumerate(sorted(evaluated.scores), start=1):
        if check(docnum):
            matched.append(docnum)
        if number % 256 == 0 and budget.expired():
            return
    evaluated.matched, evaluated.total, evaluated.estimated = matched, len(matched), False


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
