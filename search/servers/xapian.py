"""Xapian (SEARCH_URL=xapian:///path or xapian+tcp://host:port, docs/scaling.md): a
reader and a writer of their own, on Debian's Xapian bindings (python3-xapian), behind
the seam like the portable path (search/engines.py).

Not through haystack's generic API: the maintained haystack backend (xapian-haystack
4.0) cannot run the portable reader (search/servers/portable.py). Its SearchQuerySet
cannot `narrow()` (no `build_query_fragment`), an `Exact` phrase becomes its words
OR-ed, facets on multi-valued fields and dates count the page of hits only, every field
(slugs, kinds, titles) is indexed into the default text field four times over, and each
total is a second match of every document. So this module speaks Xapian directly:

- a document per exchange: the spoken text as Snowball English stems with positions
  ("Z" terms: words match their stem, phrases the stems in order, as on Whoosh), the
  exact filter fields as boolean terms, and values for sorting and exact facets (the
  multi-valued fields joined by tabs, split and summed when counted);
- a query compiled from the query language (search/language.py) into Xapian queries, not
  through Xapian's query parser, so user text never reaches a query syntax;
- exact totals and facets: every match is counted (`checkatleast` = the whole database);
- by relevance, content-free exchanges last, then BM25 with the Whoosh path's length
  normalisation (LENGTH_NORMALISATION, search/substance.py); the answer-length factor of
  the Whoosh path is not applied (docs/scaling.md);
- snippets from our own escaped highlighter (search/highlight.py), as the portable path.

A database is a local folder (or a stub file, which may combine remote shards), or a
`xapian-tcpsrv` on host:port. The writer writes where SEARCH_WRITER_URL says (default:
SEARCH_URL), one `WritableDatabase` at a time: Xapian locks a database to one writer.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import xapian
from django.conf import settings
from haystack.backends import BaseEngine, BaseSearchBackend, BaseSearchQuery
from haystack.constants import DJANGO_ID
from haystack.indexes import SearchIndex
from haystack.utils import get_identifier
from whoosh.analysis import CompositeAnalyzer

from briefings.models import Exchange

from ..analysis import archive_analyzer
from ..fields import (
    ANSWER_WORDS_FIELD,
    DATE_FIELD,
    MONTH,
    NAMES_FIELD,
    SUBSTANCE_FIELD,
    TEXT_FIELD,
    TITLE_FIELD,
    YEAR,
)
from ..filters import ResolvedFilter
from ..highlight import Highlight, Marks, highlight_snippet
from ..language import Clause, ParsedQuery, Phrase
from ..results import Found, Hit
from ..substance import LENGTH_NORMALISATION

TIMEOUT_MS = 10_000  # a remote read or write gives up after this, as the servers' 10 s
WRITE_BATCH = 500  # exchanges per commit in a rebuild in place
LANGUAGE = "english"  # Snowball English, as the Whoosh index stems

# Boolean terms: the document's id, its exchange id, and the exact filter fields.
ID_PREFIX = "Q"  # "Q" + haystack's identifier, "briefings.exchange.12"
PK_PREFIX = "XP"  # "XP12": conference: filters on a briefing's exchange ids
EXACT_PREFIXES = {
    "speakers": "XS",
    "outlets": "XO",
    "organizations": "XG",
    "roles": "XR",
    "conference": "XC",
    "kind": "XK",
    SUBSTANCE_FIELD: "XU",
}
# Prefixes of the other text fields, indexed for a later weighting (the portable path
# and this reader look for words in the spoken text only).
TEXT_PREFIXES = {TITLE_FIELD: "XT", NAMES_FIELD: "XN"}

# Values (slots): sort keys and facet counts.
SLOTS = {
    DATE_FIELD: 0,  # "YYYYMMDD"
    "conference": 1,
    "position": 2,  # sortable_serialise
    SUBSTANCE_FIELD: 3,  # "content" sorts before "empty"
    "speakers": 4,  # the multi-valued fields: values joined by tabs
    "outlets": 5,
    "organizations": 6,
    "roles": 7,
    ANSWER_WORDS_FIELD: 8,  # sortable_serialise
}
# The sorts by date, one value each: a remote database sorts by one value only (no
# KeyMaker), so the date and the ties (a briefing's exchanges together, in order) are one
# key, the date inverted for newest first.
OLDEST_SLOT, NEWEST_SLOT = 9, 10
SORT_SLOTS = {DATE_FIELD: OLDEST_SLOT, "-" + DATE_FIELD: NEWEST_SLOT}
NUMBERS = frozenset({"position", ANSWER_WORDS_FIELD})
JOINED = frozenset({"speakers", "outlets", "organizations", "roles"})
JOIN = "\t"

# BM25 as the Whoosh path scores: k1 1.2 and its length normalisation b (k2 0, k3 1 and
# min_normlen 0.5 are Xapian's defaults).
BM25 = (1.2, 0.0, 1.0, LENGTH_NORMALISATION, 0.5)


# Opening a database.


def open_reading(options: dict) -> xapian.Database:
    if "REMOTE" in options:
        host, port = options["REMOTE"]
        return xapian.remote_open(host, port, TIMEOUT_MS)
    path = options["DATABASE"]
    if not Path(path).exists():
        raise xapian.DatabaseOpeningError(f"no Xapian database at {path}")
    return xapian.Database(path)


def open_writing(options: dict) -> xapian.WritableDatabase:
    writer = options.get("WRITER", options)
    if "REMOTE" in writer:
        host, port = writer["REMOTE"]
        return xapian.remote_open_writable(host, port, TIMEOUT_MS)
    live = Path(writer["DATABASE"])
    if not live.exists() and not live.is_symlink():
        # A new local database is a generation behind a symlink, so that a rebuild can
        # swap the next one in (XapianStore.rebuild).
        swap_in(live, new_generation(live))
    return xapian.WritableDatabase(str(live), xapian.DB_CREATE_OR_OPEN)


def new_generation(live: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    generation = live.with_name(f"{live.name}.{stamp}-{os.getpid()}")
    xapian.WritableDatabase(str(generation), xapian.DB_CREATE).close()
    return generation


def swap_in(live: Path, generation: Path) -> None:
    """Points the `live` symlink at `generation` in one rename: a database opened from
    then on (every search opens one; xapian-tcpsrv opens one per connection) is the new
    one, one opened before keeps reading the old files."""
    swap = live.with_name(f".{live.name}.swap")
    swap.unlink(missing_ok=True)
    swap.symlink_to(generation.name)
    os.replace(swap, live)


def old_generations(live: Path, keep: Path) -> list[Path]:
    return [
        path
        for path in live.parent.glob(f"{live.name}.*-*")
        if path.is_dir() and path.name != keep.name
    ]


def describe(options: dict) -> str:
    """Where the writer writes, for messages."""
    writer = options.get("WRITER", options)
    if "REMOTE" in writer:
        host, port = writer["REMOTE"]
        return f"xapian-tcpsrv {host}:{port}"
    return str(writer["DATABASE"])


# Documents.


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    return "" if value is None else str(value)


def build_document(data: dict, stored: Iterable[str], identifier: str) -> xapian.Document:
    """One exchange's prepared fields (SearchIndex.full_prepare) as a Xapian document."""
    document = xapian.Document()
    generator = xapian.TermGenerator()
    generator.set_stemmer(xapian.Stem(LANGUAGE))
    generator.set_stemming_strategy(xapian.TermGenerator.STEM_ALL_Z)
    generator.set_document(document)
    generator.index_text(_text(data.get(TEXT_FIELD)))
    for field, prefix in TEXT_PREFIXES.items():
        generator.increase_termpos()
        generator.index_text(_text(data.get(field)), 1, prefix)
    for field, prefix in EXACT_PREFIXES.items():
        values = data.get(field)
        for value in values if isinstance(values, list | tuple) else [values]:
            if value not in (None, ""):
                document.add_boolean_term(prefix + str(value))
    document.add_boolean_term(ID_PREFIX + identifier)
    document.add_boolean_term(PK_PREFIX + str(data[DJANGO_ID]))
    for field, slot in SLOTS.items():
        value = data.get(field)
        if value is None:
            continue
        if field in NUMBERS:
            document.add_value(slot, xapian.sortable_serialise(float(value)))
        elif field in JOINED:
            document.add_value(slot, JOIN.join(sorted(str(item) for item in value)))
        elif isinstance(value, dt.date):
            document.add_value(slot, value.strftime("%Y%m%d"))
        else:
            document.add_value(slot, str(value))
    held_on, tie = data.get(DATE_FIELD), f"{data.get('conference')}\x00{data.get('position'):06}"
    day = int(held_on.strftime("%Y%m%d")) if held_on else 0
    document.add_value(OLDEST_SLOT, f"{day:08}{tie}")
    document.add_value(NEWEST_SLOT, f"{99999999 - day:08}{tie}")
    kept = {name: data.get(name) for name in stored if name in data}
    kept[DJANGO_ID] = str(data[DJANGO_ID])
    document.set_data(json.dumps(kept, default=str))
    return document


def _stored_fields(index: SearchIndex) -> list[str]:
    return [
        field.index_fieldname for field in index.fields.values() if getattr(field, "stored", True)
    ]


def write_documents(
    database: xapian.WritableDatabase, index: SearchIndex, exchanges: Iterable[Exchange]
) -> int:
    stored = _stored_fields(index)
    count = 0
    for exchange in exchanges:
        identifier = get_identifier(exchange)
        data = index.full_prepare(exchange)
        database.replace_document(ID_PREFIX + identifier, build_document(data, stored, identifier))
        count += 1
    return count


def indexed_ids(database: xapian.Database) -> set[int]:
    """Every exchange id in the database, from its boolean terms (no match needed)."""
    return {int(item.term[len(PK_PREFIX) :]) for item in database.allterms(PK_PREFIX)}


# The haystack connection: what haystack itself and /healthz ask of the backend.


class ArchiveXapianBackend(BaseSearchBackend):
    """The connection's backend: writes as XapianStore does, and `search` answers the
    health check's one probe (the database's document count). The archive's searches go
    through XapianReader (search/engines.py), not through here."""

    def __init__(self, connection_alias: str, **options: object) -> None:
        super().__init__(connection_alias, **options)
        self.options = options

    def update(self, index: SearchIndex, iterable: Iterable[Exchange], commit: bool = True):
        database = open_writing(self.options)
        try:
            write_documents(database, index, iterable)
            database.commit()
        finally:
            database.close()

    def remove(self, obj_or_string: object, commit: bool = True) -> None:
        identifier = get_identifier(obj_or_string)
        database = open_writing(self.options)
        try:
            database.delete_document(ID_PREFIX + identifier)
            database.commit()
        finally:
            database.close()

    def clear(self, models: Sequence[type] | None = None, commit: bool = True) -> None:
        database = open_writing(self.options)
        try:
            for item in database.allterms(ID_PREFIX):
                database.delete_document(item.term)
            database.commit()
        finally:
            database.close()

    def search(self, query_string: str, **kwargs: object) -> dict:
        database = open_reading(self.options)
        try:
            return {"results": [], "hits": database.get_doccount()}
        finally:
            database.close()


class ArchiveXapianQuery(BaseSearchQuery):
    """haystack needs a query class; SearchQuerySet is not how this engine is read."""


class ArchiveXapianEngine(BaseEngine):
    backend = ArchiveXapianBackend
    query = ArchiveXapianQuery


# Reading.


@dataclass
class XapianQuery:
    """A parsed query as Xapian queries."""

    text: xapian.Query | None  # words, phrases, OR groups; scored
    excluded: list[xapian.Query]
    filters: list[xapian.Query]  # boolean: narrow without scoring
    dates: tuple[dt.date | None, dt.date | None]
    highlight: Highlight
    has_text: bool
    matches_nothing: bool = False


def _terms_of(text: str) -> list[str]:
    """`text` as the writer's TermGenerator splits it: the unstemmed terms in order."""
    document = xapian.Document()
    generator = xapian.TermGenerator()
    generator.set_document(document)
    generator.index_text(text)
    placed = [
        (position, item.term.decode()) for item in document.termlist() for position in item.positer
    ]
    return [term for _, term in sorted(placed)]


def _clause_query(clause: Clause) -> xapian.Query | None:
    raw = clause.text if not isinstance(clause, Phrase) else " ".join(clause.words)
    terms = _terms_of(raw)
    if not terms:
        return None
    stem = xapian.Stem(LANGUAGE)
    stems = ["Z" + stem(term).decode() for term in terms]
    if len(stems) == 1:
        return xapian.Query(stems[0])
    # A phrase (or a word the tokenizer splits, "covid-19"): the stems in order.
    return xapian.Query(xapian.Query.OP_PHRASE, stems, len(stems))


def _either(queries: list[xapian.Query]) -> xapian.Query:
    return queries[0] if len(queries) == 1 else xapian.Query(xapian.Query.OP_OR, queries)


def _filter_query(item: ResolvedFilter) -> xapian.Query:
    if item.filter.kind == "conference":
        terms = [PK_PREFIX + str(value) for value in item.values]
    else:
        field = {"speaker": "speakers", "outlet": "outlets", "organization": "organizations"}
        terms = [EXACT_PREFIXES[field[item.filter.kind]] + str(v) for v in item.values]
    return xapian.Query(xapian.Query.OP_OR, terms)


class XapianReader:
    """search.engines.Reader on a Xapian database."""

    errors: tuple[type[BaseException], ...] = (xapian.Error, OSError)

    def __init__(self, options: dict) -> None:
        self.options = options
        self._database: xapian.Database | None = None

    def database(self) -> xapian.Database:
        if self._database is None:
            self._database = open_reading(self.options)
        else:
            self._database.reopen()  # the writer's latest commit
        return self._database

    def compile(self, parsed: ParsedQuery, filters: list[ResolvedFilter]) -> XapianQuery:
        marks = Marks(archive_analyzer())

        def clause_query(clause: Clause, *, mark: bool) -> xapian.Query | None:
            return _clause_query(clause) if marks.tokens(clause, mark=mark) else None

        groups = []
        for group in parsed.required:
            queries = [q for q in (clause_query(c, mark=True) for c in group) if q is not None]
            if queries:
                groups.append(_either(queries))
        text = None
        if groups:
            text = groups[0] if len(groups) == 1 else xapian.Query(xapian.Query.OP_AND, groups)
        excluded = [
            query
            for query in (clause_query(clause, mark=False) for clause in parsed.excluded)
            if query is not None
        ]
        highlight = marks.highlight(parsed)
        matches_nothing = False
        narrowing: list[xapian.Query] = []
        negative: list[xapian.Query] = []
        for item in filters:
            if not item.values:
                matches_nothing = matches_nothing or not item.filter.negated
                continue
            (negative if item.filter.negated else narrowing).append(_filter_query(item))
        dates = (parsed.date_from, parsed.date_to)
        if text is None and not narrowing and not negative and not excluded and not any(dates):
            matches_nothing = True  # nothing left to look for, as the Whoosh path
        return XapianQuery(
            text,
            excluded + negative,
            narrowing,
            dates,
            highlight,
            has_text=text is not None,
            matches_nothing=matches_nothing,
        )

    def query(self, compiled: XapianQuery) -> xapian.Query:
        query = compiled.text if compiled.text is not None else xapian.Query.MatchAll
        narrowing = list(compiled.filters)
        start, end = compiled.dates
        if start is not None or end is not None:
            low = start.strftime("%Y%m%d") if start else "00000000"
            high = end.strftime("%Y%m%d") if end else "99999999"
            narrowing.append(
                xapian.Query(xapian.Query.OP_VALUE_RANGE, SLOTS[DATE_FIELD], low, high)
            )
        for condition in narrowing:
            query = xapian.Query(xapian.Query.OP_FILTER, query, condition)
        for condition in compiled.excluded:
            query = xapian.Query(xapian.Query.OP_AND_NOT, query, condition)
        return query

    def _enquire(
        self, database: xapian.Database, compiled: XapianQuery, sort_by: Sequence[str]
    ) -> xapian.Enquire:
        enquire = xapian.Enquire(database)
        enquire.set_weighting_scheme(xapian.BM25Weight(*BM25))
        enquire.set_query(self.query(compiled))
        if sort_by:
            if tuple(sort_by)[:1] != tuple(sort_by) or sort_by[0] not in SORT_SLOTS:
                raise ValueError(f"Xapian sorts by date only, not by {sort_by}")
            enquire.set_sort_by_value(SORT_SLOTS[sort_by[0]], False)
        elif compiled.text is not None:
            # Content-free exchanges last ("content" < "empty"), then the score.
            enquire.set_sort_by_value_then_relevance(SLOTS[SUBSTANCE_FIELD], False)
        else:
            enquire.set_docid_order(xapian.Enquire.ASCENDING)
        return enquire

    def find(
        self,
        compiled: XapianQuery,
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
        database = self.database()
        enquire = self._enquire(database, compiled, sort_by)
        spies = {}
        for name in facets:
            slot = SLOTS[DATE_FIELD] if name in (YEAR, MONTH) else SLOTS[name]
            spies[name] = xapian.ValueCountMatchSpy(slot)
            enquire.add_matchspy(spies[name])
        every = max(database.get_doccount(), 1)  # exact totals and facets
        matches = enquire.get_mset(start, end - start, every)
        total = matches.get_matches_estimated()
        if last_page and matches.empty() and start and total:
            size = end - start
            start = (total - 1) // size * size
            enquire.clear_matchspies()  # the spies counted every match already
            matches = enquire.get_mset(start, size, every)
        marks = compiled.highlight if highlight else None
        analyse = archive_analyzer()
        hits = [
            self._hit(match, scored=not sort_by, highlight=marks, analyse=analyse)
            for match in matches
        ]
        counts = {name: _facet_counts(name, spy) for name, spy in spies.items()}
        return Found(hits, total, facets=counts, start=start)

    def count_by_month(self, compiled: XapianQuery, *, time_limit: float) -> Found:
        # A server keeps its own time limits; `time_limit` is for the embedded engine.
        return self.find(compiled, start=0, end=1, facets=(MONTH,))

    def similar(self, exchange: Exchange, *, end: int) -> Found:
        database = self.database()
        postings = list(database.postlist(ID_PREFIX + get_identifier(exchange)))
        if not postings:
            return Found([], 0)
        relevant = xapian.RSet()
        relevant.add_document(postings[0].docid)
        enquire = xapian.Enquire(database)
        enquire.set_weighting_scheme(xapian.BM25Weight(*BM25))
        enquire.set_query(xapian.Query(ID_PREFIX + get_identifier(exchange)))
        expand = enquire.get_eset(40, relevant, xapian.ExpandDeciderFilterPrefix("Z"))
        terms = [item.term for item in expand]
        if not terms:
            return Found([], 0)
        query = xapian.Query(
            xapian.Query.OP_AND_NOT,
            xapian.Query(xapian.Query.OP_ELITE_SET, terms, 20),
            xapian.Query(ID_PREFIX + get_identifier(exchange)),
        )
        enquire.set_query(query)
        hits = [self._hit(match) for match in enquire.get_mset(0, end)]
        return Found(hits, len(hits))

    def suggest_spelling(self, words: Sequence[str]) -> dict[str, str]:
        """Xapian's spelling table is not written (it is not kept for remote databases):
        no suggestion, as a server without a spellcheck component."""
        return {}

    def spelling_candidates(self, words: Sequence[str]) -> dict[str, list[str]]:
        return {}

    def text_analyzer(self) -> CompositeAnalyzer:
        return archive_analyzer()

    def _hit(
        self,
        match: xapian.MSetItem,
        *,
        scored: bool = True,
        highlight: Highlight | None = None,
        analyse: CompositeAnalyzer | None = None,
    ) -> Hit:
        fields = json.loads(match.document.get_data())
        snippet = ""
        if highlight is not None:
            text = str(fields.get(TEXT_FIELD) or "")
            snippet = highlight_snippet(text, highlight, analyse or archive_analyzer())
        return Hit(None, match.weight if scored else None, fields, snippet)


def _facet_counts(name: str, spy: xapian.ValueCountMatchSpy) -> list[tuple[str, int]]:
    """A spy's counts in the shape of our Whoosh read path's: value and count, most
    frequent first. Joined values are split and summed; dates become years or months."""
    counts: dict[str, int] = {}
    for item in spy.values():
        value, count = item.term.decode(), item.termfreq
        if name == YEAR:
            keys = [value[:4]]
        elif name == MONTH:
            keys = [f"{value[:4]}-{value[4:6]}"]
        elif name in JOINED:
            keys = value.split(JOIN)
        else:
            keys = [value]
        for key in keys:
            if key:
                counts[key] = counts.get(key, 0) + count
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


# Writing.


class XapianStore:
    """search.engines.IndexStore on a Xapian database, written by one writer."""

    def __init__(self, options: dict) -> None:
        self.options = options

    def lock_path(self) -> Path:
        # One writer per machine; Xapian's own lock keeps a second one off the database.
        return Path(settings.DATA_DIR) / "search_writer.lock"

    def apply_changes(
        self, index: SearchIndex, *, updates: Iterable[Exchange], deletes: Iterable[int]
    ) -> None:
        database = open_writing(self.options)
        try:
            label = index.get_model()._meta.label_lower
            for pk in deletes:
                database.delete_document(f"{ID_PREFIX}{label}.{pk}")
            write_documents(database, index, updates)
            database.commit()
        finally:
            database.close()

    def rebuild(
        self, index: SearchIndex, documents: Iterable[Exchange], *, total: int, clear: bool
    ) -> tuple[int, str]:
        """Every document written again.

        With `clear` and a local database behind a symlink (as `open_writing` makes
        one), into a new generation folder beside it, swapped in by one rename of the
        symlink when complete: searches see the old database until then, and the one
        before it is removed. Otherwise in place, a commit per batch, then the exchanges
        the database no longer has removed: searches find everything throughout; with
        `clear` on a server (xapian+tcp), everything is deleted first and searches find
        only what is written so far. Not a transaction: a remote writer commits every
        10,000 changes on its own, and a dropped connection commits what was sent.
        """
        writer = self.options.get("WRITER", self.options)
        live = Path(writer["DATABASE"]) if "DATABASE" in writer else None
        if clear and live is not None and (live.is_symlink() or not live.exists()):
            return self._rebuild_beside(live, index, documents)
        database = open_writing(self.options)
        try:
            before = indexed_ids(database)
            label = index.get_model()._meta.label_lower
            if clear:
                for pk in before:
                    database.delete_document(f"{ID_PREFIX}{label}.{pk}")
                database.commit()
                before = set()
            count = 0
            written: set[int] = set()
            for batch in _batches(iter(documents), WRITE_BATCH):
                count += write_documents(database, index, batch)
                written.update(exchange.pk for exchange in batch)
                database.commit()
            for pk in before - written:
                database.delete_document(f"{ID_PREFIX}{label}.{pk}")
            database.commit()
        finally:
            database.close()
        return count, describe(self.options)

    def _rebuild_beside(
        self, live: Path, index: SearchIndex, documents: Iterable[Exchange]
    ) -> tuple[int, str]:
        generation = new_generation(live)
        database = xapian.WritableDatabase(str(generation), xapian.DB_OPEN)
        try:
            count = 0
            for batch in _batches(iter(documents), WRITE_BATCH):
                count += write_documents(database, index, batch)
            database.commit()
        except BaseException:
            database.close()
            shutil.rmtree(generation, ignore_errors=True)
            raise
        database.close()
        previous = live.resolve() if live.is_symlink() else None
        swap_in(live, generation)
        for path in old_generations(live, keep=generation):
            if path != previous:  # the one just replaced may still be read: next time
                shutil.rmtree(path, ignore_errors=True)
        return count, str(generation)

    def indexed_ids(self, index: SearchIndex) -> set[int]:
        database = open_reading(self.options.get("WRITER", self.options))
        try:
            return indexed_ids(database)
        finally:
            database.close()


def _batches(items: Iterator[Exchange], size: int) -> Iterator[list[Exchange]]:
    while batch := list(islice(items, size)):
        yield batch
