"""White House briefing-room transcripts: Markdown with YAML front matter.

The shape (bidenwhitehouse.archives.gov mirrored as Markdown):

    ---
    title: "Press Briefing by Press Secretary Jen\\_Psaki"
    date: '2021-03-01'
    published_time: 2021-03-01 18:39:17-05:00
    source_url: https://...
    ---
    James S. Brady Press Briefing Room

    12:07 P.M. EST

    MS. PSAKI:  Okay.  Today, we have a very special guest ...

    Q    Thank you, Jen. ...

    END                 1:43 P.M. EST

The body is hard-wrapped, so a speaker's paragraph is several lines; paragraphs are
separated by a blank line. Speaker labels are upper case and end with a colon; reporters
are a bare `Q` followed by no-break spaces. Location and start time come before the first
speaker; the end time (sometimes after `END`, sometimes followed by `\\###` or a link to
slides) closes the file.

Once the front matter is read and the Markdown undone, the body goes to
`_whitehouse.build_conference`, the reader the whole-page HTML format (`wh_html`) uses too.
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import islice

import yaml

from ..records import ParsedConference, ParseError
from ._whitehouse import UPPER, build_conference, clean_title
from .protocol import Format

NAME = "wh-markdown"
VERSION = "3"

# libyaml's safe loader when PyYAML was built with it; the pure-Python one is far slower.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Files saved on Windows end their lines in CRLF.
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


def resembles(text: str) -> bool:
    """Front matter with a title: the shape of the format, speakers or not."""
    match = _FRONT_MATTER.match(text[:20000])
    return bool(match and re.search(r"^title\s*:", match.group(1), re.M))


_SNIFF_LABEL = re.compile(rf"^[ \t\u00a0]*(?:[{UPPER}][{UPPER}. '’\-]+:|Q[\u00a0 ]\s*\S)", re.M)


def sniff(text: str) -> bool:
    """Front matter with a title, then White House speaker labels or `Q` lines."""
    match = _FRONT_MATTER.match(text[:20000])
    if not resembles(text) or not match:
        return False
    # The whole body, as far as its second label: a long statement may come before the
    # first (and a body cut at 50 KB missed them), and a transcript stops the search early.
    return len(list(islice(_SNIFF_LABEL.finditer(text, match.end()), 2))) == 2


def parse(text: str) -> ParsedConference:
    match = _FRONT_MATTER.match(text)
    if not match:
        raise ParseError(
            "no YAML front matter: expected the file to start with a '---' line", line=1
        )
    meta = _read_front_matter(match.group(1))
    warnings: list[str] = []
    # Only plain strings are read: a YAML alias bomb is small until it is turned into text.
    title = meta.get("title")
    title = clean_title(title) if isinstance(title, str) else ""
    if not title:
        raise ParseError("the front matter has no title", line=1)
    source_url = meta.get("source_url")
    held_on = _read_date(meta.get("date"), "date", warnings)
    published_on = _read_date(meta.get("published_time"), "published_time", warnings)
    body = text[match.end() :]
    first_line = text[: match.end()].count("\n") + 1
    lines = [
        (first_line + index, line) for index, line in enumerate(markdown_to_plain(body).split("\n"))
    ]
    return build_conference(
        lines,
        title=title,
        held_on=held_on or published_on,
        published_on=published_on,
        source_url=source_url.strip() if isinstance(source_url, str) else "",
        format_name=NAME,
        warnings=warnings,
    )


def _read_front_matter(source: str) -> dict:
    try:
        meta = yaml.load(source, Loader=_YAML_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for 1-based, +1 for the '---'
        raise ParseError(f"unreadable YAML front matter: {error}", line=line) from None
    except (ValueError, OverflowError) as error:  # "date: 2021-13-45" looks like a timestamp
        raise ParseError(f"unreadable value in the front matter: {error}", line=2) from None
    if not isinstance(meta, dict):
        raise ParseError("the front matter is not a set of 'key: value' fields", line=2)
    return meta


def _read_date(value: object, key: str, warnings: list[str]) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        if not isinstance(value, str):
            raise ValueError
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        warnings.append(f"front matter {key} is not a date; ignored")
        return None


def markdown_to_plain(body: str) -> str:
    """Undo the Markdown the converter added, keeping line breaks where they were.

    `\\[sic\\]` becomes `[sic]`, `*Gracias*` becomes `Gracias`, `<s>Reagan</s> \\[Biden\\]`
    becomes `Reagan [Biden]` (the struck word is the transcript's own correction record).
    """
    body = _blank_figures(body)
    body = re.sub(r"<(https?://[^>\s]+)>", r"\1", body)
    body = re.sub(r"(?<!\\)\[([^\]\n]*)\]\((?:https?://|mailto:)[^)\s]*\)", r"\1", body)
    body = re.sub(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>", "", body)
    # A literal asterisk is escaped, so any bare one is emphasis.
    body = re.sub(r"(?<!\\)\*+", "", body)
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~])", r"\1", body)


def _blank_figures(body: str) -> str:
    """An image block interrupts a paragraph: it becomes blank lines, as many as it had, so
    line numbers stay right. Found with str.find: `<figure>.*?</figure>` scans to the end
    from every unclosed `<figure>`, which is quadratic."""
    parts: list[str] = []
    position = 0
    while (start := body.find("<figure>", position)) >= 0:
        end = body.find("</figure>", start)
        if end < 0:
            break
        end += len("</figure>")
        parts.extend([body[position:start], "\n" * body.count("\n", start, end)])
        position = end
    parts.append(body[position:])
    return "".join(parts)


FORMAT = Format(name=NAME, version=VERSION, sniff=sniff, parse=parse, resembles=resembles)
