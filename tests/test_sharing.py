"""Citation and sharing (issue 16): a shared link's preview card (Open Graph and Twitter
meta) and the original's address beside the citation, on a real White House briefing."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from briefings.ingest.load import load_conference
from briefings.ingest.run import ingest_paths
from briefings.models import Conference
from tests.conftest import briefing, official, reporter, source_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_index")]

PSAKI = next((Path(__file__).resolve().parent.parent / "demo").rglob("2021-02-01*.md"))
SOURCE = (
    "https://bidenwhitehouse.archives.gov/briefing-room/press-briefings/2021/02/01/"
    "press-briefing-by-press-secretary-jen-psaki-february-1-2021/"
)


@pytest.fixture
def psaki() -> Conference:
    assert ingest_paths([str(PSAKI)]).ok
    return Conference.objects.get()


def meta(document: lxml_html.HtmlElement) -> dict[str, str]:
    found = {}
    for tag in document.xpath("//head/meta[@property or @name]"):
        found[tag.get("property") or tag.get("name")] = tag.get("content")
    return found


def page(client, url: str) -> lxml_html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def test_a_shared_exchange_previews_who_asked_whom_when_and_the_question(client, psaki):
    exchange = next(e for e in psaki.exchanges.order_by("position") if e.kind == "qa")
    question = next(turn for turn in exchange.turns.order_by("position") if turn.role == "question")

    card = meta(page(client, exchange.get_absolute_url()))

    assert card["og:type"] == "article"
    assert card["og:site_name"] == "Briefing Archive"
    assert card["og:url"] == f"http://testserver{exchange.get_absolute_url()}"
    assert "Jen Psaki" in card["og:title"]
    assert card["og:title"].endswith("1 February 2021")
    first_words = " ".join(question.spoken_text.split()[:6])
    assert card["og:description"].startswith(f"“{first_words}")
    assert psaki.title in card["og:description"]
    assert card["article:published_time"] == "2021-02-01"
    assert card["twitter:card"] == "summary"
    assert card["twitter:title"] == card["og:title"]


def test_a_shared_briefing_previews_its_title_date_and_organizer(client, psaki):
    card = meta(page(client, psaki.get_absolute_url()))

    assert card["og:title"] == f"{psaki.title}, 1 February 2021"
    assert "by The White House" in card["og:description"]
    assert card["og:url"] == f"http://testserver{psaki.get_absolute_url()}"


def test_a_page_that_is_not_shared_content_names_only_the_site(client, psaki):
    card = meta(page(client, "/people/"))

    assert card["og:site_name"] == "Briefing Archive"
    assert "og:title" not in card


def test_the_citation_has_the_original_page_beside_it(client, psaki):
    exchange = psaki.exchanges.order_by("position").first()

    document = page(client, exchange.get_absolute_url())

    (cite,) = document.xpath("//section[@id='cite']")
    assert cite.xpath(f".//a[@href='{SOURCE}']")


def test_a_briefing_read_from_a_file_says_it_has_no_address(client):
    turns = [reporter("CNN", "When?"), official("Jen Psaki", "Soon.")]
    parsed = briefing("Press Gaggle", None, turns)
    conference = load_conference(parsed, [source_file("gaggle.md", "gaggle")]).conference

    document = page(client, conference.exchanges.first().get_absolute_url())

    (note,) = document.xpath("//section[@id='cite']/p[contains(@class, 'source-link')]")
    assert "no web address" in note.text_content()
    assert not note.xpath(".//a")


# A briefing as a transcript to take away: plain text and Markdown.


def test_a_briefing_downloads_as_plain_text_in_reading_order(client, psaki):
    response = client.get(f"/briefings/{psaki.slug}/transcript.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert f'filename="{psaki.slug}.txt"' in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith(psaki.title + "\n")
    assert f"Published at: {SOURCE}" in text
    at = 0
    for exchange in psaki.exchanges.order_by("position"):
        for turn in exchange.turns.order_by("position"):
            opening = " ".join(turn.text.split()[:8])
            found = text.find(opening, at)
            assert found >= 0, (exchange.position, turn.position, opening)
            at = found
    assert "Jen Psaki:" in text


def test_a_briefing_downloads_as_markdown_with_its_words_escaped(client):
    turns = [
        reporter("CNN", "# Not a heading: *stars*, _lines_ and [a link](http://x.test) <b>"),
        official("Jen Psaki", "1. Not a list either.\n--- not a rule", title="Press <Secretary>"),
    ]
    parsed = briefing("Press Gaggle", None, turns)
    conference = load_conference(parsed, [source_file("gaggle.md", "gaggle")]).conference

    response = client.get(f"/briefings/{conference.slug}/transcript.md")

    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("# Press Gaggle\n")
    assert r"\# Not a heading: \*stars\*, \_lines\_ and \[a link\](http://x.test) \<b\>" in text
    assert "1\\. Not a list either." in text
    assert "\\--- not a rule" in text
    assert "**Jen Psaki** (Press \\<Secretary\\>):" in text
    assert "\n\n1\\. Not a list either.\n\n" in text  # paragraphs apart
    assert "- In Briefing Archive: http://testserver/briefings/" in text


def test_the_briefing_page_links_both_and_an_unknown_briefing_is_a_404(client, psaki):
    document = page(client, psaki.get_absolute_url())

    links = document.xpath("//p[contains(@class, 'downloads')]//a/@href")
    assert f"/briefings/{psaki.slug}/transcript.txt" in links
    assert f"/briefings/{psaki.slug}/transcript.md" in links
    assert client.get("/briefings/no-such-briefing/transcript.txt").status_code == 404


# Each sentence of an answer, linkable on the exchange page.


def test_each_answer_sentence_has_an_anchor_and_a_link_to_it(client, psaki):
    from briefings.commitments.sentences import split_sentences

    exchange = max(
        psaki.exchanges.filter(kind="qa"),
        key=lambda e: sum(len(t.text) for t in e.turns.all() if t.role == "answer"),
    )
    document = page(client, exchange.get_absolute_url())

    answers = [t for t in exchange.turns.order_by("position") if t.role == "answer"]
    assert answers
    for turn in answers:
        sentences = split_sentences(turn.text)
        for number, sentence in enumerate(sentences, 1):
            anchor = f"s{turn.position}-{number}"
            (target,) = document.xpath(f"//*[@id='{anchor}']")
            following = "".join(target.xpath("following::text()")[:4])
            assert " ".join(following.split()).startswith(" ".join(sentence.text.split()[:3])), (
                anchor
            )
            (link,) = document.xpath(f"//a[@class='sentence-link'][@href='#{anchor}']")
            assert link.get("aria-label") == "Link to this sentence"
        assert not document.xpath(f"//*[@id='s{turn.position}-{len(sentences) + 1}']")
    ids = document.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_questions_and_the_briefing_page_carry_no_sentence_links(client, psaki):
    exchange = psaki.exchanges.filter(kind="qa").order_by("position").first()
    question = exchange.turns.filter(role="question").first()

    document = page(client, exchange.get_absolute_url())
    briefing_page = page(client, psaki.get_absolute_url())

    assert not document.xpath(f"//*[starts-with(@id, 's{question.position}-')]")
    assert not briefing_page.xpath("//a[@class='sentence-link']")
