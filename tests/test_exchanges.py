"""Exchanges that are exchanges: fragments join their question, hand-offs are the
moderator's, opening banter joins the opening statement (briefings/floor.py, the word
rules; briefings/ingest/exchanges.py, the grouping). Small pieces of White House
transcripts (public domain) and text written for the project; then named real files."""

from __future__ import annotations

import pytest

from briefings import floor
from briefings.ingest.decode import decode_transcript
from briefings.ingest.detect import parse_transcript
from briefings.ingest.exchanges import group_exchanges, mark_courtesies
from briefings.ingest.formats import timestamped
from briefings.ingest.records import ParsedConference, ParsedExchange
from briefings.text import (
    ANSWER,
    KIND_PROCEDURAL,
    KIND_QA,
    KIND_STATEMENT,
    MODERATOR,
    QUESTION,
    STATEMENT,
)
from tests.conftest import chair, official, reporter

PSAKI = "Jen Psaki"
KJP = "Karine Jean-Pierre"
ZIENTS = "Jeff Zients"


def shape(exchanges: list[ParsedExchange]) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(e.kind, [(t.role, t.text) for t in e.turns]) for e in exchanges]


# The word rules.


def test_it_knows_an_acknowledgement_from_an_answer():
    assert floor.is_acknowledgement("Sure.")
    assert floor.is_acknowledgement("Yeah, go ahead.")
    assert floor.is_acknowledgement("Go ahead, Kayla.")
    assert not floor.is_acknowledgement("Sure, the aid is large.")
    assert not floor.is_acknowledgement("No.")


def test_it_knows_a_topic_opener_from_a_short_question():
    assert floor.is_fragment_question("On Ukraine --")
    assert floor.is_fragment_question("And can I ask one on Ukraine?")
    assert floor.is_fragment_question("And Ukraine?")  # a fragment only if "Sure." answers it
    assert floor.is_fragment_question("Sorry, me?")  # is the floor mine?
    assert floor.is_fragment_question("Karine?")
    assert not floor.is_fragment_question("Tomorrow?")
    assert not floor.is_fragment_question("Why?")
    assert not floor.is_fragment_question("Is he going?")
    assert not floor.is_fragment_question("What is the aid number for Ukraine this month?")


def test_it_finds_where_a_hand_off_begins():
    assert floor.handoff_start("Next question.") == 0
    assert floor.handoff_start("Thanks, Dr. Murthy. Next question.") == 0
    assert floor.handoff_start("Thank you. Our next question will go to Mary with ABC.") == 0
    assert floor.handoff_start("Monica, last question.") == 0
    answer = "The 500 million doses begin shipping this month.  Next question."
    assert answer[floor.handoff_start(answer) :] == "Next question."
    # Going to a country is no hand-off, nor is talk of a question; nor a turn without one.
    assert floor.handoff_start("Globally first, and then we’ll go to the United States.") is None
    assert floor.handoff_start("We’ll go to Italy, we’ll go to France, to Spain.") is None
    assert floor.handoff_start("The first question, now I forgot.") is None
    assert floor.handoff_start("We will see. That is all.") is None
    # Found in a browser check of 2021 briefings: calling on a reporter by name and outlet,
    # or passing the floor back; a name alone or a short answer is none.
    assert floor.handoff_start("All right. Andrew Restuccia at Wall Street Journal.") == 0
    assert floor.handoff_start("Let’s open it up for some questions. Over to you, Kevin.") > 0
    assert floor.handoff_start("Yes, Nancy.") == 0
    for answer in ["Ricardo.", "Mexico.", "No.", "Exactly.", "Yes, sir.", "Biden at Camp David."]:
        assert floor.handoff_start(answer) is None, answer


# The grouping.


def test_it_joins_a_fragment_to_the_question_it_opens():
    exchanges = group_exchanges(
        [
            reporter("CNN", "On Ukraine --"),
            official(PSAKI, "Sure."),
            reporter("CNN", "What is the aid number for Ukraine this month?"),
            official(PSAKI, "It is a large package; the Pentagon will give the figure."),
        ]
    )
    assert shape(exchanges) == [
        (
            KIND_QA,
            [
                (QUESTION, "On Ukraine --"),
                (MODERATOR, "Sure."),  # the floor given, not an answer
                (QUESTION, "What is the aid number for Ukraine this month?"),
                (ANSWER, "It is a large package; the Pentagon will give the figure."),
            ],
        )
    ]


def test_it_keeps_a_short_question_answered_at_length():
    turns = [
        reporter("CNN", "And Ukraine?"),
        official(PSAKI, "We are sending more aid this week, as the President said on Monday."),
        reporter("CNN", "How much?"),
        official(PSAKI, "The Pentagon will give the figure."),
    ]
    assert [e.kind for e in group_exchanges(turns)] == [KIND_QA, KIND_QA]


def test_a_fragment_with_no_question_after_it_stays_for_the_audit():
    exchanges = group_exchanges(
        [
            reporter("CNN", "What is the aid number?"),
            official(PSAKI, "It is large."),
            reporter("CNN", "And on trade --"),
            official(PSAKI, "Sure."),
        ]
    )
    assert [e.turns[0].text for e in exchanges] == ["What is the aid number?", "And on trade --"]


def test_an_officials_hand_off_is_the_moderators_and_opens_the_next_exchange():
    exchanges = group_exchanges(
        [
            reporter("NPR", "Will boosters be needed?"),
            official(ZIENTS, "Dr. Walensky will take that. The data will decide."),
            official(ZIENTS, "Thanks, Dr. Murthy. Next question."),
            chair("Moderator", "Let’s go to Sasha Pezenik at ABC News."),
            reporter("ABC News", "Is the mandate coming?"),
            official(ZIENTS, "No."),
        ]
    )
    assert shape(exchanges)[1] == (
        KIND_QA,
        [
            (MODERATOR, "Thanks, Dr. Murthy. Next question."),
            (MODERATOR, "Let’s go to Sasha Pezenik at ABC News."),
            (QUESTION, "Is the mandate coming?"),
            (ANSWER, "No."),
        ],
    )


def test_an_answer_ending_in_a_hand_off_keeps_its_substance_as_an_answer():
    exchanges = group_exchanges(
        [
            reporter("AP", "Do the schools have the money?"),
            official(ZIENTS, "All schools have the resources to do it.  Next question."),
            reporter("AP", "Is the mandate coming?"),
            official(ZIENTS, "No."),
        ]
    )
    # The hand-off stays where it was said, so the next exchange begins at its question.
    assert shape(exchanges) == [
        (
            KIND_QA,
            [
                (QUESTION, "Do the schools have the money?"),
                (ANSWER, "All schools have the resources to do it."),
                (MODERATOR, "Next question."),
            ],
        ),
        (KIND_QA, [(QUESTION, "Is the mandate coming?"), (ANSWER, "No.")]),
    ]


def test_words_at_the_end_call_no_one_and_stay_an_answer():
    exchanges = group_exchanges(
        [reporter("AP", "Anything else?"), official(ZIENTS, "Thanks. Next question.")]
    )
    assert [t.role for t in exchanges[0].turns] == [QUESTION, ANSWER]


def test_opening_banter_joins_the_opening_statement():
    opening = "Happy Friday. " + "Today the President signs the bill into law. " * 8
    exchanges = group_exchanges(
        [
            reporter("Q", "Hey, hey."),
            official(PSAKI, "Hey, hey."),
            reporter("Q", "Happy Friday."),
            official(PSAKI, opening),
            reporter("AP", "Will he travel to the border next week?"),
            official(PSAKI, "Not next week."),
        ]
    )
    assert shape(exchanges)[0] == (
        KIND_STATEMENT,
        [
            (QUESTION, "Hey, hey."),
            (STATEMENT, "Hey, hey."),
            (QUESTION, "Happy Friday."),
            (STATEMENT, opening),
        ],
    )
    assert [e.kind for e in exchanges] == [KIND_STATEMENT, KIND_QA]


def test_the_officials_greeting_joins_the_opening_statement_it_began():
    # Press briefing, November 13, 2024: the greeting was an exchange of its own, and the
    # statement after the room's reply another (found in a browser check of 202 briefings).
    opening = "Oh, okay. (Laughter.) I’m excited to see you all too. " + "Today. " * 40
    exchanges = group_exchanges(
        [
            official(KJP, "Good afternoon, everyone."),
            reporter("Q", "Good afternoon."),
            official(KJP, opening),
            reporter("AP", "Will he travel to the border next week?"),
            official(KJP, "Not next week."),
        ]
    )
    assert shape(exchanges)[0] == (
        KIND_STATEMENT,
        [
            (STATEMENT, "Good afternoon, everyone."),
            (QUESTION, "Good afternoon."),
            (STATEMENT, opening),
        ],
    )
    assert [e.kind for e in exchanges] == [KIND_STATEMENT, KIND_QA]


def test_a_reporters_thanks_stays_in_the_exchange_it_closes():
    exchanges = group_exchanges(
        [
            reporter("AP", "Will he travel?"),
            official(PSAKI, "Not this week."),
            reporter("AP", "Thank you."),
            reporter("CNN", "On the budget, is there a deal?"),
            official(PSAKI, "Not yet."),
        ]
    )
    assert [[t.text for t in e.turns if t.role == QUESTION] for e in exchanges] == [
        ["Will he travel?", "Thank you."],
        ["On the budget, is there a deal?"],
    ]


TIMESTAMPED = """Jane Doe: (00:05)
Good morning. Today we have an update on the flu season and the vaccine supply.
Speaker 1: (00:40)
What is the supply now?
Jane Doe: (00:45)
We have about forty million doses, and we have shipped-
Speaker 1: (00:50)
{continuation}
Speaker 2: (01:30)
And next month?
Jane Doe: (01:35)
More.
"""


def test_a_bare_speaker_who_continues_an_interrupted_answer_is_answering():
    continuation = "thirty million of them. " + "They reach every state this week. " * 12
    parsed = timestamped.parse(TIMESTAMPED.format(continuation=continuation))
    roles = [(t.speaker_label, t.role) for t in parsed.turns]
    assert roles[3] == ("Speaker 1", ANSWER)
    assert roles[1] == ("Speaker 1", QUESTION)


def test_a_short_interjection_under_a_bare_speaker_stays_a_question():
    parsed = timestamped.parse(TIMESTAMPED.format(continuation="But how many were shipped"))
    assert [t.role for t in parsed.turns if t.speaker_label == "Speaker 1"] == [QUESTION] * 2


# Named real files.


def parse(path) -> ParsedConference:
    return parse_transcript(decode_transcript(path.read_bytes(), max_bytes=1 << 26))


def exchange_of(parsed: ParsedConference, words: str) -> ParsedExchange:
    return next(e for e in parsed.exchanges if any(words in t.text for t in e.turns))


def turn_of(parsed: ParsedConference, words: str):
    return next(t for t in parsed.turns if words in t.text)


@pytest.mark.corpus
def test_in_a_real_briefing_a_fragment_joins_its_question(corpus):
    parsed = parse(
        corpus / "wh-briefings/press-briefings/2022-04/2022-04-26-press-briefing-by-press-"
        "secretary-jen-psaki-and-white-house-covid-19-response-coordinator-dr-ashish-jha.md"
    )
    exchange = exchange_of(parsed, "And can I ask one on Ukraine?")
    assert [t.role for t in exchange.turns[:3]] == [QUESTION, MODERATOR, QUESTION]
    assert exchange.turns[2].text.startswith("So, just earlier today, the announcement")


@pytest.mark.corpus
def test_in_a_real_background_call_the_hand_offs_are_the_moderators(corpus):
    parsed = parse(
        corpus / "wh-briefings/press-briefings/2023-05/2023-05-04-background-press-call-on-"
        "new-artificial-intelligence-announcements.md"
    )
    handoff = turn_of(parsed, "Next, we’ll go to Josh Boak.")
    assert (handoff.speaker_label, handoff.role) == ("MS. PATTERSON", MODERATOR)
    exchange = exchange_of(parsed, "Next, we’ll go to Josh Boak.")
    assert exchange.turns[0] is handoff
    assert exchange.turns[1].role == QUESTION
    assert turn_of(parsed, "Our next question comes from Kevin Collier.").role == MODERATOR


@pytest.mark.corpus
def test_in_a_real_covid_team_briefing_next_question_is_the_moderators(corpus):
    parsed = parse(
        corpus / "wh-briefings/press-briefings/2021-08/2021-08-24-press-briefing-by-white-"
        "house-covid-19-response-team-and-public-health-officials-51.md"
    )
    zients = [t for t in parsed.turns if t.speaker_label == "MR. ZIENTS"]
    assert [t.text for t in zients if t.role == MODERATOR and "question" in t.text] == [
        "Next question.",  # cut from the end of his answer on schools
        "Next question.",
        "Next question.",
        "Thanks, Dr. Murthy. Next question.",
    ]
    assert turn_of(parsed, "bring them back to school safely.").role == ANSWER
    # Dr. Murthy asks to add something after this one: the floor stays with the officials.
    assert turn_of(parsed, "we stay ahead of").text.endswith("Next question.")


@pytest.mark.corpus
def test_in_a_real_briefing_opening_banter_joins_the_opening_statement(corpus):
    parsed = parse(
        corpus / "wh-briefings/press-briefings/2023-08/2023-08-14-press-briefing-by-press-"
        "secretary-karine-jean-pierre-and-fema-administrator-deanne-criswell-2.md"
    )
    first = parsed.exchanges[0]
    assert first.kind == KIND_STATEMENT
    assert [t.text for t in first.turns if t.role == QUESTION][:3] == [
        "Hey, hey.",
        "Happy birthday.",
        "Happy belated.",
    ]
    assert not any(t.role == ANSWER for t in first.turns)


@pytest.mark.corpus
def test_in_a_real_timestamped_transcript_a_bare_speakers_answer_is_an_answer(corpus):
    # The transcriber swapped two labels here (the labelled set's README says so): the
    # turn under "Speaker 6" is the Vice President answering.
    parsed = parse(corpus / "rev-covid-briefings-txt/data/3_6.txt")
    turn = next(t for t in parsed.turns if t.line == 99)
    assert (turn.speaker_label, turn.role) == ("Speaker 6", ANSWER)


def test_an_exchange_of_thanks_only_is_procedural():
    # Press gaggle en route Queens, November 26, 2024, #25: the gaggle's last exchange.
    thanks = ParsedExchange(
        KIND_QA,
        [
            reporter("Q", "Thank you."),
            official("Andrew Bates", "Thank you all."),
            reporter("Q", "Thank you."),
        ],
    )
    asked = ParsedExchange(
        KIND_QA,
        [reporter("Q", "Thank you. Will he travel?"), official("Andrew Bates", "He will.")],
    )

    exchanges = mark_courtesies([asked, thanks])

    assert [e.kind for e in exchanges] == [KIND_QA, KIND_PROCEDURAL]
    assert [t.role for t in exchanges[1].turns] == [QUESTION, MODERATOR, QUESTION]
