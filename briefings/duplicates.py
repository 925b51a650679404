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

from briefings import text, variants
from briefings.models import Conference, NotDuplicate, Organization, Participant, Person, Turn

PERSON = NotDuplicate.Kind.PERSON
OUTLET = NotDuplicate.Kind.OUTLET

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
    """Each rare person paired with the more frequent one whose name theirs may be a
    variant of (`variants.candidate_pairs`, the rule the loader resolves the certain cases
    by): what resolution left for a person to decide. Background pseudo-persons are not
    paired."""
    left_out = dismissed(PERSON)
    briefings: dict[int, set[int]] = defaultdict(set)
    spoken = Turn.objects.filter(person__isnull=False).values_list(
        "person_id", "exchange__conference_id"
    )
    for person_id, conference_id in spoken.distinct().iterator():
        briefings[person_id].add(conference_id)
    for person_id, conference_id in Participant.objects.values_list("person_id", "conference_id"):
        briefings[person_id].add(conference_id)
    people = {
        p.pk: p for p in Person.objects.filter(pk__in=briefings.keys(), kind=Person.Kind.PERSON)
    }
    known = [
        variants.Known(pk, (person.name, *person.aliases), len(briefings[pk]))
        for pk, person in people.items()
    ]
    for candidate in variants.candidate_pairs(known):
        ids = (min(candidate.rare, candidate.known), max(candidate.rare, candidate.known))
        if ids in left_out:
            continue
        edits = f"{candidate.edits} edit{'s' if candidate.edits != 1 else ''}"
        rule = f"{edits} apart: {candidate.why}"
        briefing = min(briefings[candidate.rare])
        yield Pair(PERSON, people[candidate.rare], people[candidate.known], rule, briefing)


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
