"""Citations of one exchange of a briefing: plain text, APA 7, Chicago 17 and BibTeX.

Pure: a `CitedExchange` in, strings out, so every style is unit-tested without a
request or a database. The exchange page builds the `CitedExchange`.

What is cited is a transcript of a press briefing, read in this archive at the
exchange's permalink:

- The author is the one official who answered (or made the statement); where several
  did, or nobody named, it is the body that held the briefing; where that is unknown
  too, the title leads, as both styles say for works with no author.
- Titles are kept as printed. Sentence case (APA) or headline case (Chicago) done by
  machine breaks proper names ("Press Secretary Jen Psaki", "ICTs"), which is worse
  than a title left as the publisher wrote it.
- APA 7 gives no retrieval date for a transcript that does not change (APA 9.16); Chicago
  17 asks for an access date only when the source has no date (14.233). The plain and
  BibTeX forms always carry it: they are for people who want it recorded.
- Chinese names are written family name first and are not inverted (Chicago 8.14); APA
  keeps the family name and initials the given name: "Liang, W.".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

ARCHIVE_NAME = "Briefing Archive"
FORMATS = ("plain", "apa", "chicago", "bibtex")
FORMAT_LABELS = {"plain": "Plain text", "apa": "APA 7", "chicago": "Chicago 17", "bibtex": "BibTeX"}

SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
BIBTEX_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


@dataclass(frozen=True)
class Author:
    """A person's name as printed, and which way round it is written."""

    name: str
    family_name_first: bool = False

    def parts(self) -> tuple[str, list[str], str]:
        """(family name, given names, suffix). The family name takes in lower-case
        particles before it ("von der Leyen"); a suffix ("Jr.") is kept apart."""
        words = self.name.split()
        suffix = ""
        if len(words) > 2 and words[-1].lower().rstrip(",") in SUFFIXES:
            suffix = words.pop().rstrip(",")
            words[-1] = words[-1].rstrip(",")
        if len(words) < 2:
            return " ".join(words), [], suffix
        if self.family_name_first:
            return words[0], words[1:], suffix
        family_start = len(words) - 1
        while family_start > 1 and words[family_start - 1][:1].islower():
            family_start -= 1
        return " ".join(words[family_start:]), words[:family_start], suffix


@dataclass(frozen=True)
class CitedExchange:
    """What a citation of one exchange needs, and nothing from a request."""

    title: str  # the briefing's title, as printed
    url: str  # the exchange's permalink, absolute
    position: int  # the exchange's number within the briefing
    accessed_on: dt.date
    held_on: dt.date | None = None
    speaker: Author | None = None  # the one official who answered, where only one did
    speaker_title: str = ""  # the speaker's title at the briefing
    organizer: str = ""  # the body that held the briefing
    kind: str = ""  # "Press briefing", "Press conference", ...
    location: str = ""
    archive: str = ARCHIVE_NAME


def cite(exchange: CitedExchange) -> dict[str, str]:
    """Every format, keyed as FORMATS."""
    return {
        "plain": plain(exchange),
        "apa": apa(exchange),
        "chicago": chicago(exchange),
        "bibtex": bibtex(exchange),
    }


def plain(exchange: CitedExchange) -> str:
    """The archive's own short form: who, what, which exchange, where and when, the link."""
    who = exchange.speaker.name if exchange.speaker else exchange.organizer
    if exchange.speaker and exchange.speaker_title:
        who = f"{who} ({exchange.speaker_title})"
    held = ", ".join(
        part
        for part in (
            exchange.organizer if exchange.speaker else "",
            exchange.location,
            _day_month_year(exchange.held_on) if exchange.held_on else "undated",
        )
        if part
    )
    lead = f"{who}, " if who else ""
    return (
        f"{lead}“{exchange.title}”, exchange {exchange.position}. {held[:1].upper()}{held[1:]}. "
        f"{exchange.archive}, {exchange.url} (accessed {_day_month_year(exchange.accessed_on)})."
    )


def apa(exchange: CitedExchange) -> str:
    """APA 7, a transcript on a web page (7.4, 9.16):
    Author. (Year, Month Day). Title [Transcript]. Site Name. URL"""
    date = (
        f"({exchange.held_on.year}, {MONTHS[exchange.held_on.month - 1]} {exchange.held_on.day})"
        if exchange.held_on
        else "(n.d.)"
    )
    title = f"{exchange.title} [Transcript]"
    author = _apa_author(exchange.speaker) if exchange.speaker else exchange.organizer
    # With no author, the title moves to the author's place (APA 9.12).
    lead = f"{_end(author)} {date}. {title}." if author else f"{title}. {date}."
    return f"{lead} {exchange.archive}. {exchange.url}"


def chicago(exchange: CitedExchange) -> str:
    """Chicago 17 bibliography entry, a speech or briefing read as a transcript online
    (14.217, 14.206):
    Family, Given. “Title.” Kind, Location, Month Day, Year. Transcript, Site Name. URL."""
    author = _chicago_author(exchange.speaker) if exchange.speaker else exchange.organizer
    event = ", ".join(
        part
        for part in (
            exchange.kind,
            exchange.location,
            _month_day_year(exchange.held_on) if exchange.held_on else "n.d.",
        )
        if part
    )
    parts = [f"{_end(author)} " if author else "", f"“{_end(exchange.title)}” {_end(event)}"]
    parts.append(f" Transcript, {exchange.archive}.")
    if not exchange.held_on:
        parts.append(f" Accessed {_month_day_year(exchange.accessed_on)}.")
    parts.append(f" {exchange.url}.")
    return "".join(parts)


def bibtex(exchange: CitedExchange) -> str:
    """A @misc entry: `author` in BibTeX's "Family, Given" form (a body in braces, so it
    is not split into names), the exchange in `note`, `url` and `urldate` for biblatex."""
    if exchange.speaker:
        family, given, suffix = exchange.speaker.parts()
        # "von Last, Jr, First": BibTeX's own order, whichever way the name is printed.
        author = ", ".join(
            _bibtex_escape(part) for part in (family, suffix, " ".join(given)) if part
        )
    elif exchange.organizer:
        author = f"{{{_bibtex_escape(exchange.organizer)}}}"
    else:
        author = ""
    fields = [
        ("author", author),
        ("title", f"{{{_bibtex_escape(exchange.title)}}}"),
        ("howpublished", f"Transcript, {_bibtex_escape(exchange.archive)}"),
        ("organization", _bibtex_escape(exchange.organizer) if exchange.speaker else ""),
        ("address", _bibtex_escape(exchange.location)),
        ("year", str(exchange.held_on.year) if exchange.held_on else ""),
        ("month", BIBTEX_MONTHS[exchange.held_on.month - 1] if exchange.held_on else ""),
        ("date", exchange.held_on.isoformat() if exchange.held_on else ""),
        ("note", f"Exchange {exchange.position}"),
        ("url", exchange.url),
        ("urldate", exchange.accessed_on.isoformat()),
    ]
    lines = [f"@misc{{{bibtex_key(exchange)},"]
    for name, value in fields:
        if not value:
            continue
        # A month is a BibTeX macro (jan, feb, ...): written bare, it is localised.
        lines.append(f"  {name} = {value}," if name == "month" else f"  {name} = {{{value}}},")
    lines[-1] = lines[-1].rstrip(",")
    lines.append("}")
    return "\n".join(lines)


def bibtex_key(exchange: CitedExchange) -> str:
    """family name or body, year, first title word, exchange: "psaki2021press-12"."""
    who = exchange.speaker.parts()[0] if exchange.speaker else exchange.organizer or "briefing"
    title_words = [word for word in _ascii(exchange.title).split() if len(word) > 3]
    first = title_words[0] if title_words else "briefing"
    year = str(exchange.held_on.year) if exchange.held_on else "nd"
    key = f"{_ascii(who).replace(' ', '')}{year}{first}-{exchange.position}"
    return re.sub(r"[^a-z0-9-]", "", key.lower())


def _apa_author(author: Author) -> str:
    """ "Psaki, J.", "Raimondo, G. M.", "Jean-Pierre, K.", "Liang, W.", "Biden, J. R., Jr." """
    family, given, suffix = author.parts()
    initials = " ".join(_initials(name) for name in given)
    return ", ".join(part for part in (family, initials, suffix) if part)


def _chicago_author(author: Author) -> str:
    """ "Psaki, Jen", "Biden, Joseph R., Jr."; a Chinese name as written: "Liang Wenhua"."""
    family, given, suffix = author.parts()
    if author.family_name_first or not given:
        return " ".join(author.name.split())
    return ", ".join(part for part in (family, " ".join(given), suffix) if part)


def _initials(name: str) -> str:
    """ "Gina" -> "G.", "M." -> "M.", "Jean-Pierre" -> "J.-P." """
    return "-".join(f"{piece[0]}." for piece in name.split("-") if piece)


def _end(text: str) -> str:
    """The text closed by a full stop, unless it already ends a sentence."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _month_day_year(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _day_month_year(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_~^])")
BIBTEX_REPLACEMENTS = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\^{}"}


def _bibtex_escape(text: str) -> str:
    """Characters TeX would read as commands, groups or comments, made literal."""
    return BIBTEX_SPECIAL.sub(
        lambda match: BIBTEX_REPLACEMENTS.get(match.group(), "\\" + match.group()), text
    )
