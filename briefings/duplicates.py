"""Records that are likely one: the rules that pair two outlets or two people, and the
evidence an admin reads before merging them.

Two readers use the same rules: the audit (`outlet-duplicate`, `person-variant`) and the
admin's Possible duplicates page, which merges a pair on confirm. A pair an admin marked
not the same (NotDuplicate) is left out of both. Where a match is certain it is not a pair
here but an alias, resolved at ingest (OrganizationResolver; the aliases seeded by
migration 0009): these rules pair what is likely, and the likely is for a person to decide.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count

from briefings import text
from briefings.models import Conference, NotDuplicate, Organization, Participant, Person, Turn

PERSON = NotDuplicate.Kind.PERSON
OUTLET = NotDuplicate.Kind.OUTLET

RARE_BRIEFINGS = 2  # a person of at most this many briefings may be another's misspelling
EXAMPLE_BRIEFINGS = 3  # briefings linked as evidence, per record

_MINOR_WORDS = {"of", "the", "and", "for", "de", "du", "la", "&"}
_GENERIC_OUTLET_WORDS = {"news", "agency", "tv", "television", "radio", "newspaper", "network"}


@dataclass(frozen=True)
class Pair:
    """Two records a rule pairs: for people, `first` is the rarer spelling."""

    kind: str
    first: Person | Organization
    second: Person | Organization
    rule: str
    # For people: a briefing of the first record (the audit's source column).
    briefing_id: int | None = None

    @property
    def ids(self) -> tuple[int, int]:
        return (min(self.first.pk, self.second.pk), max(self.first.pk, self.second.pk))


# The rules.


def acronym(name: str) -> str:
    """ "China Radio International" -> "CRI"; "" for a name of one word."""
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in _MINOR_WORDS]
    return "".join(w[0] for w in words).upper() if len(words) > 1 else ""


def same_outlet(a: str, b: str) -> str:
    """Why two outlet names are likely one outlet, or "" when they are not."""
    if text.organization_key(a) == text.organization_key(b):
        return "same name but for case"
    for short, long in ((a, b), (b, a)):
        if short.isupper() and short.replace(".", "") == acronym(long):
            return f"{short} is the acronym of {long}"
        extra = long.casefold().split()
        if extra[: len(short.split())] == short.casefold().split():
            rest = extra[len(short.split()) :]
            if rest and all(word in _GENERIC_OUTLET_WORDS for word in rest):
                return f"{long} is {short} with {' '.join(rest)}"
    return ""


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or limit + 1 as soon as it is known to exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def distance_limit(key: str) -> int:
    """How many edits a name of this length may be from another and be a variant of it."""
    letters = len(key.replace(" ", ""))
    return 2 if letters >= 7 else 1 if letters >= 4 else 0


# The pairs.


def dismissed(kind: str) -> set[tuple[int, int]]:
    """The pairs of this kind an admin marked not the same, as (smaller pk, larger pk)."""
    return set(NotDuplicate.objects.filter(kind=kind).values_list("first_id", "second_id"))


def dismiss(pair: Pair, *, user: AbstractBaseUser | None) -> None:
    first_id, second_id = pair.ids
    NotDuplicate.objects.get_or_create(
        kind=pair.kind, first_id=first_id, second_id=second_id, defaults={"dismissed_by": user}
    )


def asking_outlets() -> list[Organization]:
    """Every organization whose reporters asked, by name."""
    asked = Turn.objects.filter(outlet__isnull=False).values("outlet_id")
    return list(Organization.objects.filter(pk__in=asked).order_by("name", "pk"))


def outlet_pairs(outlets: Iterable[Organization]) -> Iterator[Pair]:
    """Pairs of the given outlets that are likely one, by any of their names (name and
    aliases): the same but for case, an acronym of the other, or the other with a generic
    word ("Bloomberg News")."""
    left_out = dismissed(OUTLET)
    by_key: dict[str, list[Organization]] = defaultdict(list)
    for outlet in outlets:
        keys: set[str] = set()
        for spelling in (outlet.name, *outlet.aliases):
            # Names that may pair: the folded name, its acronym, its first word.
            keys |= {text.organization_key(spelling), acronym(spelling).casefold()}
            words = spelling.casefold().split()
            if words:
                keys.add("first:" + words[0])
        for key in keys - {""}:
            by_key[key].append(outlet)
    reported: set[tuple[int, int]] = set()
    for group in by_key.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                pair = (min(a.pk, b.pk), max(a.pk, b.pk))
                if a.pk == b.pk or pair in reported or pair in left_out:
                    continue
                why = _why_same_outlet(a, b)
                if why:
                    reported.add(pair)
                    yield Pair(OUTLET, a, b, why)


def _why_same_outlet(a: Organization, b: Organization) -> str:
    for name_a in (a.name, *a.aliases):
        for name_b in (b.name, *b.aliases):
            why = same_outlet(name_a, name_b)
            if why:
                return why
    return ""


def person_pairs() -> Iterator[Pair]:
    """A person of at most RARE_BRIEFINGS briefings whose name is a few edits from a more
    frequent person's (the whole name, or the family name alone), paired with the nearest
    one; of two equally rare spellings, one pair."""
    left_out = dismissed(PERSON)
    briefings: dict[int, set[int]] = defaultdict(set)
    spoken = Turn.objects.filter(person__isnull=False).values_list(
        "person_id", "exchange__conference_id"
    )
    for person_id, conference_id in spoken.distinct().iterator():
        briefings[person_id].add(conference_id)
    for person_id, conference_id in Participant.objects.values_list("person_id", "conference_id"):
        briefings[person_id].add(conference_id)
    people = {p.pk: p for p in Person.objects.filter(pk__in=briefings.keys())}
    keys = {pk: text.name_key(person.name) for pk, person in people.items()}
    # Every key another person answers to: the whole name, and the family name alone.
    by_length: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for pk, key in keys.items():
        words = key.split()
        for variant in {key, words[-1]} if words else set():
            by_length[len(variant)].append((variant, pk))
    for pk in sorted(people, key=lambda pk: (people[pk].name, pk)):
        key = keys[pk]
        limit = distance_limit(key)
        if len(briefings[pk]) > RARE_BRIEFINGS or limit == 0:
            continue
        best: tuple[int, str, int] | None = None
        for length in range(len(key) - limit, len(key) + limit + 1):
            for other_key, other in by_length.get(length, []):
                if other == pk or len(briefings[other]) < len(briefings[pk]):
                    continue  # the rarer spelling is the finding
                if len(briefings[other]) == len(briefings[pk]) and other < pk:
                    continue  # a pair of equally rare spellings is one finding
                if len(key.split()) > 1 and len(other_key.split()) == 1:
                    continue  # a whole name is not a variant of a family name alone
                if (min(pk, other), max(pk, other)) in left_out:
                    continue
                distance = edit_distance(key, other_key, limit)
                if distance <= limit and (best is None or (distance, other) < best[::2]):
                    best = (distance, other_key, other)
        if best is not None:
            rule = f"{best[0]} edit{'s' if best[0] != 1 else ''} apart"
            yield Pair(PERSON, people[pk], people[best[2]], rule, min(briefings[pk]))


# The evidence.


@dataclass
class Evidence:
    """What an admin reads about one record of a pair before merging it."""

    record: Person | Organization
    spellings: list[str]
    turns: int = 0
    briefings: int = 0
    examples: list[Conference] = field(default_factory=list)


def evidence(kind: str, records: Iterable[Person | Organization]) -> dict[int, Evidence]:
    """Each record's spellings, its turns (for an outlet, its questions) and briefings,
    and a few of its briefings, newest first; in a fixed number of queries."""
    found = {r.pk: Evidence(r, [r.name, *r.aliases]) for r in records}
    column = "person_id" if kind == PERSON else "outlet_id"
    turns = Turn.objects.filter(**{f"{column}__in": list(found)})
    for row in turns.values(column).annotate(n=Count("pk")).order_by():
        found[row[column]].turns = row["n"]
    where: dict[int, set[int]] = defaultdict(set)
    for pk, conference_id in turns.values_list(column, "exchange__conference_id").distinct():
        where[pk].add(conference_id)
    if kind == PERSON:
        attended = Participant.objects.filter(person_id__in=list(found))
        for pk, conference_id in attended.values_list("person_id", "conference_id"):
            where[pk].add(conference_id)
    conferences = {
        c.pk: c
        for c in Conference.objects.filter(pk__in={c for ids in where.values() for c in ids}).only(
            "pk", "slug", "title", "held_on"
        )
    }
    for pk, ids in where.items():
        found[pk].briefings = len(ids)
        newest = sorted((conferences[c] for c in ids), key=_newest_first)
        found[pk].examples = newest[:EXAMPLE_BRIEFINGS]
    return found


def _newest_first(conference: Conference) -> tuple[bool, int, int]:
    held_on = conference.held_on or dt.date.min
    return (conference.held_on is None, -held_on.toordinal(), -conference.pk)
