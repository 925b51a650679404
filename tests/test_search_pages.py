"""The search page, its exports and feed, more-like-this and search within a briefing:
through the test client, on a real Whoosh index in a temporary folder."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import html as lxml_html

from briefings.ingest.load import load_conference
from briefings.ingest.records import ParsedTurn
from briefings.models import Conference, Exchange, Turn
from briefings.text import ANSWER
from search import indexing
from search.limits import export_slot
from tests.conftest import briefing, miit_briefing, official, reporter, source_file

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("search_index")]

ATOM = "{http://www.w3.org/2005/Atom}"


def psaki_briefing() -> object:
    psaki = {"label": "MS. PSAKI", "title": "Press Secretary"}
    return briefing(
        "Press Briefing by Press Secretary Jen Psaki",
        dt.date(2021, 2, 1),
        [
            official("Jen Psaki", "Good afternoon. Today we have vaccine news.", **psaki),
            reporter("CNN", "Will the vaccine supply grow this month?"),
            official("Jen Psaki", "The vaccine supply will grow by 16 percent.", **psaki),
            reporter("Fox News", "Is the digital transformation of government a priority?"),
            official("Jen Psaki", "We are transforming digital services, yes.", **psaki),
            reporter("CNN", "And masks, with vaccines?"),
            official("Jen Psaki", "Masks and vaccines both matter.", **psaki),
            reporter("Bloomberg", "<script>alert(1)</script> What about the supply chain?"),
            official("Jen Psaki", "The chain of supply is improving.", **psaki),
        ],
    )


def kirby_gaggle() -> object:
    return briefing(
        "Press Gaggle by John Kirby",
        dt.date(2023, 8, 17),
        [
            reporter("China Daily", "How is the supply chain for chips?"),
            official("John Kirby", "The supply chain for chips is stronger.", label="MR. KIRBY"),
            reporter("CNN", "Any vaccine news?"),
            official("John Kirby", "No vaccine news from me today.", label="MR. KIRBY"),
        ],
    )


@pytest.fixture
def archive() -> dict[str, Conference]:
    """Three briefings in three years, indexed."""
    loaded = {
        "miit": load_conference(miit_briefing(), [source_file("miit.txt", "miit")]),
        "psaki": load_conference(psaki_briefing(), [source_file("psaki.md", "psaki")]),
        "kirby": load_conference(kirby_gaggle(), [source_file("kirby.md", "kirby")]),
    }
    indexing.drain()
    return {name: result.conference for name, result in loaded.items()}


def exchange_with(text: str) -> Exchange:
    return Turn.objects.get(text__contains=text).exchange


def page(client: object, **params: str) -> lxml_html.HtmlElement:
    response = client.get("/search/", params)
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def result_links(document: lxml_html.HtmlElement) -> list[str]:
    """The exchanges a page lists (each link carries the search, for the way back)."""
    return [urlsplit(link).path for link in document.xpath("//ol[@class='results']//h3/a/@href")]


def heading(document: lxml_html.HtmlElement) -> str:
    return document.get_element_by_id("results-heading").text_content().strip()


def facet(document: lxml_html.HtmlElement, name: str) -> dict[str, tuple[str, bool, str]]:
    """A facet's entries: label -> (count, chosen, the link that ticks or unticks it)."""
    entries = {}
    for item in document.xpath(f"//h3[@id='facet-{name}']/following-sibling::ul[1]/li"):
        link = item.find("a")
        label = link.find_class("label")[0].text
        chosen = "chosen" in link.get("class").split()
        entries[label] = (item.find_class("count")[0].text, chosen, link.get("href"))
    return entries


def messages(document: lxml_html.HtmlElement) -> list[str]:
    return [item.text_content() for item in document.xpath("//ul[@class='messages']/li")]


def test_it_finds_every_word_stemmed(client, archive):
    document = page(client, q="digital transformation")

    assert result_links(document) == [
        exchange_with("digital transformation of government").get_absolute_url()
    ]
    # The card's question and its answer, each with its words marked.
    snippets = document.find_class("snippet")
    question, answer = (lxml_html.tostring(snippet, encoding="unicode") for snippet in snippets)
    assert "<mark>digital</mark> <mark>transformation</mark>" in question
    assert "<mark>transforming</mark> <mark>digital</mark>" in answer


def test_a_phrase_matches_only_words_side_by_side(client, archive):
    document = page(client, q='"supply chain"')

    expected = {
        exchange_with("What about the supply chain?").get_absolute_url(),
        exchange_with("supply chain for chips is").get_absolute_url(),
    }
    assert set(result_links(document)) == expected  # not "The chain of supply"
    assert heading(document) == "2 results"


def test_it_leaves_out_excluded_words(client, archive):
    with_masks = exchange_with("Masks and vaccines").get_absolute_url()

    assert with_masks in result_links(page(client, q="vaccine"))
    assert with_masks not in result_links(page(client, q="vaccine -masks"))


def test_or_finds_either_word_and_counts_every_match(client, archive, settings):
    settings.HAYSTACK_SEARCH_RESULTS_PER_PAGE = 1  # a full top-1 must not lose the rest

    document = page(client, q="guidelines OR chips")

    assert heading(document) == "2 results"
    assert len(result_links(document)) == 1


def test_it_filters_by_speaker_name_or_slug_and_by_outlet(client, archive):
    by_name = page(client, q="vaccine speaker:kirby")
    by_control = page(client, q="vaccine", speaker="john-kirby")
    by_outlet = page(client, q='supply outlet:"China Daily"')

    kirby_vaccine = exchange_with("No vaccine news").get_absolute_url()
    assert result_links(by_name) == result_links(by_control) == [kirby_vaccine]
    assert result_links(by_outlet) == [exchange_with("chips is stronger").get_absolute_url()]


def test_it_filters_by_dates_inclusively(client, archive):
    in_2021 = page(client, q="vaccine", **{"from": "2021-02", "to": "2021-02-01"})
    before_2023 = page(client, q="vaccine to:2022")
    from_2023 = page(client, q="vaccine from:2023")

    assert heading(in_2021) == heading(before_2023) == "3 results"
    assert heading(from_2023) == "1 result"


def test_a_bad_date_is_a_message_not_an_error(client, archive):
    document = page(client, q="vaccine from:2021-13")

    assert messages(document) == ["from: “2021-13” is not a date; use YYYY, YYYY-MM or YYYY-MM-DD."]
    assert heading(document) == "4 results"


def test_facets_count_exact_values_and_link_to_a_narrower_search(client, archive):
    document = page(client, q="supply")

    speakers = {label: count for label, (count, _, _) in facet(document, "speakers").items()}
    assert speakers == {"Jen Psaki": "2", "John Kirby": "1"}
    outlets = facet(document, "outlets")
    assert set(outlets) == {"Bloomberg", "China Daily", "CNN"}
    narrower = client.get(outlets["China Daily"][2])
    assert lxml_html.fromstring(narrower.content.decode()).xpath(
        "//h2[@id='results-heading']/text()"
    ) == ["1 result"]


def background_call() -> object:
    """A call with officials on background, one of them numbered as transcripts print it."""
    return briefing(
        "Background Press Call on the Summit",
        dt.date(2023, 9, 1),
        [
            reporter("CNN", "What will the summit decide on supply?"),
            ParsedTurn("SENIOR ADMINISTRATION OFFICIAL", ANSWER, "A supply plan, we expect."),
            reporter("Fox News", "And on chips at the summit?"),
            ParsedTurn(
                "SENIOR ADMINISTRATION OFFICIAL ONE",
                ANSWER,
                "Chips are on the summit agenda.",
                speaker_name="Senior Administration Official One",
            ),
        ],
    )


def test_a_speaker_filter_naming_nobody_says_so(client, archive):
    document = page(client, q='summit speaker:"senior administration official"')

    assert heading(document) == "No results"
    assert "No speaker matches “senior administration official”." in messages(document)


def test_officials_on_background_are_one_speaker_to_filter_and_facet_by(client, archive):
    load_conference(background_call(), [source_file("call.md", "background call")])
    indexing.drain()

    document = page(client, q='summit speaker:"senior administration official"')

    assert set(result_links(document)) == {
        exchange_with("A supply plan").get_absolute_url(),
        exchange_with("Chips are on the summit").get_absolute_url(),
    }
    assert messages(document) == []
    assert list(facet(document, "speakers")) == ["Senior administration official"]


def test_hits_per_year_are_a_chart_with_the_numbers_in_text(client, archive):
    document = page(client, q="vaccine OR supply OR guidelines")

    rows = document.xpath("//table[@class='years']/tbody/tr")
    assert [(row[0].text_content(), row[1].text_content()) for row in rows] == [
        ("2021", "4"),
        ("2022", "1"),
        ("2023", "2"),
    ]
    widths = [row.xpath(".//rect/@width")[0] for row in rows]
    assert widths == ["100", "25", "50"]
    year_link = rows[2].xpath(".//a/@href")[0]
    assert parse_qs(urlsplit(year_link).query) == {
        "q": ["vaccine OR supply OR guidelines"],
        "from": ["2023"],
        "to": ["2023"],
    }


def test_it_sorts_by_date_both_ways(client, archive):
    newest = result_links(page(client, q="vaccine OR guidelines", sort="newest"))
    oldest = result_links(page(client, q="vaccine OR guidelines", sort="oldest"))

    assert held_on(newest) == sorted(held_on(newest), reverse=True)
    assert held_on(oldest) == sorted(held_on(oldest))
    assert len(set(held_on(oldest))) == 3
    assert set(newest) == set(oldest)


def held_on(links: list[str]) -> list[dt.date]:
    return [Exchange.objects.get(pk=exchange_pk(link)).conference.held_on for link in links]


def exchange_pk(link: str) -> int:
    slug, position = link.strip("/").split("/")[-2:]
    return Exchange.objects.get(conference__slug=slug, position=int(position)).pk


def test_it_pages_with_stable_links_and_shows_the_last_page_past_the_end(client, archive, settings):
    settings.HAYSTACK_SEARCH_RESULTS_PER_PAGE = 2
    first = page(client, q="vaccine")
    pages = first.xpath("//nav[@class='pages']//a/@href")
    second = client.get(pages[0])
    past = page(client, q="vaccine", page="9")

    assert heading(first) == "4 results"
    assert pages == ["/search/?q=vaccine&page=2", "/search/?q=vaccine&page=2"]  # "2", "Next"
    on_second = result_links(lxml_html.fromstring(second.content.decode()))
    assert len(on_second) == 2
    assert not set(on_second) & set(result_links(first))
    assert result_links(past) == on_second
    assert messages(past) == ["There is no page 9; this is the last page, 2."]
    assert client.get("/search/", {"q": "vaccine", "page": "nonsense"}).status_code == 404


def test_snippets_show_markup_in_transcripts_as_text(client, archive):
    response = client.get("/search/", {"q": "supply chain alert"})

    body = response.content.decode()
    assert "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;" in body
    assert "<script>" not in body


def test_an_empty_search_shows_the_form_and_tips(client, archive):
    document = page(client)

    assert document.get_element_by_id("tips-heading").text == "How to search"
    assert not document.xpath("//ol[@class='results']")
    assert document.xpath("//label[@for='id_speaker']")


def test_every_control_has_a_label(client, archive):
    document = page(client, q="vaccine")

    for control in document.xpath("//input[not(@type='hidden')]|//select"):
        assert document.xpath(f"//label[@for='{control.get('id')}']"), control.get("name")
    headings = document.xpath("//main//*[self::h1 or self::h2 or self::h3]")
    levels = [int(tag.tag[1]) for tag in headings]
    assert levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels))


def test_the_page_costs_a_fixed_number_of_queries(client, archive, django_assert_max_num_queries):
    # The page's exchanges and their turns, then one query per facet's names...
    with django_assert_max_num_queries(5):
        page(client, q="vaccine OR supply OR guidelines", sort="newest")
    # ...and a filter's names, however many results.
    with django_assert_max_num_queries(7):
        page(client, q="vaccine OR supply OR guidelines speaker:psaki")


def test_csv_export_has_every_result_with_the_same_filters(client, archive):
    response = client.get("/search/export.csv", {"q": "vaccine", "speaker": "psaki"})

    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["X-Total-Count"] == "3"
    assert len(rows) == 3
    assert {row["speakers"] for row in rows} == {"Jen Psaki"}
    assert {row["held_on"] for row in rows} == {"2021-02-01"}
    assert all(row["url"].startswith("http://testserver/briefings/") for row in rows)


def test_json_export_says_how_many_and_whether_counted(client, archive):
    response = client.get("/search/export.json", {"q": "supply", "sort": "oldest"})

    data = json.loads(response.getvalue())
    assert data["total"] == data["returned"] == 3
    assert data["total_is_estimate"] is False
    assert data["max_rows"] == 5000
    assert [row["held_on"] for row in data["results"]] == ["2021-02-01", "2021-02-01", "2023-08-17"]
    assert [row["outlets"] for row in data["results"]] == [["CNN"], ["Bloomberg"], ["China Daily"]]
    assert "<script>alert(1)</script> What about" in data["results"][1]["excerpt"]


def test_exports_beyond_the_concurrency_limit_are_asked_to_wait(client, archive):
    with export_slot() as held:  # as another worker's export would
        busy = client.get("/search/export.csv", {"q": "supply"})
        busy_json = client.get("/search/export.json", {"q": "supply"})
    after = client.get("/search/export.csv", {"q": "supply"})

    assert held
    assert busy.status_code == busy_json.status_code == 429
    assert busy["Retry-After"] == "5"
    assert "Try again in a few seconds" in busy.content.decode()
    assert after.status_code == 200


def test_the_search_page_has_a_json_form_of_what_it_shows(client, archive):
    page = client.get("/search/", {"q": "supply", "sort": "oldest"})
    response = client.get("/search/", {"q": "supply", "sort": "oldest", "format": "json"})
    wrong = client.get("/search/", {"q": "supply", "format": "xml"})

    data = json.loads(response.content)
    assert 'type="application/json" href="/search/?q=supply&amp;sort=oldest&amp;format=json"' in (
        page.content.decode()
    )
    assert (data["total"], data["page"], data["pages"], data["next"]) == (3, 1, 1, None)
    assert [row["held_on"] for row in data["results"]] == ["2021-02-01", "2021-02-01", "2023-08-17"]
    assert data["results"][0]["url"].startswith("http://testserver/briefings/")
    assert "<mark>supply</mark>" in data["results"][0]["snippet_html"]
    assert "&lt;script&gt;" in data["results"][1]["question"]["excerpt_html"]
    assert {"speakers", "outlets", "organizations"} <= set(data["facets"])
    assert wrong.status_code == 400


def test_the_atom_feed_lists_the_newest_first_with_text_escaped(client, archive):
    response = client.get("/search/feed.atom", {"q": "supply"})

    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert [entry.find(f"{ATOM}updated").text[:10] for entry in entries] == [
        "2023-08-17",
        "2021-02-01",
        "2021-02-01",
    ]
    summary = entries[2].find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert "&lt;script&gt;alert(1)&lt;/script&gt; What about" in summary.text


def test_the_exchange_page_shows_more_like_this(client, archive):
    exchange = exchange_with("No vaccine news")

    response = client.get(exchange.get_absolute_url())

    document = lxml_html.fromstring(response.content.decode())
    similar = document.xpath("//section[h2[@id='similar-heading']]//li/a/@href")
    assert 0 < len(similar) <= 5
    assert exchange.get_absolute_url() not in similar
    assert exchange_with("The vaccine supply will grow").get_absolute_url() in similar


def test_it_searches_within_one_briefing(client, archive):
    psaki = archive["psaki"]
    from_its_page = lxml_html.fromstring(client.get(psaki.get_absolute_url()).content.decode())
    form = from_its_page.xpath("//form[@action='/search/'][.//input[@name='conference']]")[0]
    assert form.xpath(".//input[@name='conference']/@value") == [psaki.slug]

    within = page(client, q="vaccine", conference=psaki.slug)
    typed = page(client, q=f"vaccine conference:{psaki.slug}")

    assert heading(within) == heading(typed) == "3 results"
    assert {exchange_pk(link) for link in result_links(within)} <= set(
        psaki.exchanges.values_list("pk", flat=True)
    )
    assert "Searching within" in within.find_class("within")[0].text_content()


def test_abusive_queries_answer_with_a_message_and_a_bounded_page(client, archive, settings):
    huge = page(client, q=("vaccine supply " * 1000)[:10_000])
    many_ors = page(client, q=" OR ".join(f"w{number}" for number in range(2000)))
    long_phrase = page(client, q='"' + " ".join(["the supply chain is"] * 10) + '"')

    assert "Your search was cut to its first 200 characters." in messages(huge)
    assert "Only the first 20 alternatives joined by OR were used." in messages(many_ors)
    assert "Phrases are cut to their first 8 words." in messages(long_phrase)
    for document in (huge, many_ors, long_phrase):
        assert len(result_links(document)) <= settings.HAYSTACK_SEARCH_RESULTS_PER_PAGE


def test_a_search_cut_short_by_its_budget_says_so(client, archive, settings):
    settings.SEARCH_TIME_LIMIT = -1  # spent before it starts

    document = page(client, q="vaccine OR supply")

    assert heading(document).startswith(("About ", "No results"))
    assert any("took too long and was stopped early" in text for text in messages(document))


def test_it_offers_a_spelling_when_nothing_matches(client, archive):
    document = page(client, q="vacine")

    assert heading(document) == "No results"
    suggestion = document.xpath("//p[contains(., 'Did you mean')]/a")[0]
    assert suggestion.text == "vaccine"
    assert parse_qs(urlsplit(suggestion.get("href")).query) == {"q": ["vaccine"]}
