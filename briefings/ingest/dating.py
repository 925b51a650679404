"""The date of a transcript that names none: given (`ingest --date`, the admin preview) or
read from its file name when the name says it unambiguously.

A transcript's own date always wins. A file name is read only where it cannot mean two
days: a year first ("2020-03-16", "20200316") or a month by name ("march-16-2020",
"April-09-2020", "16 March 2020"). "03-04-2020" is March 4 or April 3, so it is not read.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..text import MONTH_ALTERNATION, MONTHS
from .records import ParsedConference, ParseError

# Where the date came from, for the preview and the outcome.
FROM_TRANSCRIPT = "transcript"
FROM_GIVEN = "given"
FROM_FILE_NAME = "file name"

_MONTH = "(?P<month>" + MONTH_ALTERNATION + ")"
_SEP = r"[-_. ,]*"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
# Each pattern stands alone: no digit or letter glued on either side.
FILE_NAME_DATES = [
    re.compile(r"(?<!\d)" + _YEAR + r"[-_.]?(?P<mm>[01]\d)[-_.]?(?P<dd>[0-3]\d)(?!\d)"),
    re.compile(r"(?<![a-z])" + _MONTH + _SEP + _DAY + _SEP + _YEAR + r"(?!\d)", re.I),
    re.compile(r"(?<!\d)" + _DAY + _SEP + _MONTH + _SEP + _YEAR + r"(?!\d)", re.I),
]
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_given_date(text: str) -> dt.date:
    """A date typed by a person (`--date`), as YYYY-MM-DD; a clear error otherwise."""
    text = text.strip()
    try:
        if ISO_DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise ParseError(f"{text!r} is not a date: give it as YYYY-MM-DD, for example 2020-04-09")


def date_from_file_name(name: str) -> dt.date | None:
    """The one day a file name names, or None when it names none, or several."""
    stem = Path(name).name
    found: set[dt.date] = set()
    for pattern in FILE_NAME_DATES:
        for match in pattern.finditer(stem):
            parts = match.groupdict()
            month = int(parts["mm"]) if parts.get("mm") else MONTHS[parts["month"].lower()]
            day = int(parts["dd"] if parts.get("dd") else parts["day"])
            try:
                found.add(dt.date(int(parts["year"]), month, day))
            except ValueError:
                continue
    return found.pop() if len(found) == 1 else None


def date_transcript(parsed: ParsedConference, *, file_name: str, given: dt.date | None) -> str:
    """Date a transcript that names no date: the given date, else its file name's. Says
    where its date came from ("" when it has none)."""
    if parsed.held_on is not None:
        if given is not None and given != parsed.held_on:
            parsed.warnings.append(
                f"the transcript says it was held on {parsed.held_on}; that date is kept, "
                f"not the date given ({given})"
            )
        return FROM_TRANSCRIPT
    if given is not None:
        parsed.held_on = given
        return FROM_GIVEN
    from_name = date_from_file_name(file_name)
    if from_name is not None:
        parsed.held_on = from_name
        parsed.warnings.append(
            f"the transcript names no date: {from_name} is taken from its file name"
        )
        return FROM_FILE_NAME
    return ""
