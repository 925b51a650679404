"""Commitments into the database: during ingest, on re-extraction, across re-ingests.

The extractor (briefings/commitments/) is pure; this module decides which turns it reads,
what "we" means for each speaker, and what happens to stored commitments when the
extractor or the transcript changes. No commitment is deleted: each follows its sentence
into a re-ingested transcript and keeps its id, review and history (`HeldCommitments`);
one whose sentence is gone is retired. A machine-found row the extractor finds again keeps
its id too, with the extractor's new values; one it no longer finds is retired. Confirmed,
edited and rejected commitments are never replaced by a new machine guess. Every change
the archive makes to a row is written to its history with a note saying why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet

from ..commitments import Commitment as Found
from ..commitments import extract_commitments
from ..models import Commitment, CommitmentChange, Conference, Organization, Participant, Turn
from ..signals import announce_exchanges

# What the extractor decides on a machine-found row; found again, the row takes its new values.
MACHINE_FIELDS = [
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
]
# Fields an admin may have set: what a decision an archive file carried sets on its row.
REVIEWED_FIELDS = [
    "sentence",
    *MACHINE_FIELDS,
    "review",
    "status",
    "status_note",
    "evidence_url",
    "reviewed_by_id",
    "reviewed_at",
]
# Changed on every extractor release: updated without a history entry of their own.
UNRECORDED_FIELDS = {"confidence", "extractor_version"}


def reference_date(conference: Conference) -> dt.date | None:
    """The date deadlines are resolved against: when the words were said."""
    return conference.held_on or conference.published_on


@dataclass
class Extracted:
    """What one run of the extractor over a conference did to its stored commitments."""

    found: int = 0  # new machine-found rows
    updated: int = 0  # machine-found rows found again with other values
    retired: int = 0  # machine-found rows no longer found
    restored: int = 0  # retired rows standing again


@transaction.atomic
def extract_for_conference(conference: Conference) -> Extracted:
    """The extractor over the officials' turns of one conference, reconciled with the rows
    stored: a machine-found row found again keeps its id and takes the extractor's values,
    a new find is added, a machine-found row no longer found is retired, and spans an
    admin decided on are left alone.

    An undated conference gets its commitments too, with relative deadlines ("by next
    month") kept as printed and without a date until the conference has one
    (`reextract_conference` then resolves them)."""
    when = reference_date(conference)
    turns = Turn.objects.by_officials().filter(exchange__conference=conference)
    turns = turns.select_related("person")
    speakers = {
        participant.person_id: participant
        for participant in Participant.objects.filter(conference=conference).select_related(
            "organization"
        )
    }
    organizer = conference.organizer.name if conference.organizer else ""
    # Locked until the transaction ends: an admin's save of one of them waits, then finds
    # it changed (Commitment.version) instead of being overwritten by a machine guess.
    stored = {
        (row.turn_id, row.start, row.end): row
        for row in Commitment.objects.filter(
            conference=conference, turn__isnull=False
        ).select_for_update()
    }
    decided = [key for key, row in stored.items() if row.review != Commitment.Review.MACHINE]
    seen: set[int] = set()
    taken: set[tuple[int, int, int]] = set()
    rows = []
    extracted = Extracted()
    for turn in turns:
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
            # bulk_create's ignore_conflicts below: SQLite's INSERT OR IGNORE would also
            # drop, silently, a row that breaks a check constraint; PostgreSQL's ON CONFLICT
            # DO NOTHING raises. Such a row is dropped here instead, the same on both.
            if found.start >= found.end or found.kind not in Commitment.Kind.values:
                continue
            span = (turn.pk, found.start, found.end)
            if span in taken:
                # One row a sentence: the first commitment the extractor gives in it, the
                # same one each run, so a re-extraction never swaps it for the next one.
                continue
            taken.add(span)
            if any(
                turn_id == turn.pk and start < found.end and found.start < end
                for turn_id, start, end in decided
            ):
                continue
            row = stored.get(span)
            if row is not None:
                seen.add(row.pk)
                extracted.updated += _found_again(row, found)
                if row.retired:
                    _restore(row, "the extractor finds it again")
                    extracted.restored += 1
                continue
            rows.append(
                Commitment(
                    conference=conference,
                    turn=turn,
                    sentence=found.sentence,
                    start=found.start,
                    end=found.end,
                    **_machine_values(found),
                )
            )
    Commitment.objects.bulk_create(rows, ignore_conflicts=True)
    extracted.found = len(rows)
    for row in stored.values():
        if row.review != Commitment.Review.MACHINE:
            # An admin's decision stands while its sentence does.
            if row.retired:
                _restore(row, "an admin's decision on a sentence still in the transcript")
                extracted.restored += 1
        elif row.pk not in seen and row.retired != Commitment.Retired.NOT_FOUND:
            _retire(row, Commitment.Retired.NOT_FOUND, "the extractor no longer finds it")
            extracted.retired += 1
    return extracted


def _machine_values(found: Found) -> dict[str, object]:
    return {
        "actor": found.actor[:300],
        "action": found.action,
        "quantity_text": found.quantity_text[:300],
        "quantity_value": found.quantity_value,
        "quantity_unit": found.quantity_unit[:100],
        "quantity_modifier": found.quantity_modifier[:50],
        "deadline_text": found.deadline_text[:300],
        "deadline_date": found.deadline_date,
        "deadline_precision": found.deadline_precision,
        "kind": found.kind,
        "strength": found.strength,
        "confidence": found.confidence,
        "extractor_version": found.extractor_version,
    }


def _found_again(row: Commitment, found: Found) -> bool:
    """A machine-found row takes the extractor's new values (a deadline resolved against a
    new date, a better reading); True when something an admin would see changed."""
    return _update(
        row,
        _machine_values(found),
        MACHINE_FIELDS,
        note=f"found again by the extractor {found.extractor_version}",
        unrecorded=UNRECORDED_FIELDS,
    )


def _update(
    row: Commitment,
    values: dict[str, object],
    fields: list[str],
    *,
    note: str,
    unrecorded: set[str] | frozenset[str] = frozenset(),
) -> bool:
    """The `fields` of `row` whose value in `values` differs, set and saved, with a history
    entry for those not `unrecorded`; True when one was written."""
    changed = [name for name in fields if getattr(row, name) != values[name]]
    if not changed:
        return False
    changes = {
        name: CommitmentChange.pair(getattr(row, name), values[name])
        for name in changed
        if name not in unrecorded
    }
    for name in changed:
        setattr(row, name, values[name])
    row.save(update_fields=changed)
    if changes:
        CommitmentChange.objects.create(commitment=row, changes=changes, note=note)
    return bool(changes)


def _retire(row: Commitment, reason: str, why: str, *, where: str = "") -> None:
    changes: dict[str, list] = {"retired": [row.retired, reason]}
    if reason == Commitment.Retired.SENTENCE_GONE:
        changes["said in"] = [where, None]
    row.retire(reason)
    row.save(update_fields=["turn", "retired", "retired_at"])
    CommitmentChange.objects.create(commitment=row, changes=changes, note=f"retired: {why}")


def _restore(row: Commitment, why: str) -> None:
    changes = {"retired": [row.retired, ""]}
    row.restore()
    row.save(update_fields=["retired", "retired_at"])
    CommitmentChange.objects.create(commitment=row, changes=changes, note=f"restored: {why}")


@dataclass
class ReextractReport:
    conferences: int = 0
    found: int = 0
    updated: int = 0
    retired: int = 0
    kept_reviewed: int = 0


def reextract(conferences: Iterable[Conference] | None = None) -> ReextractReport:
    """Run the current extractor again: machine-found rows are found again (or retired),
    reviewed ones kept."""
    report = ReextractReport()
    selected = conferences if conferences is not None else Conference.objects.all()
    for conference in selected.select_related("organizer").iterator(chunk_size=100):
        extracted = reextract_conference(conference)
        report.found += extracted.found
        report.updated += extracted.updated
        report.retired += extracted.retired
        report.conferences += 1
    report.kept_reviewed = (
        Commitment.objects.exclude(review=Commitment.Review.MACHINE).filter(retired="").count()
    )
    return report


@transaction.atomic
def reextract_conference(conference: Conference) -> Extracted:
    """One conference's commitments found again, against its date as it is now; reviewed
    ones are kept."""
    extracted = extract_for_conference(conference)
    announce_exchanges(conference.exchanges.values_list("pk", flat=True))
    return extracted


def _turns_in_order(conference: Conference) -> QuerySet[Turn]:
    return Turn.objects.filter(exchange__conference=conference).order_by(
        "exchange__position", "position"
    )


@dataclass(frozen=True)
class _Held:
    """A stored commitment as it stood before its transcript was rewritten."""

    pk: int
    sentence: str
    review: str
    index: int | None  # its turn's place in the briefing's reading order; None: no turn
    turn_text: str
    start: int
    where: str  # "exchange 4, turn 2 (MS. PSAKI)", for the history of a retired one


@dataclass(frozen=True)
class _Place:
    turn: Turn
    start: int
    end: int

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.turn.pk, self.start, self.end)


@dataclass
class HeldCommitments:
    """A conference's commitments, taken before its transcript is rewritten (the old
    turns go, and a commitment's turn with them), kept by `keep` once the new turns are
    written; and the decisions an archive file brings (`imported`: field values by name,
    each with "_where": (exchange, turn) positions)."""

    held: list[_Held] = field(default_factory=list)
    imported: list[dict] = field(default_factory=list)

    @classmethod
    def take(cls, conference: Conference) -> HeldCommitments:
        turns = {
            pk: (index, text, f"exchange {exchange}, turn {position} ({label})")
            for index, (pk, text, exchange, position, label) in enumerate(
                _turns_in_order(conference).values_list(
                    "pk", "text", "exchange__position", "position", "speaker_label"
                )
            )
        }
        # Locked until the rewrite commits (PostgreSQL; SQLite has one writer at a time):
        # an admin's save waits for it and then sees the row changed, rather than the
        # rewrite working from values that save is replacing.
        rows = (
            Commitment.objects.filter(conference=conference)
            .select_for_update()
            .order_by("pk")
            .values_list("pk", "sentence", "review", "turn_id", "start")
        )
        held = []
        for pk, sentence, review, turn_id, start in rows:
            index, text, where = turns.get(turn_id, (None, "", ""))
            held.append(_Held(pk, sentence, review, index, text, start, where))
        return cls(held)

    def keep(self, conference: Conference) -> list[str]:
        """Each held commitment re-pointed to where the new text says its sentence, with
        its id, review and history; one whose sentence is gone retired. Then the imported
        decisions, on the rows of their sentences. Returns warnings."""
        turns = list(_turns_in_order(conference).select_related("exchange"))
        spans: dict[tuple[int, int, int], int] = {}
        places: dict[int, _Place | None] = {}
        # A sentence said twice goes to an admin's decision before a machine guess.
        for held in sorted(self.held, key=lambda held: held.review == Commitment.Review.MACHINE):
            place = _nearest_place(held.sentence, turns, near=held, taken=spans)
            places[held.pk] = place
            if place is not None:
                spans[place.key] = held.pk
        rows = Commitment.objects.in_bulk(list(places))
        wheres = {held.pk: held.where for held in self.held}
        moved = []
        warnings = []
        for pk, place in places.items():
            row = rows[pk]
            if place is None:
                if row.retired != Commitment.Retired.SENTENCE_GONE:
                    _retire(
                        row,
                        Commitment.Retired.SENTENCE_GONE,
                        "its sentence is no longer in the re-ingested transcript",
                        where=wheres[pk],
                    )
                    if row.review != Commitment.Review.MACHINE:
                        warnings.append(
                            f"a reviewed commitment was retired, its sentence is gone: "
                            f"{row.sentence!r}"
                        )
                continue
            row.turn, row.start, row.end = place.turn, place.start, place.end
            moved.append(row)
        # Not save(): the row's place changed, nothing an admin sees, so its version stays
        # and a form opened before the rewrite still saves.
        Commitment.objects.bulk_update(moved, ["turn", "start", "end"])
        for row in moved:
            if row.retired == Commitment.Retired.SENTENCE_GONE:
                if row.review == Commitment.Review.MACHINE:
                    continue  # the extractor decides (extract_for_conference)
                _restore(row, "its sentence is back in the transcript")
        warnings += self._apply_imported(conference, turns, spans)
        return warnings

    def _apply_imported(
        self,
        conference: Conference,
        turns: list[Turn],
        spans: dict[tuple[int, int, int], int],
    ) -> list[str]:
        """Decisions an archive file carried win over the stored ones: each goes on the row
        of its sentence, or becomes one."""
        warnings = []
        indexes = {
            (turn.exchange.position, turn.position): index for index, turn in enumerate(turns)
        }
        for imported in self.imported:
            values = dict(imported)
            where = tuple(values.pop("_where", ()))
            near = _Held(0, values["sentence"], "", indexes.get(where), "", 0, "")
            place = _nearest_place(values["sentence"], turns, near=near, taken={})
            if place is None:
                warnings.append(f"a reviewed commitment no longer matches: {values['sentence']!r}")
                continue
            pk = spans.get(place.key)
            if pk is None:
                row = Commitment.objects.create(
                    conference=conference,
                    turn=place.turn,
                    start=place.start,
                    end=place.end,
                    **values,
                )
                spans[place.key] = row.pk
                continue
            row = Commitment.objects.get(pk=pk)
            _update(row, values, REVIEWED_FIELDS, note="a decision an archive file carried")
        return warnings


def _nearest_place(
    sentence: str, turns: list[Turn], *, near: _Held, taken: dict[tuple[int, int, int], int]
) -> _Place | None:
    """Where the new turns say `sentence`, word for word, at a place no other row took: in
    a turn with the same text as before first, then the turn nearest its old place in
    reading order, then the offset nearest its old one."""
    if not sentence:
        return None
    best: tuple[tuple[bool, int, int], _Place] | None = None
    for index, turn in enumerate(turns):
        start = turn.text.find(sentence)
        while start != -1:
            place = _Place(turn, start, start + len(sentence))
            if place.key not in taken:
                rank = (
                    turn.text != near.turn_text,
                    abs(index - near.index) if near.index is not None else 0,
                    abs(start - near.start),
                )
                if best is None or rank < best[0]:
                    best = (rank, place)
            start = turn.text.find(sentence, start + 1)
    return best[1] if best is not None else None
