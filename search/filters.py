"""The query language's filters through the database: speaker:, outlet:, org: and
conference: values, typed as slugs or names, resolved to the exact values the index
holds (slugs, or a briefing's exchange ids), with a message for every value that
matches nothing or too much. Names are matched as people write them: case and accents
fold, a surname finds the full name.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.text import slugify

from briefings.models import Conference, Exchange, Organization, Person
from briefings.text import name_key

from .language import FieldFilter, ParsedQuery

MAX_NAME_MATCHES = 10  # people (or organizations) one name may stand for


@dataclass
class ResolvedFilter:
    """A filter with the exact index values it stands for."""

    filter: FieldFilter
    label: str  # for people: the names, as the page shows them
    values: list[str]  # slugs, or exchange ids for a conference; empty matches nothing


def resolve_filters(parsed: ParsedQuery) -> list[ResolvedFilter]:
    """Slugs for speaker:/outlet:/org: values (slugs or names), exchange ids for
    conference:, with a message for every value that matches nothing."""
    resolved = []
    for item in parsed.filters:
        if item.kind == "conference":
            resolved.append(_resolve_conference(parsed, item))
            continue
        if item.kind == "speaker":
            found = find_people(item.value)
            _note_namesakes(parsed, item, found)
        else:
            kind = Organization.Kind.MEDIA if item.kind == "outlet" else None
            found = find_organizations(item.value, kind=kind)
        if not found:
            parsed.note(f"No {item.kind} matches “{item.value}”.")
        elif len(found) > MAX_NAME_MATCHES:
            parsed.note(
                f"“{item.value}” matches {len(found)} {item.kind}s; the first "
                f"{MAX_NAME_MATCHES} were used. A fuller name narrows it."
            )
            found = found[:MAX_NAME_MATCHES]
        label = " or ".join(str(each) for each in found) or item.value
        resolved.append(ResolvedFilter(item, label, [each.slug for each in found]))
    return resolved


def _resolve_conference(parsed: ParsedQuery, item: FieldFilter) -> ResolvedFilter:
    conference = Conference.objects.filter(slug=item.value.lower()).first()
    if conference is None:
        parsed.note(f"No briefing has the address “{item.value}”.")
        return ResolvedFilter(item, item.value, [])
    ids = Exchange.objects.filter(conference=conference).values_list("pk", flat=True)
    return ResolvedFilter(item, conference.title, [str(pk) for pk in ids])


def find_people(value: str) -> list[Person]:
    return _find_named(Person.objects.all(), value)


def find_organizations(value: str, *, kind: str | None = None) -> list[Organization]:
    organizations = Organization.objects.all()
    found = _find_named(organizations.filter(kind=kind), value) if kind else []
    return found or _find_named(organizations, value)


def _note_namesakes(parsed: ParsedQuery, item: FieldFilter, found: list[Person]) -> None:
    """A value that is one person's slug may also be part of other people's names
    ("psaki" is the slug of an "M. Psaki"): the slug wins, so say who else there is."""
    if len(found) != 1 or found[0].slug != item.value.lower():
        return
    _whole, partial = _named(Person.objects.exclude(pk=found[0].pk), item.value)
    if partial:
        names = ", ".join(f"{person} (speaker:{person.slug})" for person in partial[:5])
        parsed.note(f"speaker:{item.value} is {found[0]}; also named so: {names}.")


def _find_named(queryset: QuerySet, value: str) -> list:
    """Rows named by `value`: its slug, else a full name or alias, else rows with a name
    containing it word for word ("psaki" finds Jen Psaki). Case and accents fold."""
    slugs = {value.strip().lower(), slugify(value)} - {""}
    exact = list(queryset.filter(slug__in=slugs))
    if exact:
        return exact
    whole, partial = _named(queryset, value)
    return whole or partial


def _named(queryset: QuerySet, value: str) -> tuple[list, list]:
    """(rows with `value` as a whole name or alias, rows with it inside a name)."""
    key = name_key(value)
    words = key.split()
    if not words:
        return [], []
    candidates = queryset
    for word in words:
        ascii_word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
        candidates = candidates.filter(
            Q(name__icontains=ascii_word or word) | Q(aliases__icontains=ascii_word or word)
        )
    candidates = list(candidates[:500])
    keys = {row.pk: _name_keys(row) for row in candidates}
    whole = [row for row in candidates if key in keys[row.pk]]
    # Inside a name, word for word ("psaki" in "jen psaki"); "china daily" is not inside
    # "China Youth Daily".
    partial = [row for row in candidates if any(_has_run(k.split(), words) for k in keys[row.pk])]
    return whole, partial


def _has_run(words: list[str], run: list[str]) -> bool:
    return any(words[i : i + len(run)] == run for i in range(len(words) - len(run) + 1))


def _name_keys(row: Person | Organization) -> set[str]:
    return {name_key(row.name), *(name_key(alias) for alias in row.aliases)} - {""}


def combine_filters(filters: list[ResolvedFilter]) -> list[ResolvedFilter]:
    """One filter per kind for the engines: the values of every filter of a kind taken
    together, so two speakers find exchanges with either (any of), while a speaker and an
    outlet still both must match (all of). Exclusions stay one each: none of them.

    A value naming nobody adds nothing to the others; a kind whose values all name
    nobody still matches nothing."""
    combined: list[ResolvedFilter] = []
    by_kind: dict[str, ResolvedFilter] = {}
    for item in filters:
        if item.filter.negated:
            combined.append(item)
            continue
        kind = item.filter.kind
        if kind not in by_kind:
            by_kind[kind] = ResolvedFilter(item.filter, item.label, list(item.values))
            combined.append(by_kind[kind])
            continue
        merged = by_kind[kind]
        merged.label = f"{merged.label} or {item.label}"
        merged.values += [value for value in item.values if value not in merged.values]
    return combined


def nearest_names(item: FieldFilter) -> list[str]:
    """For "did you mean": names near a speaker:/outlet:/org: value that names nobody,
    nearest first: a whole name ("Jen Psaky" -> "Jen Psaki") or one word of one
    ("psaky" -> "Psaki", which finds her as her surname does)."""
    key = name_key(item.value)
    if not key or item.kind not in ("speaker", "outlet", "organization"):
        return []
    if item.kind == "speaker":
        rows = Person.objects.all()
    else:
        rows = Organization.objects.all()
        if item.kind == "outlet":
            rows = rows.filter(kind=Organization.Kind.MEDIA)
    spelt: dict[str, str] = {}  # a name's key (or a word's) -> the name as printed
    single = len(key.split()) == 1
    for name, aliases in rows.values_list("name", "aliases"):
        for printed in [name, *aliases]:
            if single:
                for word in printed.split():
                    spelt.setdefault(name_key(word), word.strip(".,"))
            else:
                spelt.setdefault(name_key(printed), printed)
    spelt.pop("", None)
    close = difflib.get_close_matches(key, list(spelt), n=3, cutoff=0.75)
    return [spelt[found] for found in close if found != key]
