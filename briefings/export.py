"""The archive as JSON Lines: one object per conference, read back by `ingest`.

The schema is documented in docs/export-format.md. Field names are stable; new fields may
be added, none are renamed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from django.db.models import F, Prefetch

from .models import Commitment, Conference, Exchange, Participant, Source, Turn

SCHEMA = "briefing-archive/1"


def conferences_for_export() -> Iterable[Conference]:
    return (
        Conference.objects.select_related("organizer")
        .prefetch_related(
            # The raw bytes stay in the database: the record lists sources, never their content.
            Prefetch("sources", queryset=Source.objects.defer("content")),
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("person", "organization"),
            ),
            Prefetch(
                "exchanges__turns",
                queryset=Turn.objects.select_related("person", "outlet")
                # Not the retired ones (a machine-found row the extractor no longer finds):
                # the archive file is public, and an import would find them again anyway.
                .prefetch_related(
                    Prefetch("commitments", queryset=Commitment.objects.filter(retired=""))
                )
                .order_by("position"),
            ),
        )
        .order_by(F("held_on").asc(nulls_last=True), "id")  # undated last on every database
    )


def conference_record(conference: Conference) -> dict:
    return {
        "schema": SCHEMA,
        "slug": conference.slug,
        "title": conference.title,
        "held_on": conference.held_on.isoformat() if conference.held_on else None,
        "published_on": conference.published_on.isoformat() if conference.published_on else None,
        "start_time": conference.start_time,
        "location": conference.location,
        "kind": conference.kind,
        "organizer": conference.organizer.name if conference.organizer else "",
        "summary": conference.summary,
        "source_url": conference.source_url,
        "language": conference.language,
        "sources": [
            {
                "position": source.position,
                "filename": source.filename.rsplit("/", 1)[-1],
                "url": source.url,
                "media_type": source.media_type,
                "sha256": source.sha256,
                "format": source.format,
                "parser_version": source.parser_version,
            }
            for source in conference.sources.all()
        ],
        "participants": [
            {
                "name": participant.person.name,
                "title": participant.title,
                "organization": participant.organization.name if participant.organization else "",
                "is_chair": participant.is_chair,
            }
            for participant in conference.participants.all()
        ],
        "exchanges": [exchange_record(exchange) for exchange in conference.exchanges.all()],
    }


def exchange_record(exchange: Exchange) -> dict:
    return {
        "position": exchange.position,
        "kind": exchange.kind,
        "turns": [turn_record(turn) for turn in exchange.turns.all()],
    }


def turn_record(turn: Turn) -> dict:
    """With `turn.commitments.all()`: every one not retired for the export; a public page
    prefetches only the ones it shows, so its JSON says what the page says."""
    return {
        "position": turn.position,
        "speaker_label": turn.speaker_label,
        "speaker": turn.person.name if turn.person else "",
        "speaker_title": turn.speaker_title,
        "outlet": turn.outlet.name if turn.outlet else "",
        "role": turn.role,
        "text": turn.text,
        "commitments": [commitment_record(c) for c in turn.commitments.all()],
    }


def commitment_record(commitment: Commitment) -> dict:
    """The extractor's field names, plus what an admin decided."""
    return {
        "sentence": commitment.sentence,
        "start": commitment.start,
        "end": commitment.end,
        "actor": commitment.actor,
        "action": commitment.action,
        "quantity": commitment.quantity_text,
        "quantity_value": commitment.quantity_value,
        "quantity_unit": commitment.quantity_unit,
        "quantity_modifier": commitment.quantity_modifier,
        "deadline_text": commitment.deadline_text,
        "deadline_date": commitment.deadline_date.isoformat() if commitment.deadline_date else None,
        "deadline_precision": commitment.deadline_precision,
        "kind": commitment.kind,
        "strength": commitment.strength,
        "confidence": commitment.confidence,
        "extractor_version": commitment.extractor_version,
        "review": commitment.review,
        "status": commitment.status,
        "status_note": commitment.status_note,
        "evidence_url": commitment.evidence_url,
    }


# What a spreadsheet runs as a formula (CSV injection, after OWASP's "CSV Injection"): a
# cell starting with one of FORMULA_MARKS, even after spaces or line breaks (LibreOffice
# can trim them), or with a tab or carriage return; and the same after a separator, for a
# spreadsheet that splits cells at ";" (German and French locales) or at a tab, or that
# misreads the quoting and starts a row at a line break inside a cell.
FORMULA_MARKS = "=+\\-@"
_FORMULA_AT_START = re.compile(rf"\A(?:[\t\r]|\s*[{FORMULA_MARKS}])")
_FORMULA_AFTER_SEPARATOR = re.compile(rf"([,;\t\r\n])(?=\s*[{FORMULA_MARKS}])")


def csv_cell(text: str) -> str:
    """Text for a CSV cell that a spreadsheet will not run: an apostrophe, which keeps the
    rest text, before a formula at the start of the cell and after a separator that
    precedes one ("Ministry;'=1+1"). Every CSV the archive writes puts its words through
    this; the JSON forms keep them as they are."""
    text = _FORMULA_AFTER_SEPARATOR.sub(r"\1'", text)
    return "'" + text if _FORMULA_AT_START.match(text) else text


def iter_jsonl(conferences: Iterable[Conference] | None = None) -> Iterator[str]:
    if conferences is None:
        conferences = conferences_for_export().iterator(chunk_size=50)
    for conference in conferences:
        yield json.dumps(conference_record(conference), ensure_ascii=False) + "\n"


def write_jsonl(
    stream: IO[str],
    conferences: Iterable[Conference] | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Every briefing (or `conferences`) as a line; `progress` is told the count so far
    after each line."""
    count = 0
    for line in iter_jsonl(conferences):
        stream.write(line)
        count += 1
        if progress is not None:
            progress(count)
    return count
