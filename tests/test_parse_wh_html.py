"""The whole-page whitehouse.gov parser: two cut-down real pages, small cases, the corpus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefings.ingest import detect
from briefings.ingest.formats import timestamped, wh_html, wh_markdown
from briefings.ingest.records import ParseError
from briefings.text import QUESTION
from tests.conftest import DATA
from tests.golden import assert_matches_golden

APRIL_09 = DATA / "wh_html_april_09.html"
MARCH_31 = DATA / "wh_html_march_31.html"

# On April 24, 2020 the President left without taking questions: three shouted ones only.
NO_QUESTION_SESSION = "white_house_briefing_April-24-2020.html"


def page(content: str, *, title: str = "Remarks by President Trump | The White House") -> str:
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body>"
        f'<a href="https://www.whitehouse.gov/">Home</a><div class="editor">'
        f"<!-- The Content -->{content}</div></body></html>"
    )


def test_it_reads_a_page_of_paragraphs_as_the_golden_file_says() -> None:
    parsed = wh_html.parse(APRIL_09.read_text(encoding="utf-8"))
    assert_matches_golden(parsed, DATA / "wh_html_april_09.json")


def test_it_reads_a_page_with_the_time_in_a_div_as_the_golden_file_says() -> None:
    parsed = wh_html.parse(MARCH_31.read_text(encoding="utf-8"))
    assert_matches_golden(parsed, DATA / "wh_html_march_31.json")


def test_it_is_chosen_by_format_detection() -> None:
    parsed = detect.parse_transcript(APRIL_09.read_text(encoding="utf-8"))
    assert parsed.format == "wh-html"


def test_it_finds_the_transcript_among_the_page_furniture() -> None:
    parsed = wh_html.parse(APRIL_09.read_text(encoding="utf-8"))
    assert parsed.title == (
        "Remarks by President Trump, Vice President Pence, and Members of the Coronavirus "
        "Task Force in Press Briefing"
    )
    assert (parsed.location, parsed.start_time) == (
        "James S. Brady Press Briefing Room",
        "6:24 P.M. EDT",
    )
    assert parsed.held_on == dt.date(2020, 4, 9)  # from "Issued on: April 9, 2020"
    assert parsed.turns[-1].text.endswith("So thank you all very much. We’ll see you tomorrow.")
    assert "Skip to content" not in " ".join(turn.text for turn in parsed.turns)


def test_it_keeps_a_struck_word_beside_its_correction() -> None:
    parsed = wh_html.parse(APRIL_09.read_text(encoding="utf-8"))
    assert "26 more are in the active planning or [for] clinical trial." in parsed.turns[0].text


def test_it_names_the_president_and_vice_president_from_the_title() -> None:
    parsed = wh_html.parse(APRIL_09.read_text(encoding="utf-8"))
    names = {
        turn.speaker_label: turn.speaker_name for turn in parsed.turns if turn.role != QUESTION
    }
    assert names == {"THE PRESIDENT": "Trump", "THE VICE PRESIDENT": "Pence"}


def test_it_takes_the_date_from_the_title_when_the_page_has_none() -> None:
    parsed = wh_html.parse(
        page(
            "<p>THE PRESIDENT:  Thank you.</p><p>Q\u00a0\u00a0\u00a0 Sir?</p>",
            title="Remarks by President Trump, March 3, 2020 | The White House",
        )
    )
    assert parsed.held_on == dt.date(2020, 3, 3)
    assert parsed.warnings == []


def test_it_warns_and_leaves_the_date_empty_when_there_is_none() -> None:
    parsed = wh_html.parse(page("<p>THE PRESIDENT:  Thank you.</p><p>Q\u00a0\u00a0 Sir?</p>"))
    assert parsed.held_on is None
    assert parsed.warnings == ["no date found in the page metadata, title or transcript"]


def test_it_refuses_a_page_without_the_content_marker() -> None:
    with pytest.raises(ParseError, match="The Content"):
        wh_html.parse("<html><head><title>News</title></head><body><p>MR. X: Hi.</p></body></html>")


def test_it_refuses_a_page_in_which_no_one_speaks() -> None:
    with pytest.raises(ParseError, match="no speakers"):
        wh_html.parse(page("<p>The President signed the bill today.</p>"))


def test_it_does_not_claim_the_other_formats() -> None:
    assert wh_html.sniff(APRIL_09.read_text(encoding="utf-8"))
    assert not wh_html.sniff((DATA / "wh_markdown_covid_team.md").read_text(encoding="utf-8"))
    assert not wh_html.sniff("<html><body><p>Shou Xiaoli:</p><p>Good morning.</p></body></html>")
    assert not wh_markdown.sniff(APRIL_09.read_text(encoding="utf-8"))
    assert not timestamped.sniff(APRIL_09.read_text(encoding="utf-8"))


@pytest.mark.corpus
def test_it_parses_every_whitehouse_gov_page(corpus: Path) -> None:
    pages = sorted((corpus / "wh-covid-briefings-html").rglob("*.html"))
    assert len(pages) == 9
    for path in pages:
        parsed = wh_html.parse(path.read_text(encoding="utf-8"))
        assert parsed.held_on is not None, path.name
        assert parsed.start_time, path.name
        if path.name == NO_QUESTION_SESSION:
            assert sum(turn.role == QUESTION for turn in parsed.turns) == 3
        else:
            assert len(parsed.exchanges) >= 20, path.name
        assert not parsed.turns[-1].text.endswith("END"), path.name


@pytest.mark.corpus
def test_it_keeps_a_misspelt_label_as_printed(corpus: Path) -> None:
    path = next(corpus.rglob("white_house_briefing_March-16-2020.html"))
    parsed = wh_html.parse(path.read_text(encoding="utf-8"))
    labels = {turn.speaker_label: turn.speaker_name for turn in parsed.turns}
    assert labels["ADMIRAR GIROIR"] == labels["ADMIRAL GIROIR"] == "Giroir"
