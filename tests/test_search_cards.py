"""Result cards (search/cards.py): the question with who asked it, who answered and where
the words matched, snippets cut between words; and the exchange page arrived at from a
result, with the searched words marked and a way back. On a real Whoosh index in a
temporary folder, through the test client; the last tests on real White House files."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html as lxml_html

from briefings.ingest.load import load_conference
from briefings.ingest.run import ingest_paths
from briefings.templatetags.briefings_extras import marked_text_html
from briefings.text import strip_notes
from search import indexing
from search.engines import reader
from search.highlight import CUT, Highlight, cut_inside_word, excerpt_turn
from tests.conftest import asker, briefing, official, reporter, source_file

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("search_index")]

PSAKI = {"label": "MS. PSAKI", "title": "Press Secretary"}


def cards_briefing() -> object:
    return briefing(
        "Press Briefing by Press Secretary Jen Psaki",
        dt.date(2021, 2, 1),
        [
            reporter("CNN", "Thanks, Jen. Will the vaccine supply grow this month?"),
            official("Jen Psaki", "It will grow by 16 percent, the vaccine makers say.", **PSAKI),
            asker("On evacuation flights from Kabul: how many left today?"),
            official("Jen Psaki", "We don’t have a final number yet. More later.", **PSAKI),
            asker("<b>Bold</b> question about tariffs?"),
            official("Jen Psaki", "The <i>tariffs</i> stay, for now.", **PSAKI),
        ],
    )


@pytest.fixture
def archive() -> None:
    load_conference(cards_briefing(), [source_file("psaki.md", "psaki")])
    indexing.drain()


def results(client: object, **params: str) -> lxml_html.HtmlElement:
    response = client.get("/search/", params)
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def cards(document: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    return document.xpath("//ol[@class='results']/li")


def text_of(element: lxml_html.HtmlElement, css_class: str) -> str:
    found = element.xpath(f".//p[contains(@class, '{css_class}')]")
    return " ".join(found[0].text_content().split()) if found else ""


def test_it_shows_the_question_with_its_asker_and_outlet_then_the_answerer(client, archive):
    (card,) = cards(results(client, q="vaccine"))

    assert card.xpath(".//h3/a")[0].text_content() == "Press Briefing by Press Secretary Jen Psaki"
    assert card.xpath(".//time/@datetime") == ["2021-02-01"]
    assert text_of(card, "card-question") == (
        "A reporter (CNN) asked: Thanks, Jen. Will the vaccine supply grow this month?"
    )
    assert text_of(card, "card-answer") == (
        "Jen Psaki, Press Secretary answered: It will grow by 16 percent, the vaccine makers say."
    )
    assert card.xpath(".//p[contains(@class, 'card-answer')]//mark/text()") == ["vaccine"]
    assert not card.xpath(".//p[contains(@class, 'matched')]")


def test_an_asker_printed_q_is_a_reporter_and_never_a_bare_q(client, archive):
    (card,) = cards(results(client, q="Kabul"))

    question = text_of(card, "card-question")
    assert question.startswith("A reporter asked:")
    assert card.xpath(".//p[contains(@class, 'card-question')]/span[@class='who']/@title") == [
        "Printed as “Q”"
    ]


def test_a_match_only_in_the_question_shows_the_answer_opening_and_says_so(client, archive):
    (card,) = cards(results(client, q="evacuation"))

    assert card.xpath(".//p[contains(@class, 'card-question')]//mark/text()") == ["evacuation"]
    assert text_of(card, "card-answer").endswith(
        "answered: We don’t have a final number yet. More later."
    )
    assert text_of(card, "matched") == (
        "The words are in the question; the answer begins as shown."
    )


def test_a_match_only_in_a_speakers_name_is_said_so(client, archive):
    # "Psaki" is never said, only printed as who spoke; a title word alone finds nothing.
    found = cards(results(client, q="Psaki"))

    assert cards(results(client, q="Briefing")) == []
    assert len(found) == 3
    for card in found:
        assert text_of(card, "matched") == (
            "The words are not in what was said: the briefing’s title or a speaker’s name matched."
        )


def test_the_cards_escape_the_transcript(client, archive):
    response = client.get("/search/", {"q": "tariffs"})

    content = response.content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt;" in content
    assert "&lt;i&gt;<mark>tariffs</mark>&lt;/i&gt;" in content
    assert "<b>Bold</b>" not in content


def test_the_json_form_carries_the_card(client, archive):
    data = json.loads(client.get("/search/", {"q": "evacuation", "format": "json"}).content)

    (result,) = data["results"]
    assert result["matched_in"] == "question"
    assert result["question"]["name"] == "A reporter"
    assert result["question"]["label"] == "Q"
    assert result["question"]["outlet"] is None
    assert "<mark>evacuation</mark>" in result["question"]["excerpt_html"]
    assert result["answer"]["name"] == "Jen Psaki"
    assert result["answer"]["title"] == "Press Secretary"
    assert result["answer"]["label"] == "MS. PSAKI"
    assert result["url_from_search"].endswith("?q=evacuation")


def test_an_exchange_arrived_at_from_a_result_marks_the_words_and_leads_back(
    client, archive, settings
):
    settings.HAYSTACK_SEARCH_RESULTS_PER_PAGE = 1
    second = results(client, q="vaccine OR tariffs", page="2")
    (link,) = second.xpath("//ol[@class='results']//h3/a/@href")

    page = lxml_html.fromstring(client.get(link).content.decode())

    assert urlsplit(link).query == "q=vaccine+OR+tariffs&page=2"
    back = page.xpath("//p[contains(@class, 'from-search')]/a/@href")
    assert back == ["/search/?q=vaccine+OR+tariffs&page=2"]
    marked = page.xpath("//div[@class='text']//mark[@class='searched']/text()")
    assert marked
    assert {word.lower() for word in marked} <= {"vaccine", "tariffs"}


def test_the_exchange_page_marks_nothing_without_a_search(client, archive):
    (link,) = cards(results(client, q="vaccine"))[0].xpath(".//h3/a/@href")

    page = client.get(urlsplit(link).path).content.decode()

    assert 'class="searched"' not in page
    assert "from-search" not in page


def test_an_exchange_from_a_search_by_filters_alone_leads_back_and_marks_nothing(client, archive):
    (link,) = cards(results(client, outlet="cnn"))[0].xpath(".//h3/a/@href")

    page = lxml_html.fromstring(client.get(link).content.decode())

    assert page.xpath("//p[contains(@class, 'from-search')]/a/@href") == ["/search/?outlet=cnn"]
    assert not page.xpath("//mark[@class='searched']")


def test_the_exchange_json_from_a_search_has_the_marks(client, archive):
    (link,) = cards(results(client, q="vaccine"))[0].xpath(".//h3/a/@href")

    data = json.loads(client.get(link + "&format=json").content)

    spans = {mark["turn"]: mark["spans"] for mark in data["search"]["marks"]}
    turns = {turn["position"]: turn["text"] for turn in data["turns"]}
    assert data["search"]["results"] == "http://testserver/search/?q=vaccine"
    assert {turns[turn][a:b].lower() for turn, pairs in spans.items() for a, b in pairs} == {
        "vaccine"
    }


def test_searched_words_nest_inside_a_note_free_paragraph_escaped():
    text = "We <won’t> wait.\n\nWait (Laughter.) again"

    marked = marked_text_html(text, [], searched=[(11, 15), (18, 22)])

    assert marked == (
        '<p>We &lt;won’t&gt; <mark class="searched">wait</mark>.</p>\n\n'
        '<p><mark class="searched">Wait</mark> <span class="note">(Laughter.)</span> again</p>'
    )


def test_an_excerpt_never_cuts_a_word_with_a_curly_apostrophe(search_index):
    analyzer = reader().text_analyzer()
    words = "We’ve talked about it and I don’t think we’re going to say more. " * 12
    text = words + "The vaccine is here. " + words

    excerpt = excerpt_turn(text, Highlight(frozenset({"vaccin"})), analyzer, chars=80)

    shown = html.unescape(re.sub(r"</?mark>", "", excerpt.html))
    assert shown.startswith(CUT + " ")
    assert shown.endswith(" " + CUT)
    inner = shown.removeprefix(CUT + " ").removesuffix(" " + CUT)
    flat = " ".join(text.split())
    start = flat.index(inner)
    assert not cut_inside_word(flat, start, start + len(inner))
    assert "<mark>vaccine</mark>" in excerpt.html


# On real White House files.


@pytest.mark.corpus
def test_no_card_on_real_briefings_cuts_a_word_or_leaves_a_cut_unmarked(client, corpus: Path):
    files = sorted((corpus / "wh-briefings" / "press-briefings").rglob("*.md"))[::60][:8]
    report = ingest_paths([str(path) for path in files])
    assert not [outcome for outcome in report.outcomes if outcome.status == "failed"]
    indexing.drain()

    excerpts = []
    for q in ("President", "we’re", "don't", "inflation", "Congress", "going to"):
        data = json.loads(client.get("/search/", {"q": q, "format": "json"}).content)
        for result in data["results"]:
            excerpts += [
                (result["url"], part) for part in (result["question"], result["answer"]) if part
            ]
    assert len(excerpts) > 100
    texts = {}
    for url, part in excerpts:
        if url not in texts:
            record = json.loads(client.get(url, {"format": "json"}).content)
            texts[url] = {turn["position"]: turn["text"] for turn in record["turns"]}
        spoken = " ".join(strip_notes(texts[url][part["turn"]]).split())
        shown = html.unescape(re.sub(r"</?mark>", "", part["excerpt_html"]))
        head, tail = shown.startswith(CUT + " "), shown.endswith(" " + CUT)
        pieces = shown.removeprefix(CUT + " ").removesuffix(" " + CUT).split(f" {CUT} ")
        for number, piece in enumerate(pieces):
            start = spoken.find(piece)
            assert start >= 0, piece
            end = start + len(piece)
            assert not cut_inside_word(spoken, start, end), piece
            if number == 0:
                assert head == (start > 0), piece
            if number == len(pieces) - 1:
                assert tail == (end < len(spoken)), piece
