"""The reading room's directory pages: the briefing list with its year and month archives,
people and outlets, each with its JSON form. Through the test client, on briefings loaded
by the real loader. Long because it holds every behaviour of five pages, one short test
each, on one set of briefings."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from briefings.ingest.load import load_conference
from briefings.ingest.records import ParsedConference, ParsedParticipant, ParsedTurn
from briefings.ingest.run import ingest_paths
from briefings.models import Commitment, Conference, Organization, Person
from tests.conftest import briefing, chair, miit_briefing, official, reporter, source_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_index")]

NOT_FOUND = "We could not find that page"


def get_page(client: object, url: str, **params: str) -> lxml_html.HtmlElement:
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return lxml_html.fromstring(response.content.decode())


def get_json(client: object, url: str, **params: str) -> dict:
    response = client.get(url, {**params, "format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def texts(document: lxml_html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(node.text_content().split()) for node in document.xpath(xpath)]


def load(parsed: ParsedConference) -> Conference:
    """Loaded from a source of its own, so each built briefing is a new one."""
    name = f"{parsed.title}-{parsed.held_on}.txt"
    return load_conference(
        parsed, [source_file(name, f"{parsed.title} {parsed.held_on}")]
    ).conference


def dated(
    title: str,
    held_on: dt.date | None,
    *,
    organizer: str = "The White House",
    kind: str = "press_briefing",
    turns: list | None = None,
) -> Conference:
    parsed = briefing(
        title,
        held_on,
        turns or [reporter("CNN", "A question?"), official("Jen Psaki", "An answer.")],
        organizer=organizer,
    )
    parsed.kind = kind
    return load(parsed)


def many_briefings(count: int, *, start: dt.date = dt.date(2021, 1, 4)) -> list[Conference]:
    """`count` briefings a week apart, each with a question from CNN answered by Psaki."""
    return [
        dated(f"Press Briefing {number}", start + dt.timedelta(weeks=number))
        for number in range(count)
    ]


def many_answers(count: int, *, title: str = "Long briefing") -> Conference:
    """One briefing in which Jen Psaki answers `count` questions from CNN."""
    turns = []
    for number in range(1, count + 1):
        turns += [
            reporter("CNN", f"Question number {number}?"),
            official("Jen Psaki", f"Answer number {number}. " + "More words here. " * 40),
        ]
    return dated(title, dt.date(2021, 3, 1), turns=turns)


def count_queries(client: object, url: str, **params: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def assert_queries_bounded(client: object, url: str, grow: object, *, most: int) -> None:
    """The same number of queries, at most `most`, before and after `grow()` adds data."""
    small = count_queries(client, url)
    grow()
    large = count_queries(client, url)
    assert small == large <= most, (small, large)


@pytest.fixture
def three_months() -> dict[str, Conference]:
    return {
        "jan": dated("January briefing", dt.date(2021, 1, 20)),
        "feb": dated("February gaggle", dt.date(2021, 2, 9), kind="press_gaggle"),
        "scio": load(miit_briefing()),  # 2022-02-28, organized by the SCIO
        "undated": dated("Undated call", None, kind="press_call"),
    }


# The briefing list.


def test_it_lists_briefings_newest_first_grouped_by_month_undated_last(client, three_months):
    document = get_page(client, "/briefings/")

    assert texts(document, "//section[@class='month-group']/h3") == [
        "February 2022",
        "February 2021",
        "January 2021",
        "Undated",
    ]
    assert texts(document, "//ul[@class='briefing-list']/li/a") == [
        "SCIO press conference on industry and ICTs",
        "February gaggle",
        "January briefing",
        "Undated call",
    ]
    first = document.xpath("//ul[@class='briefing-list']/li")[0]
    assert first.xpath("a/@href") == [three_months["scio"].get_absolute_url()]
    exchanges = three_months["scio"].exchanges.count()
    assert (
        f"28 Feb 2022 · Press conference · State Council Information Office · {exchanges} exchanges"
        in (" ".join(first.text_content().split()))
    )


def test_it_filters_by_organizer_and_kind(client, three_months):
    by_scio = get_page(client, "/briefings/", organizer="state-council-information-office")
    gaggles = get_page(client, "/briefings/", kind="press_gaggle", organizer="the-white-house")

    assert texts(by_scio, "//ul[@class='briefing-list']/li/a") == [
        "SCIO press conference on industry and ICTs"
    ]
    assert texts(gaggles, "//ul[@class='briefing-list']/li/a") == ["February gaggle"]
    assert gaggles.xpath("//select[@name='kind']/option[@selected]/@value") == ["press_gaggle"]
    assert gaggles.xpath("//form[contains(@class, 'filter-form')]//a[text()='Clear the filters']")


def test_a_filter_value_it_does_not_know_is_left_out_and_said_briefly(client, three_months):
    response = client.get("/briefings/", {"organizer": "x" * 10_000, "kind": "speech"})

    assert response.status_code == 200
    document = lxml_html.fromstring(response.content.decode())
    assert texts(document, "//ul[@class='messages']/li") == [
        "Organizer: That is not one of the choices. It was left out.",
        "Kind: That is not one of the choices. It was left out.",
    ]
    assert len(document.xpath("//ul[@class='briefing-list']/li")) == 4
    assert "x" * 100 not in response.content.decode()


def test_it_filters_by_who_attended_and_says_so(client, three_months):
    document = get_page(client, "/briefings/", person="tian-yulong")
    unknown = get_page(client, "/briefings/", person="nobody-at-all")

    assert texts(document, "//ul[@class='briefing-list']/li/a") == [
        "SCIO press conference on industry and ICTs"
    ]
    assert texts(document, "//p[@class='within']") == [
        "Briefings attended by Tian Yulong · every briefing"
    ]
    assert document.xpath("//p[@class='within']/a/@href") == ["/people/tian-yulong/", "/briefings/"]
    # The filter form keeps the person when another filter is chosen.
    assert document.xpath("//form//input[@name='person']/@value") == ["tian-yulong"]
    assert texts(unknown, "//ul[@class='messages']/li") == [
        "Attended by: There is nobody by that name in the archive. It was left out."
    ]
    assert len(unknown.xpath("//ul[@class='briefing-list']/li")) == 4


def test_the_year_and_month_archives_show_their_briefings_and_counts_as_navigation(
    client, three_months
):
    year = get_page(client, "/briefings/2021/")
    month = get_page(client, "/briefings/2021/2/")
    everything = get_page(client, "/briefings/")

    assert texts(year, "//h1") == ["Briefings in 2021"]
    assert texts(year, "//ul[@class='briefing-list']/li/a") == [
        "February gaggle",
        "January briefing",
    ]
    assert texts(month, "//h1") == ["Briefings in February 2021"]
    assert texts(month, "//ul[@class='briefing-list']/li/a") == ["February gaggle"]
    nav = "//nav[@class='archive-nav']/ul[@class='years-list']/li"
    assert [" ".join(item.text_content().split()) for item in everything.xpath(nav)] == [
        "2022 1 February 2022 1",
        "2021 2 February 2021 1 January 2021 1",
    ]
    assert everything.xpath(f"{nav}/a/@href") == ["/briefings/2022/", "/briefings/2021/"]
    assert "/briefings/2021/1/" in everything.xpath(f"{nav}//ul[@class='months-list']//a/@href")
    assert month.xpath("//nav[@class='archive-nav']//strong[@aria-current='page']/text()") == [
        "February"
    ]


def test_the_archive_links_keep_the_filters(client, three_months):
    document = get_page(client, "/briefings/", kind="press_gaggle")

    assert document.xpath("//nav[@class='archive-nav']/ul/li/a/@href") == [
        "/briefings/2021/?kind=press_gaggle"
    ]
    assert get_json(client, "/briefings/2021/", kind="press_gaggle")["total"] == 1


@pytest.mark.parametrize(
    "url",
    [
        "/briefings/2021/13/",
        "/briefings/2021/0/",
        "/briefings/0/",
        "/briefings/0/1/",
        "/briefings/99999/",
        "/briefings/" + "9" * 30 + "/",
        "/briefings/" + "9" * 5000 + "/",
    ],
)
def test_an_impossible_date_is_the_sites_404_page(client, three_months, url):
    response = client.get(url)

    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


def test_a_year_with_no_briefings_says_so(client, three_months):
    document = get_page(client, "/briefings/1999/")

    assert texts(document, "//h2[@id='results-heading']") == ["No briefings"]
    assert "No briefing matches in 1999." in texts(document, "//main//p")


def test_a_briefing_whose_slug_is_all_digits_keeps_its_page_and_exchanges(client):
    # An undated briefing titled "1999" would get that slug.
    conference = dated("1999", dt.date(2021, 5, 5))
    Conference.objects.filter(pk=conference.pk).update(slug="1999")

    page = client.get("/briefings/1999/")
    exchange = client.get("/briefings/1999/1/")

    assert page.status_code == exchange.status_code == 200
    assert page.templates[0].name == "briefings/conference_detail.html"
    assert exchange.templates[0].name == "briefings/exchange_detail.html"


def test_a_page_past_the_end_gives_the_last_page_with_stable_links(client):
    many_briefings(30)

    last = get_page(client, "/briefings/", page="99", kind="press_briefing")
    huge = get_page(client, "/briefings/", page="9" * 10_000)
    zero = get_page(client, "/briefings/", page="0")

    assert len(last.xpath("//ul[@class='briefing-list']/li")) == 5
    assert last.xpath("//nav[@class='pages']//span[@aria-current='page']/text()") == ["2"]
    links = last.xpath("//nav[@class='pages']//a/@href")
    assert "/briefings/?kind=press_briefing" in links  # page 1 carries no page number
    assert "/briefings/?kind=press_briefing&page=1" not in links
    assert huge.xpath("//nav[@class='pages']//span[@aria-current='page']/text()") == ["2"]
    assert zero.xpath("//nav[@class='pages']//span[@aria-current='page']/text()") == ["1"]
    assert zero.xpath("//nav[@class='pages']//a/@href")[-1] == "/briefings/?page=2"


@pytest.mark.parametrize("number", ["abc", "-1", "1.5", "²"])
def test_a_page_number_that_is_not_a_number_is_the_sites_404(client, number):
    many_briefings(3)

    response = client.get("/briefings/", {"page": number})

    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


def test_the_json_form_has_the_pages_rows_filters_and_absolute_urls(client, three_months):
    many_briefings(26, start=dt.date(2020, 1, 6))

    data = get_json(client, "/briefings/2020/", kind="press_briefing", page="2")

    assert data["period"] == {"year": 2020, "month": None, "label": "2020"}
    assert data["filters"] == {"kind": "press_briefing"}
    assert (data["page"], data["pages"], data["total"]) == (2, 2, 26)
    assert data["previous"] == "http://testserver/briefings/2020/?kind=press_briefing&format=json"
    assert data["next"] is None
    (row,) = data["results"]
    oldest = Conference.objects.get(title="Press Briefing 0")
    assert row == {
        "title": "Press Briefing 0",
        "slug": oldest.slug,
        "url": f"http://testserver{oldest.get_absolute_url()}",
        "held_on": "2020-01-06",
        "kind": "press_briefing",
        "kind_label": "Press briefing",
        "organizer": {
            "name": "The White House",
            "url": "http://testserver/outlets/the-white-house/",
        },
        "location": "",
        "exchanges": 1,
    }
    years = {year["year"]: year for year in data["years"]}
    assert years.keys() == {2020, 2021}  # the January 2021 briefing is a press briefing too
    assert years[2020]["total"] == 26
    assert years[2020]["url"] == "http://testserver/briefings/2020/?kind=press_briefing"
    assert years[2020]["months"][0] == {
        "month": 6,
        "total": 5,  # 1 to 29 June 2020
        "url": "http://testserver/briefings/2020/6/?kind=press_briefing",
    }


def test_the_json_form_reports_a_filter_it_left_out(client, three_months):
    data = get_json(client, "/briefings/", kind="speech")

    assert data["filters"] == {}
    assert data["messages"] == ["Kind: That is not one of the choices. It was left out."]
    assert data["total"] == 4


@pytest.mark.parametrize(
    "url", ["/briefings/", "/briefings/2021/", "/people/", "/outlets/", "/people/jen-psaki/"]
)
def test_an_unknown_format_is_a_400_that_says_which_work(client, three_months, url):
    response = client.get(url, {"format": "xml" + "x" * 10_000})

    assert response.status_code == 400
    message = response.content.decode()
    assert "Unknown format" in message
    assert "format=json" in message
    assert len(message) < 300


def test_the_briefing_list_queries_stay_bounded(client):
    many_briefings(3)

    assert_queries_bounded(client, "/briefings/", lambda: many_briefings(30), most=5)


def test_a_month_archive_queries_stay_bounded(client):
    many_briefings(3)

    assert_queries_bounded(client, "/briefings/2021/1/", lambda: many_briefings(30), most=6)


# People.


@pytest.fixture
def liang() -> Person:
    """Liang Wenhua: a director at the MIIT briefing (2022), a vice minister at two later
    ones, printed once in capitals."""
    load(miit_briefing())
    for held_on, title in [
        (dt.date(2023, 8, 17), "vice minister"),
        (dt.date(2024, 1, 19), "Vice  Minister"),
    ]:
        parsed = briefing(
            f"SCIO briefing {held_on.year}",
            held_on,
            [
                chair("Xi Yanchun", "Welcome."),
                reporter("China Daily", f"What comes in {held_on.year}?"),
                official(
                    "Liang Wenhua",
                    f"By the end of {held_on.year}, we will open 30 new service centres.",
                    title=title,
                ),
            ],
            organizer="SCIO",
        )
        parsed.participants = [
            ParsedParticipant("Liang Wenhua", title, "Ministry of Industry and IT")
        ]
        load(parsed)
    return Person.objects.get(slug="liang-wenhua")


def test_the_person_page_shows_each_title_with_the_dates_it_was_used(client, liang):
    document = get_page(client, liang.get_absolute_url())

    assert texts(document, "//h1") == ["Liang Wenhua"]
    assert texts(document, "//ul[@class='titles-list']/li") == [
        "Vice Minister, Ministry of Industry and IT"
        " at 2 briefings, from 17 Aug 2023 to 19 Jan 2024",
        "director of the department, Ministry of Industry at 1 briefing, 28 Feb 2022",
    ]
    first, last = document.xpath("//ul[@class='titles-list']/li[1]//a/@href")
    assert first == Conference.objects.get(held_on=dt.date(2023, 8, 17)).get_absolute_url()
    assert last == Conference.objects.get(held_on=dt.date(2024, 1, 19)).get_absolute_url()


def test_the_person_page_lists_the_briefings_attended_newest_first(client, liang):
    document = get_page(client, liang.get_absolute_url())

    section = document.xpath("//section[@aria-labelledby='briefings-heading']")[0]
    assert texts(section, ".//li/a") == [
        "SCIO briefing 2024",
        "SCIO briefing 2023",
        "SCIO press conference on industry and ICTs",
    ]
    assert (
        section.xpath(".//li/a/@href")[0]
        == Conference.objects.get(title="SCIO briefing 2024").get_absolute_url()
    )


def test_a_person_at_many_briefings_links_to_all_of_them_on_the_list(client):
    many_briefings(12)

    document = get_page(client, "/people/jen-psaki/")
    listed = get_page(client, "/briefings/", person="jen-psaki")

    section = document.xpath("//section[@aria-labelledby='briefings-heading']")[0]
    assert len(section.xpath(".//ul/li")) == 10
    assert section.xpath(".//p/a/@href") == ["/briefings/?person=jen-psaki"]
    assert texts(section, ".//p/a") == ["All 12 briefings Jen Psaki attended"]
    assert len(listed.xpath("//ul[@class='briefing-list']/li")) == 12


def test_the_person_page_pages_the_answers_each_linking_its_exchange_with_first_words(client):
    conference = many_answers(30)

    first = get_page(client, "/people/jen-psaki/")
    second = get_page(client, "/people/jen-psaki/", page="2")

    answers = first.xpath("//ol[@class='turn-list']/li")
    assert len(answers) == 25
    quote = " ".join(answers[0].xpath(".//blockquote")[0].text_content().split())
    assert quote.startswith("Answer number 1. More words here.")
    assert quote.endswith("…")
    assert len(quote.split()) == 30
    assert answers[0].xpath(".//p[@class='meta']/a/@href") == [f"/briefings/{conference.slug}/1/"]
    assert len(second.xpath("//ol[@class='turn-list']/li")) == 5
    assert second.xpath("//ol[@class='turn-list']/@start") == ["26"]
    assert second.xpath("//nav[@class='pages']//a/@href")[0] == "/people/jen-psaki/"


def test_the_person_page_links_their_commitments_on_the_commitments_page(client, liang):
    shown = Commitment.objects.shown().filter(turn__person=liang)
    assert shown.count() >= 3

    document = get_page(client, liang.get_absolute_url())
    commitments = get_page(client, "/commitments/", speaker="liang-wenhua")

    section = document.xpath("//section[@aria-labelledby='commitments-heading']")[0]
    assert section.xpath(".//a/@href") == ["/commitments/?speaker=liang-wenhua"]
    assert texts(section, ".//a") == [f"{shown.count()} commitments made by Liang Wenhua"]
    assert len(commitments.find_class("commitment-row")) == shown.count()


def test_a_person_with_no_commitments_gets_no_link_to_an_empty_list(client, three_months):
    document = get_page(client, "/people/xi-yanchun/")

    section = document.xpath("//section[@aria-labelledby='commitments-heading']")[0]
    assert not section.xpath(".//a")
    assert "No commitments found" in section.text_content()


@pytest.mark.parametrize("slug", ["nobody", "x" * 10_000, "jen%20psaki"])
def test_an_unknown_person_is_the_sites_404_page(client, three_months, slug):
    response = client.get(f"/people/{slug}/")

    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


def test_the_person_json_has_the_pages_data_with_absolute_urls(client, liang):
    data = get_json(client, liang.get_absolute_url())

    assert data["name"] == "Liang Wenhua"
    assert data["url"] == "http://testserver/people/liang-wenhua/"
    assert [title["title"] for title in data["titles"]] == [
        "Vice Minister",  # as printed at the latest briefing
        "director of the department",
    ]
    assert data["titles"][0]["briefings"] == 2
    assert data["titles"][0]["first"]["held_on"] == "2023-08-17"
    assert data["titles"][0]["last"]["url"].startswith("http://testserver/briefings/")
    assert data["briefing_total"] == 3
    assert data["briefings_url"] == "http://testserver/briefings/?person=liang-wenhua"
    assert data["commitments_url"] == "http://testserver/commitments/?speaker=liang-wenhua"
    answers = data["answers"]
    assert answers["total"] == 4
    newest = Conference.objects.get(title="SCIO briefing 2024")
    assert answers["results"][0]["url"].startswith(f"http://testserver{newest.get_absolute_url()}")
    assert answers["results"][0]["opening"] == (
        "By the end of 2024, we will open 30 new service centres."
    )
    assert answers["results"][0]["speaker_url"] == "http://testserver/people/liang-wenhua/"


def test_the_people_index_is_alphabetical_with_counts(client, three_months):
    Person.objects.create(name="adam lowercase", slug="adam-lowercase")

    document = get_page(client, "/people/")
    data = get_json(client, "/people/")

    rows = document.xpath("//table[@class='directory-table']/tbody/tr")
    names = [row.xpath("th/a/text()")[0] for row in rows]
    assert names == ["adam lowercase", "Jen Psaki", "Liang Wenhua", "Tian Yulong", "Xi Yanchun"]
    psaki = rows[1]
    assert psaki.xpath("th/a/@href") == ["/people/jen-psaki/"]
    assert psaki.xpath("td/text()") == ["3", "3"]  # briefings, answers
    assert [row["name"] for row in data["results"]] == names
    assert data["results"][1] == {
        "name": "Jen Psaki",
        "url": "http://testserver/people/jen-psaki/",
        "briefings": 3,
        "answers": 3,
    }


def test_the_people_index_counts_the_briefings_a_reporter_was_heard_at(client):
    # A named reporter is never listed as a participant; the index said 0 briefings where
    # their page said 1 (found in a browser check).
    load_conference(
        briefing(
            "Press Briefing",
            dt.date(2024, 5, 1),
            [
                ParsedTurn(
                    speaker_label="Anne Flaherty",
                    role="question",
                    text="Why?",
                    speaker_name="Anne Flaherty",
                    outlet="ABC News",
                ),
                official("Jen Psaki", "Because."),
            ],
        ),
        [source_file("flaherty.md", "flaherty")],
    )

    data = get_json(client, "/people/")

    flaherty = next(row for row in data["results"] if row["name"] == "Anne Flaherty")
    assert (flaherty["briefings"], flaherty["answers"]) == (1, 0)


def test_the_person_page_queries_stay_bounded(client, three_months):
    def grow() -> None:
        many_answers(30)
        for number in range(30):
            answer = official("Jen Psaki", "An answer.", title=f"Title {number % 4}")
            held_on = dt.date(2022, 1, 3) + dt.timedelta(weeks=number)
            dated(f"Titled {number}", held_on, turns=[reporter("CNN", "Why?"), answer])

    # The person, the briefings they were listed at, their titles, the briefings' dates
    # (900 a query: one here), the latest briefings, answers per briefing, a page of
    # answers, the turns of their exchanges (does the page open with one that passes the
    # floor?), their commitments.
    assert_queries_bounded(client, "/people/jen-psaki/", grow, most=9)
    page = get_page(client, "/people/jen-psaki/")
    assert len(page.xpath("//ul[@class='titles-list']/li")) == 4
    assert len(page.xpath("//ol[@class='turn-list']/li")) == 25


def test_the_people_index_queries_stay_bounded(client, three_months):
    def more_people() -> None:
        for number in range(30):
            dated(
                f"Call {number}",
                dt.date(2022, 6, 1),
                turns=[official(f"Official {number}", "Yes.")],
            )

    assert_queries_bounded(client, "/people/", more_people, most=4)


# Outlets.


def test_the_outlet_page_groups_its_questions_by_briefing_newest_first(client, three_months):
    dated(
        "March briefing",
        dt.date(2021, 3, 3),
        turns=[
            reporter("CNN", "First question in March?"),
            official("Jen Psaki", "Yes."),
            reporter("CNN", "Second question in March?"),
            official("Jen Psaki", "No."),
        ],
    )

    document = get_page(client, "/outlets/cnn/")

    assert texts(document, "//h1") == ["CNN"]
    groups = document.xpath("//section[@class='briefing-group']")
    assert [" ".join(group.xpath("h3/a")[0].text_content().split()) for group in groups] == [
        "March briefing",
        "February gaggle",
        "January briefing",
        "Undated call",
    ]
    assert texts(groups[0], ".//blockquote") == [
        "First question in March?",
        "Second question in March?",
    ]
    march = Conference.objects.get(title="March briefing")
    assert groups[0].xpath(".//li//a/@href") == [
        f"/briefings/{march.slug}/1/",
        f"/briefings/{march.slug}/2/",
    ]
    assert "5 questions at 4 briefings" in texts(document, "//p[@class='meta']")[0]


def test_the_outlet_page_pages_its_questions(client):
    many_answers(30)

    first = get_page(client, "/outlets/cnn/")
    last = get_page(client, "/outlets/cnn/", page="7")

    assert len(first.xpath("//ul[@class='turn-list']/li")) == 25
    assert len(last.xpath("//ul[@class='turn-list']/li")) == 5
    assert last.xpath("//nav[@class='pages']//span[@aria-current='page']/text()") == ["2"]


def test_a_government_bodys_page_links_the_briefings_it_organized(client, three_months):
    white_house = Organization.objects.get(slug="the-white-house")

    document = get_page(client, white_house.get_absolute_url())

    assert document.xpath("//main//a[text()='3 briefings organized by The White House']/@href") == [
        "/briefings/?organizer=the-white-house"
    ]
    assert "No question in the archive names The White House" in document.text_content()


def test_the_outlets_index_lists_organizations_whose_reporters_asked_with_counts(
    client, three_months
):
    document = get_page(client, "/outlets/")

    rows = document.xpath("//table[@class='directory-table']/tbody/tr")
    assert [
        [" ".join(cell.text_content().split()) for cell in row.xpath("th|td")] for row in rows
    ] == [
        ["China Daily", "1", "1"],
        ["CNN", "3", "3"],
        ["Science and Technology Daily", "1", "1"],
    ]
    assert rows[1].xpath("th/a/@href") == ["/outlets/cnn/"]
    assert "The White House" not in document.text_content().split("Outlets", 2)[-1]


def test_the_outlet_json_has_the_pages_questions_with_absolute_urls(client, three_months):
    data = get_json(client, "/outlets/china-daily/")
    index = get_json(client, "/outlets/")

    assert data["name"] == "China Daily"
    assert data["url"] == "http://testserver/outlets/china-daily/"
    assert data["feed_url"] == "http://testserver/outlets/china-daily/feed.atom"
    (question,) = data["questions"]["results"]
    assert question["opening"] == "How many 5G factories are planned?"
    exchange = three_months["scio"].exchanges.get(turns__text__startswith="How many 5G")
    assert question["url"] == f"http://testserver{exchange.get_absolute_url()}"
    assert question["role"] == "question"
    assert index["results"][0] == {
        "name": "China Daily",
        "url": "http://testserver/outlets/china-daily/",
        "questions": 1,
        "briefings": 1,
    }


def test_the_outlet_pages_queries_stay_bounded(client, three_months):
    def grow() -> None:
        many_answers(30)
        many_briefings(30)

    assert_queries_bounded(client, "/outlets/cnn/", grow, most=5)


def test_the_outlets_index_queries_stay_bounded(client, three_months):
    def more_outlets() -> None:
        turns = [reporter(f"Outlet {n}", f"Question {n}?") for n in range(30)]
        dated("Many outlets", dt.date(2022, 6, 1), turns=turns)

    assert_queries_bounded(client, "/outlets/", more_outlets, most=3)


@pytest.mark.parametrize("slug", ["nobody", "y" * 10_000])
def test_an_unknown_outlet_is_the_sites_404_page(client, slug):
    response = client.get(f"/outlets/{slug}/")

    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


# Every page: title, description, feed link, the site's navigation.


@pytest.mark.parametrize(
    ("url", "title", "feed"),
    [
        ("/briefings/", "Briefings · Briefing Archive", "/briefings/feed.atom"),
        ("/briefings/2021/", "Briefings in 2021 · Briefing Archive", "/briefings/feed.atom"),
        (
            "/briefings/2021/2/",
            "Briefings in February 2021 · Briefing Archive",
            "/briefings/feed.atom",
        ),
        ("/people/", "People · Briefing Archive", None),
        ("/people/jen-psaki/", "Jen Psaki · Briefing Archive", "/people/jen-psaki/feed.atom"),
        ("/outlets/", "Outlets · Briefing Archive", None),
        ("/outlets/cnn/", "CNN · Briefing Archive", "/outlets/cnn/feed.atom"),
    ],
)
def test_each_page_has_its_title_description_and_feed_link(client, three_months, url, title, feed):
    response = client.get(url)
    document = lxml_html.fromstring(response.content.decode())

    assert document.xpath("//title/text()") == [title]
    (description,) = document.xpath("//meta[@name='description']/@content")
    assert description != "A searchable archive of government press briefings."
    assert len(description) > 40
    alternates = document.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']/@href")
    assert alternates == ([feed] if feed else [])
    # Usable without JavaScript or anything from elsewhere: no scripts, no inline styles.
    content = response.content.decode()
    assert "<script" not in content
    assert "style=" not in content
    assert not document.xpath("//*[starts-with(@src, 'http') or starts-with(@href, '//')]")


@pytest.mark.parametrize(
    ("url", "current"),
    [("/briefings/", "Briefings"), ("/people/", "People"), ("/outlets/", "Outlets")],
)
def test_the_site_nav_links_the_directory_and_marks_the_current_page(client, url, current):
    document = get_page(client, url)

    nav = document.xpath("//header//nav[@class='site-nav']")[0]
    assert nav.xpath("a/@href") == ["/briefings/", "/people/", "/outlets/", "/commitments/"]
    assert nav.xpath("a[@aria-current='page']/text()") == [current]


def test_people_and_organizations_know_their_pages(three_months):
    assert Person.objects.get(name="Jen Psaki").get_absolute_url() == "/people/jen-psaki/"
    assert Organization.objects.get(name="CNN").get_absolute_url() == "/outlets/cnn/"


# On the real corpus.


@pytest.mark.corpus
def test_the_pages_serve_real_white_house_briefings_in_bounded_queries(client, corpus: Path):
    files = sorted((corpus / "wh-briefings").rglob("*.md"))[:40]
    report = ingest_paths([str(path) for path in files[:5]])
    assert not [outcome for outcome in report.outcomes if outcome.status == "failed"]

    def busiest_person_url() -> str:
        person = max(Person.objects.all(), key=lambda person: person.turns.count())
        return person.get_absolute_url()

    urls = ["/briefings/", "/people/", "/outlets/", busiest_person_url()]
    before = {url: count_queries(client, url) for url in urls}
    ingest_paths([str(path) for path in files[5:]])
    after = {url: count_queries(client, url) for url in urls}

    assert before == after
    assert Conference.objects.count() >= 35
    data = get_json(client, busiest_person_url())
    assert data["answers"]["total"] > 25
    assert len(data["answers"]["results"]) == 25
    assert all(
        answer["url"].startswith("http://testserver/briefings/")
        for answer in data["answers"]["results"]
    )
