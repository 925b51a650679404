"""Commitments into the database: during ingest, on re-extraction, across re-ingests.

The extractor (briefings/commitments/) is pure; this module decides which turns it reads,
what "we" means for each speaker, and what happens to an admin's decisions when the
extractor or the transcript changes: confirmed, edited and rejected commitments are never
replaced by a new machine guess, and they follow their sentence into a re-ingested
transcript.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from ..commitments import extract_commitments
from ..models import Commitment, Conference, Organization, Participant, Turn
from ..signals import announce_exchanges

# Fields an admin may have set, carried into a re-ingested transcript as they are.
REVIEWED_FIELDS = [
    "sentence",
    "actor",
    "action",
    "quantity_text",
    "quantity_value",
    "quantity_unit",
    "quantity_modifier",
    "deadline_text",
    "deadline_date",
    "deadline_precision",
    "kind",
    "strength",
    "confidence",
    "extractor_version",
    "review",
    "status",
    "status_note",
    "evidence_url",
    "reviewed_by_id",
    "reviewed_at",
]


def reference_date(conference: Conference) -> dt.date | None:
    """The date deadlines are resolved against: when the words were said."""
    return conference.held_on or conference.published_on


def extract_for_conference(conference: Conference, turns: Iterable[Turn] | None = None) -> int:
    """Machine-found commitments for the officials' turns of one conference; returns how
    many were stored. Spans an admin already decided on are left alone.

    An undated conference gets its commitments too, with relative deadlines ("by next
    month") kept as printed and without a date until the conference has one
    (`reextract_conference` then resolves them)."""
    when = reference_date(conference)
    if turns is None:
        turns = Turn.objects.by_officials().filter(exchange__conference=conference)
        turns = turns.select_related("person")
    speakers = {
        participant.person_id: participant
        for participant in Participant.objects.filter(conference=conference).select_related(
            "organization"
        )
    }
    organizer = conference.organizer.name if conference.organizer else ""
    decided = {
        (c.turn_id, c.start, c.end)
        for c in Commitment.objects.filter(turn__exchange__conference=conference).exclude(
            review=Commitment.Review.MACHINE
        )
    }
    rows = []
    for turn in turns:
        if not turn.is_official:
            continue
        participant = speakers.get(turn.person_id)
        organization = participant.organization if participant else None
        for found in extract_commitments(
            turn.text,
            when,
            speaker_role=turn.role,
            speaker_org=organization.name if organization else organizer,
            speaker_is_government=organization is None
            or organization.kind == Organization.Kind.GOVERNMENT,
        ):
            if any(
                turn_id == turn.pk and start < found.end and found.start < end
                for turn_id, start, end in decided
            ):
                continue
            # ignore_conflicts below: SQLite's INSERT OR IGNORE would also drop, silently, a
            # row that breaks a check constraint; PostgreSQL's ON CONFLICT DO NOTHING raises.
            # Such a row is dropped here instead, the same on both.
            if found.start >= found.end or found.kind not in Commitment.Kind.values:
                continue
            rows.append(
                Commitment(
                    turn=turn,
                    sentence=found.sentence,
                    start=found.start,
                    end=found.end,
                    actor=found.actor[:300],
                    action=found.action,
                    quantity_text=found.quantity_text[:300],
                    quantity_value=found.quantity_value,
                    quantity_unit=found.quantity_unit[:100],
                    quantity_modifier=found.quantity_modifier[:50],
                    deadline_text=found.deadline_text[:300],
                    deadline_date=found.deadline_date,
                    deadline_precision=found.deadline_precision,
                    kind=found.kind,
                    strength=found.strength,
                    confidence=found.confidence,
                    extractor_version=found.extractor_version,
                )
            )
    Commitment.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@dataclass
class ReextractReport:
    conferences: int = 0
    removed: int = 0
    found: int = 0
    kept_reviewed: int = 0


def reextract(conferences: Iterable[Conference] | None = None) -> ReextractReport:
    """Run the current extractor again: machine-found rows are replaced, reviewed ones kept."""
    report = ReextractReport()
    selected = conferences if conferences is not None else Conference.objects.all()
    for conference in selected.select_related("organizer").iterator(chunk_size=100):
        removed, found = reextract_conference(conference)
        report.removed += removed
        report.found += found
        report.conferences += 1
    report.kept_reviewed = Commitment.objects.exclude(review=Commitment.Review.MACHINE).count()
    return report


@transaction.atomic
def reextract_conference(conference: Conference) -> tuple[int, int]:
    """One conference's machine-found commitments found again, against its date as it is
    now; reviewed ones are kept. Returns (removed, found)."""
    machine = Commitment.objects.filter(
        turn__exchange__conference=conference, review=Commitment.Review.MACHINE
    )
    removed = machine.count()
    machine.delete()
    found = extract_for_conference(conference)
    announce_exchanges(conference.exchanges.values_list("pk", flat=True))
    return removed, found


@dataclass
class ReviewedSnapshot:
    """Admin decisions of a conference, taken before its transcript is rewritten."""

    rows: list[dict] = field(default_factory=list)

    @classmethod
    def take(cls, conference: Conference) -> ReviewedSnapshot:
        reviewed = Commitment.objects.filter(turn__exchange__conference=conference).exclude(
            review=Commitment.Review.MACHINE
        )
        return cls(
            [
                {
                    **{name: getattr(commitment, name) for name in REVIEWED_FIELDS},
                    "_where": (commitment.turn.exchange.position, commitment.turn.position),
                }
                for commitment in reviewed.select_related("turn__exchange")
            ]
        )

    def restore(self, conference: Conference) -> list[str]:
        """Re-attach each decision to the turn that still says its sentence; warnings for
        those whose sentence is gone."""
        if not self.rows:
            return []
        turns = list(
            Turn.objects.filter(exchange__conference=conference).select_related("exchange")
        )
        warnings = []
        for row in self.rows:
            where = row.pop("_where")
            # The same place first, then anywhere in the briefing.
            candidates = sorted(
                (turn for turn in turns if row["sentence"] in turn.text),
                key=lambda turn: (turn.exchange.position, turn.position) != where,
            )
            if not candidates:
                warnings.append(f"a reviewed commitment no longer matches: {row['sentence']!r}")
                continue
            turn = candidates[0]
            start = turn.text.index(row["sentence"])
            end = start + len(row["sentence"])
            Commitment.objects.filter(turn=turn, start__lt=end, end__gt=start).delete()
            Commitment.objects.create(turn=turn, start=start, end=end, **row)
        return warnings
