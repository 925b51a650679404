"""The Ministry of Foreign Affairs' English pages exactly as its site served them
(../shared/corpus/mfa-fmprc-2020/site/: 490 transcripts and 13 list pages), read the way
`manage.py ingest` reads a folder.

The whole folder is parsed once (no database) and every page checked against its own
article body (tests/mfa_pages.py); a dozen pages, read line by line in the page before
their expectations were written, are compared with outlines that hold no text of the
Ministry's (tests/data/mfa-pages/, REGENERATE_GOLDEN=1 to rewrite them); a sample goes
through the database. Skipped when ../shared is absent.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from briefings.ingest.files import collect_paths
from briefings.ingest.run import Document, ingest_paths, read_documents
from briefings.models import Conference, Organization, Turn
from briefings.text import KIND_QA
from tests.conftest import CORPUS
from tests.golden import DATA, assert_matches_expected, conference_outline
from tests.mfa_pages import SITE, article_body, check_page, list_pages, read_page

pytestmark = pytest.mark.corpus

EXPECTED = DATA / "mfa-pages"
# Read line by line in the page; across the years and label styles.
GOLDEN_PAGES = [
    "t1558711",  # May 2018, Q:/A:, opening announcements
    "t1567808",  # headline "June11, 2018"; a Journalist: reply to a counter-question
    "t1593756",  # headline "September 10" without a year: the year of its pictures
    "t1595274",  # the spokesperson's name and Journalist: inside a Q:/A: exchange
    "t1603452",  # <BR> inside paragraphs; a question raised after the conference
    "t1625726",  # a ******** separator, then the closing announcement
    "t1651487",  # a narrated post-conference question, a separator, the closing
    "t1678570",  # Follow-up: after a counter-question; an answer printed without "A:"
    "t1686638",  # Remarks, a headline with no date at all
    "t1741546",  # Daily Briefing Online, "As of 24:00 February 5, ..."
    "t1752564",  # March 2020, paragraphs broken by <BR>, "Between 00:00 and 24:00"
    "t1767006",  # outlets as labels; a --- separator and a further response
    "t1774812",  # Follow-up: with the outlet it follows; replies to counter-questions
    "t1787995",  # "Question raised after the press conference:" in the outlet style
]
# Pages whose headline gives no year (or no date) and whose date line is empty.
UNDATED = {"t1597725.shtml", "t1686638.shtml", "t1687014.shtml"}


@pytest.fixture(scope="module")
def folder() -> dict[str, Document]:
    """Every file of the folder, collected and parsed as `ingest` does, by file name; read
    once for the module (the `corpus` fixture is per test)."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    paths, missing = collect_paths([str(CORPUS / "mfa-fmprc-2020" / "site")])
    assert missing == []
    documents = read_documents((str(path), path.read_bytes()) for path in paths)
    return {Path(document.sources[0].filename).name: document for document in documents}


def reviewed_outlets() -> frozenset[str]:
    return frozenset((EXPECTED / "outlets.txt").read_text().splitlines())


def test_it_reads_every_transcript_and_refuses_the_list_pages_as_lists(folder) -> None:
    parsed = {name for name, document in folder.items() if document.parsed is not None}
    refused = {name: document.error for name, document in folder.items() if document.error}

    assert len(folder) == 503
    assert len(parsed) == 490
    assert sorted(refused) == sorted(path.name for path in list_pages(CORPUS))
    for error in refused.values():
        assert error.startswith("this is a list of transcripts")
        assert "not a transcript" in error


def test_every_page_is_its_article_with_titles_dates_answers_and_real_outlets(folder) -> None:
    outlets = reviewed_outlets()
    problems: dict[str, dict[str, list[str]]] = {}
    for name, document in sorted(folder.items()):
        if document.parsed is None:
            continue
        body = article_body(read_page(Path(document.sources[0].filename)))
        check = check_page(document.parsed, body, known_outlets=outlets)
        if check.problems:
            problems[name] = check.problems

    assert {name: sorted(found) for name, found in problems.items()} == {
        name: ["no date"] for name in sorted(UNDATED)
    }


def test_the_folder_adds_up_to_the_reviewed_figures(folder) -> None:
    documents = [document.parsed for document in folder.values() if document.parsed]
    kinds = Counter(exchange.kind for parsed in documents for exchange in parsed.exchanges)
    roles = Counter(turn.role for parsed in documents for turn in parsed.turns)
    outlets = {turn.outlet for parsed in documents for turn in parsed.turns if turn.outlet}
    figures = {
        "transcripts": len(documents),
        "conference kinds": dict(sorted(Counter(p.kind for p in documents).items())),
        "exchanges": sum(kinds.values()),
        "exchange kinds": dict(sorted(kinds.items())),
        "turns": sum(roles.values()),
        "turn roles": dict(sorted(roles.items())),
        "spokespersons": sorted({p.participants[0].name for p in documents}),
        "outlets": len(outlets),
        "warnings": sum(len(p.warnings) for p in documents),
    }

    assert_matches_expected(figures, EXPECTED / "folder.json")
    assert outlets == reviewed_outlets()
    assert all(
        any(turn.role == "answer" for turn in exchange.turns)
        for parsed in documents
        for exchange in parsed.exchanges
        if exchange.kind == KIND_QA
    )


@pytest.mark.parametrize("page", GOLDEN_PAGES)
def test_a_page_read_line_by_line_parses_as_its_outline(folder, page: str) -> None:
    document = folder[f"{page}.shtml"]

    assert document.parsed is not None, document.error
    assert_matches_expected(conference_outline(document.parsed), EXPECTED / f"{page}.json")


@pytest.mark.django_db
def test_a_sample_of_pages_is_stored_with_its_outlets_and_nothing_of_the_site(
    corpus: Path,
) -> None:
    site = corpus / SITE
    pages = [site / f"{page}.shtml" for page in GOLDEN_PAGES[::3]] + [site / "default_3.shtml"]

    report = ingest_paths(map(str, pages))

    assert (report.count("created"), report.count("failed")) == (len(pages) - 1, 1)
    [failed] = [outcome for outcome in report.outcomes if outcome.status == "failed"]
    assert "default_3.shtml: this is a list of transcripts" in failed.line()
    assert Conference.objects.filter(format="mfa").count() == len(pages) - 1
    # An outlet that asked is stored under its canonical name when the page prints an alias
    # of it (CRI, China Radio International): one of its names is the one reviewed.
    media = Organization.objects.filter(kind="media", questions__isnull=False).distinct()
    assert media
    assert [o.name for o in media if not {o.name, *o.aliases} & reviewed_outlets()] == []
    assert not Turn.objects.filter(text__contains="Related News").exists()
    assert not Turn.objects.filter(text__contains="Press and Media Service").exists()

    again = ingest_paths(map(str, pages))

    assert again.count("unchanged") == len(pages) - 1
