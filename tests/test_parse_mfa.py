"""The Foreign Ministry regular press conference parser: new "Outlet: text" style and the
older "Q:"/"A:" style, on written real-shaped transcripts in tests/data/, and pages in the
layout of the Ministry's site (tests/conftest.py builds them with written words). The
Ministry's own pages are read in tests/test_mfa_pages.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefings.ingest.detect import parse_transcript
from briefings.ingest.formats import mfa
from briefings.ingest.records import ParseError
from briefings.text import (
    ANSWER,
    KIND_PROCEDURAL,
    KIND_QA,
    KIND_STATEMENT,
    NOTE,
    QUESTION,
    STATEMENT,
)
from tests.conftest import ministry_list_page, ministry_page
from tests.golden import assert_matches_golden

DATA = Path(__file__).parent / "data"
NEW_STYLE = DATA / "mfa_2024-05-16_new_style.txt"
Q_AND_A = DATA / "mfa_2018-09-14_q_and_a.txt"
DAILY_BRIEFING = DATA / "mfa_2020-02-06_daily_briefing_online.txt"
SEPARATOR = DATA / "mfa_2020-04-08_outlets_and_separator.txt"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "path", [NEW_STYLE, Q_AND_A, DAILY_BRIEFING, SEPARATOR], ids=lambda path: path.stem
)
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


# The text copies that went wrong (issue 11), on written transcripts of the same shape.


def test_it_recognises_a_daily_briefing_online_title() -> None:
    parsed = mfa.parse(read(DAILY_BRIEFING))

    assert parsed.title == (
        "Foreign Ministry Spokesperson Hua Chunying's Daily Briefing Online on February 6, 2020"
    )
    assert parsed.held_on == dt.date(2020, 2, 6)
    assert parsed.kind == "press_briefing"
    assert [p.name for p in parsed.participants] == ["Hua Chunying"]
    assert parsed.warnings == []


def test_it_reads_a_time_a_ratio_and_an_emphasis_as_text_and_loses_none_of_it() -> None:
    parsed = mfa.parse(read(DAILY_BRIEFING))

    [opening] = parsed.exchanges[0].turns
    paragraphs = opening.text.split("\n\n")
    assert paragraphs[0].startswith("First, some figures from the health authorities. Between")
    assert paragraphs[1].startswith("As of 24:00 February 6, a total of 900 patients")
    assert paragraphs[1].endswith("rose to 3:1 for the first time.")
    assert "I want to stress this: restrictions" in parsed.exchanges[1].turns[1].text
    assert {turn.outlet for turn in parsed.turns} == {""}


def test_a_reply_to_the_spokespersons_counter_question_continues_the_exchange() -> None:
    parsed = mfa.parse(read(DAILY_BRIEFING))

    exchange = parsed.exchanges[2]
    assert exchange.kind == KIND_QA
    assert [turn.role for turn in exchange.turns] == [QUESTION, ANSWER, QUESTION, ANSWER]
    assert exchange.turns[1].text == "Who said that?"
    assert exchange.turns[2].text == "It's by Reuters, quoting a students' association."
    assert len(parsed.exchanges) == 4


def test_an_outlets_reply_to_a_counter_question_continues_its_exchange() -> None:
    parsed = mfa.parse(read(SEPARATOR))

    exchange = parsed.exchanges[2]
    assert [(t.role, t.speaker_label, t.outlet) for t in exchange.turns] == [
        (QUESTION, "AFP", "AFP"),
        (ANSWER, "Zhao Lijian", ""),
        (QUESTION, "AFP", "AFP"),
        (ANSWER, "Zhao Lijian", ""),
    ]
    assert exchange.turns[2].text == "An opinion piece in a weekly magazine."


def test_a_follow_up_keeps_the_outlet_of_the_question_it_follows() -> None:
    parsed = mfa.parse(read(SEPARATOR))

    follow_up = parsed.exchanges[3]
    assert follow_up.kind == KIND_QA
    assert (follow_up.turns[0].speaker_label, follow_up.turns[0].outlet) == ("Follow-up", "AFP")


def test_a_separator_is_a_note_and_a_question_raised_after_the_conference_its_own_exchange():
    parsed = mfa.parse(read(SEPARATOR))

    separator, late = parsed.exchanges[-2:]
    assert separator.kind == KIND_PROCEDURAL
    assert [(t.role, t.text) for t in separator.turns] == [(NOTE, "※※※※※※")]
    assert late.kind == KIND_QA
    assert [(t.role, t.speaker_label) for t in late.turns] == [
        (NOTE, ""),
        (QUESTION, "Q"),
        (ANSWER, "Zhao Lijian"),
    ]
    assert late.turns[0].text == "After the press conference, the following question was raised:"
    assert late.turns[1].text.startswith("Some media say that the border crossing")
    assert parsed.exchanges[-3].turns[0].outlet == "Reuters"
    assert parsed.exchanges[-3].turns[-1].text == "I have no information at the moment."


def test_unlabelled_lines_after_a_separator_are_the_spokespersons_statement() -> None:
    text = (
        "Foreign Ministry Spokesperson Hua Chunying's Regular Press Conference on May 6, 2020\n\n"
        "Q: Is there any update on the talks?\n\n"
        "A: The talks went well.\n\n"
        "***\n\n"
        "The press conference will be adjourned for the holiday and resume on May 11.\n"
    )
    parsed = mfa.parse(text)

    assert [e.kind for e in parsed.exchanges] == [KIND_QA, KIND_PROCEDURAL, KIND_STATEMENT]
    [closing] = parsed.exchanges[-1].turns
    assert (closing.role, closing.speaker_name) == (STATEMENT, "Hua Chunying")
    assert parsed.exchanges[0].turns[-1].text == "The talks went well."


@pytest.mark.parametrize(
    ("reply_label", "late_label"),
    [("Journalist", "Q"), ("Journalist clarifies", "Q"), ("The journalist clarified", "Q")],
)
def test_the_journalists_reply_stays_in_the_exchange(reply_label: str, late_label: str) -> None:
    text = (
        "Foreign Ministry Spokesperson Lu Kang's Regular Press Conference on May 16, 2019\n\n"
        "Q: What is your comment on the new rules?\n\n"
        "A: Which rules are you referring to?\n\n"
        f"{reply_label}: The export rules announced yesterday.\n\n"
        "We have noted them. China will respond in due course.\n\n"
        f"{late_label}: Another question on the weather?\n\n"
        "A: No comment.\n"
    )
    parsed = mfa.parse(text)

    first, second = parsed.exchanges
    assert [(t.role, t.speaker_label) for t in first.turns] == [
        (QUESTION, "Q"),
        (ANSWER, "A"),
        (QUESTION, reply_label),
        (ANSWER, "Lu Kang"),
    ]
    assert first.turns[-1].text == "We have noted them. China will respond in due course."
    assert second.turns[0].text == "Another question on the weather?"


def test_an_answer_printed_without_a_label_after_a_question_is_the_spokespersons() -> None:
    text = (
        "Foreign Ministry Spokesperson Geng Shuang's Regular Press Conference on May 9, 2019\n\n"
        "Q: Will the case be discussed at the talks?\n\n"
        "Our position on the case is clear.\n\n"
        "Q: Another question?\n\n"
        "A: Another answer.\n"
    )
    parsed = mfa.parse(text)

    first = parsed.exchanges[0]
    assert [(t.role, t.speaker_name, t.text) for t in first.turns] == [
        (QUESTION, "", "Will the case be discussed at the talks?"),
        (ANSWER, "Geng Shuang", "Our position on the case is clear."),
    ]
    assert parsed.warnings == [
        "line 5: an answer printed without a label after the question; read as the spokesperson's"
    ]


@pytest.mark.parametrize(
    "line",
    [
        "As of 24:00 February 6, 900 patients had been discharged.",
        "At 10:00 a.m. tomorrow, a briefing will be held.",
        "The score was 3:1 in the end.",
        "I want to stress this: the door stays open.",
        "China's position is clear: flights will continue.",
        'The white paper "Fighting the Flood: China in Action" was released.',
    ],
)
def test_a_colon_inside_the_text_is_no_label(line: str) -> None:
    text = (
        "Foreign Ministry Spokesperson Geng Shuang's Regular Press Conference on May 9, 2019\n\n"
        "Q: Any news?\n\n"
        f"A: Some.\n\n{line}\n"
    )
    parsed = mfa.parse(text)

    assert parsed.turns[-1].text == f"Some.\n\n{line}"
    assert len(parsed.turns) == 2


def test_a_name_asking_after_an_answer_is_an_outlet() -> None:
    text = (
        "Foreign Ministry Spokesperson Geng Shuang's Regular Press Conference on April 29, 2020"
        "\n\nCCTV: A question?\n\nGeng Shuang: An answer.\n\n"
        "The Australian: Another question?\n\nGeng Shuang: Another answer.\n"
    )
    parsed = mfa.parse(text)

    assert [(t.role, t.outlet) for t in parsed.turns] == [
        (QUESTION, "CCTV"),
        (ANSWER, ""),
        (QUESTION, "The Australian"),
        (ANSWER, ""),
    ]
    assert parsed.warnings == []


# Pages in the Ministry's layout.

PAGE_TITLE = "Foreign Ministry Spokesperson Zhao Lijian's Regular Press Conference on April 8, 2020"
PAGE_BODY = """
<P>The Foreign Ministry will hold a briefing for diplomats tomorrow.</P>
<P><STRONG>CCTV: What will the briefing cover? <BR></STRONG><BR>Zhao Lijian: The reopening of
schools&nbsp;and factories.</P>
<P>More details will follow.</P>
<P>Reuters: Is there any update on the trade delegation?</P>
<P>Zhao Lijian: I have no information at the moment.</P>
"""


def test_it_reads_a_ministry_page_as_a_reader_sees_its_article() -> None:
    page = ministry_page(PAGE_TITLE, PAGE_BODY)

    parsed = parse_transcript(page)

    assert parsed.format == "mfa"
    assert (parsed.title, parsed.held_on) == (PAGE_TITLE, dt.date(2020, 4, 8))
    assert [p.name for p in parsed.participants] == ["Zhao Lijian"]
    assert [(t.role, t.speaker_label, t.outlet, t.text) for t in parsed.turns] == [
        (STATEMENT, "Zhao Lijian", "", "The Foreign Ministry will hold a briefing for diplomats "
         "tomorrow."),
        (QUESTION, "CCTV", "CCTV", "What will the briefing cover?"),
        (ANSWER, "Zhao Lijian", "", "The reopening of schools and factories.\n\n"
         "More details will follow."),
        (QUESTION, "Reuters", "Reuters", "Is there any update on the trade delegation?"),
        (ANSWER, "Zhao Lijian", "", "I have no information at the moment."),
    ]  # fmt: skip
    page_lines = page.splitlines()
    assert "Reuters: Is there" in page_lines[parsed.turns[3].line - 1]


def test_the_date_line_wins_and_a_headline_without_a_year_takes_it_from_its_pictures() -> None:
    dated = parse_transcript(ministry_page(PAGE_TITLE, PAGE_BODY, date_line="2020-04-09 18:00"))
    no_year = parse_transcript(
        ministry_page(PAGE_TITLE.replace(", 2020", ""), PAGE_BODY)  # the picture: 20200408
    )
    glued = parse_transcript(ministry_page(PAGE_TITLE.replace("April 8", "April8"), PAGE_BODY))
    other_day = parse_transcript(
        ministry_page(PAGE_TITLE.replace("April 8, 2020", "April 9"), PAGE_BODY)
    )

    assert dated.held_on == dt.date(2020, 4, 9)
    assert no_year.held_on == dt.date(2020, 4, 8)
    assert glued.held_on == dt.date(2020, 4, 8)
    assert other_day.held_on is None
    assert other_day.warnings == [
        "no date on the page: its date line is empty and its headline has no year"
    ]


def test_it_refuses_a_list_page_saying_it_is_a_list_of_transcripts() -> None:
    page = ministry_list_page([PAGE_TITLE, PAGE_TITLE.replace("8", "7")])

    with pytest.raises(ParseError, match="this is a list of transcripts") as refused:
        parse_transcript(page)

    assert "linking to 2), not a transcript" in str(refused.value)
    assert "unknown format" not in str(refused.value)


def test_other_html_is_read_as_its_text() -> None:
    page = (
        "<html><body><h1>Regular Press Conference on March 3, 2022</h1>"
        "<p>Q: Is there anything new?</p><p>A: Nothing to add.</p>"
        "<p>Q: And tomorrow?</p><p>A: We will see.</p></body></html>"
    )

    parsed = parse_transcript(page)

    assert parsed.format == "mfa"
    assert parsed.held_on == dt.date(2022, 3, 3)
    assert [t.role for t in parsed.turns] == [QUESTION, ANSWER, QUESTION, ANSWER]
