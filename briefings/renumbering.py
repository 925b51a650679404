"""Old addresses keep meaning what they meant: a re-ingest that renumbers exchanges.

An exchange's address is /briefings/<slug>/<position>/, and a re-ingest (`ingest
--replace`, `reparse`) can renumber a briefing's exchanges. Positions alone cannot tell an
old link from a new one: after an exchange is inserted at #3, "#5" in a link made last
year means what is #6 today, while "#5" on today's page means the exchange now at #5. So
an address must never change meaning:

- The old exchanges are matched to the new ones by content (`match_exchanges`, pure).
- Where nothing of the old numbering is reused for different content (only text edited,
  exchanges added or removed at the end), the slug stays and the positions that no longer
  exist get an ExchangeRedirect row.
- Otherwise the briefing takes a new slug, the old one becomes a ConferenceSlug, and every
  old position under it gets a row pointing to where its content is now. Links made
  before the re-ingest land on the same question; links made after it use the new slug.
- Rows are rewritten by every re-ingest to point into the current numbering, so following
  one is always a single hop and never a loop.

The loader calls `carry_over_addresses` in its transaction; a renamed slug is kept by
Conference.save; the pages follow the rows (briefings/redirects.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from .models import Conference, ConferenceSlug, ExchangeRedirect, Turn, unique_slug
from .text import ANSWER, QUESTION, strip_notes

# How much of an exchange's opening words tells it apart; more only costs memory.
KEY_LENGTH = 300
# How much of a left-over exchange's key, found inside a new exchange's, shows it was
# joined into it: long enough that a common phrase does not.
JOINED_KEY = 60

# (position, key): an exchange in reading order, known by its question's words.
Keyed = tuple[int, str]


@dataclass(frozen=True)
class Destination:
    """Where an old position leads in the new numbering: the same exchange (`exact`), or,
    when it is gone, the nearest one that survived; None when none did."""

    position: int | None
    exact: bool


def exchange_key(turns: Sequence[tuple[str, str]]) -> str:
    """An exchange's words for matching, from its (role, text) turns: its questions up to
    the first answer (a topic opener and the question it opens, "On Ukraine --" "Sure."
    "What is the aid?", are one), else its first words. Case, punctuation and spacing are
    ignored, so a re-parse that only tidies the text still matches."""
    asked: list[str] = []
    for role, text in turns:
        if role == ANSWER:
            break
        if role == QUESTION:
            asked.append(text)
    opening = " ".join(asked)
    if not opening and turns:
        opening = turns[0][1]
    return " ".join(re.findall(r"\w+", strip_notes(opening).casefold()))[:KEY_LENGTH]


def stored_exchange_keys(conference: Conference) -> list[Keyed]:
    """The keys of a stored conference's exchanges, in reading order."""
    turns: dict[int, list[tuple[str, str]]] = {
        position: [] for position in conference.exchanges.values_list("position", flat=True)
    }
    rows = (
        Turn.objects.filter(exchange__conference=conference)
        .order_by("exchange__position", "position")
        .values_list("exchange__position", "role", "text")
    )
    for position, role, text in rows.iterator(2000):
        turns[position].append((role, text))
    return [(position, exchange_key(turns[position])) for position in sorted(turns)]


def match_exchanges(old: Sequence[Keyed], new: Sequence[Keyed]) -> dict[int, Destination]:
    """Where each old position's exchange is in the new numbering.

    1. The longest runs of exchanges with the same keys, in order (difflib): a repeated
       question ("Thank you.") matches by its occurrence, not by its first appearance.
    2. An exchange left over whose key appears among the new left-overs moved there.
    3. Left-overs between the same matched neighbours pair up in order: the same
       exchange with its question's words edited (the nearest position).
    4. A left-over whose question's words are in the key of the new exchange a neighbour
       became was joined into it (a re-parse that joins a topic opener to the question it
       opens): it leads there.
    5. What is still left is gone: it leads to the nearest earlier survivor (else the
       nearest later one), where a reader can see what surrounded it.
    """
    # An exchange without words (a note alone) matches nothing by content.
    old_keys = [key or f"\0old{i}" for i, (_position, key) in enumerate(old)]
    new_keys = [key or f"\0new{j}" for j, (_position, key) in enumerate(new)]
    matched: dict[int, int] = {}  # index in old -> index in new
    gaps: list[tuple[range, range]] = []
    opcodes = SequenceMatcher(None, old_keys, new_keys, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            matched.update(zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            gaps.append((range(i1, i2), range(j1, j2)))

    taken = set(matched.values())
    for old_range, _new_range in gaps:
        for i in old_range:
            moved_to = next(
                (j for j, key in enumerate(new_keys) if j not in taken and key == old_keys[i]),
                None,
            )
            if moved_to is not None:
                matched[i] = moved_to
                taken.add(moved_to)
    for old_range, new_range in gaps:
        free_old = [i for i in old_range if i not in matched]
        free_new = [j for j in new_range if j not in taken]
        for i, j in zip(free_old, free_new, strict=False):
            matched[i] = j
            taken.add(j)

    for i, key in enumerate(old_keys):
        needle = key[:JOINED_KEY]
        if i not in matched and len(needle) == JOINED_KEY:
            # Joined into the exchange its neighbour became (the opener before it).
            neighbours = (matched.get(i - 1), matched.get(i + 1))
            joined = next((j for j in neighbours if j is not None and needle in new_keys[j]), None)
            if joined is not None:
                matched[i] = joined

    destinations: dict[int, Destination] = {}
    for i, (position, _key) in enumerate(old):
        if i in matched:
            destinations[position] = Destination(new[matched[i]][0], exact=True)
            continue
        before = (matched[k] for k in range(i - 1, -1, -1) if k in matched)
        after = (matched[k] for k in range(i + 1, len(old)) if k in matched)
        nearest = next(before, None)
        if nearest is None:
            nearest = next(after, None)
        destinations[position] = Destination(
            new[nearest][0] if nearest is not None else None, exact=False
        )
    return destinations


def new_conference_slug(title: str, held_on: dt.date | None) -> str:
    """A slug for a briefing that no briefing has now and no old link uses."""
    return unique_slug(
        Conference,
        f"{held_on or 'undated'} {title}",
        max_length=120,
        retired=ConferenceSlug.objects.all(),
    )


def carry_over_addresses(
    conference: Conference, *, before: Sequence[Keyed], after: Sequence[Keyed]
) -> None:
    """After a conference's exchanges were rewritten (`before` -> `after`), make every
    address that named one of the old exchanges still lead to its content. May give the
    conference a new slug (see the module docstring). Runs in the loader's transaction."""
    destinations = match_exchanges(before, after)
    moved = {
        position: destination
        for position, destination in destinations.items()
        if destination != Destination(position, exact=True)
    }

    # Rows point into the numbering just replaced; move them on to the new one.
    rows = list(conference.exchange_redirects.all())
    for row in rows:
        if row.new_position is not None:
            destination = destinations.get(row.new_position, Destination(None, exact=False))
            row.new_position = destination.position
            row.exact = row.exact and destination.exact
    ExchangeRedirect.objects.bulk_update(rows, ["new_position", "exact"], batch_size=500)

    # Every slug whose addresses meant the numbering just replaced; not a new slug below.
    slugs = {conference.slug, *conference.old_slugs.values_list("slug", flat=True)}
    now_used = {position for position, _key in after}
    reused = any(position in now_used for position in moved) or any(
        row.slug == conference.slug and row.old_position in now_used for row in rows
    )
    if reused:
        conference.slug = new_conference_slug(conference.title, conference.held_on)
        conference.save(update_fields=["slug", "updated_at"])  # retires the old slug

    addresses = {(row.slug, row.old_position) for row in rows}
    ExchangeRedirect.objects.bulk_create(
        (
            ExchangeRedirect(
                conference=conference,
                slug=slug,
                old_position=position,
                new_position=destination.position,
                exact=destination.exact,
            )
            for slug in sorted(slugs)
            for position, destination in moved.items()
            if (slug, position) not in addresses
        ),
        batch_size=500,
    )
