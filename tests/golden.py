"""Golden-file helper: a parsed transcript as JSON, compared with the file beside it.

Run with REGENERATE_GOLDEN=1 to rewrite the expected files, then review the diff.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
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


def assert_matches_golden(parsed: ParsedConference, expected_path: Path) -> None:
    actual = conference_as_dict(parsed)
    if os.environ.get("REGENERATE_GOLDEN"):
        expected_path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n")
    expected = json.loads(expected_path.read_text())
    assert actual == expected, (
        f"parse differs from {expected_path.name}; REGENERATE_GOLDEN=1 to update"
    )
