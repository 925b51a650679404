"""The Rev-style timestamped parser: a hand-written fixture, small cases, the corpus.

The fixture is written for this project in the same shape as the third-party transcripts
(Windows-1252, `Name: (mm:ss)` headers); those transcripts are not copied here.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from briefings.ingest import detect
from briefings.ingest.decode import decode_transcript
from briefings.ingest.formats import timestamped, wh_html, wh_markdown
from briefings.ingest.records import ParseError
from briefings.text import ANSWER, NOTE, QUESTION, STATEMENT
from tests.conftest import DATA
from tests.golden import assert_matches_golden

FLU_BRIEFING = DATA / "timestamped_flu_briefing.txt"


def flu_briefing() -> str:
    return decode_transcript(FLU_BRIEFING.read_bytes())


def roles_by_label(text: str) -> dict[str, set[str]]:
    roles: dict[str, set[str]] = {}
    for turn in timestamped.parse(text).turns:
        roles.setdefault(turn.speaker_label, set()).add(turn.role)
    return roles


def test_it_reads_a_briefing_as_the_golden_file_says() -> None:
    assert_matches_golden(timestamped.parse(flu_briefing()), DATA / "timestamped_flu_briefing.json")


def test_it_is_chosen_by_format_detection_after_windows_1252_decoding() -> None:
    data = FLU_BRIEFING.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    parsed = detect.parse_transcript(decode_transcript(data))
    assert parsed.format == "timestamped"
    assert "Vaccination is still the best protection we have…" in parsed.turns[0].text


def test_it_merges_consecutive_turns_by_one_speaker() -> None:
    parsed = timestamped.parse(flu_briefing())
    opening = parsed.turns[0]
    assert (opening.speaker_label, opening.role) == ("Dr. Helen Okafor", STATEMENT)
    assert opening.text.split("\n\n") == [
        "Good afternoon. Thank you all for coming. I’ll give a short update on the flu season, "
        "and then we’ll take your questions.",
        "As of this morning, 212 counties report high activity. That’s up from 180 last week. "
        "Vaccination is still the best protection we have…",
    ]
    labels = [turn.speaker_label for turn in parsed.turns]
    assert all(first != second for first, second in itertools.pairwise(labels))


def test_it_reads_hour_long_timestamps() -> None:
    parsed = timestamped.parse(flu_briefing())
    assert parsed.turns[-1].text.endswith("We’ll be back on Thursday.")


def test_it_asks_with_labels_that_name_no_official() -> None:
    roles = roles_by_label(flu_briefing())
    assert roles["Speaker 1"] == roles["Speaker 2"] == roles["Press Steve"] == {QUESTION}
    assert roles["Audience"] == {NOTE}  # "[crosstalk 00:04:31]" and nothing else


def test_it_takes_a_named_newcomer_who_asks_briefly_for_a_reporter() -> None:
    parsed = timestamped.parse(flu_briefing())
    reyes = [turn for turn in parsed.turns if turn.speaker_label == "Dana Reyes"]
    assert [turn.role for turn in reyes] == [QUESTION, QUESTION]
    assert reyes[0].speaker_name == "Dana Reyes"
    assert "Dana Reyes" not in [participant.name for participant in parsed.participants]


def test_it_takes_a_named_speaker_who_never_asks_for_an_official() -> None:
    assert roles_by_label(flu_briefing())["Jordan Blake"] == {ANSWER}


def test_it_keeps_an_official_who_asks_a_rhetorical_question_an_official() -> None:
    text = (
        "Alex Morgan: (00:00)\nGood afternoon. Where are we this week? Better than last.\n"
        "Speaker 3: (01:10)\nWill the guidance change?\n"
        "Alex Morgan: (01:15)\nNot yet.\n"
    )
    assert roles_by_label(text) == {"Alex Morgan": {STATEMENT, ANSWER}, "Speaker 3": {QUESTION}}


def test_it_names_the_reporter_in_a_press_label() -> None:
    parsed = timestamped.parse(flu_briefing())
    names = {turn.speaker_label: turn.speaker_name for turn in parsed.turns}
    assert (names["Press Steve"], names["Speaker 1"], names["Dr. Helen Okafor"]) == (
        "Steve",
        "",
        "Helen Okafor",
    )


def test_it_leaves_the_date_to_the_loader_with_a_warning() -> None:
    parsed = timestamped.parse(flu_briefing())
    assert (parsed.title, parsed.held_on) == ("Press briefing", None)
    assert parsed.warnings == ["no date in the transcript; take it from the file name"]


def test_it_takes_a_date_printed_before_the_first_speaker() -> None:
    parsed = timestamped.parse("April 9, 2020\nMike Lane: (00:03)\nGood evening.\n")
    assert parsed.held_on == dt.date(2020, 4, 9)
    assert parsed.warnings == []


def test_it_refuses_text_without_timestamped_headers() -> None:
    with pytest.raises(ParseError) as error:
        timestamped.parse("Mike Lane: Good evening.\nSpeaker 1: A question?\n")
    assert error.value.line == 1


def test_it_does_not_claim_the_other_formats() -> None:
    assert timestamped.sniff(flu_briefing())
    assert not timestamped.sniff("Shou Xiaoli:\nGood morning.\nCCTV:\nA question.\n")
    assert not timestamped.sniff("Hua Chunying: Good afternoon.\nReuters: A question (00:12)?\n")
    assert not timestamped.sniff('{"turns": [{"speaker_label": "Mike Lane: (00:03)"}]}')
    assert not wh_markdown.sniff(flu_briefing())
    assert not wh_html.sniff(flu_briefing())


@pytest.mark.corpus
def test_it_parses_every_windows_1252_transcript(corpus: Path) -> None:
    files = sorted((corpus / "rev-covid-briefings-txt").rglob("*.txt"))
    assert len(files) == 6
    for path in files:
        data = path.read_bytes()
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        parsed = timestamped.parse(data.decode("cp1252"))
        questions = [turn for turn in parsed.turns if turn.role == QUESTION]
        assert len(questions) >= 5, path.name
        assert all(turn.speaker_label for turn in parsed.turns), path.name
        assert "\u0085" not in "".join(turn.text for turn in parsed.turns), path.name


@pytest.mark.corpus
def test_it_counts_about_as_many_questions_as_the_white_house_page_of_the_same_day(
    corpus: Path,
) -> None:
    rev = next(corpus.rglob("rev-covid-briefings-txt/**/4_9.txt"))
    page = next(corpus.rglob("white_house_briefing_April-09-2020.html"))
    rev_questions = sum(
        turn.role == QUESTION for turn in timestamped.parse(rev.read_bytes().decode("cp1252")).turns
    )
    page_questions = sum(
        turn.role == QUESTION for turn in wh_html.parse(page.read_text(encoding="utf-8")).turns
    )
    # Rev merges a reporter's interrupted follow-ups into one turn; the White House does not.
    assert page_questions / 2 <= rev_questions <= page_questions * 2
