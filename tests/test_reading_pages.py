"""The reading room: the briefing page, the exchange page with its citations, their
schema.org microdata and JSON forms, the stored originals as downloads, the whole archive
as JSON Lines, and a bounded number of queries on each. Through the test client, on
briefings loaded by the real loader. Long because it holds every behaviour of two pages,
one short test each, on one set of briefings."""

from __future__ import annotations

import datetime as dt
import fcntl
import gzip
import io
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from briefings import archive_file
from briefings.export import conference_record, iter_jsonl
from briefings.ingest.load import SourceFile, load_conference
from briefings.models import Commitment, Conference, Exchange, Person, Source, Turn
from search.indexing import drain
from tests.conftest import briefing, miit_briefing, official, reporter, source_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_index")]

SERVE_SMES = "By the end of this year, we will serve 100,000 SMEs."
FORMATS = ("plain", "apa", "chicago", "bibtex")
EVENT = "https://schema.org/Event"
QUOTATION = "https://schema.org/Quotation"


def get_page(client: object, url: str, **params: str) -> lxml_html.HtmlElement:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return lxml_html.fromstring(response.content.decode())


def text(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def exchange_saying(words: str) -> Exchange:
    return Turn.objects.select_related("exchange__conference").get(text__contains=words).exchange


@pytest.fixture
def miit() -> Conference:
    """The MIIT briefing, its one page kept with the URL it was published at."""
    page = SourceFile(
        filename="/srv/ingest/incoming/miit.txt",
        data=b"page one",
        url="http://english.scio.gov.cn/pressroom/miit.htm",
    )
    return load_conference(miit_briefing(), [page]).conference


# Microdata, read as a consumer would: an item's properties are the itemprop elements
# whose nearest itemscope ancestor is the item.


def items(document: lxml_html.HtmlElement, itemtype: str) -> list[lxml_html.HtmlElement]:
    return document.xpath(f"//*[@itemscope][@itemtype='{itemtype}']")


def properties(item: lxml_html.HtmlElement) -> dict[str, list[object]]:
    found: dict[str, list[object]] = {}
    for element in item.xpath(".//*[@itemprop]"):
        scope = element.getparent()
        while scope is not None and scope.get("itemscope") is None:
            scope = scope.getparent()
        if scope is not item:
            continue
        for name in element.get("itemprop").split():
            found.setdefault(name, []).append(_value(element))
    return found


def _value(element: lxml_html.HtmlElement) -> object:
    if element.get("itemscope") is not None:
        return properties(element)
    if element.tag == "meta":
        return element.get("content")
    if element.tag in ("a", "link"):
        return element.get("href")
    if element.tag == "time":
        return element.get("datetime")
    return text(element)


# The briefing page.


def test_the_briefing_page_says_when_where_who_held_it_and_who_took_part(client, miit):
    document = get_page(client, miit.get_absolute_url())

    assert text(document.find(".//h1")) == "SCIO press conference on industry and ICTs"
    facts = text(document.find_class("briefing-facts")[0])
    assert facts.startswith("28 February 2022")
    assert "Beijing" in facts
    assert "State Council Information Office" in facts
    participants = [text(li) for li in document.xpath("//ul[@class='participants']/li")]
    assert participants[0].startswith("Xi Yanchun, SCIO spokesperson")
    assert participants[0].endswith("(chair)")
    assert "Tian Yulong, chief engineer (Ministry of Industry)" in participants


def test_every_exchange_has_an_anchor_that_links_to_its_permalink(client, miit):
    document = get_page(client, miit.get_absolute_url())

    for exchange in miit.exchanges.all():
        section = document.get_element_by_id(f"exchange-{exchange.position}")
        links = section.xpath("./a[contains(@class, 'permalink')]/@href")
        assert links == [exchange.get_absolute_url()]
    assert len(document.find_class("exchange")) == miit.exchanges.count()


def test_the_contents_list_each_question_with_its_outlet_and_first_words(client, miit):
    document = get_page(client, miit.get_absolute_url())

    entries = document.xpath("//nav[@aria-labelledby='contents-heading']//li/a")
    questions = Exchange.objects.filter(conference=miit, kind=Exchange.Kind.QA)
    assert [entry.get("href") for entry in entries] == [
        f"#exchange-{exchange.position}" for exchange in questions
    ]
    assert [text(entry) for entry in entries] == [
        "Science and Technology Daily: What will the ministry do next?",
        "China Daily: How many 5G factories are planned?",
    ]


def test_the_contents_show_only_the_first_words_of_a_long_question(client):
    long_question = " ".join(f"word{number}" for number in range(40)) + "?"
    parsed = briefing(
        "Press Briefing",
        dt.date(2021, 2, 1),
        [reporter("CNN", long_question), official("Jen Psaki", "No.")],
    )
    conference = load_conference(parsed, [source_file()]).conference

    document = get_page(client, conference.get_absolute_url())

    (entry,) = document.xpath("//nav[@aria-labelledby='contents-heading']//li/a")
    assert text(entry) == "CNN: " + " ".join(f"word{number}" for number in range(12)) + "…"


def test_it_lists_the_commitments_made_in_it_each_linking_to_its_exchange(client, miit):
    commitment = Commitment.objects.get(sentence=SERVE_SMES)
    exchange = commitment.turn.exchange

    document = get_page(client, miit.get_absolute_url())

    section = document.xpath("//section[@aria-labelledby='said-here-heading']")[0]
    rows = section.find_class("commitment-row")
    assert len(rows) == Commitment.objects.filter(turn__exchange__conference=miit).count()
    row = next(row for row in rows if SERVE_SMES in text(row))
    hrefs = row.xpath(".//a/@href")
    assert f"{exchange.get_absolute_url()}#commitment-{commitment.pk}" in hrefs
    assert f"#commitment-{commitment.pk}" in hrefs  # its card, on this page
    assert "Liang Wenhua, director of the department" in text(row)


def test_it_never_lists_a_rejected_commitment(client, miit):
    Commitment.objects.filter(sentence=SERVE_SMES).update(review=Commitment.Review.REJECTED)

    document = get_page(client, miit.get_absolute_url())

    listed = document.xpath("//section[@aria-labelledby='said-here-heading']//blockquote")
    assert SERVE_SMES not in [text(quote) for quote in listed]
    assert len(listed) == Commitment.objects.shown().filter(turn__exchange__conference=miit).count()


def test_it_links_the_original_and_offers_the_stored_copy_without_the_ingest_folder(client, miit):
    source = miit.sources.get()

    document = get_page(client, miit.get_absolute_url())

    (item,) = document.xpath("//section[@aria-labelledby='sources-heading']//li")
    assert text(item).startswith("miit.txt (page 1")
    assert "/srv/ingest" not in text(document)
    assert item.xpath(".//a/@href") == [
        "http://english.scio.gov.cn/pressroom/miit.htm",
        f"/briefings/{miit.slug}/sources/{source.pk}/",
    ]


def test_a_source_url_that_is_not_a_web_address_is_never_a_link(client, miit):
    Source.objects.update(url="javascript:alert(1)")
    Conference.objects.filter(pk=miit.pk).update(source_url="javascript:alert(2)")

    content = client.get(miit.get_absolute_url()).content.decode()

    assert "javascript:" not in content


def test_the_stored_original_downloads_as_an_attachment_and_never_as_a_page(client):
    page = b"<html><script>alert(document.cookie)</script><p>MS. PSAKI: Hi.</p></html>"
    parsed = miit_briefing()
    html_source = SourceFile(filename="C:\\saved\\wh page.html", data=page, media_type="text/html")
    conference = load_conference(parsed, [html_source]).conference
    source = conference.sources.get()

    response = client.get(f"/briefings/{conference.slug}/sources/{source.pk}/")

    assert response.status_code == 200
    assert response.content == page
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="wh-page.html"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_plain_text_original_keeps_its_type(client, miit):
    source = miit.sources.get()

    response = client.get(f"/briefings/{miit.slug}/sources/{source.pk}/")

    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="miit.txt"'
    assert response.content == b"page one"


@pytest.mark.parametrize(
    "path",
    [
        "/briefings/{slug}/sources/{other}/",  # another briefing's source
        "/briefings/{slug}/sources/99999999999999999999999/",
        "/briefings/no-such-briefing/sources/{own}/",
        "/briefings/{slug}/99999999999999999999999/",
        "/briefings/{slug}/999/",
        "/briefings/no-such-briefing/",
    ],
)
def test_addresses_that_name_nothing_are_404s(client, miit, path):
    other = load_conference(
        briefing("Other", dt.date(2021, 1, 1), [official("Jen Psaki", "Hi.")]),
        [source_file("other.md", "other")],
    ).conference
    url = path.format(slug=miit.slug, own=miit.sources.get().pk, other=other.sources.get().pk)

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("path", ["/", "/commitments/", "{briefing}", "{exchange}"])
def test_an_unknown_format_is_refused_with_a_400_that_says_why(client, miit, path):
    url = path.format(
        briefing=miit.get_absolute_url(), exchange=exchange_saying(SERVE_SMES).get_absolute_url()
    )

    response = client.get(url, {"format": "<xml>" * 100})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "format=json" in response.content.decode()


# schema.org microdata.


def test_the_briefing_is_a_schema_org_event(client, miit):
    document = get_page(client, miit.get_absolute_url())

    (event,) = items(document, EVENT)
    found = properties(event)
    assert found["name"] == ["SCIO press conference on industry and ICTs"]
    assert found["startDate"] == ["2022-02-28"]
    assert found["location"] == [{"name": ["Beijing"]}]
    assert found["organizer"] == [{"name": ["State Council Information Office"]}]
    assert found["url"] == ["http://testserver" + miit.get_absolute_url()]
    assert {
        "name": ["Tian Yulong"],
        "jobTitle": ["chief engineer"],
        "url": ["/people/tian-yulong/"],
    } in found["performer"]


def test_every_answer_is_a_quotation_spoken_by_its_official_and_part_of_the_event(client, miit):
    exchange = exchange_saying("We will issue guidelines")

    document = get_page(client, exchange.get_absolute_url())

    quotations = [properties(item) for item in items(document, QUOTATION)]
    # The words alone, without the numbers of the commitment marks in them.
    assert [q["text"] for q in quotations] == [
        ["We will issue guidelines by industry and field."],
        ["Let me add a point (Laughter.)"],
    ]
    first = quotations[0]
    assert first["spokenByCharacter"] == first["creator"]
    assert first["spokenByCharacter"][0]["name"] == ["Tian Yulong"]
    assert first["spokenByCharacter"][0]["jobTitle"] == ["chief engineer"]
    assert first["isPartOf"] == ["http://testserver" + miit.get_absolute_url()]
    assert first["url"] == ["http://testserver" + exchange.get_absolute_url()]
    assert first["dateCreated"] == ["2022-02-28"]


def test_questions_are_not_quotations(client, miit):
    document = get_page(client, miit.get_absolute_url())

    said = [properties(item)["text"][0] for item in items(document, QUOTATION)]
    assert "What will the ministry do next?" not in said
    assert "Good morning. Welcome to this press conference." not in said  # the chair


# The exchange page.


def test_the_exchange_page_shows_the_question_its_outlet_and_each_answer_with_a_title(client, miit):
    exchange = exchange_saying("We will issue guidelines")

    document = get_page(client, exchange.get_absolute_url())

    speakers = [
        text(div)
        for div in document.xpath("//div[contains(@class, 'turn ')]/div[@class='speaker']")
    ]
    assert speakers == [
        "Science and Technology Daily",
        "Tian Yulong, chief engineer",
        "Liang Wenhua, director of the department",
    ]
    links = document.xpath("//div[@class='speaker']//a/@href")
    assert links == [
        "/outlets/science-and-technology-daily/",
        "/people/tian-yulong/",
        "/people/liang-wenhua/",
    ]
    assert document.xpath("//a[@rel='prev']/@href") == [
        exchange.get_absolute_url().replace("/3/", "/2/")
    ]
    assert document.xpath("//a[@rel='next']/@href") == [
        exchange.get_absolute_url().replace("/3/", "/4/")
    ]


def test_the_cite_block_keeps_its_markup_contract(client, miit):
    exchange = exchange_saying(SERVE_SMES)

    document = get_page(client, exchange.get_absolute_url())

    section = document.get_element_by_id("cite")
    assert section.tag == "section"
    assert section.get("aria-labelledby") == "cite-heading"
    heading = document.get_element_by_id("cite-heading")
    assert (heading.tag, text(heading)) == ("h2", "Cite this")
    for name in FORMATS:
        (pre,) = section.xpath(f".//pre[@id='cite-{name}']")
        assert "http://testserver" + exchange.get_absolute_url() in pre.text_content()
        (button,) = section.xpath(f".//button[@data-copy-target='cite-{name}']")
        assert button.get("type") == "button"
        assert button.get("class") == "copy-button"
        assert button.get("hidden") is not None  # copy.js shows it; without JS, no dead button
        assert text(button) == "Copy"
    assert section.xpath(".//*[@aria-live='polite']")
    (script,) = document.xpath("//head/script")
    assert script.get("src") == "/static/js/copy.js"
    assert script.get("defer") is not None
    assert finders.find("js/copy.js")


def test_it_cites_the_one_official_who_answered(client):
    parsed = briefing(
        "Press Briefing by Press Secretary Jen Psaki",
        dt.date(2021, 2, 1),
        [
            reporter("CNN", "Any news on Burma?"),
            official("Jen Psaki", "Not today.", title="Press Secretary"),
        ],
    )
    conference = load_conference(parsed, [source_file("psaki.md", "psaki")]).conference
    exchange = conference.exchanges.get()

    document = get_page(client, exchange.get_absolute_url())

    assert text(document.get_element_by_id("cite-apa")) == (
        "Psaki, J. (2021, February 1). Press Briefing by Press Secretary Jen Psaki [Transcript]. "
        f"Briefing Archive. http://testserver{exchange.get_absolute_url()}"
    )
    assert text(document.get_element_by_id("cite-plain")).startswith(
        "Jen Psaki (Press Secretary), “Press Briefing by Press Secretary Jen Psaki”, exchange 1. "
        "The White House, 1 February 2021."
    )


def test_it_cites_the_organizer_when_several_officials_answered(client, miit):
    exchange = exchange_saying("We will issue guidelines")

    document = get_page(client, exchange.get_absolute_url())

    assert text(document.get_element_by_id("cite-apa")).startswith(
        "State Council Information Office. (2022, February 28)."
    )


def test_it_keeps_chinese_names_family_name_first_in_citations_of_scio_briefings(client):
    conference = load_conference(miit_briefing(format="scio-briefing"), [source_file()]).conference
    exchange = exchange_saying("5G-connected factories")
    assert exchange.conference == conference

    document = get_page(client, exchange.get_absolute_url())

    assert text(document.get_element_by_id("cite-apa")).startswith("Tian, Y. (2022, February 28).")
    assert text(document.get_element_by_id("cite-chicago")).startswith("Tian Yulong. “SCIO press")


def test_the_permalink_and_citations_ignore_the_query_string(client, miit):
    exchange = exchange_saying(SERVE_SMES)

    document = get_page(client, exchange.get_absolute_url(), utm_source="x")

    assert "utm_source" not in text(document.get_element_by_id("cite"))
    assert document.xpath("//link[@rel='canonical']/@href") == [
        "http://testserver" + exchange.get_absolute_url()
    ]


@pytest.mark.parametrize("page", ["home", "briefing", "exchange"])
def test_pages_have_a_title_and_description_and_nothing_inline_for_the_csp(client, miit, page):
    url = {
        "home": "/",
        "briefing": miit.get_absolute_url(),
        "exchange": exchange_saying(SERVE_SMES).get_absolute_url(),
    }[page]

    document = get_page(client, url)

    title = document.findtext(".//title")
    description = document.xpath("//meta[@name='description']/@content")[0]
    assert title.endswith("Briefing Archive") or title.startswith("Briefing Archive")
    assert len(description) > 40
    assert not document.xpath("//script[not(@src)]")
    assert not document.xpath("//*[@style]")
    assert not [
        name for element in document.iter() for name in element.attrib if name.startswith("on")
    ]


def test_the_descriptions_say_what_the_page_holds(client, miit):
    exchange = exchange_saying("5G-connected factories")

    briefing_page = get_page(client, miit.get_absolute_url())
    exchange_page = get_page(client, exchange.get_absolute_url())

    def description(document: lxml_html.HtmlElement) -> str:
        return document.xpath("//meta[@name='description']/@content")[0]

    assert description(briefing_page) == (
        "Transcript of press conference “SCIO press conference on industry and ICTs”, "
        "28 February 2022, Beijing: 5 exchanges, 2 questions, 2 commitments."
    )
    assert description(exchange_page) == (
        "China Daily asked: “How many 5G factories are planned?” Answered by Tian Yulong. "
        "SCIO press conference on industry and ICTs, 28 February 2022."
    )


# JSON forms.


def test_the_briefing_json_is_the_export_record_with_urls_and_only_shown_commitments(client, miit):
    Commitment.objects.filter(sentence=SERVE_SMES).update(review=Commitment.Review.REJECTED)

    data = client.get(miit.get_absolute_url(), {"format": "json"}).json()

    exported = conference_record(Conference.objects.get(pk=miit.pk))
    assert data["url"] == "http://testserver" + miit.get_absolute_url()
    assert data.keys() - {"url"} == exported.keys()
    assert data["participants"] == exported["participants"]
    for ours, theirs, exchange in zip(
        data["exchanges"], exported["exchanges"], miit.exchanges.all(), strict=True
    ):
        assert ours["url"] == "http://testserver" + exchange.get_absolute_url()
        for our_turn, their_turn in zip(ours["turns"], theirs["turns"], strict=True):
            shown = [c for c in their_turn["commitments"] if c["review"] != "rejected"]
            assert our_turn == {**their_turn, "commitments": shown}
    said = [c["sentence"] for e in data["exchanges"] for t in e["turns"] for c in t["commitments"]]
    assert SERVE_SMES not in said
    (source,) = data["sources"]
    assert source["filename"] == "miit.txt"
    assert source["download_url"].startswith(f"http://testserver/briefings/{miit.slug}/sources/")


def test_the_exchange_json_has_its_turns_briefing_neighbours_and_citations(client, miit):
    exchange = exchange_saying("We will issue guidelines")

    data = client.get(exchange.get_absolute_url(), {"format": "json"}).json()

    assert data["url"] == "http://testserver" + exchange.get_absolute_url()
    assert data["position"] == exchange.position
    assert [turn["speaker"] or turn["outlet"] for turn in data["turns"]] == [
        "Science and Technology Daily",
        "Tian Yulong",
        "Liang Wenhua",
    ]
    assert data["briefing"]["title"] == "SCIO press conference on industry and ICTs"
    assert data["briefing"]["url"] == "http://testserver" + miit.get_absolute_url()
    assert data["previous"].endswith(f"/{exchange.position - 1}/")
    assert data["next"].endswith(f"/{exchange.position + 1}/")
    assert list(data["citations"]) == list(FORMATS)
    page = get_page(client, exchange.get_absolute_url())
    for name in FORMATS:
        assert data["citations"][name] == page.get_element_by_id(f"cite-{name}").text_content()


def test_the_exchange_json_carries_its_commitments_in_the_export_shape(client, miit):
    exchange = exchange_saying(SERVE_SMES)
    commitment = Commitment.objects.get(sentence=SERVE_SMES)

    data = client.get(exchange.get_absolute_url(), {"format": "json"}).json()

    (said,) = [c for turn in data["turns"] for c in turn["commitments"]]
    assert said["sentence"] == SERVE_SMES
    assert said["deadline_date"] == commitment.deadline_date.isoformat()


def test_the_home_json_lists_the_page_of_briefings_and_the_archive_download(client, miit):
    data = client.get("/", {"format": "json"}).json()

    (listed,) = data["briefings"]
    assert listed["url"] == "http://testserver" + miit.get_absolute_url()
    assert listed["exchanges"] == miit.exchanges.count()
    assert listed["held_on"] == "2022-02-28"
    assert data["total"] == 1
    assert data["archive_jsonl"] == "http://testserver/export/archive.jsonl"
    assert data["archive_jsonl_gz"] == "http://testserver/export/archive.jsonl.gz"


def test_the_commitments_page_json_is_the_page_it_shows(client, miit):
    data = client.get("/commitments/", {"format": "json", "status": "unreviewed"}).json()
    document = get_page(client, "/commitments/", status="unreviewed")

    shown = [text(quote) for quote in document.xpath("//ol[@class='commitment-rows']//blockquote")]
    assert [row["sentence"] for row in data["results"]] == shown
    assert data["filters"] == {"status": "unreviewed"}
    assert data["total"] == len(shown)
    assert data["results"][0]["exchange_url"].startswith("http://testserver/briefings/")


# The whole archive as JSON Lines.


def test_the_archive_download_is_the_export_written_ahead_by_the_command(
    client, miit, settings, tmp_path
):
    settings.DATA_DIR = tmp_path  # the file goes to DATA_DIR/exports
    before = client.get("/export/archive.jsonl")
    load_conference(
        briefing("Press Gaggle", dt.date(2021, 3, 1), [official("Jen Psaki", "Hello.")]),
        [source_file("gaggle.md", "gaggle")],
    )
    call_command("archive_file", stdout=io.StringIO())

    response = client.get("/export/archive.jsonl")

    assert before.status_code == 503
    assert before["Retry-After"] == "120"
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    assert "attachment" in response["Content-Disposition"]
    assert response["Last-Modified"]
    body = b"".join(response.streaming_content).decode()
    assert body == "".join(iter_jsonl())
    lines = [json.loads(line) for line in body.splitlines()]
    assert [line["title"] for line in lines] == ["Press Gaggle", miit.title]
    assert all(line["schema"] == "briefing-archive/1" for line in lines)


def test_the_archive_file_is_written_again_only_when_the_archive_changed(miit, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    first = archive_file.write()
    unchanged = archive_file.write()
    load_conference(
        briefing("Press Gaggle", dt.date(2021, 3, 1), [official("Jen Psaki", "Hello.")]),
        [source_file("gaggle.md", "gaggle")],
    )
    commitment = Commitment.objects.first()
    commitment.review = Commitment.Review.REJECTED
    commitment.save()

    again = archive_file.write()

    assert first is not None
    assert first.briefings == 1
    assert unchanged is None
    assert again is not None
    assert again.briefings == 2
    assert '"review": "rejected"' in again.path.read_text(encoding="utf-8")
    assert not list(tmp_path.glob("exports/*.partial"))


def test_one_archive_file_writer_at_a_time(miit, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    (tmp_path / "exports").mkdir()
    with (tmp_path / "exports" / ".writer.lock").open("a") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a second writer would
        assert archive_file.write(force=True) is None
    assert archive_file.current() is None
    assert archive_file.write() is not None


def test_the_home_page_links_the_archive_download(client, miit):
    document = get_page(client, "/")

    assert document.xpath("//main//a[@href='/export/archive.jsonl']")
    assert document.xpath("//main//a[@href='/export/archive.jsonl.gz']")
    assert document.xpath("//footer//a[@href='/export/archive.jsonl.gz']")


def test_the_archive_download_is_offered_gzip_compressed(client, miit, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    before = client.get("/export/archive.jsonl.gz")
    call_command("archive_file", stdout=io.StringIO())

    response = client.get("/export/archive.jsonl.gz")
    plain = b"".join(client.get("/export/archive.jsonl").streaming_content)

    assert before.status_code == 503
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    assert "Content-Encoding" not in response, "a file of its own, not a transfer encoding"
    assert 'filename="briefing-archive.jsonl.gz"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body)
    assert gzip.decompress(body) == plain
    assert plain.decode() == "".join(iter_jsonl())


def test_an_archive_file_written_without_its_gzip_is_written_again(miit, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    first = archive_file.write()
    first.gzip_path.unlink()  # as a version before the .gz left it

    again = archive_file.write()

    assert again is not None
    assert again.gzip_size == again.gzip_path.stat().st_size
    assert gzip.decompress(again.gzip_path.read_bytes()) == again.path.read_bytes()
    assert archive_file.write() is None


def test_the_home_page_counts_the_archive_and_has_a_search_box(client, miit):
    document = get_page(client, "/")
    data = client.get("/", {"format": "json"}).json()

    counts = " ".join(document.xpath("string(//p[@class='counts'])").split())
    assert counts == (
        f"1 briefing · {Exchange.objects.count()} exchanges · "
        f"{Person.objects.count()} people · {Commitment.objects.count()} commitments"
    )
    assert data["counts"]["exchanges"] == Exchange.objects.count()
    assert document.xpath("//main//form[@action='/search/']//input[@name='q']")


# No N+1: the same number of queries for a small briefing and a large one.


def qa_briefing(title: str, *, exchanges: int, answers: int) -> Conference:
    """`exchanges` questions, each answered by `answers` officials, each answer a pledge."""
    turns = []
    for number in range(1, exchanges + 1):
        turns.append(reporter(f"Outlet {number % 5}", f"Question {number} on jobs?"))
        for answer in range(1, answers + 1):
            turns.append(
                official(
                    f"Official {answer}",
                    f"We will open {number * 10 + answer} job centres by the end of 2025.",
                    title=f"minister {answer}",
                )
            )
    parsed = briefing(title, dt.date(2023, 8, 17), turns, organizer="SCIO")
    return load_conference(parsed, [source_file(f"{title}.txt", title)]).conference


def count_queries(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def _url_of(page: str, conference: Conference) -> str:
    exchange = conference.exchanges.get(position=2)
    source = conference.sources.get()
    return {
        "home": "/",
        "home json": "/?format=json",
        "briefing": conference.get_absolute_url(),
        "briefing json": conference.get_absolute_url() + "?format=json",
        "exchange": exchange.get_absolute_url(),
        "exchange json": exchange.get_absolute_url() + "?format=json",
        "source": f"/briefings/{conference.slug}/sources/{source.pk}/",
        "commitments json": "/commitments/?format=json",
    }[page]


@pytest.mark.parametrize(
    ("page", "most"),
    [
        ("home", 7),  # 3 of them count exchanges, people and commitments
        ("home json", 7),
        ("briefing", 6),
        ("briefing json", 6),
        ("exchange", 5),  # with 1 for the exchanges the index finds similar
        ("exchange json", 5),
        ("source", 1),
        ("commitments json", 5),
    ],
)
def test_the_queries_stay_the_same_for_a_small_and_a_large_briefing(client, page, most):
    small = qa_briefing("Small briefing", exchanges=3, answers=2)
    drain()  # indexed, so that the exchange page finds more like it
    few = count_queries(client, _url_of(page, small))

    large = qa_briefing("Large briefing", exchanges=40, answers=4)
    for number in range(10):  # a fuller home page too
        qa_briefing(f"More {number}", exchanges=2, answers=1)
    drain()
    many = count_queries(client, _url_of(page, large))

    assert few == many <= most


def test_the_exchange_page_finds_more_like_it_in_the_index(client):
    large = qa_briefing("Large briefing", exchanges=5, answers=2)
    drain()
    exchange = large.exchanges.get(position=2)

    data = client.get(exchange.get_absolute_url(), {"format": "json"}).json()
    document = get_page(client, exchange.get_absolute_url())

    assert data["similar"]
    assert data["similar"][0]["briefing"]["title"] == "Large briefing"
    similar = document.xpath("//section[@aria-labelledby='similar-heading']//li/a/@href")
    assert similar == [other["url"].removeprefix("http://testserver") for other in data["similar"]]


def test_commitment_json_and_pages_agree_on_what_is_shown(client, miit):
    exchange = exchange_saying(SERVE_SMES)
    page = get_page(client, exchange.get_absolute_url())
    data = client.get(exchange.get_absolute_url(), {"format": "json"}).json()

    marked = [text(mark) for mark in page.xpath("//mark[@class='commitment']")]
    assert marked == [c["sentence"] for turn in data["turns"] for c in turn["commitments"]]
    assert re.search(r"exchange \d+\.", data["citations"]["plain"])


def test_an_undated_briefing_without_questions_still_has_its_pages(client):
    parsed = briefing("Statement on Burma", None, [official("Jen Psaki", "We are watching.")])
    conference = load_conference(parsed, [source_file("burma.md", "burma")]).conference
    exchange = conference.exchanges.get()

    briefing_page = get_page(client, conference.get_absolute_url())
    exchange_page = get_page(client, exchange.get_absolute_url())

    assert text(briefing_page.find_class("briefing-facts")[0]).startswith("Undated")
    assert not briefing_page.xpath("//nav[@aria-labelledby='contents-heading']")
    assert "startDate" not in properties(items(briefing_page, EVENT)[0])
    assert text(exchange_page.get_element_by_id("cite-apa")).startswith("Psaki, J. (n.d.).")
    assert "Accessed" in text(exchange_page.get_element_by_id("cite-chicago"))
