"""Choose the format of a transcript and parse it.

`parse_transcript(text)` is the one entry point the loader, the upload page and the
tests use. Saved HTML pages of the text formats (SCIO, MFA) go through `html_to_text`
first; the White House HTML format reads its own page structure.
"""

from __future__ import annotations

from .formats import FORMATS
from .html import html_to_text, looks_like_html
from .records import ParsedConference, ParseError

HTML_NATIVE_FORMATS = {"wh-html"}


def format_names() -> list[str]:
    return list(FORMATS)


def detect_format(text: str) -> str:
    """The name of the first format whose sniff() accepts the text."""
    for name, module in FORMATS.items():
        if name not in HTML_NATIVE_FORMATS and looks_like_html(text):
            continue
        if module.sniff(text):
            return name
    if looks_like_html(text):
        plain = html_to_text(text)
        for name, module in FORMATS.items():
            if name not in HTML_NATIVE_FORMATS and module.sniff(plain):
                return name
    for name, module in FORMATS.items():
        if hasattr(module, "resembles") and module.resembles(text):
            raise ParseError(
                f"no speakers found: this is a {name} page, but it has no speaker labels "
                "or Q lines (not a transcript?)"
            )
    raise ParseError(
        "unknown format: no speaker labels found in a format we read "
        f"({', '.join(FORMATS)}); pass --format to force one"
    )


def prepare_text(text: str, format_name: str) -> str:
    """HTML to text for the formats that read text."""
    if format_name not in HTML_NATIVE_FORMATS and looks_like_html(text):
        return html_to_text(text)
    return text


def parse_transcript(text: str, *, format_name: str | None = None) -> ParsedConference:
    name = format_name or detect_format(text)
    if name not in FORMATS:
        raise ParseError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    module = FORMATS[name]
    parsed = module.parse(prepare_text(text, name))
    parsed.format = name
    if not parsed.turns:
        raise ParseError("no speakers found: this does not look like a transcript")
    return parsed


def parser_version(format_name: str) -> str:
    return FORMATS[format_name].VERSION
