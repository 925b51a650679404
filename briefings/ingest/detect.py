"""Choose the format of a transcript and parse it.

`parse_transcript(text)` is the one entry point the loader, the upload page and the
tests use. Saved HTML pages go through `html_to_text` first, except for a format that
reads its own page structure (`reads_html`: the White House HTML format, and the
Ministry of Foreign Affairs' pages, whose format also reads other HTML as text).
"""

from __future__ import annotations

from .formats import FORMATS
from .html import html_to_text, looks_like_html
from .records import ParsedConference, ParseError


def detect_format(text: str) -> str:
    """The name of the first format whose sniff() accepts the text."""
    is_html = looks_like_html(text)
    for fmt in FORMATS.values():
        if not fmt.reads_html and is_html:
            continue
        if fmt.sniff(text):
            return fmt.name
    if is_html:
        plain = html_to_text(text)
        for fmt in FORMATS.values():
            # A format that reads HTML itself is offered the page's text too: it reads the
            # pages it knows by their structure, and any other page as its text.
            if fmt.sniff(plain):
                return fmt.name
    for fmt in FORMATS.values():
        reason = fmt.not_a_transcript(text) if fmt.not_a_transcript is not None else None
        if reason:
            raise ParseError(reason)
    for fmt in FORMATS.values():
        if fmt.resembles is not None and fmt.resembles(text):
            raise ParseError(
                f"no speakers found: this is a {fmt.name} page, but it has no speaker labels "
                "or Q lines (not a transcript?)"
            )
    raise ParseError(
        "unknown format: no speaker labels found in a format we read "
        f"({', '.join(FORMATS)}). To read it as one of them, choose it: Format in the "
        "upload form, --format on the command line"
    )


def prepare_text(text: str, format_name: str) -> str:
    """HTML to text for the formats that read text."""
    fmt = FORMATS.get(format_name)
    if not (fmt is not None and fmt.reads_html) and looks_like_html(text):
        return html_to_text(text)
    return text


def parse_transcript(text: str, *, format_name: str | None = None) -> ParsedConference:
    name = format_name or detect_format(text)
    if name not in FORMATS:
        raise ParseError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    parsed = FORMATS[name].parse(prepare_text(text, name))
    parsed.format = name
    if not parsed.turns:
        raise ParseError("no speakers found: this does not look like a transcript")
    return parsed
