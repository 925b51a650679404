"""Which printed names are one person: the one definition of a name variant, shared by the
loader (which resolves a certain variant to the person it names, keeping the label as
printed) and the audit (which lists the uncertain ones for a person to decide).

A variant is a misspelt family name ("Sullian", "Sullvian" for Sullivan: a letter left
out, added, changed or two swapped count as one edit each) or a short form of the given
name ("Debbie Birx" for Deborah Birx). How far a variant may stray grows with the name:
short names differ by a letter between different people ("Yang" and "Kang", "Ross" and
"Rose"), so a rule that resolves asks for more letters than one that only lists.

Speakers on background ("SENIOR ADMINISTRATION OFFICIAL", "... OFFICIAL ONE") are one
pseudo-person per kind; `background_name` gives its name.

Pure Python: no Django (docs/architecture.md, "Layers").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from briefings.text import name_key


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edits from a to b (a letter inserted, deleted, changed, or two neighbours swapped),
    or limit + 1 as soon as it is known to exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def distance_limit(key: str) -> int:
    """How many edits a name of this length may be from another and be a variant of it."""
    letters = len(key.replace(" ", ""))
    return 2 if letters >= 7 else 1 if letters >= 4 else 0


# Fewest letters in a family name for a misspelling of it to be resolved: within one
# briefing ("Sullian" beside "Sullivan"), and across the archive, where two real people
# are more often a letter apart ("Kelly", "Kelley").
ROSTER_LETTERS = 5
ARCHIVE_LETTERS = 6
# A misprint the loader resolves is one edit at most, in a briefing or across the archive:
# every misprint found in the White House folder is one edit, and two real people are
# often two apart ("MS. RAYMOND", who moderated a call, and Secretary Raimondo; Feldman
# and Weidman). The audit lists the two-edit pairs.
RESOLVE_EDITS = 1

# Short forms of given names, as transcripts print them ("Debbie Birx", "Bob Menendez").
_SHORT_FORMS = {
    "abigail": "abby", "alexander": "alex", "andrew": "andy drew", "anthony": "tony",
    "benjamin": "ben", "catherine": "cathy kate katie", "charles": "chuck charlie",
    "christopher": "chris", "daniel": "dan danny", "david": "dave", "deborah": "debbie deb debra",
    "donald": "don", "edward": "ed ted", "elizabeth": "liz beth betsy", "gerald": "jerry",
    "gregory": "greg", "jacob": "jake", "james": "jim jimmy", "jeffrey": "jeff",
    "jennifer": "jen jenny", "john": "jack johnny", "jonathan": "jon", "joseph": "joe",
    "katherine": "kathy kate katie", "kenneth": "ken", "kimberly": "kim", "lawrence": "larry",
    "margaret": "meg peggy maggie", "matthew": "matt", "michael": "mike", "nicholas": "nick",
    "patricia": "pat trish", "peter": "pete", "rebecca": "becky", "richard": "dick rick",
    "robert": "bob bobby rob", "ronald": "ron", "samuel": "sam", "stephen": "steve",
    "steven": "steve", "susan": "sue", "thomas": "tom", "timothy": "tim", "victoria": "vicky",
    "william": "bill billy will", "zachary": "zach",
}  # fmt: skip
_SHORT_FORM_PAIRS = {
    frozenset((full, short)) for full, shorts in _SHORT_FORMS.items() for short in shorts.split()
}


def same_given_name(a: str, b: str, *, loose: bool) -> bool:
    """True when two given names (name keys) can name one person: the same, a short form of
    the other ("debbie", "deborah"), or, when `loose`, a letter apart ("sema", "seema")."""
    if a == b or frozenset((a, b)) in _SHORT_FORM_PAIRS:
        return True
    return loose and min(len(a), len(b)) >= 3 and edit_distance(a, b, 1) <= 1


@dataclass(frozen=True)
class Variant:
    """How one name key is a variant of another: edits in the family name, and why."""

    edits: int
    why: str


def spelling_variant(
    key: str, other: str, *, min_letters: int, loose: bool, max_edits: int = 2
) -> Variant | None:
    """How `key` may be another printing of `other` (both name keys), or None.

    The family names (last words) must be within `distance_limit` (and `max_edits`) of
    each other and at least `min_letters` long when they differ; where both print given
    names, those must be the same or a short form (`same_given_name`). A name and its own
    family name alone ("sullivan", "jake sullivan") are a variant with no edits."""
    words, other_words = key.split(), other.split()
    if not words or not other_words or key == other:
        return None
    family, other_family = words[-1], other_words[-1]
    given, other_given = " ".join(words[:-1]), " ".join(other_words[:-1])
    if given and other_given and not same_given_name(given, other_given, loose=loose):
        return None
    if family == other_family:
        if given and other_given:
            return Variant(0, f"{given.title()} is a form of {other_given.title()}")
        return Variant(0, "the family name alone")
    if len(family) < min_letters:
        return None
    limit = min(distance_limit(family), max_edits)
    edits = edit_distance(family, other_family, limit)
    if edits > limit:
        return None
    plural = "s" if edits > 1 else ""
    return Variant(edits, f"{edits} letter{plural} apart in the family name")


# Speakers on background.

_NUMBERED = re.compile(r"(?:\s+(?:#?\d+|one|two|three|four|five|six|seven|eight|nine|ten))+$")
# Kinds of background official as transcripts print them, folded: a misprint of one
# ("SENIOR ADMINSTRATION OFFICIAL") is that kind.
BACKGROUND_KINDS = (
    "senior administration official",
    "senior state department official",
    "senior defense official",
    "senior military official",
    "administration official",
    "white house official",
)
_PROPER = {"white house": "White House", "state department": "State Department"}


def background_name(label: str) -> str:
    """The pseudo-person a label of an official on background stands for, numbered ones
    folded ("SENIOR ADMINISTRATION OFFICIAL 1" -> "Senior administration official"),
    or "" for any other label."""
    key = _NUMBERED.sub("", name_key(label))
    words = key.split()
    if len(words) < 2 or words[-1] != "official" or len(words) > 5:
        return ""
    for kind in BACKGROUND_KINDS:
        if _same_words(words, kind.split()):
            key = kind
            break
    # Agencies printed in capitals stay so ("FBI official").
    printed = {word.lower(): word for word in label.split() if word.isupper() and len(word) <= 4}
    name = " ".join(printed.get(word, word) for word in key.split())
    name = name[:1].upper() + name[1:]
    for phrase, proper in _PROPER.items():
        name = re.sub(phrase, proper, name, flags=re.IGNORECASE)
    return name


def _same_words(words: list[str], kind: list[str]) -> bool:
    """Word for word a misprint of the kind: each word a letter or two off, or cut short
    after its first six letters ("administrive" for "administration")."""
    return len(words) == len(kind) and all(
        word[:6] == other[:6] or edit_distance(word, other, 2) <= 2
        for word, other in zip(words, kind, strict=True)
    )


# Candidate pairs, for the audit and the admin's list of possible duplicates.

RARE_BRIEFINGS = 2  # a person of at most this many briefings may be another's misspelling


@dataclass(frozen=True)
class Known:
    """A person as the candidate rule sees them: an id, their names, how many briefings."""

    id: int
    names: tuple[str, ...]  # the name first, then the aliases
    briefings: int


@dataclass(frozen=True)
class Candidate:
    """A rare person (`rare`) who may be another printing of a more frequent one (`known`)."""

    rare: int
    known: int
    rare_name: str
    known_name: str
    edits: int
    why: str


def candidate_pairs(people: Iterable[Known]) -> list[Candidate]:
    """Each person of at most RARE_BRIEFINGS briefings paired with the closest person at
    least as frequent whose name they may be a variant of (`spelling_variant`, loosely:
    this lists for a person to decide, it does not merge). Sorted by the rare name."""
    people = list(people)
    by_family: dict[int, list[tuple[str, Known]]] = defaultdict(list)
    for person in people:
        for key in {name_key(name) for name in person.names} - {""}:
            by_family[len(key.split()[-1])].append((key, person))
    found = []
    for person in sorted(people, key=lambda p: (p.names[0], p.id)):
        key = name_key(person.names[0])
        if person.briefings > RARE_BRIEFINGS or not key:
            continue
        family = key.split()[-1]
        limit = distance_limit(family)
        best: tuple[int, int, Known, Variant] | None = None
        for length in range(len(family) - limit, len(family) + limit + 1):
            for other_key, other in by_family.get(length, []):
                if other.id == person.id or other.briefings < person.briefings:
                    continue  # the rarer spelling is the finding
                if other.briefings == person.briefings and other.id < person.id:
                    continue  # a pair of equally rare spellings is one finding
                if len(key.split()) > 1 and len(other_key.split()) == 1:
                    continue  # a whole name is not a variant of a family name alone
                variant = spelling_variant(key, other_key, min_letters=4, loose=True)
                if variant is None:
                    continue
                if best is None or (variant.edits, other.id) < best[:2]:
                    best = (variant.edits, other.id, other, variant)
        if best is not None:
            _edits, _id, other, variant = best
            found.append(
                Candidate(
                    person.id, other.id, person.names[0], other.names[0], variant.edits, variant.why
                )
            )
    return found
