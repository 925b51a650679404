"""What a format module declares about itself: the one thing detection and the ingest
workflow know of a format.

Each format module ends with `FORMAT = Format(...)`; `formats/__init__.py` lists them in
the order detection tries them. A format is told apart by what it declares (it reads
HTML itself, it comes as a page series, one file holds many conferences), never by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..records import ParsedConference


@dataclass(frozen=True)
class PageSeries:
    """A conference published as several pages, one file each, read as one conference."""

    # What a page's conference is known by (its title, printed on every page): the pages
    # given together with the same key are one conference.
    series_key: Callable[[str], str]
    # A page's number from its file name, or None when the name does not say.
    page_from_filename: Callable[[str], int | None]
    # (page texts, *, numbers=[page number or None for each]) -> the one conference.
    parse_pages: Callable[..., ParsedConference]


@dataclass(frozen=True)
class Records:
    """A file that may hold many conferences, one record each."""

    # (record number, record text) pairs; number 0 when the file is a single record.
    split: Callable[[str], list[tuple[int, str]]]
    # Each record is stored as a source of its own, of this media type.
    media_type: str


@dataclass(frozen=True)
class Format:
    """One transcript format: its name and parser version, how it is recognised and read."""

    name: str
    version: str
    # Does this text look like the format, speakers and all? Detection asks in registry order.
    sniff: Callable[[str], bool]
    parse: Callable[[str], ParsedConference]
    # The format's shape without its speakers, for a clearer refusal than "unknown format".
    resembles: Callable[[str], bool] | None = None
    # Why a page from the format's source is no transcript ("a list of transcripts, not a
    # transcript: ..."), or None: the refusal then says what the page is.
    not_a_transcript: Callable[[str], str | None] | None = None
    # True when the format reads its own HTML pages; the others are given HTML as text.
    reads_html: bool = False
    # True when the format prints Chinese names family name first ("Wang Wenbin"), so a
    # citation must not turn them round.
    family_name_first: bool = False
    pages: PageSeries | None = None
    records: Records | None = None
