"""The review page: the machine-found commitments one at a time, with their sentence marked
in the answer; confirm, reject, edit and next; bulk reject by a pattern after a preview;
and the admin index's way in. Through the test client, on briefings loaded by the real
loader (which runs the extractor)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from lxml import html as lxml_html

from briefings.ingest.load import load_conference
from briefings.models import Commitment, CommitmentChange
from tests.conftest import briefing, miit_briefing, official, reporter, source_file

pytestmark = pytest.mark.django_db

SERVE_SMES = "By the end of this year, we will serve 100,000 SMEs."  # confidence 0.9
GUIDELINES = "We will issue guidelines by industry and field."  # confidence 0.65
PARKS = "We will build 40 industrial parks by 2027."
REVIEW = "/admin/briefings/commitment/review/"
BULK = "/admin/briefings/commitment/review/reject/"


@pytest.fixture
def queue() -> dict[str, Commitment]:
    """The MIIT briefing's two commitments (2022), and a later briefing's one (2023), whose
    confidence is made the lowest."""
    load_conference(miit_briefing(), [source_file()])
    later = briefing(
        "SCIO briefing on industrial parks",
        dt.date(2023, 5, 4),
        [reporter("CCTV", "How many parks?"), official("Liang Wenhua", PARKS)],
        organizer="SCIO",
    )
    load_conference(later, [source_file("parks.txt", "parks")])
    Commitment.objects.filter(sentence=PARKS).update(confidence=0.4)
    found = {c.sentence: c for c in Commitment.objects.all()}
    assert set(found) == {SERVE_SMES, GUIDELINES, PARKS}
    return {"smes": found[SERVE_SMES], "guidelines": found[GUIDELINES], "parks": found[PARKS]}


def page(client: object, url: str = REVIEW, **params: str) -> lxml_html.HtmlElement:
    response = client.get(url, params)
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def in_review(document: lxml_html.HtmlElement) -> str:
    """The sentence of the commitment the page shows."""
    return document.xpath("string(//div[@class='review-card']/dl/dd[1])")


def upcoming(document: lxml_html.HtmlElement) -> list[str]:
    return [link.text_content() for link in document.xpath("//ol[@class='review-upcoming']//a")]


def decide(
    client: object, commitment: Commitment, decision: str, card: dict | None = None
) -> object:
    """POST a decision; an edit carries the version the card was opened at, read from the
    page as a browser sends it, unless `card` gives one."""
    card = dict(card or {})
    if decision == "edit" and "seen_version" not in card:
        opened = page(client, at=str(commitment.pk))
        card["seen_version"] = opened.xpath("string(//input[@name='seen_version']/@value)")
    return client.post(REVIEW, {"at": commitment.pk, "decision": decision, **card})


def test_it_shows_the_sentence_marked_in_the_answer_with_its_question_and_card(admin_client, queue):
    document = page(admin_client, at=str(queue["guidelines"].pk))

    assert [mark.text_content() for mark in document.xpath("//div[@id='review-answer']//mark")] == [
        GUIDELINES
    ]
    question = document.xpath("string(//div[@class='review-question'])")
    assert "What will the ministry do next?" in question
    assert "Science and Technology Daily" in question
    card = document.xpath("string(//div[@class='review-card']/dl)")
    assert "0.65" in card
    assert "Ministry of Industry" in card
    assert "3 waiting" in document.xpath("string(//p[@class='review-summary'])")
    keys = document.xpath("string(//p[@id='review-keys'])")
    assert all(f"{key} " in keys for key in ("c", "r", "e", "n", "j", "k"))


def test_it_goes_through_the_queue_in_the_sort_asked_for(admin_client, queue):
    newest = page(admin_client)
    assert [in_review(newest), *upcoming(newest)] == [PARKS, SERVE_SMES, GUIDELINES]
    lowest = page(admin_client, sort="low")
    assert [in_review(lowest), *upcoming(lowest)] == [PARKS, GUIDELINES, SERVE_SMES]
    highest = page(admin_client, sort="high")
    assert [in_review(highest), *upcoming(highest)] == [SERVE_SMES, GUIDELINES, PARKS]

    following = highest.xpath("//a[@rel='next']/@href")[0]
    assert in_review(page(admin_client, following)) == GUIDELINES
    assert page(admin_client, following).xpath("//a[@rel='prev']/@href")


def test_confirming_keeps_the_history_leaves_the_queue_and_shows_the_next(
    admin_client, admin_user, queue
):
    response = decide(admin_client, queue["parks"], "confirm")

    assert response.status_code == 302
    assert in_review(page(admin_client, response.url)) == SERVE_SMES
    parks = Commitment.objects.get(pk=queue["parks"].pk)
    assert parks.review == Commitment.Review.CONFIRMED
    assert parks.reviewed_by == admin_user
    assert parks.reviewed_at is not None
    assert parks.changes.get().changes == {"review": ["machine", "confirmed"]}
    assert PARKS not in [in_review(page(admin_client)), *upcoming(page(admin_client))]


def test_rejecting_keeps_the_history_and_takes_it_off_the_public_pages(admin_client, client, queue):
    exchange = queue["smes"].turn.exchange

    decide(admin_client, queue["smes"], "reject")

    smes = Commitment.objects.get(pk=queue["smes"].pk)
    assert smes.review == Commitment.Review.REJECTED
    assert smes.changes.get().changes == {"review": ["machine", "rejected"]}
    shown = lxml_html.fromstring(client.get(exchange.get_absolute_url()).content.decode())
    assert not shown.xpath("//mark[@class='commitment']")
    assert not shown.find_class("commitment-card")


def test_editing_the_card_marks_it_edited_with_each_field_in_the_history(
    admin_client, admin_user, queue
):
    card = {"actor": "Ministry of Industry and Information Technology", "action": "serve SMEs"}
    card.update(quantity_text="100,000 SMEs", deadline_text="By the end of this year")
    card.update(deadline_date="2022-12-31", kind="target")

    response = decide(admin_client, queue["smes"], "edit", card)

    assert response.status_code == 302
    smes = Commitment.objects.get(pk=queue["smes"].pk)
    assert smes.review == Commitment.Review.EDITED
    assert (smes.actor, smes.kind) == (card["actor"], "target")
    assert smes.reviewed_by == admin_user
    history = smes.changes.get().changes
    assert history["actor"] == ["Ministry of Industry", card["actor"]]
    assert history["kind"] == ["pledge", "target"]
    assert history["review"] == ["machine", "edited"]


def test_an_edit_is_refused_when_the_extractor_changed_the_card_since_the_page_was_opened(
    admin_client, queue
):
    """As the full edit form refuses it: the editor's card was read before the change."""
    document = page(admin_client, at=str(queue["smes"].pk))
    opened = document.xpath("string(//form[@id='review-edit']//input[@name='seen_version']/@value)")
    smes = Commitment.objects.get(pk=queue["smes"].pk)
    smes.deadline_text = "By the end of next year"  # what a re-extraction writes, by save()
    smes.save(update_fields=["deadline_text"])

    card = {"actor": "The ministry", "action": smes.action, "kind": smes.kind}
    card.update(deadline_text="By the end of this year", seen_version=opened)
    response = decide(admin_client, queue["smes"], "edit", card)

    assert response.status_code == 200
    assert "changed after you opened this form" in response.content.decode()
    smes.refresh_from_db()
    assert (smes.review, smes.actor) == (Commitment.Review.MACHINE, "Ministry of Industry")
    assert smes.deadline_text == "By the end of next year"
    assert not smes.changes.exists()


def test_an_edit_that_is_not_valid_shows_the_card_again_with_the_error(admin_client, queue):
    response = decide(admin_client, queue["smes"], "edit", {"deadline_date": "next year"})

    assert response.status_code == 200
    document = lxml_html.fromstring(response.content.decode())
    assert document.xpath("//form[@id='review-edit']//ul[@class='errorlist']")
    assert Commitment.objects.get(pk=queue["smes"].pk).review == Commitment.Review.MACHINE


def test_a_decision_on_one_already_reviewed_changes_nothing_and_says_so(admin_client, queue):
    decide(admin_client, queue["smes"], "confirm")

    response = decide(admin_client, queue["smes"], "reject")

    assert Commitment.objects.get(pk=queue["smes"].pk).review == Commitment.Review.CONFIRMED
    assert CommitmentChange.objects.count() == 1
    shown = admin_client.get(response.url).content.decode()
    assert "was already confirmed" in shown


def test_bulk_reject_previews_what_matches_and_rejects_only_on_confirm(admin_client, queue):
    preview = page(admin_client, BULK, pattern="WE WILL ISSUE")

    assert preview.xpath("string(//h2[@id='bulk-count'])") == "1 waiting commitment matches"
    (match,) = preview.xpath("//ol[@class='review-matches']/li")
    assert match.text_content().startswith(GUIDELINES)
    assert not Commitment.objects.filter(review=Commitment.Review.REJECTED).exists()

    response = admin_client.post(BULK, {"pattern": "WE WILL ISSUE", "count": "1"})

    assert response.status_code == 302
    rejected = Commitment.objects.get(review=Commitment.Review.REJECTED)
    assert rejected.sentence == GUIDELINES
    assert rejected.changes.get().changes == {"review": ["machine", "rejected"]}


def test_bulk_reject_takes_a_regular_expression(admin_client, queue):
    preview = page(admin_client, BULK, pattern=r"^we will (build|issue)\b", regex="on")

    assert preview.xpath("string(//h2[@id='bulk-count'])") == "2 waiting commitments match"

    admin_client.post(BULK, {"pattern": r"^we will (build|issue)\b", "regex": "on", "count": "2"})

    assert set(
        Commitment.objects.filter(review=Commitment.Review.REJECTED).values_list(
            "sentence", flat=True
        )
    ) == {PARKS, GUIDELINES}


def test_a_pattern_that_is_not_a_regular_expression_is_refused_with_a_message(admin_client, queue):
    preview = page(admin_client, BULK, pattern="we will (build", regex="on")

    (error,) = preview.xpath("//ul[@class='errorlist']/li")
    assert error.text_content().startswith("That is not a regular expression: missing )")
    assert not preview.xpath("//h2[@id='bulk-count']")
    response = admin_client.post(BULK, {"pattern": "we will (build", "regex": "on", "count": "1"})
    assert response.status_code == 200
    assert not Commitment.objects.filter(review=Commitment.Review.REJECTED).exists()


def test_bulk_reject_asks_again_when_the_queue_changed_since_the_preview(admin_client, queue):
    decide(admin_client, queue["parks"], "confirm")  # by another editor, after the preview

    response = admin_client.post(BULK, {"pattern": "we will", "count": "3"})

    assert response.status_code == 200
    assert "The queue changed since the preview: 2 now match" in response.content.decode()
    assert not Commitment.objects.filter(review=Commitment.Review.REJECTED).exists()


def test_the_review_page_is_for_staff_with_the_right_to_change_commitments(client, queue):
    assert client.get(REVIEW).status_code == 302  # to the login
    reader = User.objects.create_user("reader", password="a long password 1")
    client.force_login(reader)
    response = client.get(REVIEW)
    assert response.status_code == 302
    assert "/login/" in response.url
    assert client.post(BULK, {"pattern": "we will", "count": "3"}).status_code == 302

    reader.is_staff = True
    reader.save()
    assert client.get(REVIEW).status_code == 403
    assert client.post(REVIEW, {"at": queue["smes"].pk, "decision": "reject"}).status_code == 403
    assert not Commitment.objects.filter(review=Commitment.Review.REJECTED).exists()

    reader.user_permissions.add(Permission.objects.get(codename="change_commitment"))
    assert client.get(REVIEW).status_code == 200


def test_the_admin_index_leads_with_the_review_and_the_upload(admin_client, queue):
    document = page(admin_client, reverse("admin:index"))

    links = document.xpath("//div[@id='editor-tasks']//a")
    assert [(a.text_content(), a.get("href")) for a in links] == [
        ("Review commitments (3 waiting)", REVIEW),
        ("Upload transcripts", reverse("admin:briefings_conference_upload")),
    ]
    decide(admin_client, queue["smes"], "confirm")
    assert "Review commitments (2 waiting)" in admin_client.get("/admin/").content.decode()


def test_when_nothing_waits_the_page_says_so(admin_client):
    document = page(admin_client)

    assert "Nothing is waiting for review" in document.xpath("string(//p[@class='review-done'])")


def test_bulk_reject_takes_more_than_one_batch(admin_client, queue):
    turn = queue["parks"].turn
    Commitment.objects.bulk_create(
        Commitment(
            turn=turn,
            conference=turn.exchange.conference,
            sentence=f"Filler {n}.",
            start=n,
            end=n + 1,
        )
        for n in range(1, 1201)
    )

    admin_client.post(BULK, {"pattern": r"^filler \d+\.$", "regex": "on", "count": "1200"})

    assert Commitment.objects.filter(review=Commitment.Review.REJECTED).count() == 1200
    assert CommitmentChange.objects.count() == 1200
    assert Commitment.objects.unreviewed().count() == 3


def test_the_review_page_queries_stay_bounded(admin_client, django_assert_max_num_queries):
    turns = []
    for n in range(1, 31):
        turns += [
            reporter("CCTV", f"Question {n}?"),
            official("Liang Wenhua", f"We will open {n} centres by 2026."),
        ]
    load_conference(briefing("SCIO briefing", dt.date(2023, 5, 4), turns), [source_file()])
    assert Commitment.objects.count() == 30

    with django_assert_max_num_queries(8):
        document = page(admin_client)

    assert len(upcoming(document)) == 10


def test_a_decision_on_one_whose_briefing_was_deleted_meanwhile_says_it_is_gone(
    admin_client, queue
):
    gone = queue["parks"]
    gone.conference.delete()

    response = decide(admin_client, gone, "confirm")

    assert (
        "That commitment is no longer there: its briefing was deleted."
        in admin_client.get(response.url).content.decode()
    )
    assert not CommitmentChange.objects.exists()


def test_a_retired_commitment_leaves_the_queue_and_a_decision_on_it_changes_nothing(
    admin_client, queue
):
    """Retired by a re-ingest while an editor looked at it: no error, no decision."""
    gone = queue["guidelines"]
    gone.retire(Commitment.Retired.SENTENCE_GONE)
    gone.save()

    assert in_review(page(admin_client, at=str(gone.pk))) != GUIDELINES
    response = decide(admin_client, gone, "confirm")

    assert Commitment.objects.get(pk=gone.pk).review == Commitment.Review.MACHINE
    assert "was retired while you looked at it" in admin_client.get(response.url).content.decode()


def test_the_list_action_confirms_a_retired_commitment_without_an_error(admin_client, queue):
    gone = queue["smes"]
    gone.retire(Commitment.Retired.SENTENCE_GONE)
    gone.save()

    response = admin_client.post(
        reverse("admin:briefings_commitment_changelist"),
        {"action": "confirm", "_selected_action": [gone.pk]},
    )

    assert response.status_code == 302
    assert Commitment.objects.get(pk=gone.pk).review == Commitment.Review.CONFIRMED


def test_it_counts_in_the_list_actions_message_only_the_commitments_it_changed(admin_client, queue):
    decide(admin_client, queue["smes"], "confirm")

    response = admin_client.post(
        reverse("admin:briefings_commitment_changelist"),
        {"action": "confirm", "_selected_action": [queue["smes"].pk, queue["parks"].pk]},
        follow=True,
    )

    assert "Marked 1 as confirmed." in response.content.decode()
    assert CommitmentChange.objects.count() == 2


def test_no_admin_can_delete_a_commitment_and_its_history(admin_client, queue):
    """Rejected or retired, never deleted: the history stays with it."""
    target = queue["smes"]
    changelist = admin_client.get(reverse("admin:briefings_commitment_changelist"))

    assert "delete_selected" not in changelist.content.decode()
    response = admin_client.post(
        reverse("admin:briefings_commitment_delete", args=[target.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Commitment.objects.filter(pk=target.pk).exists()


def test_deleting_a_whole_briefing_in_the_admin_still_takes_its_commitments(admin_client, queue):
    conference = queue["parks"].turn.exchange.conference

    response = admin_client.post(
        reverse("admin:briefings_conference_delete", args=[conference.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Commitment.objects.filter(pk=queue["parks"].pk).exists()
