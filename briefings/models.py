"""The archive's data model (docs/architecture.md, "The data").

Long because Django keeps an app's models in one module, and each model's constraints and
queryset stand beside it; every model on its own is short.

The database enforces the invariants: unique positions within a conference and an
exchange, one row per person per conference, one conference per content hash, and the
allowed values of every choice field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from . import text
from .signals import announce_exchanges
from .text import NOTE_PATTERN, name_key, organization_key, strip_notes


def unique_slug(
    model: type[models.Model],
    base: str,
    *,
    max_length: int = 120,
    retired: models.QuerySet | None = None,
) -> str:
    """A slug not yet used by `model`: base, base-2, base-3, ...; nor in `retired`, rows
    with a slug field of slugs that old links still use (by default the model's own table
    of old slugs, where it has one: RETIRED_SLUGS)."""
    base = slug_base(base, max_length=max_length)
    if retired is None and model in RETIRED_SLUGS:
        retired = RETIRED_SLUGS[model].objects.all()
    slug, counter = base, 2
    while model.objects.filter(slug=slug).exists() or (
        retired is not None and retired.filter(slug=slug).exists()
    ):
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def slug_base(text: str, *, max_length: int = 120) -> str:
    """The slug `unique_slug` starts from: `text` slugified, cut between words to leave
    room for a "-2" suffix."""
    base = slugify(text) or "item"
    if len(base) > max_length - 6:  # room for "-99999"; cut between words
        cut = base.rfind("-", 0, max_length - 5)
        base = base[: cut if cut > max_length // 2 else max_length - 6].strip("-")
    return base


class ConferenceKind(models.TextChoices):
    PRESS_CONFERENCE = "press_conference", "Press conference"
    PRESS_BRIEFING = "press_briefing", "Press briefing"
    REGULAR_BRIEFING = "regular_briefing", "Regular press conference"
    PRESS_GAGGLE = "press_gaggle", "Press gaggle"
    PRESS_CALL = "press_call", "Press call"
    BACKGROUND_CALL = "background_call", "Background press call"
    OTHER = "other", "Other"


class ExchangeKind(models.TextChoices):
    STATEMENT = text.KIND_STATEMENT, "Statement"
    QA = text.KIND_QA, "Question and answer"
    PROCEDURAL = text.KIND_PROCEDURAL, "Procedural"


class TurnRole(models.TextChoices):
    QUESTION = text.QUESTION, "Question"
    ANSWER = text.ANSWER, "Answer"
    STATEMENT = text.STATEMENT, "Statement"
    MODERATOR = text.MODERATOR, "Moderator"
    NOTE = text.NOTE, "Note"


class Organization(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", "Government body"
        MEDIA = "media", "Media outlet"
        OTHER = "other", "Other"

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    # The alias table: an ingest files a question from any of these names here
    # (OrganizationResolver); migration 0009 seeds the certain ones, admins add more.
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text="Other names it is printed as; later ingests file them here.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="organization_name_kind_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["government", "media", "other"]),
                name="organization_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; a changed slug is kept as an OrganizationSlug, so links to it redirect."""
        _save_keeping_old_slug(
            self,
            lambda: super(Organization, self).save(*args, **kwargs),
            kwargs,
            OrganizationSlug,
            "organization",
        )

    def get_absolute_url(self) -> str:
        return reverse("briefings:outlet-detail", args=[self.slug])

    def name_keys(self) -> set[str]:
        """Every key this organization is found by (`organization_key`): its name and its
        aliases."""
        return {organization_key(name) for name in (self.name, *self.aliases)} - {""}

    def add_alias(self, alias: str) -> bool:
        """Add a name it is also printed as, unless it already answers to that name."""
        alias = " ".join(alias.split())
        if not alias or organization_key(alias) in self.name_keys():
            return False
        self.aliases = [*self.aliases, alias]
        return True

    @transaction.atomic
    def absorb(self, others: list[Organization]) -> None:
        """Merge other records of the same organization into this one: every question
        asked for it, every participant and briefing it stands for, its names (as aliases)
        and its addresses (the others' slugs redirect here)."""
        others = [other for other in others if other.pk != self.pk]
        moved = Turn.objects.filter(outlet__in=others)
        announce_exchanges(moved.values_list("exchange_id", flat=True).distinct())
        moved.update(outlet=self)
        # The search documents carry the organizer and the officials' organizations too.
        announce_exchanges(
            Exchange.objects.filter(
                Q(conference__organizer__in=others)
                | Q(conference__participants__organization__in=others)
            )
            .values_list("pk", flat=True)
            .distinct()
        )
        Participant.objects.filter(organization__in=others).update(organization=self)
        Conference.objects.filter(organizer__in=others).update(organizer=self)
        _take_old_slugs(self, others, OrganizationSlug, "organization")
        for other in others:
            for name in (other.name, *other.aliases):
                self.add_alias(name)
            other.delete()
        self.save(update_fields=["aliases"])


class Person(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        # Officials who speak on background, name withheld: one record per kind of
        # official ("Senior administration official"), not one person.
        BACKGROUND = "background", "Officials on background"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    aliases = models.JSONField(
        default=list, blank=True, help_text="Other spellings and labels, e.g. MS. PSAKI."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["person", "background"]), name="person_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; a changed slug is kept as a PersonSlug, so links to it redirect."""
        _save_keeping_old_slug(
            self,
            lambda: super(Person, self).save(*args, **kwargs),
            kwargs,
            PersonSlug,
            "person",
        )

    def get_absolute_url(self) -> str:
        return reverse("briefings:person-detail", args=[self.slug])

    def name_keys(self) -> set[str]:
        """Every name key this person answers to."""
        return {name_key(self.name), *(name_key(alias) for alias in self.aliases)} - {""}

    @transaction.atomic
    def absorb(self, others: list[Person]) -> None:
        """Merge other records of the same person into this one: turns, briefings, names.

        Where both attended one briefing, this person's participation (and title) stays.
        """
        others = [other for other in others if other.pk != self.pk]
        moved = Turn.objects.filter(person__in=others)
        announce_exchanges(moved.values_list("exchange_id", flat=True).distinct())
        moved.update(person=self)
        attended = set(self.participations.values_list("conference_id", flat=True))
        for participation in Participant.objects.filter(person__in=others):
            if participation.conference_id in attended:
                participation.delete()
            else:
                participation.person = self
                participation.save(update_fields=["person"])
                attended.add(participation.conference_id)
        _take_old_slugs(self, others, PersonSlug, "person")
        for other in others:
            for name in (other.name, *other.aliases):
                self.add_alias(name)
            other.delete()
        self.save(update_fields=["aliases"])

    def add_alias(self, alias: str) -> bool:
        alias = " ".join(alias.split())
        if not alias or name_key(alias) in self.name_keys():
            return False
        self.aliases = [*self.aliases, alias]
        return True


def _save_keeping_old_slug(
    record: models.Model,
    save: Callable[[], None],
    save_kwargs: dict[str, Any],
    retired: type[models.Model],
    field: str,
) -> None:
    """Save `record`; where its slug changed, the slug it gave up is kept in `retired` so
    that links to it redirect, and its new slug is its own even if an old link used it
    for another (an admin's explicit choice wins; unique_slug never hands out an old one).

    In save() rather than in the admin so that every rename keeps old links working, as
    Conference.save does. QuerySet.update() bypasses it: rename with save()."""
    update_fields = save_kwargs.get("update_fields")
    tracked = update_fields is None or "slug" in update_fields
    with transaction.atomic():
        previous = (
            type(record).objects.filter(pk=record.pk).values_list("slug", flat=True).first()
            if tracked and not record._state.adding
            else None
        )
        save()
        if tracked and previous != record.slug:
            retired.objects.filter(slug=record.slug).delete()
            if previous:
                retired.objects.create(slug=previous, **{field: record})


def _take_old_slugs(
    record: models.Model, others: list, retired: type[models.Model], field: str
) -> None:
    """Before the merged records go: their slugs, and the old slugs they kept, lead to
    `record`."""
    retired.objects.filter(**{f"{field}__in": others}).update(**{field: record})
    retired.objects.bulk_create(retired(slug=other.slug, **{field: record}) for other in others)


class Conference(models.Model):
    Kind = ConferenceKind

    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=120, unique=True)
    held_on = models.DateField(null=True, blank=True, db_index=True)
    start_time = models.CharField(max_length=50, blank=True)
    location = models.CharField(max_length=300, blank=True)
    organizer = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="conferences"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.PRESS_CONFERENCE)
    summary = models.TextField(blank=True)
    published_on = models.DateField(null=True, blank=True)
    source_url = models.URLField(max_length=500, blank=True, db_index=True)
    language = models.CharField(max_length=10, default="en")
    # SHA-256 over the ordered SHA-256s of the sources: the same files ingested again
    # are recognised and left alone.
    content_hash = models.CharField(max_length=64, unique=True)
    # SHA-256 of the words said (briefings.text.spoken_fingerprint): another copy of the
    # same conference (the page and its text, another URL, other spacing) has the same.
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    format = models.CharField(max_length=30)
    warnings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Undated last, as SQLite sorts NULL in a descending order; PostgreSQL would put
        # them first.
        ordering = [models.F("held_on").desc(nulls_last=True), "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ConferenceKind.values),
                name="conference_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on or 'undated'})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; a changed slug is kept as a ConferenceSlug so that links to it redirect.

        In save() rather than in the admin or the loader so that every rename keeps old
        links working, whoever makes it. QuerySet.update() bypasses it: rename with save().
        """
        update_fields = kwargs.get("update_fields")
        tracked = update_fields is None or "slug" in update_fields
        with transaction.atomic():
            previous = (
                Conference.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
                if tracked and not self._state.adding
                else None
            )
            super().save(*args, **kwargs)
            if tracked and previous != self.slug:
                self._take_slug(previous)

    def get_absolute_url(self) -> str:
        return reverse("briefings:conference-detail", args=[self.slug])

    def _take_slug(self, previous: str | None) -> None:
        """After the slug changed (or a conference was created): the new slug is this
        conference's now, even if an old link used it for another (an admin's explicit
        choice wins; new slugs from the loader never collide); where this conference's own
        old-address rows would shadow its live exchanges, the live exchanges win. The old
        slug is kept so that links to it redirect. (The save itself announces the
        exchanges, whose search documents carry the slug: briefings/changes.py.)"""
        ConferenceSlug.objects.filter(slug=self.slug).delete()
        ExchangeRedirect.objects.filter(slug=self.slug).exclude(conference=self).delete()
        ExchangeRedirect.objects.filter(
            conference=self, slug=self.slug, old_position__in=self.exchanges.values("position")
        ).delete()
        if previous:
            ConferenceSlug.objects.create(conference=self, slug=previous)


class Source(models.Model):
    """A file a conference was read from, kept byte for byte so it can be re-parsed."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="sources")
    position = models.PositiveIntegerField(help_text="Page number within the conference.")
    filename = models.CharField(max_length=500, blank=True)
    url = models.URLField(max_length=500, blank=True)
    media_type = models.CharField(max_length=100, default="text/plain")
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    format = models.CharField(max_length=30)
    parser_version = models.CharField(max_length=20)
    ingested_at = models.DateTimeField(auto_now_add=True)
    # When the bytes were fetched from `url`; empty for a file given by hand.
    fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["conference", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "position"], name="source_position_unique"
            ),
            models.UniqueConstraint(fields=["conference", "sha256"], name="source_sha256_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.filename or 'source'} (page {self.position})"


class Participant(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations")
    title = models.CharField(max_length=500, blank=True, help_text="As printed at this briefing.")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="participants"
    )
    is_chair = models.BooleanField(default=False)

    class Meta:
        ordering = ["conference", "-is_chair", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "person"], name="participant_person_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}, {self.title}" if self.title else str(self.person)


class ExchangeQuerySet(models.QuerySet):
    def for_search(self) -> ExchangeQuerySet:
        """Everything an exchange's search document needs, in a fixed number of queries."""
        return self.select_related("conference__organizer").prefetch_related(
            models.Prefetch(
                "turns",
                queryset=Turn.objects.select_related("person", "outlet")
                .prefetch_related(
                    models.Prefetch(
                        "commitments",
                        queryset=Commitment.objects.shown(),
                    )
                )
                .order_by("position"),
            ),
            models.Prefetch(
                "conference__participants",
                queryset=Participant.objects.select_related("organization"),
            ),
        )


class Exchange(models.Model):
    Kind = ExchangeKind

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="exchanges")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)

    objects = ExchangeQuerySet.as_manager()

    class Meta:
        ordering = ["conference", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "position"], name="exchange_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ExchangeKind.values),
                name="exchange_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conference.title} #{self.position}"

    def get_absolute_url(self) -> str:
        return reverse("briefings:exchange-detail", args=[self.conference.slug, self.position])

    def conference_organizations(self) -> list[Organization]:
        """The government bodies of the officials who speak in this exchange."""
        speakers = {turn.person_id for turn in self.turns.all() if turn.person_id}
        return [
            participant.organization
            for participant in self.conference.participants.all()
            if participant.person_id in speakers and participant.organization
        ]


class TurnQuerySet(models.QuerySet):
    def by_officials(self) -> TurnQuerySet:
        """An official's turns: answers and statements, where the government speaks."""
        return self.filter(role__in=text.OFFICIAL_ROLES)


class Turn(models.Model):
    Role = TurnRole

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="turns")
    position = models.PositiveIntegerField()
    speaker_label = models.CharField(max_length=300, help_text="Exactly as printed.")
    speaker_title = models.CharField(max_length=300, blank=True)
    # Looked up through `turn_person_briefings` (below), whose first column it is: an index
    # of its own would only make the database pick it and read the rows.
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="turns",
        db_index=False,
    )
    outlet = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    text = models.TextField()

    objects = TurnQuerySet.as_manager()

    class Meta:
        ordering = ["exchange", "position"]
        indexes = [
            # A person's page reads their turns from this index alone, never the rows with
            # their text: the titles they were given and where (speaker_title, outlet), and
            # their answers counted per briefing (role, exchange). At 10x the White House
            # archive the most active official has 269,340 turns (docs/findings.md).
            models.Index(
                fields=["person", "role", "exchange", "outlet", "speaker_title"],
                name="turn_person_briefings",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "position"], name="turn_position_unique"),
            models.CheckConstraint(
                condition=Q(role__in=TurnRole.values),
                name="turn_role_valid",
            ),
            models.CheckConstraint(condition=~Q(speaker_label=""), name="turn_has_speaker"),
        ]

    def __str__(self) -> str:
        return f"{self.speaker_label}: {self.text[:60]}"

    @property
    def is_official(self) -> bool:
        """An answer or a statement: the government speaking (TurnQuerySet.by_officials)."""
        return self.role in text.OFFICIAL_ROLES

    @property
    def speaker_name(self) -> str:
        """The person's name where the label was resolved to one, else the label as printed."""
        return self.person.name if self.person else self.speaker_label

    @property
    def spoken_text(self) -> str:
        """The words spoken, without bracketed notes: what the search index reads."""
        return strip_notes(self.text)

    def segments(self) -> list[tuple[str, bool]]:
        """The text cut into (piece, is_note) so pages can mark "(Laughter.)" apart."""
        pieces: list[tuple[str, bool]] = []
        last = 0
        for match in NOTE_PATTERN.finditer(self.text):
            if match.start() > last:
                pieces.append((self.text[last : match.start()], False))
            pieces.append((match.group(), True))
            last = match.end()
        if last < len(self.text):
            pieces.append((self.text[last:], False))
        return pieces


class IngestRun(models.Model):
    """One ingest: from the command line, an upload, or a re-parse. The admin's ingest log."""

    class Via(models.TextChoices):
        COMMAND = "command", "Command"
        UPLOAD = "upload", "Upload"
        REPARSE = "reparse", "Re-parse"
        FETCH = "fetch", "Fetch"
        WATCH = "watch", "Watch"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        OK = "ok", "Succeeded"
        PARTIAL = "partial", "Some files failed"
        FAILED = "failed", "Failed"
        INTERRUPTED = "interrupted", "Interrupted"

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Which process ran it, so that a run whose process was killed can be told from one
    # still going (briefings/ingest/runlog.py, mark_interrupted_runs).
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    via = models.CharField(max_length=20, choices=Via.choices)
    files = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    created = models.PositiveIntegerField(default=0)
    replaced = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    report = models.TextField(blank=True)
    error_text = models.TextField(blank=True)
    conferences = models.ManyToManyField(
        Conference, blank=True, related_name="ingest_runs", help_text="Briefings it touched."
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.get_via_display()} {self.started_at:%Y-%m-%d %H:%M} ({self.status})"


class WatchedSource(models.Model):
    """A page of the government's site that lists its briefings (or one transcript page),
    visited by `manage.py watch` when due; what it links to that the archive lacks is
    fetched and ingested (briefings/fetching/)."""

    url = models.URLField(max_length=500, unique=True, help_text="The list page's address.")
    format = models.CharField(
        max_length=30, blank=True, help_text="The transcripts' format; empty to detect it."
    )
    every_minutes = models.PositiveIntegerField(
        default=360, help_text="How often to visit, in minutes."
    )
    enabled = models.BooleanField(default=True)
    last_visited_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=20, blank=True)
    last_result = models.TextField(blank=True)

    class Meta:
        ordering = ["url"]
        verbose_name = "source to watch"
        verbose_name_plural = "sources to watch"
        constraints = [
            models.CheckConstraint(
                condition=Q(every_minutes__gte=1), name="watched_source_every_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.url

    def due_at(self) -> dt.datetime | None:
        """When the next visit is due; None when it was never visited (due now)."""
        if self.last_visited_at is None:
            return None
        return self.last_visited_at + dt.timedelta(minutes=self.every_minutes)


class Fetch(models.Model):
    """One address asked of a site, and what came of it: the fetch log. Its validators
    (ETag, Last-Modified) make the next request for the same address conditional."""

    class Result(models.TextChoices):
        FETCHED = "fetched", "Fetched"
        NOT_MODIFIED = "not_modified", "Not modified"
        REFUSED = "refused", "Refused by robots.txt"
        FAILED = "failed", "Failed"

    url = models.URLField(max_length=500, db_index=True)
    final_url = models.URLField(max_length=500, blank=True, help_text="After redirects.")
    fetched_at = models.DateTimeField(db_index=True)
    result = models.CharField(max_length=20, choices=Result.choices)
    http_status = models.PositiveIntegerField(null=True, blank=True)
    # What the page is to the fetcher: a list of transcripts, or a transcript page.
    kind = models.CharField(max_length=20, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    message = models.TextField(blank=True)
    watched = models.ForeignKey(
        WatchedSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="fetches"
    )
    run = models.ForeignKey(
        IngestRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fetches",
        help_text="The ingest that stored what was fetched.",
    )

    class Meta:
        ordering = ["-fetched_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result__in=["fetched", "not_modified", "refused", "failed"]),
                name="fetch_result_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.url} ({self.result}, {self.fetched_at:%Y-%m-%d %H:%M})"


# "Falling due soon": the commitments page's filter and the home page's list.
DUE_SOON_DAYS = 90
RECENTLY_DUE_DAYS = 30  # the home page shows deadlines this far back too
# The status filter's value for machine-found commitments, which have no status yet.
UNREVIEWED = "unreviewed"


class CommitmentQuerySet(models.QuerySet):
    def shown(self) -> CommitmentQuerySet:
        """What the public pages show: everything but what an admin rejected and what was
        retired (its sentence left the transcript, or the extractor no longer finds it)."""
        return self.exclude(review=Commitment.Review.REJECTED).filter(retired="")

    def reviewed(self) -> CommitmentQuerySet:
        """Confirmed or edited by an admin: the only ones whose status means anything, as a
        machine-found commitment's "open" is the default, not a finding."""
        return self.filter(REVIEWED)

    def unreviewed(self) -> CommitmentQuerySet:
        """Machine-found, waiting for an admin: the review queue. A retired one (its
        sentence left the transcript) waits for nobody."""
        return self.filter(review=Commitment.Review.MACHINE, retired="")

    def due_soon(self, today: dt.date, *, days: int = DUE_SOON_DAYS) -> CommitmentQuerySet:
        """Deadlines from today to `days` ahead, both ends included."""
        return self.filter(
            deadline_date__gte=today, deadline_date__lte=today + dt.timedelta(days=days)
        )

    def due_around(
        self, today: dt.date, *, past: int = RECENTLY_DUE_DAYS, ahead: int = DUE_SOON_DAYS
    ) -> CommitmentQuerySet:
        """Reviewed commitments (the ones whose status means something) with a deadline
        from `past` days ago to `ahead` days from now: what falls due, and what just did,
        whatever became of it."""
        return self.reviewed().filter(
            deadline_date__gte=today - dt.timedelta(days=past),
            deadline_date__lte=today + dt.timedelta(days=ahead),
        )

    def overdue(self, today: dt.date) -> CommitmentQuerySet:
        """Past the deadline and still open: reviewed commitments nobody has reported on
        yet. A machine-found one past its deadline is not known to be open at all."""
        return self.reviewed().filter(deadline_date__lt=today, status=Commitment.Status.OPEN)

    def matching(
        self,
        *,
        today: dt.date,
        status: str = "",
        actor: str = "",
        speaker: str = "",
        year: int | None = None,
        due: str = "",
    ) -> CommitmentQuerySet:
        """The commitments page's filters; an empty value filters nothing. `status` is
        UNREVIEWED (machine-found, see `unreviewed`) or a status, which only a reviewed
        commitment has. `due` is "soon" (see `due_soon`) or "overdue"."""
        found = self
        if status == UNREVIEWED:
            found = found.unreviewed()
        elif status:
            found = found.reviewed().filter(status=status)
        if actor:
            found = found.filter(actor__icontains=actor)
        if speaker:
            found = found.filter(turn__person__slug=speaker)
        if year:
            found = found.filter(deadline_date__year=year)
        if due == "soon":
            found = found.due_soon(today)
        elif due == "overdue":
            found = found.overdue(today)
        return found

    def in_order(self, sort: str) -> CommitmentQuerySet:
        """ "deadline": the soonest deadline first, undated last; "newest": the newest
        briefing first, in reading order within it."""
        if sort == "newest":
            return self.order_by(
                models.F("turn__exchange__conference__held_on").desc(nulls_last=True),
                "-turn__exchange__conference_id",
                "turn__exchange__position",
                "turn__position",
                "start",
                "id",
            )
        return self.order_by(models.F("deadline_date").asc(nulls_last=True), "id")

    def for_listing(self) -> CommitmentQuerySet:
        """Each row with its speaker, briefing and exchange in the same query, and the
        speaker's title: as printed in the turn, else from the briefing's participants."""
        participant_title = Participant.objects.filter(
            conference=models.OuterRef("turn__exchange__conference"),
            person=models.OuterRef("turn__person"),
        ).values("title")[:1]
        return self.select_related("turn__person", "turn__exchange__conference").annotate(
            speaker_title=Coalesce(
                NullIf("turn__speaker_title", models.Value("")),
                models.Subquery(participant_title),
                models.Value(""),
            )
        )


class Standing(NamedTuple):
    key: str  # a status, UNREVIEWED or "unreviewed-past": the CSS class's end
    words: str


class CommitmentReview(models.TextChoices):
    MACHINE = "machine", "Machine-found, not reviewed"
    CONFIRMED = "confirmed", "Confirmed"
    EDITED = "edited", "Edited by an admin"
    REJECTED = "rejected", "Rejected"


# Confirmed or edited by an admin (CommitmentQuerySet.reviewed); a condition too, for a
# count that takes only these (the commitments page's timeline).
REVIEWED = Q(review__in=[CommitmentReview.CONFIRMED, CommitmentReview.EDITED])


class CommitmentStatus(models.TextChoices):
    OPEN = "open", "Open"
    FULFILLED = "fulfilled", "Fulfilled"
    PARTLY = "partly", "Partly fulfilled"
    MISSED = "missed", "Missed"
    UNKNOWN = "unknown", "Unknown"


class CommitmentKind(models.TextChoices):
    PLEDGE = "pledge", "Pledge"
    TARGET = "target", "Target"
    PLAN = "plan", "Plan"


class CommitmentRetirement(models.TextChoices):
    SENTENCE_GONE = "sentence-gone", "Its sentence is no longer in the transcript"
    NOT_FOUND = "not-found", "The extractor no longer finds it"


def validate_web_address(address: str) -> None:
    """Only http(s) addresses as a commitment's evidence: the URLField alone also takes
    ftp://, and rendering a javascript: one as a link is the hole (text.is_web_address)."""
    if address and not text.is_web_address(address):
        raise ValidationError(
            "Enter an address starting with http:// or https://.", code="web_address"
        )


class Commitment(models.Model):
    """A checkable pledge in an official's turn, found by the extractor or an admin.

    A row is never deleted by a re-ingest, a re-parse or a re-extraction
    (briefings/ingest/extraction.py): it follows its sentence into the new text and keeps
    its id (the pages' anchors) and its history; one whose sentence is gone, or a
    machine-found one the extractor no longer finds, is retired: kept with its sentence
    and its briefing, off the public pages. Rows an admin confirmed, rejected or edited
    keep the admin's values.
    """

    Review = CommitmentReview
    Status = CommitmentStatus
    Kind = CommitmentKind
    Retired = CommitmentRetirement

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="commitments")
    # SET_NULL: a re-ingest deletes the old turns before it re-points each commitment to
    # the new turn that says its sentence; one left without a turn is retired.
    turn = models.ForeignKey(
        Turn,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        help_text="Empty once retired because its sentence left the transcript.",
    )
    sentence = models.TextField(help_text="Exactly as in the turn's text.")
    start = models.PositiveIntegerField(help_text="Offset of the sentence in the turn's text.")
    end = models.PositiveIntegerField()
    actor = models.CharField(max_length=300, blank=True)
    action = models.TextField(blank=True)
    quantity_text = models.CharField(max_length=300, blank=True)
    quantity_value = models.FloatField(null=True, blank=True)
    quantity_unit = models.CharField(max_length=100, blank=True)
    quantity_modifier = models.CharField(max_length=50, blank=True)
    deadline_text = models.CharField(max_length=300, blank=True)
    deadline_date = models.DateField(null=True, blank=True, db_index=True)
    deadline_precision = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PLEDGE)
    strength = models.CharField(max_length=20, blank=True)
    confidence = models.FloatField(default=0.0)
    extractor_version = models.CharField(max_length=20, blank=True)
    review = models.CharField(
        max_length=20, choices=Review.choices, default=Review.MACHINE, db_index=True
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    status_note = models.TextField(blank=True)
    evidence_url = models.URLField(max_length=500, blank=True, validators=[validate_web_address])
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    retired = models.CharField(
        max_length=20, choices=Retired.choices, blank=True, default="", db_index=True
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    # One more on every save(): the admin's form carries the number it was opened at and
    # refuses to save over a row that changed meanwhile. Re-pointing a row to its sentence
    # in a rewritten transcript (a bulk update) changes nothing an admin sees, and leaves
    # it alone.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        # Undated first, as SQLite sorts NULL in an ascending order; PostgreSQL would put
        # them last.
        ordering = [models.F("deadline_date").asc(nulls_first=True), "id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="commitment_span"),
            models.UniqueConstraint(
                fields=["turn", "start", "end"], name="commitment_one_per_span"
            ),
            models.CheckConstraint(
                condition=Q(review__in=CommitmentReview.values),
                name="commitment_review_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CommitmentStatus.values),
                name="commitment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CommitmentKind.values), name="commitment_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(retired="", retired_at__isnull=True)
                | Q(retired__in=CommitmentRetirement.values, retired_at__isnull=False),
                name="commitment_retired_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.sentence[:100]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.conference_id is None and self.turn_id is not None:
            self.conference_id = Turn.objects.values_list("exchange__conference_id", flat=True).get(
                pk=self.turn_id
            )
        if self.pk is not None and not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version", "updated_at"}
        super().save(*args, **kwargs)

    def standing(self, today: dt.date) -> Standing:
        """The status as the public pages give it. A machine-found commitment has no status
        yet: its stored "open" is only the default."""
        if self.review != self.Review.MACHINE:
            return Standing(self.status, self.get_status_display())
        if self.deadline_date and self.deadline_date < today:
            return Standing("unreviewed-past", "deadline passed, not reviewed")
        return Standing(UNREVIEWED, "not yet reviewed")

    def retire(self, reason: str) -> None:
        """Off the public pages, kept with its sentence, briefing and history; save() it."""
        self.retired = reason
        self.retired_at = timezone.now()
        if reason == self.Retired.SENTENCE_GONE:
            self.turn = None

    def restore(self) -> None:
        """Standing again (its sentence is back, or found again); save() it."""
        self.retired = ""
        self.retired_at = None

    @property
    def evidence_link(self) -> str:
        """The evidence address to link to; empty when it is not an http(s) one (stored
        before addresses were checked), which is then shown as text."""
        return self.evidence_url if text.is_web_address(self.evidence_url) else ""

    @property
    def review_badge(self) -> str:
        """The short word the public pages show: machine-found, confirmed or edited."""
        return "machine-found" if self.review == self.Review.MACHINE else self.review


class CommitmentChange(models.Model):
    """One change to a commitment, field by field: the history an admin can read. An
    admin's edit has its user; a change the archive made (retired by a re-ingest, updated
    by the extractor) has none, and a note saying why."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField(help_text='{"field": ["old", "new"], ...}')
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why, for a change the archive made itself: a re-ingest, the extractor.",
    )

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{', '.join(self.changes)} changed {self.changed_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def pair(old: object, new: object) -> list[object]:
        """A field's [old, new] as `changes` (JSON) holds them: a date or a decimal as text."""
        return [
            value if value is None or isinstance(value, bool | int | float | str) else str(value)
            for value in (old, new)
        ]


class ConferenceSlug(models.Model):
    """A slug a conference went by before: renamed in the admin, or retired by a re-ingest
    that renumbered its exchanges. Links to it redirect (briefings/renumbering.py writes the
    rows, briefings/redirects.py follows them).

    A slug is either a conference's live slug or an old one, never both: taking a slug
    (Conference.save) removes it from here.
    """

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(max_length=120, unique=True)
    retired_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conference", "-retired_at"]

    def __str__(self) -> str:
        return self.slug


class ExchangeRedirect(models.Model):
    """Where the address /briefings/<slug>/<old_position>/ leads now that the exchanges it
    named were renumbered by a re-ingest: the position, in the current numbering, of the
    exchange that holds its content (`exact`), or else of the nearest one that survived.

    Rows always point into the current numbering (each re-ingest rewrites them), so a
    redirect takes one hop and can never loop. An address with no row means the same
    position under the conference's live slug.
    """

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="exchange_redirects"
    )
    slug = models.SlugField(max_length=120, help_text="The slug of the old address.")
    old_position = models.PositiveIntegerField()
    new_position = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty when the briefing has no exchanges left."
    )
    exact = models.BooleanField(
        help_text="The exchange moved here; otherwise it is gone and this is the nearest."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conference", "slug", "old_position"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "old_position"], name="exchange_redirect_address_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slug}/{self.old_position} -> {self.new_position}"


class OldSlug(models.Model):
    """A slug a record went by before: renamed in the admin, or the slug of a record merged
    into it (absorb). Its old addresses redirect (briefings/redirects.py)."""

    slug = models.SlugField(max_length=120, unique=True)
    retired_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.slug


class PersonSlug(OldSlug):
    """/people/<slug>/ of a renamed or merged person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="old_slugs")

    class Meta:
        ordering = ["person", "-retired_at"]


class OrganizationSlug(OldSlug):
    """/outlets/<slug>/ of a renamed or merged outlet."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="old_slugs"
    )

    class Meta:
        ordering = ["organization", "-retired_at"]


# The table of old slugs a new record must not take, per model (unique_slug).
RETIRED_SLUGS: dict[type[models.Model], type[models.Model]] = {
    Conference: ConferenceSlug,
    Person: PersonSlug,
    Organization: OrganizationSlug,
}


class NotDuplicate(models.Model):
    """Two records an admin said are not the same, though a rule pairs them ("FT" of Fuji TV
    and the Financial Times): the Possible duplicates page does not offer them again.

    By primary key, not foreign key, so that one table serves people and organizations; a
    record merged away leaves a row that pairs nothing.
    """

    class Kind(models.TextChoices):
        PERSON = "person", "People"
        OUTLET = "outlet", "Outlets"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    first_id = models.PositiveIntegerField()
    second_id = models.PositiveIntegerField()
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-dismissed_at", "-id"]
        verbose_name = "pair marked not the same"
        verbose_name_plural = "pairs marked not the same"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "first_id", "second_id"], name="not_duplicate_pair_unique"
            ),
            models.CheckConstraint(
                condition=Q(first_id__lt=models.F("second_id")), name="not_duplicate_pair_ordered"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["person", "outlet"]), name="not_duplicate_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.first_id} is not {self.second_id}"
