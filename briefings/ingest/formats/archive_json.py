"""Format 7: the archive's own JSON export (briefings/export.py), so archives round-trip.

A file holds one JSON object or many, one per line (JSON Lines). Every record carries
"schema": "briefing-archive/1".
"""

from __future__ import annotations

import datetime as dt
import json

from ..records import (
    ANSWER,
    KIND_PROCEDURAL,
    KIND_QA,
    KIND_STATEMENT,
    MODERATOR,
    NOTE,
    QUESTION,
    STATEMENT,
    ParsedConference,
    ParsedExchange,
    ParsedParticipant,
    ParsedTurn,
    ParseError,
)

NAME = "archive-json"
VERSION = "1"
SCHEMA_PREFIX = "briefing-archive/"
ROLES = {QUESTION, ANSWER, STATEMENT, MODERATOR, NOTE}
KINDS = {KIND_STATEMENT, KIND_QA, KIND_PROCEDURAL}


def sniff(text: str) -> bool:
    head = text.lstrip()[:500]
    return head.startswith("{") and '"schema"' in head and SCHEMA_PREFIX in head


def split_records(text: str) -> list[tuple[int, str]]:
    """(line number, record) pairs; a single pretty-printed object is one record."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines):
        return [
            (number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()
        ]
    return [(0, text)]


def _date(value: object, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ParseError(f"{field} {value!r} is not a date (YYYY-MM-DD)") from None


def parse(text: str) -> ParsedConference:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise ParseError(f"invalid JSON: {error.msg}", line=error.lineno) from None
    if not isinstance(record, dict) or not str(record.get("schema", "")).startswith(SCHEMA_PREFIX):
        raise ParseError("not a Briefing Archive export record (no 'schema' field)")
    if not record.get("title"):
        raise ParseError("record has no title")
    try:
        turns = []
        for exchange in record.get("exchanges", []):
            for turn in exchange.get("turns", []):
                role = turn.get("role", "")
                if role not in ROLES:
                    raise ParseError(f"turn has an unknown role {role!r}")
                turns.append(
                    ParsedTurn(
                        speaker_label=turn.get("speaker_label") or "",
                        role=role,
                        text=turn.get("text") or "",
                        speaker_name=turn.get("speaker") or "",
                        speaker_title=turn.get("speaker_title") or "",
                        outlet=turn.get("outlet") or "",
                    )
                )
        participants = [
            ParsedParticipant(
                name=participant["name"],
                title=participant.get("title", ""),
                organization=participant.get("organization", ""),
                is_chair=bool(participant.get("is_chair")),
            )
            for participant in record.get("participants", [])
        ]
    except (AttributeError, KeyError, TypeError) as error:
        raise ParseError(f"record is not in the export schema: {error!r}") from None
    if any(not turn.speaker_label for turn in turns):
        raise ParseError("a turn has no speaker_label")
    return ParsedConference(
        title=str(record["title"]),
        held_on=_date(record.get("held_on"), "held_on"),
        published_on=_date(record.get("published_on"), "published_on"),
        start_time=record.get("start_time") or "",
        location=record.get("location") or "",
        kind=record.get("kind") or "other",
        organizer=record.get("organizer") or "",
        summary=record.get("summary") or "",
        source_url=record.get("source_url") or "",
        language=record.get("language") or "en",
        participants=participants,
        exchanges=_exchanges(record, turns),
    )


def _exchanges(record: dict, turns: list[ParsedTurn]) -> list[ParsedExchange]:
    """Keep the exporter's exchange boundaries and kinds rather than regrouping."""
    exchanges, index = [], 0
    for exchange in record.get("exchanges", []):
        kind = exchange.get("kind", KIND_QA)
        if kind not in KINDS:
            raise ParseError(f"exchange has an unknown kind {kind!r}")
        count = len(exchange.get("turns", []))
        exchanges.append(ParsedExchange(kind=kind, turns=turns[index : index + count]))
        index += count
    return exchanges
