"""Evaluating a query a posting list at a time, for the search page's speed.

whoosh finds matches one document at a time, through a tree of matcher objects in
Python: on the full White House corpus (57,000 exchanges) a word found in every exchange
("press": each exchange carries its briefing's title) cost 140 ms to rank and count, two
such words 280 ms, and a phrase of them 600-800 ms, checking positions in every document
that has its words. Here the shapes search/whoosh/compiling.py builds (words, phrases, OR groups,
filters, exclusions, everything) are evaluated whole:

- a word's postings are read block by block into {document number: score}, with the
  BM25F statistics of whoosh's own scorer, so the scores are whoosh's (a test compares
  them); 3-4x faster than whoosh's matchers;
- AND, OR and NOT are dictionary and set operations, which run in C;
- a phrase is first the documents that have all its words, each checked for the words
  in a row only when it matters: to rank (candidates in order, until the page is full,
  which gives exactly the page whoosh would give) and to count. When there are more
  candidates than can be checked in the time budget, an even sample of them is checked
  and the count and facets are estimates, flagged as such.

A query of another shape returns None, and the caller uses whoosh's matchers.
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import accumulate
from operator import add

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching import FilterMatcher
from whoosh.scoring import BM25F
from whoosh.searching import Searcher, TimeLimit
from whoosh.util.numeric import byte_to_length

from ..substance import LENGTH_NORMALISATION
from .compiling import DEMOTION, Unscored

KEEP_FROM = 2000  # postings from which a word's are kept in memory for the next search
KEEP_AT_MOST = 600_000  # postings kept in all, per process: about 60 MB
CHECK_ALL = 3000  # phrase candidates checked one by one before sampling instead
SAMPLE = 1500  # candidates checked, evenly spread, to estimate a larger phrase count
FEW = 30  # matches in the sample below which they are counted one by one instead

_LENGTHS = [byte_to_length(code) for code in range(256)]


def weighting() -> BM25F:
    """The archive's scoring, for this module's bulk path and for whoosh's matchers: BM25F
    with its length normalisation lowered (LENGTH_NORMALISATION, search/substance.py)."""
    return BM25F(B=LENGTH_NORMALISATION)


Check = Callable[[int], bool]


class Unsupported(Exception):
    """A query node this module does not evaluate; whoosh's matchers will."""


@dataclass
class Matches:
    """Documents that may match, with their scores; those `check` (when set) rejects
    only looked like matches: they have a phrase's words, not in a row."""

    scores: dict[int, float]
    check: Check | None = None


@dataclass
class Evaluated:
    matched: list[int]  # in document order: every match, or the checked sample
    scores: dict[int, float]  # every candidate's score
    total: int  # matches: exact, or estimated from the sample
    estimated: bool
    check: Check | None
    expired: Callable[[], bool] = lambda: False
    timed_out: bool = False  # the budget ran out: the count and the page may be partial
    # Content-free documents (search/substance.py): ranked by relevance after every other.
    demoted: AbstractSet[int] = frozenset()
    # Each document's factor for the length of its answers (search/substance.py), by
    # document number; None ranks by the scores as they are.
    factors: Sequence[float] | None = None
    # The scores ranked by (factors applied, content-free ones lowered): made once.
    _ranking: dict[int, float] | None = field(default=None, init=False, repr=False)

    def ranked(self, key: Callable[[int], object] | None, limit: int) -> list[int]:
        """The first `limit` matches in `key` order, or by score (best first, then in
        document order, as whoosh ranks) without a key. Candidates are checked in that
        order, so no match can be missed ahead of the ones returned: the same page as
        whoosh's, which checks every candidate first. Checking every candidate on the
        way makes the count exact."""
        if self.check is None:
            return self._leading(key, limit)
        taken = limit * 2
        while True:
            leading = self._leading(key, taken)
            found = []
            for number, docnum in enumerate(leading):
                if self.check(docnum):
                    found.append(docnum)
                    if len(found) == limit:
                        return found
                if number % 64 == 63 and self.expired():
                    self.timed_out = True
                    return found
            if len(leading) < taken:  # every candidate checked: these are all
                self.matched, self.total, self.estimated = sorted(found), len(found), False
                return found
            taken *= 4

    def _leading(self, key: Callable[[int], object] | None, count: int) -> list[int]:
        scores = self.scores
        if key is not None:
            return heapq.nsmallest(count, scores, key=key)
        scores = self._ranking_scores()
        if count >= len(scores):
            tied = list(scores)
        else:
            # The count-th best score, in C; then only the documents that reach it are
            # sorted in Python (a lambda key over 57,000 candidates cost 13 ms).
            threshold = heapq.nlargest(count, scores.values())[-1]
            tied = [docnum for docnum, score in scores.items() if score >= threshold]
        tied.sort(key=lambda docnum: (-scores[docnum], docnum))
        return tied[:count]

    def _ranking_scores(self) -> dict[int, float]:
        """The scores to rank by: each multiplied by its document's factor, and a
        content-free document's lowered below any other's."""
        if self._ranking is None:
            scores, factors = self.scores, self.factors
            demoted = self.demoted & scores.keys()
            if factors is not None:
                ranking = {docnum: score * factors[docnum] for docnum, score in scores.items()}
            else:
                ranking = dict(scores) if demoted else scores
            for docnum in demoted:
                ranking[docnum] -= DEMOTION
            self._ranking = ranking
        return self._ranking

    def ranking_score(self, docnum: int) -> float:
        """The score `docnum` was ranked by, shown without the content-free lowering."""
        return self._ranking_scores()[docnum] + DEMOTION * (docnum in self.demoted)


class Postings:
    """The index's postings and statistics, read in bulk; one per open generation."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.expired: Callable[[], bool] = lambda: False  # set for each search
        self.weighting = weighting()
        self._lengths: dict[str, list[int]] = {}
        self._kept: OrderedDict[tuple, tuple[dict[int, float], dict[int, bytes]]] = OrderedDict()
        self._kept_size = 0  # postings kept, over every word

    def field_lengths(self, fieldname: str) -> list[int]:
        """Each document's length in `fieldname`, as whoosh's scorer reads it."""
        if fieldname not in self._lengths:
            lengths: list[int] = []
            for leaf, _offset in self.searcher.leaf_searchers():
                reader = leaf.reader()
                perdoc = getattr(reader, "_perdoc", None)  # none in an empty index
                column = perdoc and perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
                if column is None:
                    lengths += [0] * reader.doc_count_all()
                else:
                    lengths += [_LENGTHS[code] for code in column]
            self._lengths[fieldname] = lengths
        return self._lengths[fieldname]

    def scored(
        self, fieldname: str, text: str, *, positions: bool = False
    ) -> tuple[dict[int, float], dict[int, bytes]]:
        """{document number: BM25F score} for one word, and with `positions` each
        document's encoded positions of it. Common words are kept for the next search."""
        key = (fieldname, text, positions)
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
            return kept
        read = self._read(fieldname, text, positions=positions)
        size = len(read[0]) + len(read[1])
        if size >= KEEP_FROM:
            self._kept[key] = read
            self._kept_size += size
            while self._kept_size > KEEP_AT_MOST and len(self._kept) > 1:
                _, (scores, encoded) = self._kept.popitem(last=False)
                self._kept_size -= len(scores) + len(encoded)
        return read

    def _read(
        self, fieldname: str, text: str, *, positions: bool
    ) -> tuple[dict[int, float], dict[int, bytes]]:
        field_type = self.searcher.schema[fieldname]
        encoded = field_type.to_bytes(text)
        lengths = self.field_lengths(fieldname)
        scores: dict[int, float] = {}
        encoded_positions: dict[int, bytes] = {}
        for leaf, offset in self.searcher.leaf_searchers():
            reader = leaf.reader()
            if (fieldname, encoded) not in reader:
                continue
            scorer = self.weighting.scorer(leaf, fieldname, encoded)
            idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
            numerator, constant, per_length = idf * (k1 + 1), k1 * (1 - b), k1 * b / avgfl
            matcher = reader.postings(fieldname, encoded)
            for ids, weights, values in _blocks(matcher, values=positions):
                docnums = [offset + docnum for docnum in ids]
                scores.update(
                    zip(
                        docnums,
                        [
                            numerator * tf / (tf + constant + per_length * lengths[docnum])
                            for docnum, tf in zip(docnums, weights, strict=True)
                        ],
                        strict=True,
                    )
                )
                if positions:
                    encoded_positions.update(zip(docnums, values, strict=True))
            self._deadline()
        return scores, encoded_positions

    def ids(self, fieldname: str, text: str) -> dict[int, float]:
        """The documents with `text` in a KEYWORD or ID field, scoring nothing."""
        encoded = self.searcher.schema[fieldname].to_bytes(text)
        found: dict[int, float] = {}
        for leaf, offset in self.searcher.leaf_searchers():
            reader = leaf.reader()
            if (fieldname, encoded) in reader:
                matcher = reader.postings(fieldname, encoded)
                found.update((offset + docnum, 0.0) for docnum in matcher.all_ids())
        self._deadline()
        return found

    def every(self) -> dict[int, float]:
        found: dict[int, float] = {}
        for leaf, offset in self.searcher.leaf_searchers():
            found.update((offset + docnum, 0.0) for docnum in leaf.reader().all_doc_ids())
        return found

    def _deadline(self) -> None:
        if self.expired():
            raise TimeLimit


def _blocks(matcher, *, values: bool) -> Iterable[tuple[Sequence[int], Sequence[float], Sequence]]:
    """A posting list's blocks: ids, weights and (with `values`) the encoded positions,
    without deleted documents. Reads whoosh 2.7's W3 codec blocks (whoosh is pinned)."""
    deleted: set[int] = set()
    if isinstance(matcher, FilterMatcher):  # a segment with deletions
        deleted, matcher = matcher._ids, matcher.child
    while matcher.is_active():
        matcher._read_data()
        ids = matcher._data[0]
        if not matcher._byteids:
            ids = list(accumulate(ids))  # whoosh's delta_decode, in C
        matcher._read_weights()
        weights = matcher._weights
        encoded: Sequence = ()
        if values:
            matcher._read_values()
            encoded = matcher._values
        if deleted:
            kept = [i for i, docnum in enumerate(ids) if docnum not in deleted]
            ids = [ids[i] for i in kept]
            weights = [weights[i] for i in kept]
            encoded = [encoded[i] for i in kept] if values else ()
        yield ids, weights, encoded
        matcher._next_block()


class Evaluator:
    """Turns a query tree into Matches; raises Unsupported for a shape it does not know."""

    def __init__(self, postings: Postings, text_field: str) -> None:
        self.postings = postings
        self.text_field = text_field
        self.decode = postings.searcher.schema[text_field].format.decode_positions

    def matches(self, node: wq.Query, *, scored: bool = True) -> Matches:
        if isinstance(node, Unscored):
            inner = self.matches(node.child, scored=False)
            return Matches(dict.fromkeys(inner.scores, 0.0), inner.check)
        if isinstance(node, wq.Term):
            if not scored:
                return Matches(self.postings.ids(node.fieldname, node.text))
            if not self.postings.searcher.schema[node.fieldname].scorable:
                raise Unsupported("a scored word in an unscored field")  # whoosh scores it
            scores, _ = self.postings.scored(node.fieldname, node.text)
            return Matches(self._boosted(scores, node))
        if isinstance(node, wq.Phrase):
            return self._phrase(node, scored=scored)
        if isinstance(node, wq.And):
            return self._and([self.matches(child, scored=scored) for child in node.subqueries])
        if isinstance(node, wq.Or) and not isinstance(node, wq.DisjunctionMax):
            return self._or([self.matches(child, scored=scored) for child in node.subqueries])
        if isinstance(node, wq.AndMaybe):
            return self._and_maybe(node, scored=scored)
        if isinstance(node, wq.AndNot):
            kept = self.matches(node.a, scored=scored)
            dropped = self.matches(node.b, scored=False)
            if dropped.check is not None:
                raise Unsupported("an excluded phrase")
            scores = {
                docnum: s for docnum, s in kept.scores.items() if docnum not in dropped.scores
            }
            return Matches(scores, kept.check)
        if isinstance(node, wq.Every):
            return Matches(self.postings.every())
        if node is wq.NullQuery or isinstance(node, type(wq.NullQuery)):
            return Matches({})
        raise Unsupported(type(node).__name__)

    def _boosted(self, scores: dict[int, float], node: wq.Query) -> dict[int, float]:
        boost = node.boost
        return scores if boost == 1.0 else {d: s * boost for d, s in scores.items()}

    def _phrase(self, node: wq.Phrase, *, scored: bool) -> Matches:
        if node.fieldname != self.text_field or node.slop != 1:
            raise Unsupported("a phrase in another field, or with slop")
        words = list(node.words)
        positions: list[dict[int, bytes]] = []
        parts = []
        for word in dict.fromkeys(words):
            scores, found = self.postings.scored(self.text_field, word, positions=True)
            parts.append(Matches(scores))
            positions.append(found)
        by_word = dict(zip(dict.fromkeys(words), positions, strict=True))
        joined = self._and(parts)
        # whoosh scores a phrase as the AND of its words, counting a repeated word once.
        scores = self._boosted(joined.scores, node) if scored else dict.fromkeys(joined.scores, 0.0)
        decode = self.decode
        columns = [by_word[word] for word in words]

        def in_a_row(docnum: int) -> bool:
            first = decode(columns[0][docnum])
            rest = [set(decode(column[docnum])) for column in columns[1:]]
            return any(
                all(start + i in later for i, later in enumerate(rest, 1)) for start in first
            )

        return Matches(scores, in_a_row)

    def _and(self, parts: list[Matches]) -> Matches:
        if not parts:
            return Matches({})
        parts_by_size = sorted(parts, key=lambda part: len(part.scores))
        common = parts_by_size[0].scores.keys()
        for part in parts_by_size[1:]:
            common = common & part.scores.keys()
        docnums = list(common)
        summed = [0.0] * len(docnums)
        for part in parts:
            summed = list(map(add, summed, map(part.scores.__getitem__, docnums)))
        scores = dict(zip(docnums, summed, strict=True))
        checks = [part.check for part in parts if part.check is not None]
        if not checks:
            return Matches(scores)
        return Matches(scores, lambda docnum: all(check(docnum) for check in checks))

    def _and_maybe(self, node: wq.AndMaybe, *, scored: bool) -> Matches:
        """What `node.a` matches; `node.b` adds its score where it matches too."""
        required = self.matches(node.a, scored=scored)
        if not scored:
            return required
        optional = self.matches(node.b)
        if optional.check is not None:
            raise Unsupported("an optional phrase")
        both = required.scores.keys() & optional.scores.keys()  # in C; few, mostly
        if not both:
            return required
        scores = dict(required.scores)
        extra = optional.scores
        for docnum in both:
            scores[docnum] += extra[docnum]
        return Matches(scores, required.check)

    def _or(self, parts: list[Matches]) -> Matches:
        # The largest part copied whole (in C), the others added a document at a time.
        parts_by_size = sorted(parts, key=lambda part: len(part.scores))
        scores: dict[int, float] = dict(parts_by_size[-1].scores) if parts else {}
        for part in parts_by_size[:-1]:
            for docnum, score in part.scores.items():
                scores[docnum] = scores.get(docnum, 0.0) + score
        if any(part.check is not None for part in parts):
            # whoosh adds a phrase's score only where its words stand in a row; a sum
            # over candidates would rank by words that are merely present.
            raise Unsupported("a phrase among alternatives")
        return Matches(scores)


def evaluate(
    postings: Postings,
    query: wq.Query,
    text_field: str,
    *,
    allow: Callable[[int], bool] | None = None,
) -> Evaluated | None:
    """Every match of `query` (or, for phrases over many documents, a checked sample),
    or None when the query has a shape only whoosh's matchers handle."""
    try:
        found = Evaluator(postings, text_field).matches(query)
    except Unsupported:
        return None
    scores = found.scores
    if allow is not None:
        scores = {docnum: score for docnum, score in scores.items() if allow(docnum)}
    candidates = sorted(scores)
    expired = postings.expired
    if found.check is None:
        total = len(candidates)
        return Evaluated(candidates, scores, total, False, None, expired)
    check = _remembered(found.check)
    if len(candidates) <= CHECK_ALL:
        matched = [docnum for docnum in candidates if check(docnum)]
        return Evaluated(matched, scores, len(matched), False, check, expired)
    # Document numbers follow the order of indexing, which has nothing to do with what
    # the documents say: an even spread of them is a fair sample.
    step = len(candidates) / SAMPLE
    sample = [candidates[int(i * step)] for i in range(SAMPLE)]
    matched = [docnum for docnum in sample if check(docnum)]
    if len(matched) >= FEW:
        total = round(len(candidates) * len(matched) / len(sample))
        return Evaluated(matched, scores, total, True, check, expired)
    # A rare phrase of common words: too few in the sample to scale up. Count them all,
    # as far as the time budget goes.
    matched = []
    for number, docnum in enumerate(candidates, start=1):
        if check(docnum):
            matched.append(docnum)
        if number % 256 == 0 and expired():
            total = max(len(matched), round(len(candidates) * len(matched) / number))
            return Evaluated(matched, scores, total, True, check, expired, timed_out=True)
    return Evaluated(matched, scores, len(matched), False, check, expired)


def _remembered(check: Check) -> Check:
    """`check`, answering each document once however often it is asked."""
    answers: dict[int, bool] = {}

    def remembered(docnum: int) -> bool:
        answer = answers.get(docnum)
        if answer is None:
            answer = answers[docnum] = check(docnum)
        return answer

    return remembered
