"""The transcript formats: one module per format, each ending in `FORMAT = Format(...)`
(see `protocol.py`); helpers several formats share live in the private `_*.py` modules
beside them, and no format module imports another.

The order of FORMATS is the order detection tries them: the most specific first.
"""

from __future__ import annotations

from . import archive_json, mfa, scio_briefing, scio_pages, timestamped, wh_html, wh_markdown
from .protocol import Format

FORMATS: dict[str, Format] = {
    module.FORMAT.name: module.FORMAT
    for module in (archive_json, wh_markdown, wh_html, timestamped, scio_briefing, scio_pages, mfa)
}


def format_names() -> list[str]:
    return list(FORMATS)


def parser_version(format_name: str) -> str:
    return FORMATS[format_name].version


def family_name_first_formats() -> frozenset[str]:
    """The formats whose transcripts print Chinese names family name first."""
    return frozenset(name for name, fmt in FORMATS.items() if fmt.family_name_first)
