"""One module per transcript format, each with NAME, VERSION, sniff(text) and parse(text).

The order of FORMATS is the order detection tries them: the most specific first.
"""

from __future__ import annotations

from types import ModuleType

from . import archive_json, mfa, scio_briefing, scio_pages, timestamped, wh_html, wh_markdown

FORMATS: dict[str, ModuleType] = {
    module.NAME: module
    for module in (archive_json, wh_markdown, wh_html, timestamped, scio_briefing, scio_pages, mfa)
}
