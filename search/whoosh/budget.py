"""The time budget of one search (settings.SEARCH_TIME_LIMIT): a deadline read between
hits by the collector and inside phrase matchers, so that no query stalls a worker; and
the estimate of the total when the budget ran out before every match was seen.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence

from whoosh import query as wq
from whoosh.collectors import Collector, TimeLimitCollector
from whoosh.matching import Matcher, NullMatcher, WrappingMatcher
from whoosh.searching import SearchContext, Searcher, TimeLimit


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
    clock runs only between hits, so without this one such search could run for seconds.
    Mirrors whoosh's Phrase.matcher.
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


def with_budget(query: wq.Query, budget: Budget) -> wq.Query:
    def bound(node: wq.Query) -> wq.Query:
        if type(node) is wq.Phrase:
            return BudgetPhrase(
                node.fieldname, node.words, budget=budget, slop=node.slop, boost=node.boost
            )
        return node

    return query.accept(bound)


def estimate(searcher: Searcher, query: wq.Query, seen: int, last: int | None) -> int:
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
    return round_estimate(max(seen, guess))


def round_estimate(value: float) -> int:
    # "About 4,300", not "about 4,317": two significant figures.
    return int(value) if value < 100 else int(float(f"{value:.2g}"))
