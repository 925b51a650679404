"""Old links keep working: after a re-ingest renumbers a briefing's exchanges, and after a
briefing's slug changes. Real files through the ingest command, pages through the client."""

from __future__ import annotations

import io
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from lxml import html as lxml_html

from briefings.ingest.run import reparse_conferences
from briefings.models import Conference, ConferenceSlug, Exchange, ExchangeRedirect, Turn
from briefings.renumbering import Destination, match_exchanges

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_index")]

TRANSCRIPT = Path(__file__).parent / "data" / "wh_markdown_press_conference.md"
CBS_QUESTION = "I’m Christina Ruffini from CBS."
DETERRENCE_QUESTION = "Sir, deterrence didn’t work."
INSERTED = (
    "Q    A question nobody asked before, about widgets?\n\nTHE PRESIDENT:  Widgets, yes.\n\n"
)


def ingest(path: Path, *, replace: bool = False) -> Conference:
    call_command("ingest", str(path), replace=replace, stdout=io.StringIO())
    return Conference.objects.get()


def version(tmp_path: Path, name: str, *, insert_before: str = "", remove: str = "") -> Path:
    """The press conference with a new exchange inserted before the question `insert_before`,
    and/or the exchange of the question `remove` taken out (up to the next question)."""
    text = TRANSCRIPT.read_text()

    def question_start(words: str) -> int:
        return text.rindex("\nQ", 0, text.index(words)) + 1

    if remove:
        start = question_start(remove)
        end = text.index("\nQ", start) + 1
        text = text[:start] + text[end:]
    if insert_before:
        at = question_start(insert_before)
        text = text[:at] + INSERTED + text[at:]
    path = tmp_path / name / TRANSCRIPT.name
    path.parent.mkdir()
    path.write_text(text)
    return path


def questions(conference: Conference) -> dict[str, str]:
    """Each exchange's address and the opening words of its first turn."""
    return {
        exchange.get_absolute_url(): exchange.turns.order_by("position")[0].text[:60]
        for exchange in conference.exchanges.all()
    }


def landing(client: Client, address: str) -> tuple[str, str]:
    """Where an old address leads, in one hop, and that page's text."""
    response = client.get(address)
    if response.status_code == HTTPStatus.OK:
        return address, words(lxml_html.fromstring(response.content).text_content())
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY, address
    target = response["Location"]
    final = client.get(target)
    assert final.status_code == HTTPStatus.OK, f"{address} -> {target}"  # one hop, no loop
    return target, words(lxml_html.fromstring(final.content).text_content())


def words(text: str) -> str:
    return " ".join(text.split())


def test_an_old_permalink_lands_on_the_same_question_after_an_exchange_is_inserted(
    client, tmp_path
):
    conference = ingest(TRANSCRIPT)
    before = questions(conference)

    conference = ingest(version(tmp_path, "v2", insert_before=CBS_QUESTION), replace=True)

    for address, question in before.items():
        _target, page = landing(client, address)
        assert words(question) in page, address
    # Links made after the re-ingest mean the new numbering: #6 is the new question.
    assert conference.slug != ConferenceSlug.objects.get().slug
    inserted = Turn.objects.get(text__contains="about widgets").exchange
    assert inserted.position == 6
    response = client.get(inserted.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert "about widgets" in response.content.decode()


def test_the_old_briefing_address_and_its_pages_follow_a_renumbering(client, tmp_path):
    old = ingest(TRANSCRIPT)
    source = old.sources.get()

    new = ingest(version(tmp_path, "v2", insert_before=CBS_QUESTION), replace=True)

    response = client.get(f"/briefings/{old.slug}/")
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == f"/briefings/{new.slug}/"
    response = client.get(f"/briefings/{old.slug}/sources/{source.pk}/?download=1")
    assert response["Location"] == f"/briefings/{new.slug}/sources/{source.pk}/?download=1"


def test_an_old_permalink_to_a_removed_exchange_leads_to_its_place_in_the_briefing(
    client, tmp_path
):
    conference = ingest(TRANSCRIPT)
    removed = Turn.objects.get(text__startswith="I’m Christina Ruffini").exchange.get_absolute_url()
    before = questions(conference)

    conference = ingest(version(tmp_path, "v2", remove=CBS_QUESTION), replace=True)

    response = client.get(removed)
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    # The exchange before it, #5, is still #5: the reader sees where the words were.
    assert response["Location"] == f"/briefings/{conference.slug}/#exchange-5"
    assert client.get(response["Location"]).status_code == HTTPStatus.OK
    del before[removed]
    for address, question in before.items():
        _target, page = landing(client, address)
        assert words(question) in page, address


def test_links_from_every_earlier_version_still_land_after_several_re_ingests(client, tmp_path):
    first = questions(ingest(TRANSCRIPT))
    second = questions(ingest(version(tmp_path, "v2", insert_before=CBS_QUESTION), replace=True))
    third = questions(
        ingest(
            version(tmp_path, "v3", insert_before=DETERRENCE_QUESTION, remove=CBS_QUESTION),
            replace=True,
        )
    )

    assert ConferenceSlug.objects.count() == 2
    cbs = "I’m Christina Ruffini"
    for links in (first, second):
        for address, question in links.items():
            target, page = landing(client, address)
            if question.startswith(cbs):  # removed in the third version
                assert "#exchange-" in target
            else:
                assert words(question) in page, address
                assert target in third, (address, question)
    assert all(row.new_position is not None for row in ExchangeRedirect.objects.all())
    live = Conference.objects.get()
    shadowing = ExchangeRedirect.objects.filter(
        slug=live.slug, old_position__in=live.exchanges.values("position")
    )
    assert not shadowing.exists()  # a live exchange's address is never redirected


def test_a_re_ingest_that_only_edits_text_keeps_the_slug_and_the_positions(client, tmp_path):
    conference = ingest(TRANSCRIPT)
    changed = tmp_path / TRANSCRIPT.name
    changed.write_text(
        TRANSCRIPT.read_text().replace("deterrence didn’t work", "deterrence failed")
    )

    replaced = ingest(changed, replace=True)

    assert replaced.slug == conference.slug
    assert not ConferenceSlug.objects.exists()
    assert not ExchangeRedirect.objects.exists()
    assert Turn.objects.get(text__contains="deterrence failed").exchange.position == 7


def test_exchanges_removed_at_the_end_keep_the_slug_and_lead_to_the_last_one(client, tmp_path):
    conference = ingest(TRANSCRIPT)
    last = conference.exchanges.order_by("position").last()
    address = last.get_absolute_url()
    shorter = tmp_path / TRANSCRIPT.name
    text = TRANSCRIPT.read_text()
    shorter.write_text(text[: text.rindex("\nQ", 0, text.index("(Off-mic.)"))])

    replaced = ingest(shorter, replace=True)

    assert replaced.slug == conference.slug
    response = client.get(address)
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == f"/briefings/{conference.slug}/#exchange-{last.position - 1}"


def test_reparse_that_finds_a_missed_exchange_keeps_old_links_on_their_questions(client):
    """An older parser missed exchange #2; the current one finds it and renumbers."""
    conference = ingest(TRANSCRIPT)
    conference.exchanges.get(position=2).delete()
    for exchange in conference.exchanges.filter(position__gt=2).order_by("position"):
        exchange.position -= 1
        exchange.save(update_fields=["position"])
    before = questions(conference)

    report = reparse_conferences([conference])

    assert report.ok
    assert Exchange.objects.count() == len(before) + 1
    for address, question in before.items():
        _target, page = landing(client, address)
        assert words(question) in page, address


def test_a_renamed_briefing_answers_301_at_every_old_address(client):
    conference = ingest(TRANSCRIPT)
    old = conference.slug

    conference.slug = "nato-press-conference"
    conference.save()

    for suffix in ["", "3/", "3/?utm=x"]:
        response = client.get(f"/briefings/{old}/{suffix}")
        assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
        assert response["Location"] == f"/briefings/nato-press-conference/{suffix}"
    assert client.get("/briefings/nato-press-conference/3/").status_code == HTTPStatus.OK


def test_renamed_twice_every_old_slug_leads_to_the_current_one_in_one_hop(client):
    conference = ingest(TRANSCRIPT)
    first = conference.slug
    conference.slug = "second-name"
    conference.save()
    conference.slug = "third-name"
    conference.save()

    for old in [first, "second-name"]:
        response = client.get(f"/briefings/{old}/2/")
        assert response["Location"] == "/briefings/third-name/2/"


def test_renaming_back_to_an_old_slug_makes_it_live_again(client):
    conference = ingest(TRANSCRIPT)
    first = conference.slug
    conference.slug = "interim"
    conference.save()

    conference.slug = first
    conference.save()

    assert list(ConferenceSlug.objects.values_list("slug", flat=True)) == ["interim"]
    assert client.get(f"/briefings/{first}/").status_code == HTTPStatus.OK
    assert client.get("/briefings/interim/")["Location"] == f"/briefings/{first}/"


def test_a_new_briefing_never_takes_a_slug_that_old_links_use(tmp_path):
    conference = ingest(TRANSCRIPT)
    first = conference.slug
    conference.slug = "renamed"
    conference.save()
    other = Conference.objects.create(title="Other", slug="other", content_hash="x", format="x")
    ConferenceSlug.objects.filter(slug=first).update(conference=other)
    conference.delete()

    call_command("ingest", str(TRANSCRIPT), stdout=io.StringIO())

    assert Conference.objects.exclude(pk=other.pk).get().slug == f"{first}-2"


def test_unknown_slugs_and_positions_stay_404(client):
    conference = ingest(TRANSCRIPT)

    assert client.get("/briefings/no-such-briefing/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/briefings/no-such-briefing/3/").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"/briefings/{conference.slug}/99/").status_code == HTTPStatus.NOT_FOUND


# Matching old exchanges to new ones, on their keys alone.


def keyed(*keys: str) -> list[tuple[int, str]]:
    return list(enumerate(keys, start=1))


def test_matching_follows_insertions_removals_and_moves():
    old = keyed("opening", "a", "thanks", "b", "thanks", "c", "d")
    new = keyed("opening", "a", "new", "thanks", "b", "d", "thanks", "c")

    assert match_exchanges(old, new) == {
        1: Destination(1, exact=True),
        2: Destination(2, exact=True),
        3: Destination(4, exact=True),
        4: Destination(5, exact=True),
        5: Destination(7, exact=True),
        6: Destination(8, exact=True),
        7: Destination(6, exact=True),
    }


def test_matching_pairs_edited_questions_in_place_and_marks_the_rest_gone():
    old = keyed("a", "b typo", "c", "d", "e")
    new = keyed("a", "b fixed", "e")

    assert match_exchanges(old, new) == {
        1: Destination(1, exact=True),
        2: Destination(2, exact=True),
        3: Destination(2, exact=False),
        4: Destination(2, exact=False),
        5: Destination(3, exact=True),
    }
    assert match_exchanges(keyed("a"), []) == {1: Destination(None, exact=False)}


def test_a_slug_changed_in_the_admin_redirects_and_the_old_one_is_listed(admin_client):
    conference = ingest(TRANSCRIPT)
    old = conference.slug
    change = f"/admin/briefings/conference/{conference.pk}/change/"
    form = lxml_html.fromstring(admin_client.get(change).content).get_element_by_id(
        "conference_form"
    )
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    data["slug"] = ["renamed-in-the-admin"]

    response = admin_client.post(change, data)

    assert response.status_code == HTTPStatus.FOUND
    response = admin_client.get(f"/briefings/{old}/2/")
    assert response["Location"] == "/briefings/renamed-in-the-admin/2/"
    listing = admin_client.get("/admin/briefings/conferenceslug/")
    assert old in listing.content.decode()
    assert admin_client.get("/admin/briefings/exchangeredirect/").status_code == HTTPStatus.OK


def test_matching_leaves_exchanges_without_words_to_their_positions():
    assert match_exchanges(keyed("", "", ""), keyed("a", "", "b")) == {
        1: Destination(1, exact=True),
        2: Destination(2, exact=True),
        3: Destination(3, exact=True),
    }


def test_a_renamed_briefing_renumbered_later_keeps_links_under_both_old_slugs(client, tmp_path):
    conference = ingest(TRANSCRIPT)
    before = questions(conference)
    conference.slug = "renamed"
    conference.save()
    renamed = questions(conference)

    ingest(version(tmp_path, "v2", insert_before=CBS_QUESTION), replace=True)

    for links in (before, renamed):
        for address, question in links.items():
            _target, page = landing(client, address)
            assert words(question) in page, address


FRAGMENT_BRIEFING = """---
title: "Press Briefing by Press Secretary Jen\\_Psaki"
date: '2021-03-01'
---
MS. PSAKI:  Good afternoon.  The President signs the infrastructure bill today.

Q    Will the President travel this week?

MS. PSAKI:  Not this week.

Q    On Ukraine —

MS. PSAKI:  Sure.

Q    What is the aid number for Ukraine this month, and when will the Pentagon announce it?

MS. PSAKI:  It is a large package; the Pentagon will give the figure.

Q    And on the border, is the President going to visit before the summer?

MS. PSAKI:  Not before the summer.
"""


def split_the_fragment_as_an_older_parser_did(conference: Conference) -> None:
    """The fragment "On Ukraine —" / "Sure." as its own exchange, before the rule joined it."""
    joined = Turn.objects.get(text="On Ukraine —").exchange
    for exchange in conference.exchanges.filter(position__gt=joined.position).order_by("-position"):
        exchange.position += 1
        exchange.save(update_fields=["position"])
    real = Exchange.objects.create(
        conference=conference, position=joined.position + 1, kind=Exchange.Kind.QA
    )
    turns = list(joined.turns.order_by("position"))
    for position, turn in enumerate(turns[2:]):
        Turn.objects.filter(pk=turn.pk).update(exchange=real, position=position)
    Turn.objects.filter(text="Sure.").update(role=Turn.Role.ANSWER)


def test_reparse_that_joins_a_fragment_lands_both_old_links_on_the_joined_exchange(
    client, tmp_path
):
    path = tmp_path / "2021-03-01-press-briefing.md"
    path.write_text(FRAGMENT_BRIEFING)
    conference = ingest(path)
    assert conference.exchanges.count() == 4  # the fragment joined at ingest
    split_the_fragment_as_an_older_parser_did(conference)
    old_slug = conference.slug

    report = reparse_conferences([conference])

    assert report.ok
    conference.refresh_from_db()
    joined = Turn.objects.get(text="On Ukraine —").exchange
    assert joined.turns.filter(text__startswith="What is the aid number").exists()
    for old_position in (3, 4):  # the fragment's old address and its question's
        response = client.get(f"/briefings/{old_slug}/{old_position}/")
        assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
        assert response["Location"] == joined.get_absolute_url()
    target, page = landing(client, f"/briefings/{old_slug}/5/")
    assert "is the President going to visit before the summer?" in page
    assert (
        target == Turn.objects.get(text__startswith="And on the border").exchange.get_absolute_url()
    )


def test_matching_follows_a_question_joined_into_its_opener():
    asked = "what is the aid number for ukraine this month and when will the pentagon say"
    old = keyed("opening", "on ukraine", asked, "the border")
    new = keyed("opening", f"on ukraine {asked}", "the border")

    assert match_exchanges(old, new) == {
        1: Destination(1, exact=True),
        2: Destination(2, exact=True),
        3: Destination(2, exact=True),
        4: Destination(3, exact=True),
    }
