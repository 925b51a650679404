"""The query language compiled into Whoosh queries: a `ParsedQuery` and its resolved
filters (search/language.py, search/filters.py) become one Whoosh query, its words
analysed as the index analysed them, and the words and phrases to mark in snippets.
Filters narrow through `Unscored`: they never rank.

A word is looked for in the spoken text and, weighed lightly, in who spoke; the briefing's
title adds a little to an exchange that matched, never matches alone (`word_query`). A
phrase is looked for in the spoken text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from haystack.constants import DJANGO_ID
from whoosh import query as wq
from whoosh.matching import Matcher, WrappingMatcher
from whoosh.searching import Searcher

from ..fields import INDEX_FIELDS, NAMES_FIELD, NAMES_WEIGHT, TEXT_FIELD, TITLE_FIELD, TITLE_WEIGHT
from ..filters import ResolvedFilter
from ..highlight import Highlight, Marks
from ..language import Analyzer, Clause, ParsedQuery


@dataclass
class CompiledQuery:
    query: wq.Query
    highlight: Highlight
    has_text: bool
    dates: tuple[dt.date | None, dt.date | None] = (None, None)


def compile_query(
    parsed: ParsedQuery, filters: list[ResolvedFilter], analyzer: Analyzer
) -> CompiledQuery:
    """The Whoosh query for `parsed`, its words analysed as the index analysed them."""
    marks = Marks(analyzer)

    def clause_query(clause: Clause, *, mark: bool) -> wq.Query | None:
        tokens = marks.tokens(clause, mark=mark)
        if not tokens:
            return None
        return word_query(tokens[0]) if len(tokens) == 1 else wq.Phrase(TEXT_FIELD, tokens)

    required: list[wq.Query] = []
    for group in parsed.required:
        alternatives = [q for q in (clause_query(c, mark=True) for c in group) if q is not None]
        if len(alternatives) == 1:
            required.append(alternatives[0])
        elif alternatives:
            required.append(wq.Or(alternatives))
    excluded = [q for q in (clause_query(c, mark=False) for c in parsed.excluded) if q]
    highlight = marks.highlight(parsed)
    has_text = bool(required)

    narrowing: list[wq.Query] = []
    for item in filters:
        if item.filter.negated:
            if item.values:
                excluded.append(Unscored(_any_of(item)))
        elif item.values:
            narrowing.append(_any_of(item))
        else:
            narrowing.append(wq.NullQuery)  # a filter that names nothing matches nothing
    dates = (parsed.date_from, parsed.date_to)  # applied by the backend, from a column

    parts = list(required)
    if narrowing:
        parts.append(Unscored(wq.And(narrowing)))
    if not parts:
        # Only exclusions or dates: everything, minus or within them; else nothing.
        parts.append(wq.Every() if excluded or any(dates) else wq.NullQuery)
    compiled: wq.Query = parts[0] if len(parts) == 1 else wq.And(parts)
    if excluded:
        compiled = wq.AndNot(compiled, wq.Or(excluded))
    return CompiledQuery(compiled, highlight, has_text=has_text, dates=dates)


def word_query(token: str) -> wq.Query:
    """One analysed word: found in the spoken text or, lightly, in who spoke; the title
    only adds to the score of an exchange found so."""
    found = wq.Or([wq.Term(TEXT_FIELD, token), wq.Term(NAMES_FIELD, token, boost=NAMES_WEIGHT)])
    return wq.AndMaybe(found, wq.Term(TITLE_FIELD, token, boost=TITLE_WEIGHT))


def spoken_words(query: wq.Query) -> wq.Query:
    """`query` with each word of the document field looked for as `word_query` does."""

    def expand(node: wq.Query) -> wq.Query:
        if type(node) is wq.Term and node.fieldname == TEXT_FIELD:
            return word_query(node.text)
        return node

    return query.accept(expand)


def _any_of(item: ResolvedFilter) -> wq.Query:
    fieldname = DJANGO_ID if item.filter.kind == "conference" else INDEX_FIELDS[item.filter.kind]
    terms = [wq.Term(fieldname, value) for value in item.values]
    return terms[0] if len(terms) == 1 else wq.Or(terms)


# Subtracted from a content-free document's score to rank it: more than any score reaches.
DEMOTION = 1e6


class Unscored(wq.WrappingQuery):
    """Matches what its child matches, adding nothing to the score: filters narrow the
    results, they never rank them."""

    def _rewrap(self, child: wq.Query) -> Unscored:
        return Unscored(child)

    def matcher(self, searcher: Searcher, context: object = None) -> Matcher:
        return UnscoredMatcher(self.child.matcher(searcher, context))


class UnscoredMatcher(WrappingMatcher):
    def _replacement(self, newchild: Matcher) -> UnscoredMatcher:
        return UnscoredMatcher(newchild)

    def supports_block_quality(self) -> bool:
        # A score of 0 everywhere gives block skipping nothing to go on.
        return False

    def score(self) -> float:
        return 0.0


class Demoted(wq.WrappingQuery):
    """Its child, each document's score multiplied by its entry in `factors` (the length
    of its answers), and the documents in `docnums` (content-free exchanges) scored below
    any other: whoosh's matchers rank as the bulk path does (search/whoosh/bulk.py)."""

    def __init__(
        self,
        child: wq.Query,
        docnums: AbstractSet[int],
        factors: Sequence[float],
    ) -> None:
        super().__init__(child)
        self.docnums = docnums
        self.factors = factors

    def _rewrap(self, child: wq.Query) -> Demoted:
        return Demoted(child, self.docnums, self.factors)

    def matcher(self, searcher: Searcher, context: object = None) -> Matcher:
        # A segment's matcher counts from 0: find where the segment starts.
        parent = searcher.parent() if searcher.has_parent() else None
        offset = 0
        if parent is not None:
            offset = next((o for leaf, o in parent.leaf_searchers() if leaf is searcher), 0)
        child = self.child.matcher(searcher, context)
        return DemotedMatcher(child, self.docnums, offset, self.factors)


class DemotedMatcher(WrappingMatcher):
    def __init__(
        self,
        child: Matcher,
        docnums: AbstractSet[int],
        offset: int,
        factors: Sequence[float],
    ) -> None:
        super().__init__(child)
        self.docnums = docnums
        self.offset = offset
        self.factors = factors

    def _replacement(self, newchild: Matcher) -> DemotedMatcher:
        return DemotedMatcher(newchild, self.docnums, self.offset, self.factors)

    def supports_block_quality(self) -> bool:
        return False

    def score(self) -> float:
        docnum = self.child.id() + self.offset
        score = self.child.score() * self.factors[docnum]
        return score - DEMOTION if docnum in self.docnums else score
