"""The chair's lines on the pages: a hand-off ("Next question.") or the floor given ("Sure.")
is shown quietly, is never an exchange's contents line or search snippet, and is never
counted as an answer. A briefing written for the project, loaded by the real loader."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import html as lxml_html

from briefings.ingest.load import load_conference
from briefings.ingest.records import ParsedTurn
from briefings.models import Conference, Person, Turn
from briefings.text import QUESTION
from search.indexing import drain
from tests.conftest import briefing, official, reporter, source_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_index")]

ZIENTS = "Jeff Zients"
OPENING = "Good afternoon. " + "Today we report on the vaccination campaign in every state. " * 5


def page(client, url: str, **params: str) -> lxml_html.HtmlElement:
    response = client.get(url, params)
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def words(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


@pytest.fixture
def covid_team() -> Conference:
    parsed = briefing(
        "Press Briefing by White House COVID-19 Response Team",
        dt.date(2021, 8, 24),
        [
            official(ZIENTS, OPENING),
            reporter("NPR", "On boosters --"),
            official(ZIENTS, "Sure."),
            reporter("NPR", "When will the booster shots begin for nursing homes?"),
            official(ZIENTS, "In September, pending the FDA review.  Next question."),
            reporter("CBS", "Is a national mask mandate coming?"),
            official(ZIENTS, "We have no plans for one."),
            official(ZIENTS, "Thanks. Our next question comes from Mona Austin."),
            reporter("Essence", "What about schools this fall?"),
            official(ZIENTS, "Every school has the resources to reopen safely."),
        ],
    )
    return load_conference(parsed, [source_file()]).conference


def test_a_procedural_turn_is_shown_quietly(client, covid_team):
    exchange = Turn.objects.get(text="Next question.").exchange

    document = page(client, exchange.get_absolute_url())

    quiet = document.find_class("turn--procedural")
    # The floor given to the topic opener, and the hand-off that ends the answer.
    assert [words(turn).split(" ", 2)[-1] for turn in quiet] == ["Sure.", "Next question."]
    answer = document.find_class("answer")[0]
    assert "turn--procedural" not in answer.get("class")
    assert words(answer).endswith("pending the FDA review.")


def test_the_contents_line_is_the_question_not_its_opener_or_a_hand_off(client, covid_team):
    document = page(client, covid_team.get_absolute_url())

    entries = document.xpath("//nav[@aria-labelledby='contents-heading']//li/a")
    assert [words(entry) for entry in entries] == [
        "NPR: When will the booster shots begin for nursing homes?",
        "CBS News: Is a national mask mandate coming?",
        "Essence: What about schools this fall?",
    ]


def test_the_chairs_lines_are_no_answers(client, covid_team):
    zients = Person.objects.get(name=ZIENTS)
    said = Turn.objects.filter(person=zients)

    assert said.filter(role=Turn.Role.MODERATOR).count() == 3  # "Sure.", two hand-offs
    listed = client.get("/people/", {"format": "json"}).json()["results"]
    (row,) = [row for row in listed if row["name"] == ZIENTS]
    assert row["answers"] == said.filter(role__in=["answer", "statement"]).count() == 4
    document = page(client, zients.get_absolute_url())
    quotes = " ".join(words(quote) for quote in document.xpath("//blockquote"))
    assert "Next question" not in quotes
    assert "Mona Austin" not in quotes


def test_a_hand_off_is_never_a_search_snippet(client, covid_team):
    drain()

    document = page(client, "/search/", q="fall")

    (result,) = document.xpath("//ol[@class='results']/li")
    assert "What about schools this fall?" in words(result)
    assert "Mona Austin" not in words(result)  # said just before the question
    assert not page(client, "/search/", q="Mona").xpath("//ol[@class='results']/li")


@pytest.mark.django_db
def test_a_question_lost_to_the_recording_shows_its_note_not_nothing(client):
    # Press briefing, December 20, 2024, #49: the question is only "(Inaudible.)".
    conference = load_conference(
        briefing(
            "Press Briefing",
            dt.date(2024, 12, 20),
            [
                ParsedTurn(speaker_label="Q", role=QUESTION, text="(Inaudible.)"),
                official(
                    "Karine Jean-Pierre", "It is very easy to fix this.", label="MS. JEAN-PIERRE"
                ),
            ],
        ),
        [source_file("inaudible.md", "inaudible")],
    ).conference

    document = page(client, conference.get_absolute_url())
    exchange = page(client, conference.exchanges.get().get_absolute_url())

    [entry] = document.xpath("//nav[@aria-labelledby='contents-heading']//li/a")
    assert words(entry) == "A reporter: (Inaudible.)"
    description = exchange.xpath("//meta[@name='description']/@content")[0]
    assert "asked: “”" not in description
    assert description.startswith("Question and answer by Karine Jean-Pierre.")
