"""The parsers' output: plain dataclasses, no Django.

Every format module turns text into a `ParsedConference`; the loader turns that into rows.
Keeping this boundary pure lets tests call parsers directly and lets `reparse` run the
current parsers over stored sources.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


class ParseError(Exception):
    """Input that is not a transcript we can read. The message is shown to the user."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        if self.line:
            return f"line {self.line}: {self.message}"
        return self.message


@dataclass
class ParsedTurn:
    """One speaker's uninterrupted words.

    `speaker_label` is exactly as printed ("MS. PSAKI", "Q", "Science and Technology
    Daily"); `speaker_name` is the cleaned personal name ("Psaki", "Tian Yulong"), empty
    when the speaker is anonymous (a bare "Q") or is an outlet. `outlet` is the media
    outlet a question comes from, when the transcript names it.
    """

    speaker_label: str
    role: str
    text: str
    speaker_name: str = ""
    speaker_title: str = ""
    outlet: str = ""
    line: int = 0


@dataclass
class ParsedExchange:
    """A question and every answer to it, a statement, or procedural lines."""

    kind: str
    turns: list[ParsedTurn] = field(default_factory=list)


@dataclass
class ParsedParticipant:
    """A person at the conference, with the title printed for them there."""

    name: str
    title: str = ""
    organization: str = ""
    is_chair: bool = False


@dataclass
class ParsedConference:
    title: str
    held_on: dt.date | None = None
    published_on: dt.date | None = None
    start_time: str = ""
    location: str = ""
    kind: str = "press_conference"
    organizer: str = ""
    summary: str = ""
    source_url: str = ""
    language: str = "en"
    participants: list[ParsedParticipant] = field(default_factory=list)
    exchanges: list[ParsedExchange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    format: str = ""
    # For page series: this page's number and the page count printed in the pager.
    page: int | None = None
    page_count: int | None = None
    # Admin decisions on commitments that an archive export carried (archive-json only):
    # Commitment field values by name, each with "_where": (exchange, turn) positions.
    reviewed_commitments: list[dict] = field(default_factory=list)

    @property
    def turns(self) -> list[ParsedTurn]:
        return [turn for exchange in self.exchanges for turn in exchange.turns]
