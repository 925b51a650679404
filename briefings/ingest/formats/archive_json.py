"""Format 7: the archive's own JSON export (briefings/export.py), so archives round-trip.

A file holds one JSON object or many, one per line (JSON Lines). Every record carries
"schema": "briefing-archive/1".
"""

from __future__ import annotations

import datetime as dt
import json

from briefings.text import (
    ANSWER,
    KIND_PROCEDURAL,
    KIND_QA,
    KIND_STATEMENT,
    MODERATOR,
    NOTE,
    QUESTION,
    STATEMENT,
    is_web_address,
)

from ..records import ParsedConference, ParsedExchange, ParsedParticipant, ParsedTurn, ParseError
from .protocol import Format, Records

NAME = "archive-json"
VERSION = "1"
SCHEMA_PREFIX = "briefing-archive/"
ROLES = {QUESTION, ANSWER, STATEMENT, MODERATOR, NOTE}
KINDS = {KIND_STATEMENT, KIND_QA, KIND_PROCEDURAL}


def sniff(text: str) -> bool:
    head = text.lstrip()[:500]
    return head.startswith("{") and '"schema"' in head and SCHEMA_PREFIX in head


def split_records(text: str) -> list[tuple[int, str]]:
    """(line number, record) pairs; a single pretty-printed object is one record.

    Lines end at a line feed only, as in JSON Lines: the exporter writes U+2028 and U+0085
    inside text unescaped, and `str.splitlines` would cut a record there.
    """
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines):
        return [(number, line) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    return [(0, text)]


def _date(value: object, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ParseError(f"{field} {value!r} is not a date (YYYY-MM-DD)") from None


def _text(value: object, field: str) -> str:
    """A text field: a string of valid Unicode (JSON escapes can spell lone surrogates,
    which no database stores), or empty when missing."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ParseError(f"{field} is not text: {value!r:.60}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ParseError(f"{field} is not valid Unicode (an unpaired surrogate)") from None
    return value


def _objects(value: object, field: str) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ParseError(f"{field} is not a list of objects")
    return value


def parse(text: str) -> ParsedConference:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise ParseError(f"invalid JSON: {error.msg}", line=error.lineno) from None
    except (ValueError, RecursionError) as error:  # a 5,000-digit number; nesting too deep
        raise ParseError(f"invalid JSON: {error}") from None
    if not isinstance(record, dict) or not str(record.get("schema", "")).startswith(SCHEMA_PREFIX):
        raise ParseError("not a Briefing Archive export record (no 'schema' field)")
    title = _text(record.get("title"), "title")
    if not title:
        raise ParseError("record has no title")
    turns = []
    reviewed: list[dict] = []
    warnings: list[str] = []
    exchanges = _objects(record.get("exchanges"), "exchanges")
    for exchange_number, exchange in enumerate(exchanges, start=1):
        for turn_number, turn in enumerate(
            _objects(exchange.get("turns"), "an exchange's turns"), start=1
        ):
            for commitment in _objects(turn.get("commitments"), "a turn's commitments"):
                where = f"exchange {exchange_number}, turn {turn_number}"
                row = _reviewed(commitment, warnings, where=where)
                if row is not None:
                    reviewed.append({**row, "_where": (exchange_number, turn_number)})
            role = turn.get("role", "")
            if not isinstance(role, str) or role not in ROLES:
                raise ParseError(f"turn has an unknown role {role!r:.60}")
            turns.append(
                ParsedTurn(
                    speaker_label=_text(turn.get("speaker_label"), "a turn's speaker_label"),
                    role=role,
                    text=_text(turn.get("text"), "a turn's text"),
                    speaker_name=_text(turn.get("speaker"), "a turn's speaker"),
                    speaker_title=_text(turn.get("speaker_title"), "a turn's speaker_title"),
                    outlet=_text(turn.get("outlet"), "a turn's outlet"),
                )
            )
    participants = []
    for participant in _objects(record.get("participants"), "participants"):
        name = _text(participant.get("name"), "a participant's name")
        if "name" not in participant or participant["name"] is None:
            raise ParseError("a participant has no name")
        participants.append(
            ParsedParticipant(
                name=name,
                title=_text(participant.get("title"), "a participant's title"),
                organization=_text(participant.get("organization"), "a participant's organization"),
                is_chair=bool(participant.get("is_chair")),
            )
        )
    if any(not turn.speaker_label for turn in turns):
        raise ParseError("a turn has no speaker_label")
    return ParsedConference(
        title=title,
        held_on=_date(record.get("held_on"), "held_on"),
        published_on=_date(record.get("published_on"), "published_on"),
        start_time=_text(record.get("start_time"), "start_time"),
        location=_text(record.get("location"), "location"),
        kind=_text(record.get("kind"), "kind") or "other",
        organizer=_text(record.get("organizer"), "organizer"),
        summary=_text(record.get("summary"), "summary"),
        source_url=_text(record.get("source_url"), "source_url"),
        language=_text(record.get("language"), "language") or "en",
        participants=participants,
        exchanges=_exchanges(exchanges, turns),
        warnings=warnings,
        reviewed_commitments=reviewed,
    )


# What an admin may have decided about a commitment, as the export writes it.
REVIEWS = {"confirmed", "edited", "rejected"}  # "machine" is found again by the extractor
STATUSES = {"open", "fulfilled", "partly", "missed", "unknown"}
COMMITMENT_KINDS = {"pledge", "target", "plan"}


def _reviewed(record: dict, warnings: list[str], *, where: str) -> dict | None:
    """A reviewed commitment's fields for the loader to restore (ReviewedSnapshot), or
    None for a machine-found one; one that does not read right is left out, with a
    warning, since the extractor finds the sentence again anyway. An evidence address that
    is not http(s) (javascript:, data:) is dropped with a warning naming the commitment,
    which keeps its review."""
    review = record.get("review", "machine")
    if review == "machine":
        return None
    sentence = record.get("sentence")
    try:
        if review not in REVIEWS or not isinstance(sentence, str) or not sentence.strip():
            raise ValueError("its review or sentence")
        row = {
            "sentence": sentence,
            "actor": _text(record.get("actor"), "actor"),
            "action": _text(record.get("action"), "action"),
            "quantity_text": _text(record.get("quantity"), "quantity"),
            "quantity_value": _number(record.get("quantity_value")),
            "quantity_unit": _text(record.get("quantity_unit"), "quantity_unit"),
            "quantity_modifier": _text(record.get("quantity_modifier"), "quantity_modifier"),
            "deadline_text": _text(record.get("deadline_text"), "deadline_text"),
            "deadline_date": _date(record.get("deadline_date"), "deadline_date"),
            "deadline_precision": _text(record.get("deadline_precision"), "deadline_precision"),
            "kind": _text(record.get("kind"), "kind") or "pledge",
            "strength": _text(record.get("strength"), "strength"),
            "confidence": _number(record.get("confidence")) or 0.0,
            "extractor_version": _text(record.get("extractor_version"), "extractor_version"),
            "review": review,
            "status": _text(record.get("status"), "status") or "open",
            "status_note": _text(record.get("status_note"), "status_note"),
            "evidence_url": _text(record.get("evidence_url"), "evidence_url"),
            "reviewed_by_id": None,
            "reviewed_at": None,
        }
        if row["status"] not in STATUSES or row["kind"] not in COMMITMENT_KINDS:
            raise ValueError("its status or kind")
        if row["evidence_url"] and not is_web_address(row["evidence_url"]):
            warnings.append(
                f"the evidence_url of the reviewed commitment in {where} was left out (only "
                f"http:// and https:// addresses are kept): {row['evidence_url']!r:.80} "
                f"for {sentence!r:.80}"
            )
            row["evidence_url"] = ""
    except (ValueError, ParseError) as error:
        warnings.append(f"a reviewed commitment was left out ({error}): {sentence!r:.80}")
        return None
    return row


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if not isinstance(value, int | float):
        raise ValueError(f"{value!r:.40} is not a number")
    return float(value)


def _exchanges(exchanges: list[dict], turns: list[ParsedTurn]) -> list[ParsedExchange]:
    """Keep the exporter's exchange boundaries and kinds rather than regrouping."""
    parsed, index = [], 0
    for exchange in exchanges:
        kind = exchange.get("kind", KIND_QA)
        if not isinstance(kind, str) or kind not in KINDS:
            raise ParseError(f"exchange has an unknown kind {kind!r:.60}")
        count = len(exchange.get("turns") or [])
        parsed.append(ParsedExchange(kind=kind, turns=turns[index : index + count]))
        index += count
    return parsed


FORMAT = Format(
    name=NAME,
    version=VERSION,
    sniff=sniff,
    parse=parse,
    records=Records(split=split_records, media_type="application/json"),
)
