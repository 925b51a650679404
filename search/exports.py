"""The search's exports as files: every result's whole exchange, each turn with its
speaker as printed and as resolved, their title at that briefing, the outlet and the text.

CSV is one row per exchange, the search's own unit: the rows are the results, in their
order, up to the same cap, and a researcher coding them adds one column. The question and
the answers have a column each, readable in a spreadsheet, and `turns` holds every turn as
JSON for whoever needs the order of a follow-up or a field per turn. JSON nests the turns.
Both are written a row at a time from `Export.rows`, which reads the database a chunk of
exchanges at a time, so an export's memory does not grow with its length.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator

from django.urls import reverse

from briefings.export import commitment_record, csv_cell
from briefings.text import QUESTION

from .searching import Export, ExportRow, ExportTurn

CSV_COLUMNS = [
    "url",
    "held_on",
    "conference",
    "position",
    "kind",
    "speakers",
    "outlets",
    "score",
    "excerpt",
    "askers",
    "question",
    "answers",
    "commitments",
    "turns",
]
TURN_BREAK = "\n\n"  # between two turns in the question and answers columns

Absolute = Callable[[str], str]  # a path to a full URL (request.build_absolute_uri)


def csv_lines(export: Export, absolute: Absolute) -> Iterator[str]:
    """The CSV file, a line (one exchange) at a time."""
    line = _Line()
    writer = csv.writer(line)
    writer.writerow(CSV_COLUMNS)
    yield line.take()
    for row in export.rows():
        writer.writerow(csv_row(row, absolute))
        yield line.take()


def csv_row(row: ExportRow, absolute: Absolute) -> list[object]:
    """One exchange as a row of CSV_COLUMNS. Every cell of transcript words goes through
    csv_cell: a spreadsheet must not run a turn that begins "=" as a formula."""
    questions = [turn for turn in row.turns if turn.role == QUESTION]
    others = [turn for turn in row.turns if turn.role != QUESTION]
    askers: list[str] = []
    for turn in questions:
        if (asker := turn.speaker or turn.speaker_label) not in askers:
            askers.append(asker)
    turns = [turn_record(turn, absolute) for turn in row.turns]
    return [
        absolute(row.url),
        row.held_on.isoformat() if row.held_on else "",
        csv_cell(row.conference),
        row.position,
        row.kind,
        csv_cell("; ".join(row.speakers)),
        csv_cell("; ".join(row.outlets)),
        "" if row.score is None else f"{row.score:.4f}",
        csv_cell(row.excerpt),
        csv_cell("; ".join(askers)),
        csv_cell(TURN_BREAK.join(turn.text for turn in questions)),
        csv_cell(TURN_BREAK.join(f"{turn.speaker_label}: {turn.text}" for turn in others)),
        sum(len(turn.commitments) for turn in row.turns),
        csv_cell(json.dumps(turns, ensure_ascii=False)),
    ]


def json_chunks(head: dict[str, object], export: Export, absolute: Absolute) -> Iterator[str]:
    """The JSON document: `head`'s keys, then "results" a record at a time, then
    "returned", the number of records (an exchange deleted since the index was written is
    left out, so it is known only at the end)."""
    opening = json.dumps(head, ensure_ascii=False)
    yield opening[:-1] + (', "results": [' if head else '"results": [')
    returned = 0
    for row in export.rows():
        record = json.dumps(result_record(row, absolute), ensure_ascii=False)
        yield ("," if returned else "") + record
        returned += 1
    yield f'], "returned": {returned}}}'


def result_record(row: ExportRow, absolute: Absolute) -> dict[str, object]:
    return {
        "url": absolute(row.url),
        "held_on": row.held_on.isoformat() if row.held_on else None,
        "conference": row.conference,
        "conference_slug": row.conference_slug,
        "position": row.position,
        "kind": row.kind,
        "speakers": row.speakers,
        "outlets": row.outlets,
        "score": row.score,
        "excerpt": row.excerpt,
        "turns": [turn_record(turn, absolute) for turn in row.turns],
    }


def turn_record(turn: ExportTurn, absolute: Absolute) -> dict[str, object]:
    """A turn with the field names of the archive's own export (briefings/export.py)."""
    return {
        "position": turn.position,
        "speaker_label": turn.speaker_label,
        "speaker": turn.speaker,
        "speaker_title": turn.speaker_title,
        "outlet": turn.outlet,
        "role": turn.role,
        "text": turn.text,
        "commitments": [
            {
                "url": absolute(reverse("briefings:commitment-detail", args=[commitment.pk])),
                **commitment_record(commitment),
            }
            for commitment in turn.commitments
        ],
    }


class _Line:
    """What csv.writer writes into: it keeps the last line for the stream to take."""

    def __init__(self) -> None:
        self._text = ""

    def write(self, text: str) -> None:
        self._text += text

    def take(self) -> str:
        text, self._text = self._text, ""
        return text
