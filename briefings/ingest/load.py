"""Parsed conferences into rows: one transaction per conference, never half-saved.

The loader never parses; it takes a `ParsedConference` and the raw files it came from.
Re-ingesting the same files is recognised by their content hash and changes nothing.

A conference is one briefing however many copies of it arrive (`identity.find_existing`): the page
and its text, the same transcript published under another URL, title or date, a copy
re-saved with other spacing. A copy that says the same words is `unchanged`, and its own
address (its date and title) leads to the stored briefing. A changed transcript of a
stored conference (same source URL, the same exchanges around the same day, or, without a
URL, the same title and date) is refused unless `replace=True`, which rewrites it in place.
Its URLs keep working: under the same slug, or, when its exchanges were renumbered, under a
new slug that the old addresses redirect to (briefings/renumbering.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet

from briefings.text import OFFICIAL_ROLES, name_key, organization_key
from briefings.variants import ARCHIVE_LETTERS, RESOLVE_EDITS, background_name, spelling_variant

from ..models import (
    Conference,
    ConferenceSlug,
    Exchange,
    Organization,
    Participant,
    Person,
    Source,
    Turn,
    slug_base,
    unique_slug,
)
from ..renumbering import (
    Keyed,
    carry_over_addresses,
    new_conference_slug,
    stored_exchange_keys,
)
from ..signals import announce_exchanges
from .extraction import HeldCommitments, extract_for_conference, reextract_conference
from .formats import parser_version
from .identity import SOURCE_URL, find_existing, fingerprint_of, parsed_exchange_keys
from .names import clean_label
from .records import ParsedConference, ParsedParticipant, ParseError
from .roster import resolve_speakers, without_misprinted_office

CREATED = "created"
REPLACED = "replaced"
UNCHANGED = "unchanged"
# Stored undated, now given its date (--date, or a date in the file name): nothing else changes.
DATED = "dated"


# SQLite's BEGIN IMMEDIATE runs one writing transaction at a time. PostgreSQL runs them side
# by side: two loads could each find no stored copy of a briefing, or no person of a name,
# and both insert one. This lock, held until the transaction ends, makes loads take turns
# there too. Any number will do, as long as every process uses the same one.
LOADER_LOCK = 1_927_406_311

# An official of at least this many briefings is known well enough that a misprint of
# their name in a later briefing is read as them (PersonResolver).
FREQUENT_BRIEFINGS = 10


def take_loader_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOADER_LOCK])


class AlreadyIngested(ParseError):
    """A different version of a stored conference, offered without replace."""


@dataclass
class SourceFile:
    """One raw file of a conference: the bytes exactly as received."""

    filename: str
    data: bytes
    position: int = 1
    url: str = ""
    media_type: str = "text/plain"
    fetched_at: dt.datetime | None = None  # when `url` was fetched, for a fetched file

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class LoadResult:
    conference: Conference
    status: str
    exchanges: int = 0
    turns: int = 0
    warnings: list[str] = field(default_factory=list)
    # How a copy was recognised as the stored briefing, when it came under another name.
    note: str = ""


def content_hash(sources: Iterable[SourceFile]) -> str:
    ordered = sorted(sources, key=lambda source: source.position)
    return hashlib.sha256("\n".join(s.sha256 for s in ordered).encode()).hexdigest()


@transaction.atomic
def load_conference(
    parsed: ParsedConference,
    sources: list[SourceFile],
    *,
    replace: bool = False,
    date_stored: bool = True,
) -> LoadResult:
    """Store a parsed briefing: created, or found stored (unchanged, or given the date it
    lacked unless `date_stored` is off), or replaced with `replace`."""
    take_loader_lock()
    digest = content_hash(sources)
    same = Conference.objects.filter(content_hash=digest).first()
    if same is not None:
        status, note = _date_stored(same, parsed, date_stored)
        return LoadResult(same, status, same.exchanges.count(), _turn_count(same), note=note)

    found = find_existing(parsed)
    if found is not None and found.same_words and (found.another_copy or not replace):
        stored = found.conference
        _keep_copy_address(stored, parsed)
        known = "" if found.by == SOURCE_URL else f"the same briefing, known by {found.by}"
        status, undated = _date_stored(stored, parsed, date_stored)
        note = "; ".join(part for part in (known, undated) if part)
        return LoadResult(stored, status, stored.exchanges.count(), _turn_count(stored), note=note)
    if found is not None and not replace:
        raise AlreadyIngested(
            f"a different version of this briefing is already in the archive as "
            f"'{found.conference.slug}' (known by {found.by}); ingest with --replace to "
            "update it"
        )
    if found is not None:
        conference, status = found.conference, REPLACED
        conference.sources.all().delete()
    else:
        conference, status = Conference(), CREATED
        conference.slug = new_conference_slug(parsed.title, parsed.held_on)
    result = _write_conference(conference, parsed, digest, status=status)
    for source in sources:
        Source.objects.create(
            conference=conference,
            position=source.position,
            # The name, not the path: paths of the ingesting machine do not belong in the
            # archive (or on its public pages).
            filename=Path(source.filename).name[:500],
            url=source.url,
            fetched_at=source.fetched_at,
            media_type=source.media_type,
            sha256=source.sha256,
            content=source.data,
            format=parsed.format,
            parser_version=_parser_version(parsed.format),
        )
    return result


def _keep_copy_address(stored: Conference, parsed: ParsedConference) -> None:
    """The address a copy published under another title or date would have had
    (/briefings/<date>-<title>/) leads to the stored briefing, unless it is taken."""
    slug = slug_base(f"{parsed.held_on or 'undated'} {parsed.title}", max_length=120)
    taken = (
        Conference.objects.filter(slug=slug).exists()
        or ConferenceSlug.objects.filter(slug=slug).exists()
    )
    if not taken:
        ConferenceSlug.objects.create(conference=stored, slug=slug)


NOT_DATED = "not given its date: that changes a stored briefing, which this account may not do"


def _date_stored(stored: Conference, parsed: ParsedConference, allowed: bool) -> tuple[str, str]:
    """A stored briefing found again: dated when it lacked the date the new copy has
    (and `allowed`: an upload by an account that may only add briefings changes none).
    The status and a note when the date was not given."""
    if stored.held_on is not None or parsed.held_on is None:
        return UNCHANGED, ""
    if not allowed:
        return UNCHANGED, NOT_DATED
    date_conference(stored, parsed.held_on)
    return DATED, ""


def date_conference(conference: Conference, held_on: dt.date) -> None:
    """Give a stored briefing its date; its commitments' deadlines are resolved again
    against it (reviewed ones are kept as the admin left them)."""
    conference.held_on = held_on
    conference.save(update_fields=["held_on", "updated_at"])
    reextract_conference(conference)


@transaction.atomic
def rewrite_conference(conference: Conference, parsed: ParsedConference) -> LoadResult:
    """Replace a stored conference's transcript with a new parse of its own sources."""
    take_loader_lock()
    # Parsed outside the lock: a replace (or a delete) committed meanwhile must not be
    # overwritten by the parse of the sources it replaced.
    stored = Conference.objects.filter(pk=conference.pk).values_list("content_hash", flat=True)
    if not stored:
        raise ParseError("the briefing was deleted while it was being re-parsed")
    if stored[0] != conference.content_hash:
        raise ParseError(
            "the briefing was replaced while it was being re-parsed; re-parse it again"
        )
    conference.sources.update(format=parsed.format, parser_version=_parser_version(parsed.format))
    return _write_conference(conference, parsed, conference.content_hash, status=REPLACED)


def _write_conference(
    conference: Conference, parsed: ParsedConference, digest: str, *, status: str
) -> LoadResult:
    """The one path that (re)writes a conference's rows, new or replaced: its commitments
    follow their sentences into the new text with their ids and history (or are retired,
    never deleted: briefings/ingest/extraction.py), old addresses of renumbered exchanges
    keep leading to them (briefings/renumbering.py), the old exchanges leave the index, the
    new ones are queued, and the extractor runs."""
    held = HeldCommitments()
    before: list[Keyed] | None = None
    if conference.pk is not None:
        held = HeldCommitments.take(conference)
    # Decisions an archive export carried come after the stored ones, so they win.
    held.imported = [dict(row) for row in parsed.reviewed_commitments]
    if conference.pk is not None:
        before = stored_exchange_keys(conference)
        announce_exchanges(conference.exchanges.values_list("pk", flat=True), removed=True)
        conference.exchanges.all().delete()
        conference.participants.all().delete()
    organizations = OrganizationResolver()
    _fill_conference(conference, parsed, digest, organizations)
    conference.save()
    exchanges, turns = write_transcript(conference, parsed, organizations)
    if before is not None:
        carry_over_addresses(conference, before=before, after=parsed_exchange_keys(parsed))
    warnings = [*parsed.warnings, *held.keep(conference)]
    extract_for_conference(conference)
    return LoadResult(conference, status, exchanges, turns, warnings)


def _parser_version(format_name: str) -> str:
    return parser_version(format_name) if format_name else ""


def _turn_count(conference: Conference) -> int:
    return Turn.objects.filter(exchange__conference=conference).count()


def _fill_conference(
    conference: Conference,
    parsed: ParsedConference,
    digest: str,
    organizations: OrganizationResolver,
) -> None:
    conference.title = parsed.title[:500]
    # A transcript that names no date keeps the date it was given (--date, the admin).
    conference.held_on = parsed.held_on or conference.held_on
    conference.published_on = parsed.published_on
    conference.start_time = parsed.start_time[:50]
    conference.location = parsed.location[:300]
    conference.kind = (
        parsed.kind if parsed.kind in Conference.Kind.values else Conference.Kind.OTHER
    )
    conference.summary = parsed.summary
    conference.source_url = parsed.source_url[:500]
    conference.language = parsed.language
    conference.content_hash = digest
    conference.fingerprint = fingerprint_of(parsed)
    conference.format = parsed.format
    conference.warnings = list(parsed.warnings)
    conference.organizer = (
        organizations.resolve(parsed.organizer, kind=Organization.Kind.GOVERNMENT)
        if parsed.organizer
        else None
    )


def write_transcript(
    conference: Conference, parsed: ParsedConference, organizations: OrganizationResolver
) -> tuple[int, int]:
    """Participants, exchanges and turns of one conference, in bulk."""
    people = PersonResolver()
    names = resolve_speakers(parsed)
    participants = _participants(parsed, names)
    participant_rows: dict[int, Participant] = {}
    for participant in participants:
        person = people.resolve(participant.name, official=True)
        if person is None or person.pk in participant_rows:
            continue
        participant_rows[person.pk] = Participant(
            conference=conference,
            person=person,
            title=_title_beside(person, participant.title)[:500],
            organization=organizations.resolve(
                participant.organization, kind=Organization.Kind.GOVERNMENT
            )
            if participant.organization
            else None,
            is_chair=participant.is_chair,
        )
    Participant.objects.bulk_create(participant_rows.values())

    exchanges = Exchange.objects.bulk_create(
        Exchange(conference=conference, position=number, kind=exchange.kind)
        for number, exchange in enumerate(parsed.exchanges, start=1)
    )
    turn_rows = []
    resolved = iter(names)
    for exchange_row, exchange in zip(exchanges, parsed.exchanges, strict=True):
        for number, turn in enumerate(exchange.turns, start=1):
            name = next(resolved)
            official = turn.role != Turn.Role.QUESTION
            person = people.resolve(name, official=official) if name else None
            title = _title_beside(person, turn.speaker_title)
            if not title and person is not None and person.pk in participant_rows:
                title = participant_rows[person.pk].title
            turn_rows.append(
                Turn(
                    exchange=exchange_row,
                    position=number,
                    # Notes such as "(Laughter.)" between speakers have no label.
                    speaker_label=turn.speaker_label[:300]
                    or ("Note" if turn.role == Turn.Role.NOTE else "Unknown"),
                    speaker_title=title[:300],
                    person=person,
                    outlet=organizations.resolve(turn.outlet, kind=Organization.Kind.MEDIA)
                    if turn.outlet
                    else None,
                    role=turn.role,
                    text=turn.text,
                )
            )
    Turn.objects.bulk_create(turn_rows, batch_size=500)
    # In this transaction: the index writer sees these once they are committed.
    announce_exchanges([exchange.pk for exchange in exchanges])
    return len(exchanges), len(turn_rows)


def _title_beside(person: Person | None, title: str) -> str:
    """The title printed for a speaker, unless it only repeats their name: a background
    label ("SENIOR ADMINISTRATION OFFICIAL") is the pseudo-person's name, not a title."""
    if person is not None and name_key(title) == name_key(person.name):
        return ""
    return title


def _participants(parsed: ParsedConference, names: list[str]) -> list[ParsedParticipant]:
    """Listed participants, then every named official who speaks but was not listed, by
    the names the roster resolved (`resolve_speakers`): a participant listed under a
    misprinted label ("Adminstrator Slavitt") is the official the roster read it as."""
    resolved = {
        turn.speaker_name: name
        for turn, name in zip(parsed.turns, names, strict=True)
        if turn.speaker_name and turn.role != "question"
    }
    listed = [
        replace(participant, name=resolved.get(participant.name, participant.name))
        for participant in parsed.participants
    ]
    seen = {name_key(participant.name) for participant in listed}
    for turn, name in zip(parsed.turns, names, strict=True):
        key = name_key(name)
        if name and turn.role != "question" and key not in seen:
            seen.add(key)
            listed.append(ParsedParticipant(name=name, title=turn.speaker_title))
    return listed


class OrganizationResolver:
    """Find or create the organization of a kind by name or alias, folding case, accents,
    punctuation and a leading "the" (`organization_key`): "CBS" and "Cbs" are one outlet,
    "The Hill" and "Hill" too, and so are "AP" and "Associated Press" once "AP" is an alias
    of it (seeded by a migration, or added in the admin).

    An alias wins over another record's name: an admin who adds "AP" to Associated Press
    means later questions from "AP" to land there, before the old "AP" record is merged.
    """

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], Organization] = {}
        organizations = list(Organization.objects.order_by("pk"))
        for organization in organizations:
            self.by_key[(organization.kind, organization_key(organization.name))] = organization
        for organization in organizations:
            for alias in organization.aliases:
                self.by_key[(organization.kind, organization_key(alias))] = organization

    def resolve(self, name: str, *, kind: str) -> Organization:
        name = " ".join(name.split())[:300]
        key = (kind, organization_key(name))
        if key not in self.by_key:
            self.by_key[key] = Organization.objects.create(
                name=name, kind=kind, slug=unique_slug(Organization, name, max_length=120)
            )
        return self.by_key[key]


class PersonResolver:
    """Find or create the one Person a printed name refers to, across briefings.

    "Mr. Liang Wenhua", "Liang Wenhua" and "LIANG WENHUA" share a key. A surname alone
    ("Psaki", from "MS. PSAKI") joins the one person whose name begins or ends with it
    ("Jen Psaki"); when a full name arrives after the surname was stored alone, the stored
    person takes the full name and keeps the surname as an alias. Ambiguous surnames make
    a new person, which an admin can merge.

    An official's name that is none of these but is a variant (briefings/variants.py, one
    edit at most) of exactly one frequent official, and not itself a family name someone
    else bears, joins them and is kept as an alias: "Raimonodo" is Gina Raimondo. Anything less
    certain makes its own person, which the audit lists as a possible duplicate.
    """

    def __init__(self) -> None:
        self.by_key: dict[str, Person] = {}
        self.by_token: dict[str, list[Person]] = {}
        attended = Count("participations", distinct=True)
        self.frequent: list[Person] = []
        for person in Person.objects.annotate(attended=attended):
            self._remember(person)
            if person.attended >= FREQUENT_BRIEFINGS and person.kind == Person.Kind.PERSON:
                self.frequent.append(person)

    def _remember(self, person: Person) -> None:
        for key in person.name_keys():
            self.by_key[key] = person
            words = key.split()
            if len(words) > 1:
                for token in {words[0], words[-1]}:
                    bucket = self.by_token.setdefault(token, [])
                    if person not in bucket:
                        bucket.append(person)

    def resolve(self, printed: str, *, official: bool = False) -> Person | None:
        name, _title = clean_label(printed) if printed.isupper() else (printed, "")
        name = " ".join(name.split())[:200]
        key = name_key(name)
        if not key:
            return None
        if key in self.by_key:
            return self.by_key[key]
        words = key.split()
        if len(words) == 1:
            candidates = self.by_token.get(key, [])
            if len(candidates) == 1:
                return self._alias(candidates[0], name, key)
        else:
            short = [
                self.by_key[token]
                for token in {words[0], words[-1]}
                if token in self.by_key and len(self.by_key[token].name.split()) == 1
            ]
            if len(short) == 1:
                person = short[0]
                person.aliases = [*person.aliases, person.name]
                person.name = name
                person.save(update_fields=["name", "aliases"])
                self._remember(person)
                return person
        variant_of = self._frequent_variant_of(key) if official else None
        if variant_of is not None:
            return self._alias(variant_of, name, key)
        kind = Person.Kind.BACKGROUND if background_name(name) == name else Person.Kind.PERSON
        person = Person.objects.create(
            name=name, slug=unique_slug(Person, name, max_length=120), kind=kind
        )
        self._remember(person)
        return person

    def _alias(self, person: Person, name: str, key: str) -> Person:
        if person.add_alias(name):
            person.save(update_fields=["aliases"])
        self.by_key[key] = person
        return person

    def _frequent_variant_of(self, key: str, *, excluding: Person | None = None) -> Person | None:
        found = {
            person
            for person in self.frequent
            for known in person.name_keys()
            if spelling_variant(
                key, known, min_letters=ARCHIVE_LETTERS, loose=False, max_edits=RESOLVE_EDITS
            )
        }
        if len(found) != 1:
            return None
        person = found.pop()
        # A family name someone else bears is theirs, not a misprint ("Kelley" is not
        # General Kelly); "Tony Fauci" is Anthony Fauci, who alone bears his.
        family = key.split()[-1]
        bearers = {*self.by_token.get(family, []), self.by_key.get(family, person)} - {excluding}
        return person if bearers <= {person} else None

    def rename_misprinted_offices(self) -> list[str]:
        """A stored official whose name begins with a misprinted office word ("Administration
        Slavitt", from "ACTING ADMINISTRATION SLAVITT") is renamed without it, or merged into
        the one who bears that name already. One line said for each."""
        said = []
        for person in _officials():
            proper = without_misprinted_office(person.name)
            if proper == person.name:
                continue
            bearer = self.by_key.get(name_key(proper))
            if bearer is not None and bearer.pk != person.pk:
                bearer.absorb([person])
                said.append(f"merged   {person.name} into {bearer.name}")
                continue
            said.append(f"renamed  {person.name} to {proper}")
            person.name, printed = proper, person.name
            person.add_alias(printed)
            # The address of the name, where this person had it once, is theirs again.
            person.old_slugs.filter(slug=slug_base(proper, max_length=120)).delete()
            person.slug = unique_slug(Person, proper, max_length=120)
            person.save(update_fields=["name", "slug", "aliases"])
            self._remember(person)
        return said

    def merge_variants(self) -> list[str]:
        """A stored person the rules of `resolve` now read as another is merged into them: a
        family name alone stored before the whole name arrived, a misprint stored before its
        official was frequent, or before the rule existed. One line said for each."""
        said = []
        frequent = {person.pk for person in self.frequent}
        # Merged by this loop: pk -> who has them now. The maps above still hold them.
        merged: dict[int, Person] = {}

        def now(person: Person) -> Person:
            while person.pk in merged:
                person = merged[person.pk]
            return person

        for person in _officials(or_silent=True).exclude(pk__in=frequent):
            key = name_key(person.name)
            # A family name alone joins the one whole name that bears it, as `resolve` does
            # for a name it meets ("McCarthy" stored before "Gina McCarthy" was).
            bearers = {now(other) for other in self.by_token.get(key, [])} - {person}
            if " " not in key and len(bearers) == 1:
                official = bearers.pop()
            else:
                official = self._frequent_variant_of(key, excluding=person)
            if official is not None:
                merged[person.pk] = official
                official.absorb([person])
                said.append(f"merged   {person.name} into {official.name}")
        return said


def _officials(*, or_silent: bool = False) -> QuerySet[Person]:
    """People (not background) who spoke as officials or were listed at a briefing; with
    `or_silent`, also those who no longer speak at all."""
    spoke_as_official = Turn.objects.filter(person=OuterRef("pk"), role__in=OFFICIAL_ROLES)
    attended = Participant.objects.filter(person=OuterRef("pk"))
    condition = Exists(spoke_as_official) | Exists(attended)
    if or_silent:
        condition |= ~Exists(Turn.objects.filter(person=OuterRef("pk")))
    return Person.objects.filter(condition, kind=Person.Kind.PERSON).order_by("pk")


def merge_orphans() -> list[str]:
    """A person no turn and no briefing refers to any more (a re-parse resolved every turn
    of "Buttitgieg" to Pete Buttigieg within its briefing) is merged into the one person
    their name is closest to (`spelling_variant`, loosely: nothing of theirs moves but their
    name and address); one with no such person is left as it is. One line said for each."""
    spoke = Turn.objects.filter(person=OuterRef("pk"))
    attended = Participant.objects.filter(person=OuterRef("pk"))
    people = Person.objects.filter(kind=Person.Kind.PERSON).order_by("pk")
    orphans = list(people.filter(~Exists(spoke), ~Exists(attended)))
    if not orphans:
        return []
    keys = [
        (person, key)
        for person in people.filter(Exists(spoke) | Exists(attended))
        for key in person.name_keys()
    ]
    on_background = {p.name: p for p in Person.objects.filter(kind=Person.Kind.BACKGROUND)}
    said = []
    for orphan in orphans:
        # "Senior Administration Official One", stored as a person before there were
        # pseudo-persons for officials on background.
        kind = on_background.get(background_name(orphan.name))
        if kind is not None:
            kind.absorb([orphan])
            said.append(f"merged   {orphan.name} into {kind.name} (no turns left)")
            continue
        found: dict[int, tuple[int, Person]] = {}
        for person, key in keys:
            variant = spelling_variant(name_key(orphan.name), key, min_letters=4, loose=True)
            if variant is not None and variant.edits < found.get(person.pk, (9, person))[0]:
                found[person.pk] = (variant.edits, person)
        closest = sorted(found.values(), key=lambda pair: pair[0])
        if closest and (len(closest) == 1 or closest[0][0] < closest[1][0]):
            person = closest[0][1]
            person.absorb([orphan])
            said.append(f"merged   {orphan.name} into {person.name} (no turns left)")
    return said


@transaction.atomic
def settle_people() -> list[str]:
    """Make the archive's people independent of the order its briefings arrived in: the
    people already stored as the loader would store them today. Run at the end of every
    ingest and re-parse; a merged or renamed person's old address answers 301. Each step
    reads the people afresh, so it sees what the step before changed."""
    take_loader_lock()
    return [
        *PersonResolver().rename_misprinted_offices(),
        *PersonResolver().merge_variants(),
        *merge_orphans(),
    ]
