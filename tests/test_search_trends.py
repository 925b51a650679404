"""The trends page (search/trends.py, search/chart.py): hits per month as a share of the
month's exchanges, for up to three searches, on a real Whoosh index in a temporary folder
built from real White House briefings (February, March and May 2021: April is a gap)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import haystack
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models.functions import TruncMonth
from django.test import override_settings
from lxml import html as lxml_html

from briefings.ingest.run import ingest_paths
from briefings.models import Exchange
from search import indexing
from search.chart import lay_out_chart, nice_ceiling
from search.whoosh import bulk
from search.whoosh.open_index import close_searchers
from tests.conftest import CORPUS

pytestmark = pytest.mark.corpus

WH_FILES = [
    "2021-02/2021-02-01-press-briefing-by-press-secretary-jen-psaki-february-1-2021.md",
    "2021-03/2021-03-01-press-briefing-by-white-house-covid-19-response-team-and-public-health-"
    "officials-9.md",
    "2021-03/2021-03-02-press-briefing-by-press-secretary-jen-psaki-march-2-2021.md",
    "2021-05/2021-05-04-press-briefing-by-press-secretary-jen-psaki-may-4-2021.md",
]


@pytest.fixture(scope="module")
def indexed(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[None]:
    """The briefings ingested and indexed once for the module (an ingest takes seconds),
    on an index of its own; every row is flushed at the end."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    folder = tmp_path_factory.mktemp("trends") / "whoosh_index"
    connection = {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": str(folder)}
    with override_settings(HAYSTACK_CONNECTIONS={"default": connection}):
        haystack.connections.reload("default")
        close_searchers()
        with django_db_blocker.unblock():
            try:
                briefings = CORPUS / "wh-briefings" / "press-briefings"
                report = ingest_paths([str(briefings / name) for name in WH_FILES])
                assert not [item for item in report.outcomes if item.status == "failed"]
                indexing.drain()
                yield
            finally:
                call_command("flush", interactive=False, verbosity=0)
        close_searchers()
    haystack.connections.reload("default")


@pytest.fixture
def archive(indexed: None, db: None) -> None:
    """Each test inside a transaction over the module's rows, rolled back after it."""


def trends_json(client: object, **params: object) -> dict:
    response = client.get("/search/trends/", {**params, "format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def search_total(client: object, **params: str) -> int:
    response = client.get("/search/", {**params, "format": "json"})
    return json.loads(response.content)["total"]


def trends_page(client: object, **params: object) -> lxml_html.HtmlElement:
    response = client.get("/search/trends/", params)
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def messages(document: lxml_html.HtmlElement) -> list[str]:
    return [item.text_content() for item in document.xpath("//ul[@class='messages']/li")]


def exchanges_by_month() -> dict[str, int]:
    """The database's own count of exchanges per month of their briefing."""
    counted = {}
    rows = (
        Exchange.objects.annotate(month=TruncMonth("conference__held_on"))
        .values_list("month", flat=True)
        .order_by()
    )
    for month in rows:
        key = f"{month:%Y-%m}"
        counted[key] = counted.get(key, 0) + 1
    return counted


def test_it_counts_hits_per_month_as_a_share_of_all_the_months_exchanges(client, archive):
    # The index is what the database holds: the shares' denominators are its counts.
    data = trends_json(client, q=["vaccine", '"supply chain"'])

    assert data["queries"] == ["vaccine", '"supply chain"']
    months = {row["month"]: row for row in data["months"]}
    # Every month from the first to the last, April too, which has no briefing here.
    assert list(months) == ["2021-02", "2021-03", "2021-04", "2021-05"]
    database = exchanges_by_month()
    for month, row in months.items():
        assert row["exchanges"] == {"every exchange": database.get(month, 0)}
        for place, q in enumerate(["vaccine", '"supply chain"']):
            hits = row["hits"][place]
            # The search page, asked for the same month, finds as many.
            assert hits == search_total(client, q=q, **{"from": month, "to": month})
            expected = round(100 * hits / database[month], 3) if month in database else None
            assert row["shares"][place] == expected
    assert months["2021-03"]["hits"][0] > 0
    assert months["2021-04"]["shares"] == [None, None]


def test_the_chart_draws_the_numbers_of_the_table(client, archive):
    document = trends_page(client, q=["vaccine", "economy", "mask"])

    table = document.xpath("//table[@class='trend-table']")[0]
    headings = [cell.text_content() for cell in table.xpath("thead/tr/th")]
    assert headings[:2] == ["Month", "exchanges"]
    rows = {
        row.xpath("th")[0].text_content(): [cell.text_content() for cell in row.xpath("td")]
        for row in table.xpath("tbody/tr")
    }
    svg = document.xpath("//figure[@class='trend-chart']/svg")[0]
    ticks = [
        (float(label.get("y")), float(label.text_content().rstrip("%")))
        for label in svg.xpath(".//text[@class='y-label']")
    ]
    (y_zero, zero), (y_top, top) = ticks[0], ticks[-1]
    assert zero == 0
    assert top > 0
    series = svg.xpath(".//g[contains(@class, 'series')]")
    assert [group.get("data-query") for group in series] == ["vaccine", "economy", "mask"]
    drawn = 0
    for place, group in enumerate(series):
        for point in group.xpath("*[@class='point']"):
            month, share = point.get("data-month"), float(point.get("data-share"))
            exchanges, hits, shown = (
                rows[month][0],
                rows[month][1 + 2 * place],
                rows[month][2 + 2 * place],
            )
            assert float(shown) == share
            assert f"({hits} of {exchanges} exchanges)" in point.xpath("title")[0].text_content()
            y = float(point.get("cy") or 0) if point.tag == "circle" else None
            if y is not None:  # a circle's centre stands at its share on the axis
                assert y == pytest.approx(y_zero + (y_top - y_zero) * share / top, abs=0.11)
            drawn += 1
        # April has no exchanges: no point; the line joins March and May.
        assert not group.xpath("*[@data-month='2021-04']")
        assert len(group.xpath("polyline")[0].get("points").split()) == 3
    assert drawn == 3 * 3
    # Lines differ by more than colour: a dash pattern and a point shape each.
    dashes = [group.xpath("polyline")[0].get("stroke-dasharray") for group in series]
    assert len(set(dashes)) == 3
    markers = [group.xpath("*[@class='point']")[0] for group in series]
    assert markers[0].tag == "circle"
    assert markers[1].get("d").count("h") == 2  # a square
    assert markers[2].get("d").count("L") == 2  # a triangle
    assert "solid line, circles" in document.xpath("//ul[@class='legend']")[0].text_content()


def test_the_csv_holds_the_numbers_of_the_table(client, archive):
    data = trends_json(client, q=["vaccine", "mask"])
    response = client.get("/search/trends.csv", {"q": ["vaccine", "mask"]})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "month",
        "exchanges",
        "vaccine: hits",
        "vaccine: share %",
        "mask: hits",
        "mask: share %",
    ]
    for row, month in zip(rows[1:], data["months"], strict=True):
        assert row[0] == month["month"]
        assert int(row[1]) == month["exchanges"]["every exchange"]
        assert [int(row[2]), int(row[4])] == month["hits"]
        assert [float(cell) if cell else None for cell in (row[3], row[5])] == month["shares"]
    assert urlsplit(data["csv"]).path == "/search/trends.csv"


def test_the_filters_apply_to_every_search_and_to_the_exchanges_shared(client, archive):
    data = trends_json(client, q=["vaccine", "economy"], speaker="psaki", **{"from": "2021-03"})

    label = "speaker:psaki from:2021-03-01"
    assert [line["exchanges"] for line in data["lines"]] == [label, label]
    assert [row["month"] for row in data["months"]] == ["2021-03", "2021-04", "2021-05"]
    for row in data["months"]:
        month = {"from": row["month"], "to": row["month"]}
        # The share is of the exchanges Jen Psaki spoke in, in that month ...
        assert row["exchanges"] == {label: search_total(client, speaker="psaki", **month)}
        # ... and so are the hits.
        for place, q in enumerate(["vaccine", "economy"]):
            assert row["hits"][place] == search_total(client, q=q, speaker="psaki", **month)
    everyone = {row["month"]: row for row in trends_json(client, q=["vaccine"])["months"]}
    # March 1 was the COVID-19 response team's briefing, without her.
    assert (
        data["months"][0]["exchanges"][label] < everyone["2021-03"]["exchanges"]["every exchange"]
    )
    document = trends_page(client, q="vaccine", speaker="psaki")
    assert "speaker:psaki" in document.xpath("//p[@class='share-of']")[0].text_content()


def test_a_filter_typed_in_one_search_shares_that_search_out_of_its_own_exchanges(client, archive):
    data = trends_json(client, q=["vaccine speaker:psaki", "vaccine"])

    assert [line["exchanges"] for line in data["lines"]] == ["speaker:psaki", "every exchange"]
    february = data["months"][0]
    assert set(february["exchanges"]) == {"speaker:psaki", "every exchange"}
    psaki = february["exchanges"]["speaker:psaki"]
    assert february["shares"][0] == round(100 * february["hits"][0] / psaki, 3)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "Every search box was empty"),
        ({"q": ["", " "]}, "Every search box was empty"),
        (
            {"q": ["vaccine", "mask", "economy", "china"]},
            "At most 3 searches; left out: “china”.",
        ),
        ({"q": "vaccine " + "x" * 10_000}, "Your search was cut to its first 200 characters."),
        ({"q": "vaccine", "from": "2021-02-30"}, "from: “2021-02-30” is not a date"),
        ({"q": "vaccine", "to": "soon"}, "to: “soon” is not a date"),
        ({"q": "the"}, "“the” has no words to look for"),
        ({"q": "vaccine", "speaker": "nobody-at-all"}, "No speaker matches “nobody-at-all”."),
    ],
)
def test_bad_input_gets_a_message_never_an_error(client, archive, params, message):
    document = trends_page(client, **params)

    assert any(message in text for text in messages(document))
    assert trends_json(client, **params)["messages"] == messages(document)


def test_a_common_phrase_is_counted_exactly_not_from_a_sample(client, archive, monkeypatch):
    exact = trends_json(client, q='"white house"')
    # The search page samples a phrase with more candidates than this (3,000 on its own).
    monkeypatch.setattr(bulk, "CHECK_ALL", 2)
    monkeypatch.setattr(bulk, "SAMPLE", 2)
    monkeypatch.setattr(bulk, "FEW", 0)

    counted = trends_json(client, q='"white house"')

    searched = json.loads(client.get("/search/", {"q": '"white house"', "format": "json"}).content)
    assert searched["total_is_estimate"] is True  # the search page's count is a sample's
    assert counted == exact
    assert counted["lines"][0]["counts_are_estimates"] is False


def test_searches_out_of_time_are_not_drawn_as_zeros(client, archive, settings):
    settings.SEARCH_TIME_LIMIT = -1  # spent before it starts

    document = trends_page(client, q=["vaccine", "mask"])

    assert messages(document) == [
        "“vaccine” was not counted: the page ran out of time.",
        "“mask” was not counted: the page ran out of time.",
    ]
    assert not document.xpath("//figure[@class='trend-chart']")


def test_a_long_query_is_cut_in_the_page_and_its_links(client, archive):
    document = trends_page(client, q=["vaccine " + "x" * 10_000, "mask"])

    assert len(document.get_element_by_id("trend-q-1").get("value")) == 200
    csv_link = document.xpath("//p[contains(@class, 'downloads')]/a")[0].get("href")
    assert [len(q) for q in parse_qs(urlsplit(csv_link).query)["q"]] == [200, 4]


def test_another_format_is_refused_with_a_400(client, archive):
    response = client.get("/search/trends/", {"q": "vaccine", "format": "xml"})

    assert response.status_code == 400


def test_the_search_page_links_to_the_trends_of_its_search(client, archive):
    response = client.get("/search/", {"q": "vaccine", "speaker": "psaki", "sort": "newest"})
    document = lxml_html.fromstring(response.content.decode())

    link = document.xpath("//p[contains(@class, 'trends-link')]/a")[0].get("href")
    assert urlsplit(link).path == "/search/trends/"
    assert parse_qs(urlsplit(link).query) == {"q": ["vaccine"], "speaker": ["psaki"]}
    followed = trends_page(client, **parse_qs(urlsplit(link).query))
    assert followed.get_element_by_id("trend-q-1").get("value") == "vaccine"
    # A chosen speaker rides along as a hidden input (the text box is for one more).
    assert followed.xpath('//input[@name="speaker"][@type="hidden"]/@value') == ["psaki"]


def test_the_page_works_without_script_and_has_a_print_stylesheet(client, archive):
    response = client.get("/search/trends/", {"q": "vaccine"})
    document = lxml_html.fromstring(response.content.decode())

    assert not document.xpath("//main//script")
    assert document.xpath("//figure[@class='trend-chart']/svg[@role='img']")
    stylesheet = Path(__file__).resolve().parent.parent / "static" / "css" / "trends.css"
    assert "@media print" in stylesheet.read_text()
    assert document.xpath("//link[@rel='stylesheet' and contains(@href, 'trends.css')]")


def test_it_costs_a_fixed_number_of_queries(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get("/search/trends/", {"q": ["vaccine", "mask", "economy"], "speaker": "psaki"})


# The chart's layout alone.


def test_a_month_without_exchanges_has_no_point_and_the_line_joins_its_neighbours():
    chart = lay_out_chart(
        ["2021-01", "2021-02", "2021-03", "2021-04"],
        [("a", [1.0, None, 2.0, 3.0])],
        titles=[["", "", "", ""]],
    )

    assert chart.lines[0].polyline.split() == [
        f"{point.x},{point.y}" for point in chart.lines[0].points
    ]
    assert [point.month for point in chart.lines[0].points] == ["2021-01", "2021-03", "2021-04"]
    assert chart.top_share == 5


def test_the_scale_ends_at_a_round_share():
    assert [nice_ceiling(value) for value in (0, 0.3, 1, 1.2, 2.2, 4.9, 40.8, 100)] == [
        1,
        0.5,
        1,
        2,
        2.5,
        5,
        50,
        100,
    ]
