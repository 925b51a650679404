"""The Foreign Ministry regular press conference parser: new "Outlet: text" style and the
older "Q:"/"A:" style, on written real-shaped transcripts in tests/data/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefings.ingest.detect import parse_transcript
from briefings.ingest.formats import mfa
from briefings.ingest.records import ParseError
from briefings.text import ANSWER, KIND_QA, KIND_STATEMENT, QUESTION, STATEMENT
from tests.golden import assert_matches_golden

DATA = Path(__file__).parent / "data"
NEW_STYLE = DATA / "mfa_2024-05-16_new_style.txt"
Q_AND_A = DATA / "mfa_2018-09-14_q_and_a.txt"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", [NEW_STYLE, Q_AND_A], ids=lambda path: path.stem)
def test_it_parses_each_fixture_as_its_golden_file(path: Path) -> None:
    assert_matches_golden(mfa.parse(read(path)), path.with_suffix(".json"))


def test_it_reads_the_title_date_and_spokesperson() -> None:
    parsed = mfa.parse(read(NEW_STYLE))

    assert parsed.title == (
        "Foreign Ministry Spokesperson Song Yiran's Regular Press Conference on May 16, 2024"
    )
    assert parsed.held_on == dt.date(2024, 5, 16)
    assert (parsed.organizer, parsed.kind) == ("Ministry of Foreign Affairs", "regular_briefing")
    [spokesperson] = parsed.participants
    assert (spokesperson.name, spokesperson.organization) == (
        "Song Yiran",
        "Ministry of Foreign Affairs",
    )


def test_it_makes_the_opening_announcements_a_statement_by_the_spokesperson() -> None:
    parsed = mfa.parse(read(NEW_STYLE))
    opening = parsed.exchanges[0]

    assert opening.kind == KIND_STATEMENT
    [turn] = opening.turns
    assert (turn.role, turn.speaker_label, turn.speaker_name) == (
        STATEMENT,
        "Song Yiran",
        "Song Yiran",
    )
    assert turn.text.startswith("The Fourth China-Pacific Island Countries")
    assert len(turn.text.split("\n\n")) == 2


def test_it_reads_outlets_as_questions_and_the_spokesperson_as_answers() -> None:
    parsed = mfa.parse(read(NEW_STYLE))

    assert [e.kind for e in parsed.exchanges[1:]] == [KIND_QA] * 5
    assert [e.turns[0].outlet for e in parsed.exchanges[1:]] == [
        "CCTV",
        "Global Times",
        "AFP",
        "Bloomberg",
        "China News Service",
    ]
    answers = [t for t in parsed.turns if t.role == ANSWER]
    assert {t.speaker_name for t in answers} == {"Song Yiran"}


def test_it_continues_a_turn_on_unlabelled_lines() -> None:
    parsed = mfa.parse(read(NEW_STYLE))
    answer = parsed.exchanges[1].turns[1]

    paragraphs = answer.text.split("\n\n")
    assert len(paragraphs) == 3
    assert "China will train 1,500 agricultural technicians" in paragraphs[1]


def test_it_reads_q_and_a_labels_as_reporter_and_the_spokesperson() -> None:
    parsed = mfa.parse(read(Q_AND_A))

    assert parsed.held_on == dt.date(2018, 9, 14)
    assert parsed.summary.startswith("Foreign Ministry Spokesperson Tang Jiayi started")
    assert parsed.exchanges[0].turns[0].role == STATEMENT
    assert [(t.role, t.speaker_label, t.speaker_name, t.outlet) for t in parsed.turns[1:3]] == [
        (QUESTION, "Q", "", ""),
        (ANSWER, "A", "Tang Jiayi", ""),
    ]


def test_it_labels_the_statement_spokesperson_when_the_title_names_nobody() -> None:
    text = (
        "Regular Press Conference on March 3, 2022\n\n"
        "The Foreign Ministry will hold a briefing on Friday.\n\n"
        "Q: Is there anything new?\n\n"
        "A: Nothing to add.\n"
    )
    parsed = mfa.parse(text)

    statement = parsed.turns[0]
    assert (statement.role, statement.speaker_label, statement.speaker_name) == (
        STATEMENT,
        "Spokesperson",
        "",
    )
    assert parsed.held_on == dt.date(2022, 3, 3)


def test_it_keeps_bilingual_text_with_the_english_turn() -> None:
    text = (
        "Foreign Ministry Spokesperson Song Yiran's\n"
        "Regular Press Conference on May 16, 2024\n\n"
        "澎湃新闻记者:论坛有什么成果?\n\n"
        "The Paper: What are the outcomes of the forum?\n\n"
        "宋一然:论坛取得了丰硕成果。\n\n"
        "Song Yiran: The forum was fruitful.\n\n"
        "我们将继续合作。\n\n"
        "We will continue to cooperate.\n"
    )
    parsed = mfa.parse(text)

    assert parsed.title.endswith("Regular Press Conference on May 16, 2024")
    question, answer = parsed.turns
    assert (question.role, question.outlet) == (QUESTION, "The Paper")
    assert question.text == "澎湃新闻记者:论坛有什么成果?\n\nWhat are the outcomes of the forum?"
    assert (answer.role, answer.speaker_name) == (ANSWER, "Song Yiran")
    assert answer.text.split("\n\n") == [
        "宋一然:论坛取得了丰硕成果。",
        "The forum was fruitful.",
        "我们将继续合作。",
        "We will continue to cooperate.",
    ]


def test_it_warns_about_a_person_who_is_not_the_spokesperson() -> None:
    text = (
        "Foreign Ministry Spokesperson Song Yiran's Regular Press Conference on May 16, 2024\n\n"
        "CCTV: A question?\n\n"
        "Song Yiran: An answer.\n\n"
        "Global Times: Another question?\n\n"
        "Lu Hanqing: Another answer.\n"
    )
    parsed = mfa.parse(text)

    assert parsed.turns[-1].role == ANSWER
    assert [p.name for p in parsed.participants] == ["Song Yiran", "Lu Hanqing"]
    assert any("'Lu Hanqing' is not the spokesperson" in warning for warning in parsed.warnings)


def test_it_is_detected_through_parse_transcript() -> None:
    assert parse_transcript(read(Q_AND_A)).format == "mfa"


def test_it_refuses_text_without_labels() -> None:
    with pytest.raises(ParseError, match="no speaker labels"):
        mfa.parse("Foreign Ministry news\n\nA page of prose, with no one speaking.\n")


@pytest.mark.parametrize(
    "text",
    [
        # White House Markdown: front matter and upper-case labels.
        "---\ntitle: Press Briefing\n---\n\nMS. PSAKI: Hi.\n\nQ Thanks.\n\nMS. PSAKI: Sure.\n",
        "MS. PSAKI:  Hello.\n\nMR. SULLIVAN:  Thanks.\n\nMS. PSAKI:  Next.\n",
        # Timestamped transcripts: "Name: (mm:ss)".
        "Mike Pence: (00:01)\nThank you.\nDr. Fauci: (01:10)\nYes.\nMike Pence: (02:00)\nOk.\n",
        # SCIO: labels alone on their lines.
        "Xi Yanchun:\n\nWelcome.\n\nCCTV:\n\nA question?\n\nTian Yulong:\n\nAn answer.\n",
    ],
    ids=["wh-front-matter", "wh-upper-case", "timestamped", "scio"],
)
def test_it_does_not_claim_other_formats(text: str) -> None:
    assert not mfa.sniff(text)
