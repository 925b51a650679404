"""Which stored briefing a transcript is: the same one again, a copy under another address,
title or date, or a changed version of it (docs/architecture.md, "One ingest").

Told in order by the page's canonical URL, by the fingerprint of its spoken words
(briefings.text), by most of the same questions within a day, and, without a URL, by
title and date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..models import Conference, Turn
from ..renumbering import Keyed, exchange_key
from ..text import NOTE, spoken_fingerprint
from .records import ParsedConference

# A near copy shares at least this share of its exchanges' questions with a stored briefing
# held within a day of it. Measured on the White House corpus: the 12 briefings published
# twice share 79-100%, any two other briefings of adjacent days at most 20%.
NEAR_COPY_SHARE = 0.5
NEAR_COPY_MIN_EXCHANGES = 3

# How a match was told, as the outcome line says it.
SOURCE_URL = "its source URL"
SPOKEN_WORDS = "its spoken words"
EXCHANGES = "the same exchanges within a day"
TITLE_AND_DATE = "its title and date"


@dataclass(frozen=True)
class Match:
    """The stored conference a transcript is a copy or a version of, and how it was told."""

    conference: Conference
    by: str
    # The transcript says the same words as the stored one: saving it changes nothing.
    same_words: bool

    @property
    def another_copy(self) -> bool:
        """Found by its words alone: the same transcript under another URL, title or date."""
        return self.by == SPOKEN_WORDS


def fingerprint_of(parsed: ParsedConference) -> str:
    """The spoken-words fingerprint of a parsed transcript (briefings.text); notes between
    speakers are left out, as they are in the text."""
    return spoken_fingerprint(turn.text for turn in parsed.turns if turn.role != NOTE)


def find_existing(parsed: ParsedConference) -> Match | None:
    """The stored conference this transcript is a copy or a version of, if any.

    In order: the canonical URL the page names (the White House publishes two briefings
    of the same title on one day under two URLs, so a URL that matches nothing does not
    fall back to the title); the spoken words (another copy: the page and its text, or
    the same transcript published again under another URL, title or date); most of the
    same exchanges in a briefing held within a day (a corrected version); without a URL,
    the title and date.
    """
    fingerprint = fingerprint_of(parsed)

    def match(conference: Conference, by: str) -> Match:
        same = bool(fingerprint) and conference.fingerprint == fingerprint
        return Match(conference, by, same)

    if parsed.source_url:
        stored = Conference.objects.filter(source_url=parsed.source_url[:500]).first()
        if stored is not None:
            return match(stored, SOURCE_URL)
    if fingerprint:
        stored = Conference.objects.filter(fingerprint=fingerprint).order_by("pk").first()
        if stored is not None:
            return match(stored, SPOKEN_WORDS)
    stored = _near_copy(parsed)
    if stored is not None:
        return match(stored, EXCHANGES)
    if parsed.held_on and not parsed.source_url:
        stored = Conference.objects.filter(
            title=parsed.title[:500], held_on=parsed.held_on, source_url=""
        ).first()
        if stored is not None:
            return match(stored, TITLE_AND_DATE)
    return None


def _near_copy(parsed: ParsedConference) -> Conference | None:
    """A stored briefing held within a day of `parsed` that asks most of its questions."""
    if parsed.held_on is None:
        return None
    keys = Counter(key for _position, key in parsed_exchange_keys(parsed) if key)
    total = sum(keys.values())
    if total < NEAR_COPY_MIN_EXCHANGES:
        return None
    day = dt.timedelta(days=1)
    candidates = list(
        Conference.objects.filter(
            held_on__range=(parsed.held_on - day, parsed.held_on + day)
        ).order_by("pk")
    )
    # Every candidate's turns in one query, not a query (or two) per candidate.
    turns: dict[int, dict[int, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    rows = (
        Turn.objects.filter(exchange__conference__in=candidates)
        .order_by("exchange__position", "position")
        .values_list("exchange__conference_id", "exchange__position", "role", "text")
    )
    for conference_id, position, role, text in rows.iterator(2000):
        turns[conference_id][position].append((role, text))
    for candidate in candidates:
        exchanges = turns[candidate.pk].values()
        stored = Counter(key for key in map(exchange_key, exchanges) if key)
        shared = sum((keys & stored).values())
        if shared >= NEAR_COPY_SHARE * max(total, sum(stored.values())):
            return candidate
    return None


def parsed_exchange_keys(parsed: ParsedConference) -> list[Keyed]:
    """The keys of a parsed conference's exchanges, numbered as the loader numbers them."""
    return [
        (number, exchange_key([(turn.role, turn.text) for turn in exchange.turns]))
        for number, exchange in enumerate(parsed.exchanges, start=1)
    ]
