"""The seam between the archive's search code and the search engine.

searching.py reads through a `Reader`, indexing.py writes through an `IndexStore`; both
are small interfaces with two implementations each, chosen here by the engine of the
haystack connection:

- our Whoosh backend (the embedded default): `WhooshReader` and `WhooshStore` in
  search/whoosh/engine.py, on the read path that mends haystack's Whoosh search and a
  writer that rebuilds into generation folders;
- any other haystack engine (SEARCH_URL: Elasticsearch 7 or Solr, docs/scaling.md):
  `QuerySetReader` and `HaystackStore` in search/servers/portable.py, through haystack's
  generic API only (SearchQuerySet; the backend's update, remove and clear);
- Xapian (SEARCH_URL=xapian://...): `XapianReader` and `XapianStore` in
  search/servers/xapian.py, on the Xapian bindings directly (imported only then: the
  bindings are a Debian package, not a requirement).

The two wings import neither this module nor each other.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from haystack import connections
from haystack.indexes import SearchIndex

from briefings.models import Exchange

from .filters import ResolvedFilter
from .highlight import Highlight
from .language import Analyzer, ParsedQuery
from .results import Found
from .servers.portable import HaystackStore, QuerySetReader
from .whoosh.backend import ArchiveWhooshBackend
from .whoosh.engine import WhooshReader, WhooshStore

logger = logging.getLogger(__name__)


class SearchUnavailable(Exception):
    """The index cannot answer now: it was built for another schema and waits for
    `manage.py reindex`, or its server cannot be reached. The pages say so (503)."""


@contextmanager
def answering(engine: Reader) -> Iterator[None]:
    """A read of `engine`; what it raises when the index cannot answer becomes
    SearchUnavailable, logged with its cause for the admin."""
    try:
        yield
    except engine.errors as error:
        logger.exception("the search index could not answer")
        raise SearchUnavailable(str(error)) from error


class Compiled(Protocol):
    """A query ready for one engine. `has_text`: it looks for words (else relevance
    means nothing and results come newest first)."""

    has_text: bool
    highlight: Highlight  # the analysed words and phrases to mark


class Reader(Protocol):
    # What a read raises when the index cannot answer (not built yet, server down).
    errors: tuple[type[BaseException], ...]

    def compile(self, parsed: ParsedQuery, filters: list[ResolvedFilter]) -> Compiled: ...

    def find(
        self,
        compiled: Compiled,
        *,
        start: int,
        end: int,
        sort_by: Sequence[str] = (),
        highlight: bool = False,
        facets: Sequence[str] = (),
        last_page: bool = False,
    ) -> Found:
        """Hits `start` to `end` (by relevance, or by `sort_by` fields, "-field" for
        descending), the total, and counts of `facets` over every match. With
        `last_page`, a `start` past the last hit returns the last page instead."""
        ...

    def count_by_month(self, compiled: Compiled, *, time_limit: float) -> Found:
        """The total of `compiled` and its matches counted by the month they were held
        ("2021-03"), in `facets[MONTH]`; the hits are not the point. Within `time_limit`
        seconds where the engine keeps a budget, else flagged `timed_out`."""
        ...

    def similar(self, exchange: Exchange, *, end: int) -> Found: ...

    def suggest_spelling(self, words: Sequence[str]) -> dict[str, str]: ...

    def spelling_candidates(self, words: Sequence[str]) -> dict[str, list[str]]:
        """For each of `words` the index lacks, the indexed words it may be, best first."""

    def text_analyzer(self) -> Analyzer:
        """The analysis of the indexed text, to mark the searched words in other text."""
        ...


class IndexStore(Protocol):
    def lock_path(self) -> Path:
        """The file the single index writer locks (search/indexing.py)."""
        ...

    def apply_changes(
        self, index: SearchIndex, *, updates: Iterable[Exchange], deletes: Iterable[int]
    ) -> None:
        """Replace the documents of `updates`, remove those of `deletes`; raise when the
        engine refuses, so the queue rows stay."""
        ...

    def rebuild(
        self, index: SearchIndex, documents: Iterable[Exchange], *, total: int, clear: bool
    ) -> tuple[int, str]:
        """Index `documents`, every exchange, replacing what the index holds; returns
        how many and where they went."""
        ...

    def indexed_ids(self, index: SearchIndex) -> set[int]:
        """The primary keys of every exchange in the index."""
        ...


def is_whoosh(using: str = "default") -> bool:
    return isinstance(connections[using].get_backend(), ArchiveWhooshBackend)


def is_xapian(using: str = "default") -> bool:
    return str(connections[using].options.get("ENGINE", "")).endswith(".ArchiveXapianEngine")


def reader(using: str = "default") -> Reader:
    if is_xapian(using):
        from .servers.xapian import XapianReader

        return XapianReader(connections[using].options)
    if is_whoosh(using):
        return WhooshReader(connections[using].get_backend())
    return QuerySetReader(using)


def store(using: str = "default") -> IndexStore:
    if is_xapian(using):
        from .servers.xapian import XapianStore

        return XapianStore(connections[using].options)
    if is_whoosh(using):
        return WhooshStore(connections[using].get_backend())
    return HaystackStore(using)
