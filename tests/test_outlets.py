"""One outlet however it is printed: aliases at ingest, merges that keep every turn and
every old address, and the admin's Possible duplicates page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from briefings.audit import audit
from briefings.ingest.load import load_conference
from briefings.ingest.run import ingest_paths
from briefings.models import (
    Conference,
    NotDuplicate,
    Organization,
    Participant,
    Person,
    PersonSlug,
    Turn,
    unique_slug,
)
from tests.conftest import briefing, miit_briefing, official, reporter, source_file

pytestmark = pytest.mark.django_db

DUPLICATES = reverse("admin:briefings_duplicates")
MERGE = reverse("admin:briefings_duplicates_merge")
DISMISS = reverse("admin:briefings_duplicates_dismiss")
# White House transcripts whose reporters give their outlet as "Associated Press", "AP"
# and "the AP".
WH_AP_FILES = [
    "2021-10/2021-10-29-background-press-call-by-senior-administration-officials-on-the-"
    "presidents-upcoming-g20-visit.md",
    "2024-06/2024-06-14-background-press-call-previewing-the-presidents-second-day-at-the-g7.md",
    "2021-05/2021-05-13-press-briefing-by-white-house-covid-19-response-team-and-public-health-"
    "officials-36.md",
]


def asked(outlets: list[str], day: int = 1) -> Conference:
    """A briefing at which a reporter of each outlet asks once and is answered."""
    turns = []
    for outlet in outlets:
        turns += [
            reporter(outlet, f"A question from {outlet} on day {day}?"),
            official("Karine Jean-Pierre", f"An answer to {outlet} on day {day}."),
        ]
    title = f"Press Briefing, day {day}"
    parsed = briefing(title, dt.date(2023, 5, day), turns)
    return load_conference(parsed, [source_file(f"{day}.md", title)]).conference


def outlet(name: str) -> Organization:
    return Organization.objects.get(kind=Organization.Kind.MEDIA, name=name)


# Aliases at ingest.


def test_it_files_ap_associated_press_and_the_ap_under_one_outlet_at_ingest(corpus: Path):
    paths = [corpus / "wh-briefings" / "press-briefings" / name for name in WH_AP_FILES]

    report = ingest_paths(map(str, paths))

    assert report.count("created") == 3
    associated_press = outlet("Associated Press")
    questions = Turn.objects.filter(outlet=associated_press)
    assert questions.values("exchange__conference").distinct().count() == 3
    assert not Organization.objects.filter(name__in=["AP", "The AP"]).exists()
    # The words as printed stay, in the turns around the questions filed under it.
    around = Turn.objects.filter(exchange__turns__outlet=associated_press)
    for printed in ["Colleen with AP.", "the Associated Press.", "Zeke Miller at The AP."]:
        assert around.filter(text__contains=printed).exists(), printed


def test_an_outlet_is_one_whatever_its_case_punctuation_or_leading_the():
    asked(["CBS", "Cbs", "The Hill", "Hill"])

    cbs, hill = outlet("CBS News"), outlet("The Hill")

    assert Turn.objects.filter(outlet=cbs).count() == 2
    assert Turn.objects.filter(outlet=hill).count() == 2


def test_a_pair_no_rule_can_decide_stays_two_outlets():
    asked(["FT", "Financial Times", "ABC", "ABC News"])

    assert {o.name for o in Organization.objects.filter(questions__isnull=False)} == {
        "FT",
        "Financial Times",
        "ABC",
        "ABC News",
    }


def test_an_alias_added_in_the_admin_files_later_questions_there_and_offers_the_merge(
    admin_client,
):
    asked(["Daily Planet", "The Planet"], day=1)
    planet = outlet("Daily Planet")
    change = reverse("admin:briefings_organization_change", args=[planet.pk])

    saved = admin_client.post(
        change,
        {"name": planet.name, "slug": planet.slug, "kind": "media", "aliases": "Planet"},
        follow=True,
    )
    asked(["The Planet"], day=2)

    assert Organization.objects.get(pk=planet.pk).aliases == ["Planet"]
    assert Turn.objects.filter(outlet=planet).count() == 2  # day 1's own, day 2's "The Planet"
    page = saved.content.decode()
    assert "is also a record of its own" in page
    other = outlet("The Planet")
    assert f"{MERGE}?kind=outlet&amp;ids={planet.pk},{other.pk}" in page


def test_an_alias_that_is_already_another_outlets_alias_is_refused(admin_client):
    asked(["Daily Planet"])
    planet = outlet("Daily Planet")
    change = reverse("admin:briefings_organization_change", args=[planet.pk])

    response = admin_client.post(
        change, {"name": planet.name, "slug": planet.slug, "kind": "media", "aliases": "AP"}
    )

    assert response.status_code == 200
    assert "AP is already an alias of Associated Press." in response.content.decode()
    assert Organization.objects.get(pk=planet.pk).aliases == []


# Merging.


def test_an_outlet_merge_moves_every_turn_and_its_old_address_answers_301(client):
    asked(["ABC", "ABC News"], day=1)
    asked(["ABC"], day=2)
    keep, other = outlet("ABC News"), outlet("ABC")
    before = Turn.objects.count()
    theirs = set(Turn.objects.filter(outlet__in=[keep, other]).values_list("pk", flat=True))
    old_page, old_feed = other.get_absolute_url(), f"{other.get_absolute_url()}feed.atom"

    keep.absorb([other])

    assert Turn.objects.count() == before
    assert set(Turn.objects.filter(outlet=keep).values_list("pk", flat=True)) == theirs
    assert Organization.objects.get(pk=keep.pk).aliases == ["ABC"]
    page = client.get(old_page)
    assert (page.status_code, page["Location"]) == (301, keep.get_absolute_url())
    feed = client.get(old_feed)
    assert (feed.status_code, feed["Location"]) == (301, f"{keep.get_absolute_url()}feed.atom")
    assert client.get(page["Location"]).status_code == 200


def test_an_organization_merge_moves_participants_and_organized_briefings_too():
    conference = load_conference(miit_briefing(), [source_file()]).conference
    ministry = Organization.objects.get(name="Ministry of Industry")
    scio = Organization.objects.get(name="SCIO")

    ministry.absorb([scio, conference.organizer])

    assert Participant.objects.filter(organization=ministry).count() == 3
    assert Conference.objects.get(pk=conference.pk).organizer == ministry


def test_a_merged_old_address_follows_the_next_merge_too(client):
    asked(["ABC", "ABC News", "ABC Radio"])
    abc, news, radio = outlet("ABC"), outlet("ABC News"), outlet("ABC Radio")

    news.absorb([abc])
    radio.absorb([news])

    response = client.get("/outlets/abc/")
    assert (response.status_code, response["Location"]) == (301, radio.get_absolute_url())


def test_a_person_merge_answers_301_at_the_old_person_address(client):
    load_conference(miit_briefing(), [source_file()])
    tian = Person.objects.get(name="Tian Yulong")
    duplicate = Person.objects.create(name="Tian Yu-long", slug="tian-yu-long")
    Turn.objects.filter(person=tian).update(person=duplicate)

    tian.absorb([duplicate])

    assert Turn.objects.filter(person=tian).count() == 2
    response = client.get("/people/tian-yu-long/")
    assert (response.status_code, response["Location"]) == (301, tian.get_absolute_url())


def test_a_renamed_slug_answers_301_and_a_new_record_never_takes_it(client):
    load_conference(miit_briefing(), [source_file()])
    tian = Person.objects.get(name="Tian Yulong")
    tian.slug = "tian-yulong-miit"
    tian.save()

    again = Person.objects.create(name="Tian Yulong", slug="x")
    response = client.get("/people/tian-yulong/")

    assert (response.status_code, response["Location"]) == (301, "/people/tian-yulong-miit/")
    assert PersonSlug.objects.get(slug="tian-yulong").person == tian
    assert unique_slug(Person, again.name) == "tian-yulong-2"


def test_an_unknown_person_or_outlet_address_stays_404(client):
    assert client.get("/people/nobody-at-all/").status_code == 404
    assert client.get("/outlets/no-such-outlet/").status_code == 404


def test_merging_outlets_from_the_list(admin_client):
    asked(["ABC", "ABC News"])
    keep, other = outlet("ABC News"), outlet("ABC")
    changelist = reverse("admin:briefings_organization_changelist")
    chosen = {"action": "merge_outlets", "_selected_action": [keep.pk, other.pk]}

    confirm = admin_client.post(changelist, chosen)
    merged = admin_client.post(changelist, {**chosen, "keep": keep.pk, "apply": "1"}, follow=True)

    assert "Merge organizations" in confirm.content.decode()
    assert not Organization.objects.filter(pk=other.pk).exists()
    assert (
        "Merged ABC into ABC News, which now has all 2 questions; /outlets/abc/ now leads to "
        in (merged.content.decode())
    )


# The Possible duplicates page.


def test_the_page_lists_a_pair_with_its_evidence_and_merges_it_on_confirm(admin_client):
    asked(["ABC", "ABC News"], day=1)
    asked(["ABC News"], day=2)
    abc, news = outlet("ABC"), outlet("ABC News")

    page = admin_client.get(DUPLICATES)

    [row] = page.context["sections"][1]["pairs"]
    assert {r.record.name: (r.turns, r.briefings) for r in row["records"]} == {
        "ABC": (1, 1),
        "ABC News": (2, 2),
    }
    assert row["pair"].rule == "ABC News is ABC with news"
    text = page.content.decode()
    assert 'href="/briefings/2023-05-02-press-briefing-day-2/"' in text
    confirm = admin_client.get(row["merge_url"])
    assert "ABC News" in confirm.content.decode()
    assert Organization.objects.filter(pk=abc.pk).exists()  # nothing merged by a GET

    done = admin_client.post(
        MERGE, {"kind": "outlet", "ids": f"{abc.pk},{news.pk}", "keep": news.pk}, follow=True
    )

    assert not Organization.objects.filter(pk=abc.pk).exists()
    assert Turn.objects.filter(outlet=news).count() == 3
    assert "Merged ABC into ABC News" in done.content.decode()
    assert done.context["sections"][1]["pairs"] == []


def test_a_pair_marked_not_the_same_is_not_offered_again(admin_client):
    asked(["FT", "Financial Times"])
    ft, times = outlet("FT"), outlet("Financial Times")
    assert any(f.kind == "outlet-duplicate" for f in audit())

    admin_client.post(DISMISS, {"kind": "outlet", "ids": f"{times.pk},{ft.pk}"})

    assert NotDuplicate.objects.get().first_id == min(ft.pk, times.pk)
    assert admin_client.get(DUPLICATES).context["sections"][1]["pairs"] == []
    assert not any(f.kind == "outlet-duplicate" for f in audit())
    # The list of dismissed pairs names them (it showed only their ids).
    listed = admin_client.get("/admin/briefings/notduplicate/").content.decode()
    assert "Financial Times" in listed
    assert ">FT<" in listed


def test_the_page_lists_people_a_few_edits_apart():
    turns_1 = [reporter("CNN", "A question?"), official("Jake Sullivan", "An answer.")]
    turns_2 = [reporter("CNN", "Another?"), official("Jake Sullivan", "Yes.")]
    turns_3 = [reporter("CNN", "And one more?"), official("Jake Sullian", "No.")]
    for day, turns in enumerate([turns_1, turns_2, turns_3], start=1):
        parsed = briefing(f"Call {day}", dt.date(2023, 6, day), turns)
        load_conference(parsed, [source_file(f"{day}.md", str(day))])
    staff = User.objects.create_user("editor", password="x", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__endswith="_person"))
    client = Client()
    client.force_login(staff)

    page = client.get(DUPLICATES)

    [section] = page.context["sections"]  # outlets are not this admin's to see
    [row] = section["pairs"]
    assert [r.record.name for r in row["records"]] == ["Jake Sullian", "Jake Sullivan"]
    assert row["pair"].rule == "1 edit apart: 1 letter apart in the family name"


def test_the_page_needs_staff_and_a_dismiss_needs_a_post_with_its_token(client):
    asked(["ABC", "ABC News"])
    ids = ",".join(str(o.pk) for o in Organization.objects.filter(name__startswith="ABC"))
    reader = User.objects.create_user("reader", password="x")
    staff = User.objects.create_user("staff", password="x", is_staff=True)
    admin = User.objects.create_superuser("admin", password="x")
    careful = Client(enforce_csrf_checks=True)
    careful.force_login(admin)

    assert client.get(DUPLICATES).status_code == 302
    client.force_login(reader)
    assert client.get(DUPLICATES).status_code == 302
    client.force_login(staff)
    assert client.get(DUPLICATES).status_code == 403
    assert client.post(DISMISS, {"kind": "outlet", "ids": ids}).status_code == 403
    assert client.post(MERGE, {"kind": "outlet", "ids": ids, "keep": ids[0]}).status_code == 403
    assert careful.get(DISMISS).status_code == 405
    assert careful.post(DISMISS, {"kind": "outlet", "ids": ids}).status_code == 403
    assert NotDuplicate.objects.count() == 0
    assert Organization.objects.filter(name__startswith="ABC").count() == 2


def test_the_admin_index_and_both_lists_link_to_the_page(admin_client):
    for page in ["admin:index", "admin:briefings_person_changelist"]:
        assert f'href="{DUPLICATES}"' in admin_client.get(reverse(page)).content.decode()
    listing = admin_client.get(reverse("admin:briefings_organization_changelist"))
    assert f'href="{DUPLICATES}"' in listing.content.decode()


# The migration that seeds the aliases, over an archive that holds the splits.


@pytest.mark.django_db(transaction=True)
def test_the_migration_merges_the_splits_an_archive_already_holds():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    # From before the seeding migration to the latest (so the tests after this one find the
    # schema they expect).
    before, after = (
        [("briefings", "0008_conference_fingerprint")],
        executor.loader.graph.leaf_nodes(),
    )
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Org, Conf, Exch, TurnRow = (
        old.get_model("briefings", name)
        for name in ("Organization", "Conference", "Exchange", "Turn")
    )
    Org.objects.all().delete()  # an archive from before the seeds
    conference = Conf.objects.create(title="T", slug="t", content_hash="h", format="wh-markdown")
    exchange = Exch.objects.create(conference=conference, position=1, kind="qa")
    for position, name in enumerate(["AP", "AP", "Associated Press", "Cbs", "CBS", "FT"], 1):
        printed, _ = Org.objects.get_or_create(
            name=name, kind="media", defaults={"slug": f"outlet-{position}"}
        )
        TurnRow.objects.create(
            exchange=exchange, position=position, speaker_label="Q", role="question",
            text="?", outlet=printed,
        )  # fmt: skip

    MigrationExecutor(connection).migrate(after)

    associated_press = Organization.objects.get(name="Associated Press")
    # The record of the most questions is kept, under the name's address.
    assert associated_press.slug == "associated-press"
    assert associated_press.aliases == ["AP"]
    assert associated_press.questions.count() == 3
    assert Organization.objects.get(name="CBS News").questions.count() == 2
    assert Organization.objects.get(name="FT").questions.count() == 1
    assert Turn.objects.count() == 6
    for old in ["/outlets/outlet-1/", "/outlets/outlet-3/"]:
        response = Client().get(old)
        assert (response.status_code, response["Location"]) == (301, "/outlets/associated-press/")
