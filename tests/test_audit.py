"""The audit: an archive with each kind of wrong record once, and a clean one."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from briefings.audit import (
    KINDS,
    audit,
    counts,
    furniture_marks,
    is_reporter_answer,
    looks_like_phrase,
)
from briefings.duplicates import acronym, same_outlet
from briefings.floor import is_acknowledgement, is_fragment_question
from briefings.ingest.formats import wh_markdown
from briefings.ingest.load import load_conference
from briefings.ingest.records import ParsedTurn
from briefings.models import Conference, Organization, Person
from briefings.text import ANSWER, QUESTION, STATEMENT
from tests.conftest import briefing, miit_briefing, official, reporter, source_file

pytestmark = pytest.mark.django_db

KJP = "Karine Jean-Pierre"
# An opening statement said word for word at two briefings (a duplicate long turn).
OPENING = "Good afternoon, everyone. " + "We have a long week of work ahead on the budget. " * 8
PAGE = ("Home | Briefing Room | Share this page. " + "The words of a page menu. " * 200) + (
    "Related news. Copyright The White House."
)


def load(parsed, name: str, fmt: str) -> Conference:
    parsed.format = fmt
    return load_conference(parsed, [source_file(name, name)]).conference


def dirty_archive() -> dict[str, Conference]:
    first = briefing(
        "Press Briefing, May 1",
        dt.date(2023, 5, 1),
        [
            official(KJP, OPENING),
            # ABC News, or the Australian Broadcasting Corporation: no alias decides it.
            reporter("ABC News", "What about the budget deal this week?"),
            official(KJP, "We are working on it with the Congress every day."),
            reporter("ABC", "And on the timing of the vote in the House?"),
            official(KJP, "Soon, we think, within the week or so.", label="MS. JEAN-PIERRE2"),
            reporter("and then the president told us that", "Did he say more than that?"),
            official(KJP, "He said what he said, and I will leave it there."),
            reporter("CNN", "On Ukraine --"),
            official(KJP, "Sure."),
            reporter("CNN", "What is the aid number for Ukraine this month?"),
            official(KJP, "It is a large package; the Pentagon will give the figure."),
            reporter("NBC", "Will the President travel next week to the summit?"),
            ParsedTurn(speaker_label="Q", role=ANSWER, text="And the week after that, too?"),
            reporter("Reuters", "Will the debt ceiling vote slip past June?"),
            # The fragment above joined its question at ingest; this one has none to join.
            reporter("CNN", "On trade --"),
            official(KJP, "Sure."),
        ],
    )
    second = briefing(
        "Press Briefing, May 2",
        dt.date(2023, 5, 2),
        [
            official("Karine Jean-Piere", OPENING),
            reporter("Reuters", "Is there a date for the meeting with the Speaker?"),
            official("Karine Jean-Piere", "Not yet; we will let you know when there is one."),
            official("Karine Jean-Piere", PAGE),
        ],
    )
    # A misspelling beside the right spelling in one briefing is resolved when loaded;
    # one in a briefing of its own is left for the audit.
    fourth = briefing(
        "Press Briefing, May 3",
        dt.date(2023, 5, 3),
        [
            reporter("Reuters", "Is there a date for the meeting with the Speaker yet?"),
            official(KJP, "Next week; we will let you know the day."),
        ],
    )
    third = briefing(
        "Background press call",
        None,
        # A speaker printed only as a role: no named official, none on background.
        [ParsedTurn(speaker_label="Participant", role=STATEMENT, text="Hi.")],
    )
    clean = miit_briefing()
    archive = {
        "clean": load(clean, "clean.json", "archive-json"),
        "first": load(first, "first.md", "wh-markdown"),
        "second": load(second, "second.html", "wh-html"),
        "third": load(third, "third.txt", "timestamped"),
        "fourth": load(fourth, "fourth.md", "wh-markdown"),
    }
    # A second copy of a briefing's words, as an older ingest could leave it.
    Conference.objects.filter(pk=archive["third"].pk).update(
        fingerprint=archive["clean"].fingerprint
    )
    return archive


def test_a_clean_archive_has_no_findings():
    load_conference(miit_briefing(), [source_file()])

    assert audit() == []


def test_it_finds_each_kind_of_wrong_record_once_with_its_source_and_link():
    archive = dirty_archive()
    first, second, third = archive["first"], archive["second"], archive["third"]
    piere = Person.objects.get(name="Karine Jean-Piere")
    phrase = Organization.objects.get(name="and then the president told us that")
    abc = Organization.objects.get(name="ABC")

    found = {(f.kind, f.source, f.url) for f in audit()}

    def exchange(conference: Conference, opening: str) -> str:
        return conference.exchanges.get(turns__text__startswith=opening).get_absolute_url()

    assert found == {
        ("outlet-phrase", "White House", phrase.get_absolute_url()),
        ("label-digits", "White House", exchange(first, "And on the timing")),
        ("person-variant", "White House", piere.get_absolute_url()),
        ("outlet-duplicate", "White House", abc.get_absolute_url()),
        ("no-answer", "White House", exchange(first, "Will the debt ceiling")),
        ("reporter-answer", "White House", exchange(first, "Will the President")),
        ("fragment", "White House", exchange(first, "On trade")),
        ("furniture", "White House", exchange(second, "Home | Briefing")),
        ("no-date", "timestamped", third.get_absolute_url()),
        ("no-official", "timestamped", third.get_absolute_url()),
        ("duplicate-briefing", "timestamped", third.get_absolute_url()),
        ("duplicate-turn", "White House", exchange(first, "Good afternoon")),
    }
    assert {kind for kind, _, _ in found} == set(KINDS)
    assert counts(audit())["no-date"] == {"timestamped": 1}


def test_the_command_prints_counts_and_examples_and_json_gives_every_finding():
    dirty_archive()

    shown = StringIO()
    call_command("audit", "--limit", "1", stdout=shown)
    as_json = StringIO()
    call_command("audit", "--format", "json", stdout=as_json)

    lines = shown.getvalue().splitlines()
    assert lines[0].split() == ["kind", "White", "House", "timestamped", "export", "total"]
    assert lines[1].split() == ["outlet-phrase", "1", "0", "0", "1"]
    assert "12 findings." in lines
    assert any(line.startswith("fragment: ") for line in lines)
    document = json.loads(as_json.getvalue())
    assert len(document["findings"]) == 12
    assert document["counts"]["no-date"] == {"timestamped": 1}
    assert set(document["findings"][0]) == {"kind", "source", "url", "detail"}


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("Associated Press", False),
        ("CBS News", False),
        ("and the president said", True),
        ("10:30 a.m.", True),
        ("Reuters.", True),
        ("one two three four five six", True),
    ],
)
def test_an_outlet_reads_as_a_phrase(name, phrase):
    assert looks_like_phrase(name) is phrase


def test_outlets_are_the_same_by_case_acronym_or_a_generic_word():
    assert acronym("China Radio International") == "CRI"
    assert same_outlet("CRI", "China Radio International")
    assert same_outlet("AP", "Associated Press")
    assert same_outlet("Cbs", "CBS")
    assert same_outlet("Bloomberg", "Bloomberg News")
    assert not same_outlet("CNN", "CBS")
    assert not same_outlet("Bloomberg", "Bloomberg Government Weekly")


def test_fragments_and_furniture():
    assert is_fragment_question("On Ukraine --")
    assert is_fragment_question("And on China?")
    assert not is_fragment_question("What is the aid number for Ukraine?")
    assert is_acknowledgement("Sure. Go ahead.")
    assert is_acknowledgement("Yeah.")
    assert not is_acknowledgement("Sure, the aid is large.")
    assert furniture_marks("Share this. Copyright 2023. Related to that.") == ["Share", "Copyright"]


def test_the_command_shows_only_the_kinds_asked_for():
    dirty_archive()

    shown = StringIO()
    call_command("audit", "--kind", "no-date", "--kind", "fragment", stdout=shown)

    lines = shown.getvalue().splitlines()
    assert [line.split()[0] for line in lines[1:3]] == ["fragment", "no-date"]
    assert "2 findings." in lines


def test_a_rare_spelling_is_found_once_beside_the_frequent_one_and_a_rare_pair_once():
    def held(day: int, *speakers: str) -> None:
        turns = [reporter("Reuters", f"What happened on day {day} of the talks?")]
        turns += [official(name, f"{name} answers on day {day}.") for name in speakers]
        load(briefing(f"Call {day}", dt.date(2023, 6, day), turns), f"{day}.md", "wh-markdown")

    # Sullivan of three briefings is not yet known well enough for the loader to read
    # "Sullian" (in a briefing without him) as him: the audit lists it.
    held(1, "Jake Sullivan", "Hamill")
    held(2, "Jake Sullivan", "Hammill")
    held(3, "Jake Sullivan")
    held(4, "Sullian")

    found = [(f.url, f.detail.split(" (")[0]) for f in audit() if f.kind == "person-variant"]

    assert found == [
        (Person.objects.get(name="Hamill").get_absolute_url(), "Hamill ~ Hammill"),
        (Person.objects.get(name="Sullian").get_absolute_url(), "Sullian ~ Jake Sullivan"),
    ]


def test_a_long_question_cut_off_is_no_fragment():
    assert not is_fragment_question(
        "But just to be clear: if you live in an area where the numbers are high and you —"
    )


def test_the_admin_audit_page_lists_the_counts_and_links_to_each_record(admin_client, client):
    dirty_archive()
    third = Conference.objects.get(title="Background press call")

    page = admin_client.get("/admin/briefings/conference/audit/")
    listing = admin_client.get("/admin/briefings/conference/")

    assert page.status_code == 200
    assert [row.total for row in page.context["rows"]] == [1] * len(KINDS)
    assert f'<a href="{third.get_absolute_url()}">' in page.content.decode()
    assert 'href="/admin/briefings/conference/audit/"' in listing.content.decode()
    assert client.get("/admin/briefings/conference/audit/").status_code == 302


def test_an_answer_the_parser_read_under_a_misprinted_q_is_no_finding():
    # 2022-01-20, Psaki (White House, public domain): her answer printed under "Q".
    text = """---
title: "Press Briefing by Press Secretary Jen Psaki, January 20, 2022"
date: '2022-01-20'
---
MS. PSAKI:  Go ahead.

Q    Moving on to Ukraine.  So why wouldn’t the U.S. introduce, sort of,
level-one sanctions as proactive deterrence and then remove them if
Russia deescalates?

Q    Well, one, I said two days ago we’re now at a stage where Russia
could at any point launch an attack in Ukraine.  And we’ve been pretty
transparent about what we’re seeing, both in our briefings but also in
our engagements with all of you and in our conversations with our
European partners.
"""
    conference = load(wh_markdown.parse(text), "psaki.md", "wh-markdown")

    answer = conference.exchanges.get().turns.get(role=ANSWER)
    assert (answer.speaker_label, answer.person.name) == ("Q", "Jen Psaki")
    assert not is_reporter_answer(answer)
    assert audit() == []


def test_numbered_anonymous_speakers_and_outlets_named_with_digits_are_no_finding():
    # Read in the audit over the corpus: the transcriber's "Reporter 7" and the Ministry's
    # "CCTV4" are printed so; "MS. JEAN-PIERRE2" is a label that swallowed a digit.
    load_conference(
        briefing(
            "Press briefing",
            None,
            [
                ParsedTurn(speaker_label="Reporter 7", role=QUESTION, text="Is it safe?"),
                official(KJP, "It is safe."),
                ParsedTurn(
                    speaker_label="CCTV4",
                    role=QUESTION,
                    text="And the trade talks?",
                    outlet="CCTV4",
                ),
                official(KJP, "They go on.", label="MS. JEAN-PIERRE2"),
            ],
        ),
        [source_file("numbered.txt", "numbered")],
    )

    found = [finding.detail for finding in audit() if finding.kind == "label-digits"]

    assert found == ["MS. JEAN-PIERRE2"]
