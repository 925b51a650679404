"""Decisions never lost: commitments keep their ids, history and review across a re-ingest,
a re-parse and a re-extraction; one whose sentence is gone is retired, never deleted; an
admin's form saved across a re-ingest lands, or says it cannot, and loses nothing.

On a real White House transcript (demo/, public domain) and an edited copy of it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from briefings.export import write_jsonl
from briefings.ingest.extraction import reextract_conference
from briefings.ingest.load import load_conference
from briefings.ingest.run import read_documents
from briefings.models import Commitment, CommitmentChange, Conference, Turn
from tests.conftest import Writer, briefing, official, reporter, source_file, until_waiting

pytestmark = pytest.mark.django_db

COVID_TEAM = next(
    (Path(__file__).resolve().parent.parent / "demo" / "white-house").glob("2021-02-09-*.md")
)
# The sentence the edited copy says otherwise: its commitment is retired.
GONE = "Ultimately, in this initial program phase, we plan to reach 250 community health centers."
SAID_NOW = "we plan to reach two hundred and fifty community health centers."
# After it in the same answer: it moves to new offsets, and stays.
AFTER = (
    "And again, across this initial phase, our goal is to allocate 1 million doses during "
    "this phase."
)


def ingest(path: Path, **options: object) -> str:
    out = io.StringIO()
    call_command("ingest", str(path), stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def edited_copy(folder: Path) -> Path:
    text = COVID_TEAM.read_text()
    old = "we plan to reach 250\ncommunity health centers."
    assert old in text
    copy = folder / COVID_TEAM.name
    copy.write_text(
        text.replace(old, "we plan to reach two hundred\nand fifty community health centers.")
    )
    return copy


def by_sentence() -> dict[str, Commitment]:
    return {row.sentence: row for row in Commitment.objects.all()}


def commitment_change_form(admin_client, commitment: Commitment) -> tuple[str, dict]:
    """The change form as an admin opens it: its URL and the values it would post."""
    url = reverse("admin:briefings_commitment_change", args=[commitment.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for number, history in enumerate(formset.forms):
            data[f"{formset.prefix}-{number}-id"] = history.instance.pk
            data[f"{formset.prefix}-{number}-commitment"] = commitment.pk
    return url, data


def confirm_in_admin(admin_client, commitment: Commitment) -> None:
    changelist = reverse("admin:briefings_commitment_changelist")
    admin_client.post(changelist, {"action": "confirm", "_selected_action": [commitment.pk]})


def test_it_keeps_every_commitment_through_a_replace_with_the_same_file(admin_client):
    ingest(COVID_TEAM)
    before = by_sentence()
    confirm_in_admin(admin_client, before[AFTER])

    assert "1 unchanged" in ingest(COVID_TEAM, replace=True)

    assert {s: c.pk for s, c in by_sentence().items()} == {s: c.pk for s, c in before.items()}
    assert before[AFTER].changes.get().changes == {"review": ["machine", "confirmed"]}


def test_a_reparse_keeps_ids_history_and_reviews_on_the_new_turns(admin_client):
    ingest(COVID_TEAM)
    before = by_sentence()
    assert len(before) >= 5
    confirm_in_admin(admin_client, before[GONE])
    old_turns = set(Turn.objects.values_list("pk", flat=True))

    call_command("reparse", stdout=io.StringIO())

    after = by_sentence()
    assert {s: c.pk for s, c in after.items()} == {s: c.pk for s, c in before.items()}
    assert not old_turns & set(Turn.objects.values_list("pk", flat=True))  # all rewritten
    for row in after.values():
        assert row.retired == ""
        assert row.turn.text[row.start : row.end] == row.sentence
    assert after[GONE].review == Commitment.Review.CONFIRMED
    assert after[GONE].changes.get().changes == {"review": ["machine", "confirmed"]}


def test_an_edited_transcript_retires_the_changed_sentence_and_keeps_the_others(
    admin_client, tmp_path
):
    ingest(COVID_TEAM)
    before = by_sentence()
    confirm_in_admin(admin_client, before[GONE])
    after_offsets = (before[AFTER].start, before[AFTER].end)

    ingest(edited_copy(tmp_path), replace=True)

    after = by_sentence()
    retired = after[GONE]
    assert retired.pk == before[GONE].pk
    assert retired.retired == Commitment.Retired.SENTENCE_GONE
    assert retired.turn is None
    assert retired.conference == before[GONE].conference
    assert retired.review == Commitment.Review.CONFIRMED
    why = retired.changes.order_by("-id").first()
    assert why.user is None
    assert why.changes["retired"] == ["", "sentence-gone"]
    assert why.changes["said in"][0].startswith("exchange ")
    assert "no longer in the re-ingested transcript" in why.note
    assert retired.changes.count() == 2  # the admin's confirmation is still there

    kept = after[AFTER]
    assert kept.pk == before[AFTER].pk
    assert kept.retired == ""
    assert (kept.start, kept.end) != after_offsets
    assert kept.turn.text[kept.start : kept.end] == AFTER
    for sentence, row in before.items():
        if sentence != GONE:
            assert after[sentence].pk == row.pk
            assert after[sentence].retired == ""
    assert any(SAID_NOW in sentence for sentence in after)  # the new words, a new row


def test_a_retired_commitment_is_not_shown_publicly_and_the_admin_says_so(
    client, admin_client, tmp_path
):
    ingest(COVID_TEAM)
    conference = Conference.objects.get()
    ingest(edited_copy(tmp_path), replace=True)
    retired = Commitment.objects.get(sentence=GONE)

    listing = client.get(reverse("briefings:commitment-list"), {"format": "json"}).json()
    assert retired.pk not in [row["id"] for row in listing["results"]]
    assert Commitment.objects.get(sentence=AFTER).pk in [row["id"] for row in listing["results"]]
    page = client.get(conference.get_absolute_url()).content.decode()
    assert f"commitment-{retired.pk}" not in page
    assert GONE not in page

    change = admin_client.get(reverse("admin:briefings_commitment_change", args=[retired.pk]))
    assert change.status_code == 200
    assert "This commitment is retired (its sentence is no longer in the transcript)" in (
        change.content.decode()
    )
    queue = admin_client.get(
        reverse("admin:briefings_commitment_changelist"), {"retired": "sentence-gone"}
    )
    assert GONE[:60] in queue.content.decode()


def test_a_commitments_permalink_follows_it_and_a_retired_one_answers_gone(client, tmp_path):
    ingest(COVID_TEAM)
    ingest(edited_copy(tmp_path), replace=True)
    kept = Commitment.objects.get(sentence=AFTER)
    retired = Commitment.objects.get(sentence=GONE)

    found = client.get(reverse("briefings:commitment-detail", args=[kept.pk]))
    assert found.status_code == 302
    assert found["Location"] == f"{kept.turn.exchange.get_absolute_url()}#commitment-{kept.pk}"
    assert f'id="commitment-{kept.pk}"' in client.get(found["Location"]).content.decode()

    gone = client.get(reverse("briefings:commitment-detail", args=[retired.pk]))
    assert gone.status_code == 410
    page = gone.content.decode()
    assert "Its sentence is no longer in the transcript" in page
    assert GONE in page
    assert retired.conference.get_absolute_url() in page

    kept.review = Commitment.Review.REJECTED
    kept.save()
    assert client.get(reverse("briefings:commitment-detail", args=[kept.pk])).status_code == 404
    assert client.get(reverse("briefings:commitment-detail", args=[999999])).status_code == 404


def test_a_sentence_that_comes_back_brings_its_commitment_back(tmp_path):
    ingest(COVID_TEAM)
    first = Commitment.objects.get(sentence=GONE)
    ingest(edited_copy(tmp_path), replace=True)

    ingest(COVID_TEAM, replace=True)

    back = Commitment.objects.get(sentence=GONE)
    assert back.pk == first.pk
    assert back.retired == ""
    assert back.turn.text[back.start : back.end] == GONE
    assert back.changes.order_by("-id").first().changes == {"retired": ["sentence-gone", ""]}


def test_a_machine_row_the_extractor_no_longer_finds_is_retired_on_its_turn(client):
    ingest(COVID_TEAM)
    conference = Conference.objects.get()
    said = "Community health centers are an important part of our broader strategy"
    turn = Turn.objects.get(text__contains=said)
    start = turn.text.index(said)
    end = turn.text.index(".", start) + 1
    # As an older extractor would have read it: a plan, machine-found.
    old = Commitment.objects.create(
        conference=conference, turn=turn, sentence=turn.text[start:end], start=start, end=end
    )
    exchange_page = turn.exchange.get_absolute_url()
    assert f'id="commitment-{old.pk}"' in client.get(exchange_page).content.decode()

    reextract_conference(conference)

    old.refresh_from_db()
    assert (old.retired, old.turn) == (Commitment.Retired.NOT_FOUND, turn)
    assert old.changes.get().note == "retired: the extractor no longer finds it"
    assert f'id="commitment-{old.pk}"' not in client.get(exchange_page).content.decode()
    stream = io.StringIO()
    write_jsonl(stream)
    record = json.loads(stream.getvalue())
    exported = [
        commitment["sentence"]
        for exchange in record["exchanges"]
        for each in exchange["turns"]
        for commitment in each["commitments"]
    ]
    assert old.sentence not in exported
    assert AFTER in exported
    gone = client.get(reverse("briefings:commitment-detail", args=[old.pk]))
    assert gone.status_code == 410
    assert exchange_page in gone.content.decode()


def test_an_admin_form_opened_before_a_replace_cannot_save_over_a_retired_commitment(
    admin_client, tmp_path
):
    ingest(COVID_TEAM)
    doomed = Commitment.objects.get(sentence=GONE)
    url, data = commitment_change_form(admin_client, doomed)

    ingest(edited_copy(tmp_path), replace=True)
    data.update(status="fulfilled", status_note="All 250 reached by March.")
    response = admin_client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "changed after you opened this form" in page
    assert "so nothing was saved" in page
    assert "It is now retired: its sentence is no longer in the transcript." in page
    assert "All 250 reached by March." in page  # the admin's words, still in the form
    doomed.refresh_from_db()
    assert doomed.retired == Commitment.Retired.SENTENCE_GONE
    assert doomed.status == Commitment.Status.OPEN
    assert not doomed.changes.filter(user__isnull=False).exists()


def test_an_admin_form_opened_before_a_replace_saves_on_a_kept_commitment(admin_client, tmp_path):
    ingest(COVID_TEAM)
    kept = Commitment.objects.get(sentence=AFTER)
    url, data = commitment_change_form(admin_client, kept)

    ingest(edited_copy(tmp_path), replace=True)
    data.update(status="partly", status_note="750,000 doses by March.")
    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    kept.refresh_from_db()
    assert (kept.status, kept.status_note) == ("partly", "750,000 doses by March.")
    assert kept.review == Commitment.Review.EDITED
    assert kept.retired == ""
    assert kept.turn.text[kept.start : kept.end] == AFTER  # the new turn, not the old one
    assert kept.changes.get().changes["status"] == ["open", "partly"]


def test_an_admin_form_refuses_a_save_over_another_admins(admin_client):
    ingest(COVID_TEAM)
    commitment = Commitment.objects.get(sentence=AFTER)
    url, data = commitment_change_form(admin_client, commitment)
    _url, other = commitment_change_form(admin_client, commitment)
    other.update(status="missed")
    assert admin_client.post(url, other).status_code == 302

    data.update(status="fulfilled")
    response = admin_client.post(url, data)

    assert "changed after you opened this form" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.MISSED


def test_re_extraction_keeps_machine_ids_and_records_a_new_deadline():
    ingest(COVID_TEAM)
    conference = Conference.objects.get()
    before = by_sentence()
    next_week = next(row for row in before.values() if row.deadline_text == "next week")

    conference.held_on = conference.held_on + dt.timedelta(days=14)
    conference.save()
    reextract_conference(conference)

    after = by_sentence()
    assert {s: c.pk for s, c in after.items()} == {s: c.pk for s, c in before.items()}
    moved = after[next_week.sentence]
    assert moved.deadline_date > next_week.deadline_date
    change = moved.changes.get()
    assert change.changes["deadline_date"][0] == next_week.deadline_date.isoformat()
    assert change.note.startswith("found again by the extractor")
    undated = [row for row in after.values() if not row.deadline_text]
    assert undated
    assert not CommitmentChange.objects.filter(commitment__in=undated).exists()


# Races: the admin's save and the re-ingest at the same moment, each on its own connection
# (tests/test_concurrent_writers.py). On PostgreSQL the second waits for the row lock the
# first holds; on SQLite for the one writing transaction.


@pytest.mark.django_db(transaction=True)
def test_an_admin_save_waiting_for_a_replace_says_the_commitment_changed(admin_client, tmp_path):
    ingest(COVID_TEAM)
    doomed = Commitment.objects.get(sentence=GONE)
    url, data = commitment_change_form(admin_client, doomed)
    data.update(status="fulfilled")
    edited = read_documents([(str(COVID_TEAM), edited_copy(tmp_path).read_bytes())])[0]

    with transaction.atomic():
        load_conference(edited.parsed, edited.sources, replace=True)
        save = Writer(lambda: admin_client.post(url, data))
        save.start()
        until_waiting(save)

    response = save.outcome()
    assert response.status_code == 200
    assert "changed after you opened this form" in response.content.decode()
    doomed.refresh_from_db()
    assert (doomed.retired, doomed.status) == (Commitment.Retired.SENTENCE_GONE, "open")


@pytest.mark.django_db(transaction=True)
def test_a_replace_waiting_for_an_admin_save_keeps_the_decision(tmp_path):
    ingest(COVID_TEAM)
    edited = read_documents([(str(COVID_TEAM), edited_copy(tmp_path).read_bytes())])[0]

    with transaction.atomic():
        kept = Commitment.objects.select_for_update().get(sentence=AFTER)
        kept.review, kept.status = Commitment.Review.CONFIRMED, Commitment.Status.MISSED
        kept.save()
        replace = Writer(lambda: load_conference(edited.parsed, edited.sources, replace=True))
        replace.start()
        until_waiting(replace)

    replace.outcome()
    after = Commitment.objects.get(pk=kept.pk)
    assert (after.review, after.status, after.retired) == ("confirmed", "missed", "")
    assert after.turn.text[after.start : after.end] == AFTER


def test_a_sentence_with_two_commitments_keeps_the_same_one_through_re_extractions() -> None:
    """Both clauses of this sentence are commitments, and a row is one sentence: the first
    is kept, the same one every run, never swapped for the second (demo/scio)."""
    two = (
        "In 2023, we will provide subsidized vocational training for more than 15 million "
        "people, and we will build 300 high-skilled talent training bases by 2025."
    )
    load_conference(
        briefing(
            "SCIO briefing on jobs",
            dt.date(2023, 2, 24),
            [reporter("CCTV", "What about training?"), official("Li Zhong", two)],
        ),
        [source_file("jobs.txt", "jobs")],
    )
    [row] = Commitment.objects.all()
    first = (row.quantity_text, row.deadline_date, row.version)

    for _ in range(2):
        reextract_conference(Conference.objects.get())

    row.refresh_from_db()
    assert (row.quantity_text, row.deadline_date, row.version) == first
    assert row.quantity_text == "more than 15 million people"
    assert not CommitmentChange.objects.exists()


def test_an_archive_files_decision_goes_on_the_stored_row_of_its_sentence(tmp_path):
    ingest(COVID_TEAM)
    before = by_sentence()
    stream = io.StringIO()
    write_jsonl(stream)
    record = json.loads(stream.getvalue())
    for exchange in record["exchanges"]:
        for turn in exchange["turns"]:
            for commitment in turn["commitments"]:
                if commitment["sentence"] == AFTER:
                    commitment["review"] = Commitment.Review.CONFIRMED
                    commitment["status_note"] = "Checked against the March report."
    # Another word in a question, so the file is not the transcript stored already.
    record["exchanges"][-1]["turns"][0]["text"] += " Thank you."
    archive = tmp_path / "archive.jsonl"
    archive.write_text(json.dumps(record) + "\n")

    ingest(archive, replace=True)

    kept = Commitment.objects.get(pk=before[AFTER].pk)
    assert (kept.review, kept.status_note) == (
        Commitment.Review.CONFIRMED,
        "Checked against the March report.",
    )
    change = kept.changes.get()
    assert change.note == "a decision an archive file carried"
    assert change.changes == {
        "review": ["machine", "confirmed"],
        "status_note": ["", "Checked against the March report."],
    }
