"""The ingest workflow: files in, conferences stored, one outcome line per conference.

Used by `manage.py ingest`, the admin upload page and `reparse`. Each document is parsed
before its transaction opens (a slow parse never holds the write lock), then loaded in
one transaction; a failing document leaves nothing behind and the others go on.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import Conference, IngestRun
from ..text import counted
from .dating import FROM_GIVEN, FROM_TRANSCRIPT, date_transcript
from .decode import check_size, decode_transcript, decode_with_warnings
from .detect import detect_format, parse_transcript, prepare_text
from .files import collect_paths, natural_key
from .formats import FORMATS
from .formats.protocol import Format
from .identity import Match, find_existing
from .load import (
    CREATED,
    DATED,
    REPLACED,
    UNCHANGED,
    LoadResult,
    SourceFile,
    content_hash,
    load_conference,
    rewrite_conference,
    settle_people,
)
from .records import ParsedConference, ParseError
from .runlog import start_run

logger = logging.getLogger(__name__)

FAILED = "failed"

MEDIA_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".shtml": "text/html",
    ".md": "text/markdown",
    ".json": "application/json",
    ".jsonl": "application/jsonl",
}


@dataclass
class Document:
    """The files of one conference (several for a page series) and its parse."""

    sources: list[SourceFile]
    parsed: ParsedConference | None = None
    error: str = ""
    # Where its date came from (dating.FROM_*), "" when it has none.
    date_from: str = ""

    @property
    def name(self) -> str:
        names = [source.filename for source in self.sources]
        return names[0] if len(names) == 1 else f"{names[0]} (+{len(names) - 1} pages)"

    def give_date(self, held_on: dt.date) -> None:
        """The date a person gave for a transcript that names none (the admin preview);
        it wins over a date read from the file name."""
        if self.parsed is None or self.date_from == FROM_TRANSCRIPT:
            return
        self.parsed.held_on = held_on
        self.parsed.warnings = [
            w for w in self.parsed.warnings if not w.startswith("the transcript names no date")
        ]
        self.date_from = FROM_GIVEN


@dataclass
class Outcome:
    name: str
    status: str
    title: str = ""
    held_on: str = ""
    exchanges: int = 0
    turns: int = 0
    slug: str = ""
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    note: str = ""

    def line(self) -> str:
        if self.status == FAILED:
            return f"FAILED  {self.name}: {self.error}"
        note = f"; {self.note} ({Path(self.name).name})" if self.note else ""
        return (
            f"{self.status:<9} {self.held_on or 'undated':<10}  {self.title}  "
            f"({counted(self.exchanges, 'exchange')}, {counted(self.turns, 'turn')}{note})"
        )


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    run: IngestRun | None = None

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def ok(self) -> bool:
        return self.count(FAILED) == 0

    def summary(self) -> str:
        exchanges = sum(o.exchanges for o in self.outcomes if o.status != FAILED)
        turns = sum(o.turns for o in self.outcomes if o.status != FAILED)
        dated = f"{self.count(DATED)} dated, " if self.count(DATED) else ""
        return (
            f"{self.count(CREATED)} created, {self.count(REPLACED)} replaced, {dated}"
            f"{self.count(UNCHANGED)} unchanged, {self.count(FAILED)} failed "
            f"({counted(exchanges, 'exchange')}, {counted(turns, 'turn')}){self.undated_note()}"
        )

    def undated_note(self) -> str:
        """Which briefings have no date, so that they can be given one."""
        undated = list(
            dict.fromkeys(
                Path(o.name).name for o in self.outcomes if o.status != FAILED and not o.held_on
            )
        )
        if not undated:
            return ""
        shown = ", ".join(undated[:UNDATED_SHOWN])
        more = f" and {len(undated) - UNDATED_SHOWN} more" if len(undated) > UNDATED_SHOWN else ""
        return (
            f"; {len(undated)} without a date: {shown}{more} "
            "(give one with --date YYYY-MM-DD, or in the admin)"
        )


UNDATED_SHOWN = 10


def read_documents(
    files: Iterable[tuple[str, bytes]],
    *,
    format_name: str | None = None,
    held_on: dt.date | None = None,
) -> list[Document]:
    return list(iter_documents(files, format_name=format_name, held_on=held_on))


def iter_documents(
    files: Iterable[tuple[str, bytes]],
    *,
    format_name: str | None = None,
    held_on: dt.date | None = None,
) -> Iterator[Document]:
    """Decode, detect and parse, one file at a time; the pages of one page series (SCIO)
    become one document, given after all the single files.

    `files` are (name, bytes) pairs. A file that fails is a document with an error.
    A file of many records (a JSON Lines export) gives a document for each record.
    A transcript that names no date takes `held_on`, else a date its file name names
    (briefings/ingest/dating.py).
    """
    for document in _parse_documents(files, format_name=format_name):
        _date_document(document, given=held_on)
        yield document


def _date_document(document: Document, *, given: dt.date | None) -> None:
    if document.parsed is not None:
        document.date_from = date_transcript(
            document.parsed, file_name=document.sources[0].filename, given=given
        )


def _parse_documents(
    files: Iterable[tuple[str, bytes]], *, format_name: str | None = None
) -> Iterator[Document]:
    series: dict[tuple[str, str], list[tuple[SourceFile, str]]] = {}
    decodings: dict[str, list[str]] = {}  # a page's decoding warnings, by file name
    for filename, data in files:
        source = SourceFile(
            filename=filename,
            data=data,
            media_type=MEDIA_TYPES.get(Path(filename).suffix.lower(), "text/plain"),
        )
        try:
            text, decoding = decode_with_warnings(data, max_bytes=settings.INGEST_MAX_BYTES)
            name = format_name or detect_format(text)
            fmt = FORMATS.get(name)  # an unknown name is refused by parse_transcript
            if fmt is not None and fmt.pages is not None:
                key = fmt.pages.series_key(prepare_text(text, name))
                series.setdefault((name, key), []).append((source, text))
                decodings[source.filename] = decoding
                continue
            if fmt is not None and fmt.records is not None:
                for document in _record_documents(fmt, source, text):
                    yield _warned(document, decoding)
                continue
            document = Document([source], parse_transcript(text, format_name=name))
            _warned(document, decoding)
        except ParseError as error:
            document = Document([source], error=str(error))
        except Exception as error:  # a parser bug must not stop the other files
            logger.exception("parser failed on %s", filename)
            document = Document([source], error=f"parser error (a bug): {error!r}")
        yield document
    for (name, _key), pages in series.items():
        document = _series_document(FORMATS[name], pages)
        for source, _text in pages:
            warnings = decodings.get(source.filename, [])
            _warned(document, [f"{Path(source.filename).name}: {w}" for w in warnings])
        yield document


def _warned(document: Document, decoding: list[str]) -> Document:
    """The document with its file's decoding warnings (a file of two encodings) first."""
    if document.parsed is not None and decoding:
        document.parsed.warnings[:0] = decoding
    return document


def undated_documents(documents: list[Document]) -> list[int]:
    """The numbers (from 1) of the readable documents whose transcript names no date."""
    return [
        number
        for number, document in enumerate(documents, start=1)
        if document.parsed is not None and document.date_from != FROM_TRANSCRIPT
    ]


@dataclass
class Preview:
    """What saving a document would do, for the upload preview, and the stored briefing
    it is a copy or a version of."""

    message: str
    match: Conference | None = None


def preview_status(document: Document) -> Preview:
    """What saving this document would do, for the upload preview."""
    if document.parsed is None:
        return Preview("will not be saved")
    same = Conference.objects.filter(content_hash=content_hash(document.sources)).first()
    if same is not None:
        return Preview("already in the archive: saving changes nothing", same)
    found: Match | None = find_existing(document.parsed)
    if found is not None and found.same_words and found.another_copy:
        return Preview(
            f"already in the archive (known by {found.by}): saving changes nothing; "
            "it is the same briefing as",
            found.conference,
        )
    if found is not None and found.same_words:
        return Preview(
            "already in the archive with the same words: saving changes nothing unless "
            "'Replace' is ticked; it is",
            found.conference,
        )
    if found is not None:
        return Preview(
            f"a different version is in the archive (known by {found.by}): tick "
            "'Replace' to update it (its old URLs keep working), or it will be refused; it is",
            found.conference,
        )
    return Preview("new: will be added to the archive")


def _series_document(fmt: Format, pages: list[tuple[SourceFile, str]]) -> Document:
    """The pages of one conference, in file-name order, read as one by `fmt`, a format of
    page series."""
    pages = sorted(pages, key=lambda page: natural_key(page[0].filename))
    sources = [source for source, _text in pages]
    for position, source in enumerate(sources, start=1):
        source.position = position
    try:
        parsed = fmt.pages.parse_pages(
            [prepare_text(text, fmt.name) for _source, text in pages],
            numbers=[fmt.pages.page_from_filename(source.filename) for source in sources],
        )
        parsed.format = fmt.name
    except ParseError as error:
        return Document(sources, error=str(error))
    if not parsed.turns:
        return Document(sources, error="no speakers found: this does not look like a transcript")
    return Document(sources, parsed)


def _record_documents(fmt: Format, source: SourceFile, text: str) -> list[Document]:
    """A document for each record of a file that `fmt` reads as records; each is named
    "file#line" when the file holds several."""
    documents = []
    for number, record in fmt.records.split(text):
        one = SourceFile(
            filename=f"{source.filename}#{number}" if number else source.filename,
            data=record.encode(),
            media_type=fmt.records.media_type,
        )
        try:
            documents.append(Document([one], parse_transcript(record, format_name=fmt.name)))
        except ParseError as error:
            prefix = f"record {number}: " if number else ""
            documents.append(Document([one], error=f"{prefix}{error}"))
    return documents


def load_documents(
    documents: Iterable[Document],
    *,
    files: list[str] | None = None,
    replace: bool = False,
    via: str = IngestRun.Via.COMMAND,
    user: object | None = None,
    on_outcome: Callable[[int, Outcome], None] | None = None,
) -> Report:
    """Store every parsed document, each in its own transaction, as they come; log the run.

    `files` names the input files for the log when `documents` is a stream.
    """
    if files is None:
        documents = list(documents)
        files = [source.filename for document in documents for source in document.sources]
    run = start_run(
        via=via, user=user if getattr(user, "is_authenticated", False) else None, files=files
    )
    report = Report(run=run)
    for number, document in enumerate(documents, start=1):
        outcome = _load_one(document, replace=replace)
        report.outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(number, outcome)
    _finish_run(run, report)
    return report


class _Undone(Exception):
    """A document of an all-or-none load failed: the transaction is rolled back."""


def load_documents_whole(
    documents: list[Document],
    *,
    replace: bool = False,
    date_stored: bool = True,
    via: str = IngestRun.Via.COMMAND,
    user: object | None = None,
) -> Report:
    """Store every readable document in one transaction, all or none: when one fails,
    those stored before it are rolled back and those after it are not tried. The admin's
    confirm saves this way, so an upload is never half saved (a worker killed mid-way
    rolls back too). A document that could not be read at all was named in the preview
    as one that will not be saved; it is reported, and the others are saved. Without
    `date_stored` a stored undated briefing found again is not given the new copy's date.

    The log entry is written outside the transaction, so a rolled-back upload is logged
    as failed, with the reason."""
    files = [source.filename for document in documents for source in document.sources]
    run = start_run(
        via=via, user=user if getattr(user, "is_authenticated", False) else None, files=files
    )
    report = Report(run=run)
    try:
        with transaction.atomic():
            for document in documents:
                outcome = _load_one(document, replace=replace, date_stored=date_stored)
                report.outcomes.append(outcome)
                if outcome.status == FAILED and document.parsed is not None:
                    raise _Undone
    except _Undone:
        report.outcomes = _undone(report.outcomes, documents)
    _finish_run(run, report)
    return report


def _undone(outcomes: list[Outcome], documents: list[Document]) -> list[Outcome]:
    """The outcomes of a rolled-back load: the failure as it was, every other readable
    document failed as not saved, because of it."""
    failure = outcomes[-1]
    reason = (
        f"not saved: {Path(failure.name).name} could not be saved, and an upload is "
        "saved whole or not at all"
    )

    def undone(name: str, outcome: Outcome | None, error: str) -> Outcome:
        if outcome is failure or (outcome is not None and outcome.status == FAILED):
            return outcome
        return Outcome(name, FAILED, error=error or reason)

    tried = [undone(o.name, o, "") for o in outcomes]
    untried = [undone(d.name, None, d.error) for d in documents[len(outcomes) :]]
    return [*tried, *untried]


def _load_one(document: Document, *, replace: bool, date_stored: bool = True) -> Outcome:
    return _store(
        document,
        lambda parsed: load_conference(
            parsed, document.sources, replace=replace, date_stored=date_stored
        ),
    )


def _store(document: Document, store: Callable[[ParsedConference], LoadResult]) -> Outcome:
    """Save a parsed document with `store` (its own transaction); any failure is an outcome
    line, never the end of the run."""
    if document.parsed is None:
        return Outcome(document.name, FAILED, error=document.error)
    try:
        result = store(document.parsed)
    except ParseError as error:
        return Outcome(document.name, FAILED, error=str(error))
    except Exception as error:  # rolled back by the transaction; the others go on
        logger.exception("storing %s failed", document.name)
        return Outcome(document.name, FAILED, error=f"could not be stored (a bug): {error!r}")
    conference = result.conference
    return Outcome(
        document.name,
        result.status,
        title=conference.title,
        held_on=conference.held_on.isoformat() if conference.held_on else "",
        exchanges=result.exchanges,
        turns=result.turns,
        slug=conference.slug,
        warnings=result.warnings,
        note=result.note,
    )


def _finish_run(run: IngestRun, report: Report) -> None:
    run.created = report.count(CREATED)
    run.replaced = report.count(REPLACED) + report.count(DATED)
    run.unchanged = report.count(UNCHANGED)
    run.failed = report.count(FAILED)
    succeeded = len(report.outcomes) - run.failed
    if run.failed == 0:
        run.status = IngestRun.Status.OK
    else:
        run.status = IngestRun.Status.PARTIAL if succeeded else IngestRun.Status.FAILED
    # Stored officials as the loader would store them today (a misprint stored before its
    # official was known well enough is merged now): a line for each change.
    run.report = "\n".join([*(outcome.line() for outcome in report.outcomes), *settle_people()])
    run.error_text = "\n".join(o.line() for o in report.outcomes if o.status == FAILED)
    run.finished_at = timezone.now()
    run.save()
    slugs = [outcome.slug for outcome in report.outcomes if outcome.slug]
    run.conferences.set(Conference.objects.filter(slug__in=slugs))


def ingest_paths(
    arguments: Iterable[str],
    *,
    format_name: str | None = None,
    replace: bool = False,
    held_on: dt.date | None = None,
    on_start: Callable[[int], None] | None = None,
    on_outcome: Callable[[int, Outcome], None] | None = None,
) -> Report:
    """The `ingest` command: paths, folders and globs in, a report out. `held_on` dates
    the transcripts that name no date.

    Files are read, parsed and stored one at a time, so memory stays flat on large runs.
    """
    paths, missing = collect_paths(arguments)
    if on_start is not None:
        on_start(len(paths))
    failed: list[Document] = [
        Document([SourceFile(name, b"")], error="no such file or folder") for name in missing
    ]

    def readable_files() -> Iterator[tuple[str, bytes]]:
        for path in paths:
            try:
                check_size(path.stat().st_size, settings.INGEST_MAX_BYTES)  # before reading
                yield str(path), path.read_bytes()
            except OSError as error:
                failed.append(Document([SourceFile(str(path), b"")], error=f"cannot read: {error}"))
            except ParseError as error:
                failed.append(Document([SourceFile(str(path), b"")], error=str(error)))

    def documents() -> Iterator[Document]:
        yield from iter_documents(readable_files(), format_name=format_name, held_on=held_on)
        yield from failed

    return load_documents(
        documents(),
        files=[*missing, *map(str, paths)],
        replace=replace,
        on_outcome=on_outcome,
    )


def reparse_conferences(
    conferences: Iterable[Conference] | None = None,
    *,
    held_on: dt.date | None = None,
    on_outcome: Callable[[int, Outcome], None] | None = None,
) -> Report:
    """Re-parse stored sources with the current parsers; old URLs keep working. A
    transcript that names no date keeps the date it has, or takes `held_on`, else its
    file name's; its deadlines are resolved against it."""
    selected = list(conferences if conferences is not None else Conference.objects.all())
    run = start_run(via=IngestRun.Via.REPARSE, files=[c.slug for c in selected])
    report = Report(run=run)
    for number, conference in enumerate(selected, start=1):
        try:
            conference.refresh_from_db()  # as it is now, not as it was when the run began
        except Conference.DoesNotExist:
            outcome = Outcome(conference.slug, FAILED, error="deleted before it was re-parsed")
            report.outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(number, outcome)
            continue
        document = _stored_document(conference)
        _date_document(document, given=held_on or conference.held_on)
        outcome = _store(document, lambda parsed, c=conference: rewrite_conference(c, parsed))
        report.outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(number, outcome)
    _finish_run(run, report)
    return report


def _stored_document(conference: Conference) -> Document:
    """A stored conference's own files, parsed again by the current parsers."""
    sources = [
        SourceFile(s.filename, bytes(s.content), s.position, s.url, s.media_type)
        for s in conference.sources.order_by("position")
    ]
    fmt = FORMATS.get(conference.format)
    try:
        if fmt is not None and fmt.pages is not None:
            return _series_document(fmt, [(s, decode_transcript(s.data)) for s in sources])
        if len(sources) > 1:
            raise ParseError(
                f"stored as {len(sources)} files, but its format ({conference.format}) reads one"
            )
        text, decoding = decode_with_warnings(sources[0].data)
        return _warned(Document(sources, parse_transcript(text)), decoding)
    except ParseError as error:
        return Document(sources, error=str(error))
    except Exception as error:  # a parser bug must not stop the other briefings
        logger.exception("parser failed on %s", conference.slug)
        return Document(sources, error=f"parser error (a bug): {error!r}")
