"""Pages that orient (issue 16): a briefing and an exchange say where they sit in the
archive (Briefings > year > month > briefing > exchange), on real White House briefings
read by the real ingest."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from briefings.ingest.load import load_conference
from briefings.ingest.run import ingest_paths
from briefings.models import Conference
from tests.conftest import briefing, official, reporter, source_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_index")]

DEMO = Path(__file__).resolve().parent.parent / "demo"


def crumbs(client, url: str) -> list[tuple[str, str | None, bool]]:
    response = client.get(url)
    assert response.status_code == 200
    document = lxml_html.fromstring(response.content.decode())
    (nav,) = document.xpath("//main//nav[@aria-label='Breadcrumb']")
    return [
        (
            " ".join(item.text_content().split()),
            (item.xpath("./a/@href") or [None])[0],
            item.get("aria-current") == "page",
        )
        for item in nav.xpath(".//li")
    ]


@pytest.fixture
def white_house() -> Conference:
    path = next((DEMO).rglob("2021-02-01*.md"))
    report = ingest_paths([str(path)])
    assert report.ok
    return Conference.objects.get()


def test_a_briefing_says_where_it_sits_in_the_archive(client, white_house):
    title = white_house.title

    found = crumbs(client, white_house.get_absolute_url())

    assert found == [
        ("Briefings", "/briefings/", False),
        ("2021", "/briefings/2021/", False),
        ("February", "/briefings/2021/2/", False),
        (title, None, True),
    ]
    for _label, link, _current in found[:-1]:
        assert client.get(link).status_code == 200


def test_an_exchange_adds_itself_after_its_briefing(client, white_house):
    exchange = white_house.exchanges.order_by("position")[3]

    found = crumbs(client, exchange.get_absolute_url())

    assert [label for label, _, _ in found[:3]] == ["Briefings", "2021", "February"]
    assert found[3] == (white_house.title, white_house.get_absolute_url(), False)
    assert found[4] == (f"{exchange.get_kind_display()} #{exchange.position}", None, True)


def test_an_undated_briefing_says_so_in_its_trail(client):
    parsed = briefing(
        "Press Gaggle", None, [reporter("CNN", "When?"), official("Jen Psaki", "Soon.")]
    )
    conference = load_conference(parsed, [source_file("gaggle.md", "gaggle")]).conference

    found = crumbs(client, conference.get_absolute_url())

    assert found == [
        ("Briefings", "/briefings/", False),
        ("Undated", None, False),
        ("Press Gaggle", None, True),
    ]
