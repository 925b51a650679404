"""Wrong addresses and odd query strings, as a visitor sends them with DEBUG off: a friendly
404 with a way on (search box, links home), or the nearest sensible page; never a 500."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import override_settings
from lxml import html as lxml_html

from briefings.ingest.load import load_conference
from briefings.models import Conference
from search import indexing
from tests.conftest import miit_briefing, source_file

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("search_index"),
]

HUGE = "9" * 30  # past any database integer


@pytest.fixture
def miit() -> Conference:
    conference = load_conference(miit_briefing(), [source_file()]).conference
    indexing.drain()
    return conference


@pytest.fixture
def visitor(client):
    """The test client as the public gets the site: DEBUG off, errors as pages."""
    client.raise_request_exception = False
    with override_settings(DEBUG=False):
        yield client


def not_found_addresses(slug: str) -> list[str]:
    return [
        "/no-such-page/",
        "/briefings/no-such-briefing/",
        "/briefings/no-such-briefing/2/",
        f"/briefings/{slug}/99/",
        f"/briefings/{slug}/0/",
        f"/briefings/{slug}/{HUGE}/",
        f"/briefings/{slug}/{'9' * 5000}/",  # past Python's limit for int()
        f"/briefings/{slug}/sources/{HUGE}/",
        "/briefings/2023/13/",
        "/briefings/2023/0/",
        f"/briefings/{HUGE}/",
        f"/briefings/2023/{HUGE}/",
        "/people/no-such-person/",
        "/outlets/no-such-outlet/",
        "/people/no-such-person/feed.atom",
    ]


def test_a_wrong_slug_date_or_position_is_a_friendly_404(visitor, miit):
    for address in not_found_addresses(miit.slug):
        response = visitor.get(address)

        assert response.status_code == HTTPStatus.NOT_FOUND, address
        page = lxml_html.fromstring(response.content)
        assert page.xpath("//h1")[0].text_content() == "We could not find that page", address
        inside = page.xpath("//main")[0]
        assert inside.xpath(".//form[@role='search']//input[@name='q']"), address
        assert inside.xpath(".//a[@href='/']"), address


@pytest.mark.parametrize(
    "address",
    [
        "/?page=999",
        "/?page=abc",
        "/commitments/?page=999",
        "/commitments/?page=-1",
        "/commitments/?year=abc&due=whenever&status=lost",
        f"/commitments/?year={HUGE}",
        "/commitments/export.csv?year=abc",
        "/search/?q=vaccine&page=999",
        "/search/?q=vaccine&page=abc",
        "/search/?q=guidelines&from=2023-13-45&to=yesterday",
        f"/search/?q=guidelines&from={HUGE}",
        "/search/?q=" + "x" * 5000,
        "/briefings/?page=999",
        "/people/?page=999",
        "/outlets/?page=999",
    ],
)
def test_odd_query_strings_give_a_page_not_an_error(visitor, miit, address):
    response = visitor.get(address)

    assert response.status_code in {HTTPStatus.OK, HTTPStatus.NOT_FOUND}, address


def test_a_page_number_past_the_end_gives_the_last_page(visitor, miit):
    response = visitor.get("/commitments/?page=999")

    page = lxml_html.fromstring(response.content)
    assert response.status_code == HTTPStatus.OK
    assert page.xpath("//main//li[contains(@class, 'commitment-row')]")


def test_the_500_page_stands_alone_and_says_what_to_do():
    from django.template.loader import get_template

    text = get_template("500.html").render()

    page = lxml_html.fromstring(text)
    assert page.xpath("//h1")[0].text_content() == "Something went wrong on our side"
    assert page.xpath("//main//a[@href='/']")
    assert page.xpath("//main//form[@role='search']//input[@name='q']")
