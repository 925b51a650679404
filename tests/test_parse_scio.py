"""The SCIO parsers: whole briefing pages and page series, on real-shaped transcripts.
Long because the two SCIO formats share their fixtures and golden files.

The whole transcripts live in demo/scio/ (they are the project's demo data too); their
expected parses are golden JSON files in tests/data/. The one real SCIO page is
demo/scio/2022-02-28-industry-and-icts-page.txt, the real page from the shared corpus.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from briefings.ingest.detect import detect_format, parse_transcript
from briefings.ingest.formats import mfa, scio_briefing, scio_pages
from briefings.ingest.formats._printed import organization_from_title, parse_date
from briefings.ingest.records import ParsedConference, ParseError
from briefings.text import ANSWER, KIND_PROCEDURAL, KIND_QA, KIND_STATEMENT, MODERATOR, QUESTION
from tests.golden import assert_matches_golden

DATA = Path(__file__).parent / "data"
DEMO = Path(__file__).resolve().parent.parent / "demo" / "scio"

SMES_BRIEFING = DEMO / "2023-08-17-scio-briefing-smes.txt"
INDUSTRY_HTML = DEMO / "2024-01-19-scio-press-conference-industry-2023.html"
EMPLOYMENT_PAGES = [DEMO / f"2022-12-29-scio-employment-page-{n}.txt" for n in (1, 2, 3)]
SEED_PAGE = DEMO / "2022-02-28-industry-and-icts-page.txt"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def parse_employment_pages(order: tuple[int, ...] = (1, 2, 3)) -> ParsedConference:
    paths = [EMPLOYMENT_PAGES[n - 1] for n in order]
    return scio_pages.parse_pages(
        [read(path) for path in paths],
        numbers=[scio_pages.page_from_filename(path.name) for path in paths],
    )


def turn_summary(parsed: ParsedConference) -> list[tuple[str, str, str, str]]:
    return [(t.role, t.speaker_label, t.speaker_name, t.outlet) for t in parsed.turns]


# --- golden files ------------------------------------------------------------------------


def test_it_parses_a_whole_briefing_page_as_its_golden_file() -> None:
    parsed = scio_briefing.parse(read(SMES_BRIEFING))
    assert_matches_golden(parsed, DATA / "demo_scio_2023-08-17_briefing_smes.json")


def test_it_parses_a_saved_html_briefing_page_as_its_golden_file() -> None:
    parsed = parse_transcript(read(INDUSTRY_HTML))
    assert_matches_golden(parsed, DATA / "demo_scio_2024-01-19_industry_html.json")


def test_it_parses_a_page_series_as_its_golden_file() -> None:
    assert_matches_golden(parse_employment_pages(), DATA / "demo_scio_2022-12-29_employment.json")


def test_it_parses_the_seed_page_as_its_golden_file() -> None:
    assert_matches_golden(scio_pages.parse(read(SEED_PAGE)), DATA / "scio_pages_seed.json")


# --- whole briefing pages ----------------------------------------------------------------


def test_it_reads_the_briefing_header() -> None:
    parsed = scio_briefing.parse(read(SMES_BRIEFING))

    assert parsed.title.startswith("SCIO briefing on supporting the high-quality development")
    assert parsed.held_on == dt.date(2023, 8, 17)
    assert (parsed.location, parsed.start_time) == ("Beijing", "10 a.m.")
    assert parsed.organizer == "State Council Information Office"
    assert parsed.kind == "press_conference"
    assert parsed.summary.startswith("The State Council Information Office held a press")
    assert parsed.warnings == []


def test_it_lists_each_participant_once_with_title_and_organization() -> None:
    parsed = scio_briefing.parse(read(SMES_BRIEFING))

    # The page lists the speakers twice (under "Speakers" and "Speakers:").
    assert [(p.name, p.organization, p.is_chair) for p in parsed.participants] == [
        ("Liang Wenhua", "Ministry of Industry and Information Technology", False),
        ("Zhou Qinglan", "Ministry of Industry and Information Technology", False),
        ("Pan Yuting", "National Financial Regulatory Administration", False),
        ("Shen Luming", "State Council Information Office", True),
    ]
    assert parsed.participants[0].title == "vice minister of industry and information technology"


def test_it_makes_the_chair_moderate_except_right_after_a_question() -> None:
    parsed = scio_briefing.parse(read(SMES_BRIEFING))
    chair_turns = [t for t in parsed.turns if t.speaker_name == "Shen Luming"]

    assert [t.role for t in chair_turns] == [MODERATOR, MODERATOR, MODERATOR, ANSWER, MODERATOR]
    answered = next(e for e in parsed.exchanges if chair_turns[3] in e.turns)
    assert answered.turns[0].outlet == "Science and Technology Daily"
    assert chair_turns[3].speaker_title.endswith("SCIO spokesperson")


def test_it_groups_the_opening_closing_and_two_official_answers() -> None:
    parsed = scio_briefing.parse(read(SMES_BRIEFING))

    assert [e.kind for e in parsed.exchanges] == [
        KIND_PROCEDURAL,
        KIND_STATEMENT,
        KIND_QA,
        KIND_QA,
        KIND_QA,
        KIND_QA,
        KIND_QA,
        KIND_PROCEDURAL,
    ]
    bloomberg = next(e for e in parsed.exchanges if e.turns[0].outlet == "Bloomberg")
    assert [(t.role, t.speaker_name) for t in bloomberg.turns] == [
        (QUESTION, ""),
        (ANSWER, "Pan Yuting"),
        (ANSWER, "Zhou Qinglan"),
    ]


def test_it_resolves_mr_liang_wenhua_to_the_listed_liang_wenhua() -> None:
    parsed = parse_transcript(read(INDUSTRY_HTML))
    liang = [t for t in parsed.turns if t.speaker_label == "Mr. Liang Wenhua"]

    assert len(liang) == 3
    assert {(t.speaker_name, t.speaker_title) for t in liang} == {
        ("Liang Wenhua", "vice minister of industry and information technology")
    }
    # The same person in the August briefing, labelled without "Mr.".
    other = scio_briefing.parse(read(SMES_BRIEFING))
    assert "Liang Wenhua" in {
        t.speaker_name for t in other.turns if t.speaker_label == "Liang Wenhua"
    }


def test_it_resolves_a_surname_label_and_an_office_before_the_name() -> None:
    text = "\n\n".join(
        [
            "SCIO briefing on a test",
            "Beijing | 10 a.m. Sept. 5, 2023",
            "Speakers:",
            "Liang Wenhua, vice minister of industry and information technology",
            "Chairperson:",
            "Shen Luming, deputy director general of the Press Bureau of the SCIO",
            "Economic Daily:",
            "What will be done?",
            "Mr. Liang:",
            "We will do more.",
            "Vice Minister Liang Wenhua:",
            "And more again.",
        ]
    )
    parsed = scio_briefing.parse(text)

    assert [(t.role, t.speaker_name) for t in parsed.turns] == [
        (QUESTION, ""),
        (ANSWER, "Liang Wenhua"),
        (ANSWER, "Liang Wenhua"),
    ]
    assert parsed.held_on == dt.date(2023, 9, 5)


def test_it_drops_the_page_furniture_of_a_saved_html_page() -> None:
    parsed = parse_transcript(read(INDUSTRY_HTML))

    assert parsed.format == "scio-briefing"
    assert parsed.summary.startswith("The State Council Information Office held")
    assert parsed.turns[-1].text.endswith("Today's press conference is hereby concluded.")
    assert "Copyright" not in "".join(t.text for t in parsed.turns)


def test_it_warns_about_an_unlisted_person_labelled_mr() -> None:
    text = "\n\n".join(
        [
            "SCIO briefing on a test",
            "Beijing | 10 a.m. March 3, 2022",
            "Speakers:",
            "Liang Wenhua, vice minister of industry and information technology",
            "Chairperson:",
            "Shen Luming, SCIO spokesperson",
            "CCTV:",
            "A question?",
            "Mr. Zhang Hong:",
            "An answer.",
        ]
    )
    parsed = scio_briefing.parse(text)

    assert [(t.role, t.speaker_name) for t in parsed.turns] == [
        (QUESTION, ""),
        (ANSWER, "Zhang Hong"),
    ]
    assert any("Mr. Zhang Hong" in warning for warning in parsed.warnings)


# --- page series -------------------------------------------------------------------------


def test_it_joins_a_page_series_into_one_conference_with_the_header_once() -> None:
    parsed = parse_employment_pages()

    assert parsed.title == "SCIO press conference on stabilizing and expanding employment"
    assert parsed.summary.count("held a press conference") == 1
    assert parsed.page_count == 3
    assert parsed.page is None
    assert "Jan. 4, 2023" not in parsed.summary
    all_text = "\n".join(t.text for t in parsed.turns)
    assert "SCIO press conference on" not in all_text
    assert "<" not in all_text


def test_it_continues_the_last_turn_when_a_page_begins_mid_turn() -> None:
    parsed = parse_employment_pages()
    answer = next(
        t for t in parsed.turns if t.text.startswith("Thank you for your question. Helping")
    )

    assert answer.speaker_name == "Cheng Lixin"
    paragraphs = answer.text.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[1].startswith("For graduates from families in difficulty")
    assert paragraphs[2].endswith("in rural areas. Thank you.")


def test_it_labels_a_question_that_begins_a_page_as_reporter_with_a_warning() -> None:
    parsed = parse_employment_pages()
    question = next(t for t in parsed.turns if t.text.startswith("Migrant workers"))

    assert (question.role, question.speaker_label, question.outlet) == (QUESTION, "Reporter", "")
    assert parsed.warnings == [
        "page 3 begins with a question without its outlet line; labelled 'Reporter'"
    ]
    exchange = next(e for e in parsed.exchanges if question in e.turns)
    assert [t.speaker_name for t in exchange.turns] == ["", "Cheng Lixin"]


def test_it_puts_pages_given_out_of_order_in_page_order() -> None:
    assert parse_employment_pages((3, 1, 2)) == parse_employment_pages((1, 2, 3))


def test_it_keeps_the_given_order_and_warns_when_page_numbers_are_unknown() -> None:
    # The pager lists every page without marking the current one, so without numbers the
    # order cannot be told; a first page that begins mid-turn is flagged.
    texts = [read(EMPLOYMENT_PAGES[1]), read(EMPLOYMENT_PAGES[0])]
    parsed = scio_pages.parse_pages(texts)

    assert any("out of order" in warning for warning in parsed.warnings)


def test_it_reads_page_numbers_from_file_names() -> None:
    assert scio_pages.page_from_filename("content_75629403_3.htm") == 3
    assert scio_pages.page_from_filename("content_75629403.htm") == 1
    assert scio_pages.page_from_filename("demo/scio/2022-12-29-scio-employment-page-2.txt") == 2
    assert scio_pages.page_from_filename("transcript.txt") is None


def test_it_takes_the_held_year_from_the_publication_date_across_new_year() -> None:
    parsed = parse_employment_pages()

    assert parsed.held_on == dt.date(2022, 12, 29)
    assert parsed.published_on == dt.date(2023, 1, 4)


def test_it_flags_the_chair_who_opens_a_page_series() -> None:
    parsed = parse_employment_pages()

    assert [(p.name, p.is_chair) for p in parsed.participants] == [
        ("Shen Luming", True),
        ("Cheng Lixin", False),
        ("Wu Xiaoyan", False),
    ]
    assert {t.role for t in parsed.turns if t.speaker_name == "Shen Luming"} == {MODERATOR}


def test_it_mends_a_paragraph_cut_by_a_page_break() -> None:
    header = (
        "SCIO press conference on a test\n\n"
        "The State Council Information Office held a press conference in Beijing on "
        "March 1 to brief the media.  March 2, 2024\n\n"
    )
    first = header + "CCTV:\n\nWhat next?\n\nTian Yulong:\n\nWe will expand the\n\n< 1 2 >"
    second = header + "scale of the program.\n\nThat is all.\n\n< 1 2 >"
    parsed = scio_pages.parse_pages([first, second], numbers=[1, 2])

    assert parsed.turns[-1].text == "We will expand the scale of the program.\n\nThat is all."
    assert parsed.held_on == dt.date(2024, 3, 1)


def test_it_page_info_gives_the_title_and_page_count() -> None:
    assert scio_pages.page_info(read(EMPLOYMENT_PAGES[1])) == (
        "SCIO press conference on stabilizing and expanding employment",
        3,
    )


def test_it_refuses_pages_of_different_conferences() -> None:
    other = read(SEED_PAGE)
    with pytest.raises(ParseError, match="not one conference"):
        scio_pages.parse_pages([read(EMPLOYMENT_PAGES[0]), other], numbers=[1, 2])


def test_it_refuses_a_page_given_twice() -> None:
    text = read(EMPLOYMENT_PAGES[0])
    with pytest.raises(ParseError, match="page 1 is given twice"):
        scio_pages.parse_pages([text, text], numbers=[1, 1])


# --- the real page -----------------------------------------------------------------------


@pytest.mark.corpus
def test_it_parses_the_real_seed_page_from_the_corpus(corpus: Path) -> None:
    text = (corpus / "scio" / "2022-02-28-industry-and-icts-page.txt").read_text()
    parsed = parse_transcript(text)

    assert parsed.format == "scio-pages"
    assert parsed.held_on == dt.date(2022, 2, 28)
    assert parsed.published_on == dt.date(2022, 3, 3)
    assert parsed.location == "Beijing"
    assert parsed.page_count == 11
    [exchange] = parsed.exchanges
    question, answer = exchange.turns
    assert (question.role, question.outlet) == (QUESTION, "Science and Technology Daily")
    assert (answer.role, answer.speaker_name) == (ANSWER, "Tian Yulong")
    assert "at least 100,000 SMEs" in answer.text
    assert answer.text.endswith("That's my answer. Thank you.")


# --- detection and refusal ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (SMES_BRIEFING, "scio-briefing"),
        (INDUSTRY_HTML, "scio-briefing"),
        (EMPLOYMENT_PAGES[0], "scio-pages"),
        (EMPLOYMENT_PAGES[1], "scio-pages"),
        (EMPLOYMENT_PAGES[2], "scio-pages"),
        (SEED_PAGE, "scio-pages"),
        (DATA / "mfa_2024-05-16_new_style.txt", "mfa"),
        (DATA / "mfa_2018-09-14_q_and_a.txt", "mfa"),
    ],
    ids=lambda value: value.name if isinstance(value, Path) else value,
)
def test_it_detects_the_format_of_each_fixture(path: Path, expected: str) -> None:
    assert detect_format(read(path)) == expected


@pytest.mark.parametrize("module", [scio_briefing, scio_pages, mfa], ids=lambda m: m.NAME)
def test_it_each_sniff_claims_only_its_own_fixtures(module: ModuleType) -> None:
    own = {
        "scio-briefing": [SMES_BRIEFING],
        "scio-pages": [*EMPLOYMENT_PAGES, SEED_PAGE],
        "mfa": [DATA / "mfa_2024-05-16_new_style.txt", DATA / "mfa_2018-09-14_q_and_a.txt"],
    }
    for name, paths in own.items():
        for path in paths:
            assert module.sniff(read(path)) is (name == module.NAME), (module.NAME, path.name)


@pytest.mark.corpus
def test_it_claims_none_of_the_white_house_or_timestamped_files(corpus: Path) -> None:
    samples = sorted((corpus / "wh-briefings").rglob("*.md"))[:40]
    samples += sorted((corpus / "rev-covid-briefings-txt").rglob("*.txt"))
    for path in samples:
        text = path.read_bytes().decode("utf-8", errors="replace")
        for module in (scio_briefing, scio_pages, mfa):
            assert not module.sniff(text), (module.NAME, path.name)


PROSE = (
    "SCIO press conference on nothing in particular\n\n"
    "This page is an essay. It has paragraphs of prose about industry and technology, "
    "and it never names a speaker.\n\n"
    "Another paragraph follows, and then the page ends.\n"
)


@pytest.mark.parametrize(
    "parse", [scio_briefing.parse, scio_pages.parse], ids=["briefing", "pages"]
)
def test_it_refuses_a_page_of_prose_with_no_labels(
    parse: Callable[[str], ParsedConference],
) -> None:
    with pytest.raises(ParseError, match="no speaker labels"):
        parse(PROSE)


def test_it_refuses_prose_through_detection() -> None:
    with pytest.raises(ParseError):
        parse_transcript(PROSE)


def test_it_refuses_an_empty_page() -> None:
    with pytest.raises(ParseError):
        scio_briefing.parse("\n\n")
    with pytest.raises(ParseError):
        scio_pages.parse_pages([])


# --- what the pages print ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "organization"),
    [
        (
            "vice minister of industry and information technology",
            "Ministry of Industry and Information Technology",
        ),
        (
            "deputy director general of the Press Bureau of the SCIO and SCIO spokesperson",
            "State Council Information Office",
        ),
        (
            "deputy director general of the Press Bureau of the State Council Information "
            "Office (SCIO) and spokesperson of the SCIO",
            "State Council Information Office",
        ),
        (
            "director general of the Department of Small and Medium-sized Enterprises of the "
            "Ministry of Industry and Information Technology",
            "Ministry of Industry and Information Technology",
        ),
        ("deputy governor of the People's Bank of China", "People's Bank of China"),
        (
            "vice minister of commerce and deputy China international trade representative",
            "Ministry of Commerce",
        ),
        ("vice mayor of Chongqing", ""),
    ],
)
def test_it_derives_the_organization_from_a_printed_title(title: str, organization: str) -> None:
    assert organization_from_title(title) == organization


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Aug. 17, 2023", dt.date(2023, 8, 17)),
        ("Beijing | 10 a.m. Aug. 17, 2023", dt.date(2023, 8, 17)),
        ("Feb. 28", dt.date(2022, 2, 28)),
        ("March 3, 2022", dt.date(2022, 3, 3)),
        ("Sept. 5, 2023", dt.date(2023, 9, 5)),
        ("September 14, 2018", dt.date(2018, 9, 14)),
        ("Feb. 30, 2023", None),
        ("no date here", None),
    ],
)
def test_it_parses_printed_dates(printed: str, expected: dt.date | None) -> None:
    assert parse_date(printed, default_year=2022) == expected
