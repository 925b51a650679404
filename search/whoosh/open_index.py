"""The live index generation as this process has it open: one searcher per process,
shared by every search and thread, and the maps from document number to facet values
and dates built over it, kept until the index changes.

A rebuild points the index symlink at another folder: the new folder is opened and the
old one closed. A drain commits a new generation in the same folder: `Searcher.refresh`
keeps the unchanged segments. haystack opened a new searcher per search (6 ms).
"""

from __future__ import annotations

import heapq
import os
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from itertools import chain

from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, FileIndex
from whoosh.index import IndexError as WhooshIndexError
from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from ..fields import ANSWER_WORDS_FIELD, CONTENT_FREE, DATE_FIELD, MONTH, SUBSTANCE_FIELD, YEAR
from ..substance import answer_factor
from .bulk import Postings, weighting

NO_DATE = 2**64 - 1  # what whoosh's column holds for a document without a date


class OpenIndex:
    """One generation of the index, opened once per process, and the facet maps built
    over it (document number -> values), kept until the index changes."""

    def __init__(self, folder: str, index: FileIndex) -> None:
        self.folder = folder
        self.index = index
        self.searcher: Searcher = index.searcher(weighting=weighting())
        self.postings = Postings(self.searcher)
        self._values: dict[str, list[tuple[str, ...]]] = {}
        self._date_ranks: dict[bool, array] = {}
        self._live: array | None = None
        self._everything: dict[str, Counter] = {}  # facet counts over every document
        self._dates: array | None = None
        self._years: list[str | None] | None = None
        self._months: list[str | None] | None = None
        self._content_free: frozenset[int] | None = None
        self._answer_factors: list[float] | None = None

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
            self._months = None
            self._content_free = None
            self._answer_factors = None

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
            # One tuple per distinct set of values, shared: a tuple per document held
            # 4-55 MB a field at 500,000 exchanges (roles 55 MB), most of them equal.
            shared: dict[tuple[str, ...], tuple[str, ...]] = {}
            self._values[fieldname] = [shared.setdefault(values, values) for values in by_doc]
        return self._values[fieldname]

    def content_free(self) -> frozenset[int]:
        """The numbers of the documents without content (search/substance.py)."""
        if self._content_free is None:
            found: set[int] = set()
            for leaf, offset in self.searcher.leaf_searchers():
                reader = leaf.reader()
                if (SUBSTANCE_FIELD, CONTENT_FREE) in reader:
                    postings = reader.postings(SUBSTANCE_FIELD, CONTENT_FREE)
                    found.update(offset + docnum for docnum in postings.all_ids())
            self._content_free = frozenset(found)
        return self._content_free

    def answer_factors(self) -> list[float]:
        """Each document's relevance factor for the length of its answers
        (search/substance.py), by document number."""
        if self._answer_factors is None:
            factor_of: dict[int, float] = {}
            factors: list[float] = []
            for leaf, _offset in self.searcher.leaf_searchers():
                reader = leaf.reader()
                if reader.has_column(ANSWER_WORDS_FIELD):
                    words = reader.column_reader(ANSWER_WORDS_FIELD, translate=False)
                else:  # a segment of documents all without the field (none in practice)
                    words = [0] * reader.doc_count_all()
                for count in words:
                    if count not in factor_of:
                        factor_of[count] = answer_factor(count)
                    factors.append(factor_of[count])
            self._answer_factors = factors
        return self._answer_factors

    def date_values(self) -> array:
        """Each document's date as whoosh stores it in the column (microseconds since
        year 1), NO_DATE where there is none: an array of 64-bit numbers, an eighth of a
        list's memory (at 500,000 documents, 4 MB against 20)."""
        if self._dates is None:
            # Segment by segment: whoosh's multi-segment column reader leaves out a
            # segment without the column (every document in it undated) and then
            # misplaces the values of the documents after it.
            self._dates = array("Q")
            for leaf, _offset in self.searcher.leaf_searchers():
                reader = leaf.reader()
                if reader.has_column(DATE_FIELD):
                    self._dates.extend(reader.column_reader(DATE_FIELD, translate=False))
                else:
                    self._dates.extend([NO_DATE] * reader.doc_count_all())
        return self._dates

    def years(self) -> list[str | None]:
        if self._years is None:
            # One string per year, shared (a string per document: 35 MB at 500,000).
            values = self.date_values()
            year_of = {
                value: str(long_to_datetime(value).year) for value in set(values) if value < NO_DATE
            }
            named = {year: year for year in year_of.values()}
            self._years = [named[year_of[value]] if value in year_of else None for value in values]
        return self._years

    def months(self) -> list[str | None]:
        """Each document's month, "2021-03", None where it has no date."""
        if self._months is None:
            values = self.date_values()
            # A briefing's exchanges share its date: each date is converted once (at
            # 50,000 documents, one conversion per document cost most of a second).
            month_of = {
                value: f"{long_to_datetime(value):%Y-%m}"
                for value in set(values)
                if value < NO_DATE
            }
            self._months = list(map(month_of.get, values))
        return self._months

    def rank_by_date(
        self, docnums: Iterable[int], *, newest: bool, limit: int
    ) -> list[tuple[None, int]]:
        """The first `limit` of `docnums` by date, undated last either way; within a day,
        in document order (a briefing's exchanges in their order)."""
        key = self.date_rank(newest=newest).__getitem__
        return [(None, docnum) for docnum in heapq.nsmallest(limit, docnums, key=key)]

    def date_rank(self, *, newest: bool) -> array:
        """Each document's place in date order (undated last, then document order), so
        that ranking by date is a lookup per match, not a Python key function: an array
        of 32-bit numbers (a list of them took 36 bytes a document)."""
        if newest not in self._date_ranks:
            values = self.date_values()
            sign = -1 if newest else 1
            order = sorted(
                range(len(values)),
                key=lambda docnum: (values[docnum] >= NO_DATE, sign * values[docnum], docnum),
            )
            rank = array("I", bytes(4 * len(values)))
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
        if name in (YEAR, MONTH):
            by_doc = self.years() if name == YEAR else self.months()
            counter = Counter(map(by_doc.__getitem__, docnums))
            counter.pop(None, None)
            return counter
        by_doc = self.values_by_doc(name)
        return Counter(chain.from_iterable(map(by_doc.__getitem__, docnums)))

    def live(self) -> array:
        """The number of every document not deleted (an array: 4 bytes each, not 36)."""
        if self._live is None:
            self._live = array(
                "I",
                (
                    offset + docnum
                    for leaf, offset in self.searcher.leaf_searchers()
                    for docnum in leaf.reader().all_doc_ids()
                ),
            )
        return self._live


# One searcher per process, for every thread: whoosh's readers keep file positions, so
# searches take turns (they are pure Python under the GIL: no parallelism is lost).
READING = threading.RLock()
_OPEN: dict[str, OpenIndex] = {}  # by index path: the one in use


def open_live(path: str, schema: Schema) -> OpenIndex | None:
    """This process's open index for the live generation behind `path`; None when there
    is no index there yet. Call with READING held."""
    for attempt in range(2):
        folder = os.path.realpath(path)
        current = _OPEN.get(path)
        if current is not None and current.folder == folder:
            current.refresh()
            return current
        try:
            # No mmap: Whoosh copies every mmapped sub-file of a compound segment into
            # a BytesIO (142 MB of a worker's memory on the full corpus); read through
            # file handles instead and let the page cache hold the index.
            storage = FileStorage(folder, supports_mmap=False)
            refuse_outdated(storage, schema)
            index = storage.open_index(schema=schema)
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
        _OPEN[path] = opened = OpenIndex(folder, index)
        return opened
    return None


class OutdatedIndex(WhooshIndexError):
    """The index on disk was built with other fields or another word analysis than this
    code searches with: its answers would be wrong, so it is not read at all."""


def refuse_outdated(storage: FileStorage, schema: Schema) -> None:
    """Raise OutdatedIndex when the index in `storage` was written with another schema
    than `schema` (schema_problem)."""
    problem = schema_problem(storage.open_index().schema, schema)
    if problem:
        raise OutdatedIndex(problem)


def schema_problem(stored: Schema, expected: Schema) -> str | None:
    """None when an index written with `stored` can be searched as `expected`; else what
    differs, and what to do (a rebuild: `manage.py reindex`)."""
    differences = []
    missing = sorted(set(expected.names()) - set(stored.names()))
    if missing:
        differences.append(f"no field {', '.join(missing)}")
    for name in sorted(set(expected.names()) & set(stored.names())):
        old, new = stored[name], expected[name]
        if type(old) is not type(new):
            differences.append(f"{name} is a {type(old).__name__} field")
        elif _analysis(old) != _analysis(new):
            differences.append(f"{name} is analysed otherwise (another stemmer)")
    if not differences:
        return None
    return (
        "the search index was built for an older version of the archive ("
        + "; ".join(differences)
        + "): rebuild it with `manage.py reindex`"
    )


def _analysis(field: object) -> tuple:
    """What a field's analyser does, comparably: whoosh's own == tells a Porter stemmer
    from a Snowball one only by class."""
    analyzer = getattr(field, "analyzer", None)
    if analyzer is None:
        return ()
    described = []
    for item in getattr(analyzer, "items", [analyzer]):
        stemfn = getattr(item, "stemfn", None)
        where = (getattr(stemfn, "__module__", None), getattr(stemfn, "__qualname__", None))
        described.append((type(item).__name__, getattr(item, "lang", None), where))
    return tuple(described)


def close_searchers() -> None:
    """Close this process's searcher; the next search opens the live index again."""
    with READING:
        for opened in _OPEN.values():
            opened.close()
        _OPEN.clear()


def shared_searcher() -> Searcher | None:
    """The searcher this process's searches share right now (for diagnostics and tests)."""
    with READING:
        return next((opened.searcher for opened in _OPEN.values()), None)
