"""Commitments as admins live with them: found at ingest, reviewed, kept across re-runs."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from briefings.export import write_jsonl
from briefings.ingest.exchanges import group_exchanges
from briefings.ingest.load import load_conference
from briefings.models import Commitment, CommitmentChange, Turn
from tests.conftest import chair, miit_briefing, official, reporter, source_file

pytestmark = pytest.mark.django_db

PLEDGE = "By the end of this year, we will serve 100,000 SMEs."


def pledge(commitment_text: str = PLEDGE) -> Commitment:
    return Commitment.objects.get(sentence=commitment_text)


def test_ingest_finds_the_pledge_with_its_deadline_and_actor():
    load_conference(miit_briefing(), [source_file()])

    commitment = pledge()
    assert commitment.deadline_date == dt.date(2022, 12, 31)
    assert commitment.quantity_text == "100,000 SMEs"
    assert commitment.actor == "Ministry of Industry"
    assert commitment.turn.text[commitment.start : commitment.end] == PLEDGE
    assert commitment.review == Commitment.Review.MACHINE


def test_questions_and_the_chair_never_make_commitments():
    parsed = miit_briefing()
    parsed.exchanges = group_exchanges(
        [
            chair("Xi Yanchun", "By the end of this year, we will hold 12 more briefings."),
            reporter("CCTV", "By the end of this year, will you serve 100,000 SMEs?"),
            reporter("China Daily", "By the end of this year, we will publish 50 reports."),
            official("Tian Yulong", "We will build 300 smart factories by 2025."),
        ]
    )

    load_conference(parsed, [source_file()])

    assert [c.turn.speaker_label for c in Commitment.objects.all()] == ["Tian Yulong"]


def test_confirming_and_editing_in_the_admin_keep_a_history(admin_client):
    load_conference(miit_briefing(), [source_file()])
    commitment = pledge()
    changelist = reverse("admin:briefings_commitment_changelist")

    queue = admin_client.get(changelist, {"review__exact": "machine"})
    assert PLEDGE[:60] in queue.content.decode()
    admin_client.post(changelist, {"action": "confirm", "_selected_action": [commitment.pk]})
    commitment.refresh_from_db()
    assert commitment.review == Commitment.Review.CONFIRMED

    change = reverse("admin:briefings_commitment_change", args=[commitment.pk])
    form = admin_client.get(change).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(status="fulfilled", status_note="Reported in the 2023 review.")
    data.update({"changes-TOTAL_FORMS": "1", "changes-INITIAL_FORMS": "1"})
    data.update({"changes-MIN_NUM_FORMS": "0", "changes-MAX_NUM_FORMS": "0"})
    data["changes-0-id"] = CommitmentChange.objects.get().pk
    data["changes-0-commitment"] = commitment.pk
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.FULFILLED
    history = [c.changes for c in commitment.changes.order_by("id")]
    assert history[0] == {"review": ["machine", "confirmed"]}
    assert history[1]["status"] == ["open", "fulfilled"]
    assert commitment.reviewed_by is not None


def test_editing_a_machine_commitment_marks_it_edited(admin_client):
    load_conference(miit_briefing(), [source_file()])
    commitment = pledge()
    change = reverse("admin:briefings_commitment_change", args=[commitment.pk])
    form = admin_client.get(change).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(actor="Ministry of Industry and Information Technology")
    data.update({"changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0"})
    data.update({"changes-MIN_NUM_FORMS": "0", "changes-MAX_NUM_FORMS": "0"})

    admin_client.post(change, data)

    commitment.refresh_from_db()
    assert commitment.review == Commitment.Review.EDITED
    assert commitment.changes.get().changes["actor"][1].endswith("Information Technology")


def test_re_extraction_replaces_machine_rows_and_keeps_decisions():
    load_conference(miit_briefing(), [source_file()])
    confirmed = pledge()
    confirmed.review = Commitment.Review.CONFIRMED
    confirmed.status = Commitment.Status.MISSED
    confirmed.save()
    rejected = Commitment.objects.exclude(pk=confirmed.pk).first()
    rejected.review = Commitment.Review.REJECTED
    rejected.save()
    machine_before = Commitment.objects.filter(review="machine").count()

    call_command("extract_commitments", stdout=io.StringIO())

    confirmed.refresh_from_db()
    assert confirmed.status == Commitment.Status.MISSED
    assert Commitment.objects.filter(turn=rejected.turn, start=rejected.start).count() == 1
    assert Commitment.objects.get(turn=rejected.turn, start=rejected.start).review == "rejected"
    assert Commitment.objects.filter(review="machine").count() == machine_before


def test_a_replaced_transcript_keeps_the_decision_on_its_sentence():
    load_conference(miit_briefing(), [source_file(text="one")])
    commitment = pledge()
    commitment.review = Commitment.Review.CONFIRMED
    commitment.status_note = "Checked against the ministry's report."
    commitment.save()
    changed = miit_briefing()
    changed.exchanges[1].turns[0].text = "Good morning. " + PLEDGE

    load_conference(changed, [source_file(text="two")], replace=True)

    kept = pledge()
    assert kept.review == Commitment.Review.CONFIRMED
    assert kept.status_note == "Checked against the ministry's report."
    assert kept.turn.text[kept.start : kept.end] == PLEDGE
    assert Turn.objects.filter(pk=commitment.turn_id).count() == 0


def test_the_export_carries_commitments_under_their_turn():
    load_conference(miit_briefing(), [source_file()])
    stream = io.StringIO()
    write_jsonl(stream)

    record = json.loads(stream.getvalue())
    turns = [turn for exchange in record["exchanges"] for turn in exchange["turns"]]
    found = [c for turn in turns for c in turn["commitments"]]
    assert any(c["sentence"] == PLEDGE and c["deadline_date"] == "2022-12-31" for c in found)
    assert {"sentence", "deadline_text", "deadline_date", "quantity", "actor"} <= set(found[0])
