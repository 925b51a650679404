"""Golden-file helpers: a parsed transcript as JSON, compared with the file beside it.

Run with REGENERATE_GOLDEN=1 to rewrite the expected files, then review the diff.

`conference_outline` keeps everything of a parse but its words: for transcripts that may
not be copied into the project (the Ministry's pages, read from ../shared), each turn's
text is kept as its length and sha1.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from briefings.ingest.records import ParsedConference

DATA = Path(__file__).parent / "data"


def conference_as_dict(parsed: ParsedConference) -> dict:
    def default(value: object) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        raise TypeError(value)

    return json.loads(json.dumps(dataclasses.asdict(parsed), default=default))


def conference_outline(parsed: ParsedConference) -> dict:
    """The parse without its text: title, dates, participants, warnings, and for every
    turn its label, role, speaker, outlet, line, length and the sha1 of its text."""
    whole = conference_as_dict(parsed)
    for key in ("summary", "reviewed_commitments"):
        whole.pop(key)
    whole["summary_sha1"] = _sha1(parsed.summary)
    for exchange in whole["exchanges"]:
        for turn in exchange["turns"]:
            text = turn.pop("text")
            turn["chars"] = len(text)
            turn["sha1"] = _sha1(text)
    return whole


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def assert_matches_golden(parsed: ParsedConference, expected_path: Path) -> None:
    assert_matches_expected(conference_as_dict(parsed), expected_path)


def assert_matches_expected(actual: dict, expected_path: Path) -> None:
    if os.environ.get("REGENERATE_GOLDEN"):
        expected_path.parent.mkdir(parents=True, exist_ok=True)
        expected_path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n")
    expected = json.loads(expected_path.read_text())
    assert actual == expected, (
        f"parse differs from {expected_path.name}; REGENERATE_GOLDEN=1 to update"
    )
