"""The sitemap index, its sections and robots.txt, through the test client."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from http import HTTPStatus
from pathlib import Path

import pytest
from django.contrib.sites.requests import RequestSite
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings

from briefings import sitemaps
from briefings.ingest.load import load_conference
from briefings.models import Conference, Exchange, Person
from briefings.sitemaps import ExchangeSitemap
from tests.conftest import miit_briefing, source_file

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path) -> Path:
    settings.DATA_DIR = tmp_path  # the written sitemaps, one set per test
    return tmp_path


def xml(client: object, address: str) -> ET.Element:
    """The sitemap at `address` once the archive file's writer has written the sitemaps,
    as `manage.py archive_file --watch` does within a minute of a change."""
    sitemaps.write_files()
    response = client.get(address)
    assert response.status_code == HTTPStatus.OK, address
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.getvalue())  # a file, streamed


def locations(root: ET.Element) -> list[str]:
    return [element.text for element in root.findall(".//s:loc", NS)]


@pytest.fixture
def miit() -> Conference:
    return load_conference(miit_briefing(), [source_file()]).conference


def test_the_index_names_every_section_with_its_newest_date(client, miit):
    root = xml(client, "/sitemap.xml")

    assert locations(root) == [
        "http://testserver/sitemap-briefings.xml",
        "http://testserver/sitemap-exchanges.xml",
        "http://testserver/sitemap-people.xml",
        "http://testserver/sitemap-outlets.xml",
    ]
    dates = [element.text for element in root.findall(".//s:lastmod", NS)]
    assert dates[:2] == [miit.updated_at.isoformat()] * 2


def test_the_sections_list_every_briefing_exchange_person_and_outlet(client, miit):
    briefings = locations(xml(client, "/sitemap-briefings.xml"))
    exchanges = locations(xml(client, "/sitemap-exchanges.xml"))
    people = locations(xml(client, "/sitemap-people.xml"))
    outlets = locations(xml(client, "/sitemap-outlets.xml"))

    assert briefings == [f"http://testserver{miit.get_absolute_url()}"]
    assert exchanges == [
        f"http://testserver{exchange.get_absolute_url()}" for exchange in miit.exchanges.all()
    ]
    assert sorted(people) == sorted(
        f"http://testserver{person.get_absolute_url()}" for person in Person.objects.all()
    )
    assert "http://testserver/outlets/china-daily/" in outlets
    # The organizer and both outlets; the officials' ministries have nothing on their page.
    assert len(outlets) == 3
    for address in [*briefings, *exchanges[:2], people[0], outlets[0]]:
        assert client.get(address.removeprefix("http://testserver")).status_code == HTTPStatus.OK


def test_a_renamed_briefing_is_listed_at_its_new_address_only(client, miit):
    miit.slug = "renamed"
    miit.save()

    assert locations(xml(client, "/sitemap-briefings.xml")) == [
        "http://testserver/briefings/renamed/"
    ]


def test_exchanges_are_split_into_pages_read_one_page_at_a_time(client, miit):
    Exchange.objects.bulk_create(
        Exchange(conference=miit, position=position, kind=Exchange.Kind.QA)
        for position in range(6, ExchangeSitemap.limit + 11)
    )
    total = miit.exchanges.count()

    index = locations(xml(client, "/sitemap.xml"))
    first = locations(xml(client, "/sitemap-exchanges.xml?p=1"))
    second = locations(xml(client, "/sitemap-exchanges.xml?p=2"))
    site = RequestSite(RequestFactory().get("/"))
    with CaptureQueriesContext(connection) as queries:
        ExchangeSitemap().get_urls(page=2, site=site, protocol="http")

    assert "http://testserver/sitemap-exchanges.xml?p=2" in index
    assert len(first) == ExchangeSitemap.limit
    assert len(first) + len(second) == total
    assert second[-1].endswith(f"/{total}/")
    reads = [
        query["sql"] for query in queries.captured_queries if "briefings_exchange" in query["sql"]
    ]
    rows = [sql for sql in reads if "COUNT(" not in sql]
    assert len(rows) == 1
    assert int(re.search(r"LIMIT (\d+)", rows[0])[1]) <= ExchangeSitemap.limit
    assert client.get("/sitemap-exchanges.xml?p=3").status_code == HTTPStatus.NOT_FOUND


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_search_and_exports(client):
    response = client.get("/robots.txt")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for path in [
        "/admin/",
        "/search/",
        "/commitments/export.csv",
        "/commitments/export.json",
        "/export/archive.jsonl",
    ]:
        assert f"Disallow: {path}" in lines


@override_settings(ADMIN_URL="back-office-7f3a/")
def test_robots_txt_does_not_publish_an_admin_moved_to_a_private_address(client):
    text = client.get("/robots.txt").content.decode()

    assert "back-office" not in text
    assert "admin" not in text


def test_the_archive_file_command_writes_the_sitemaps_and_a_request_reads_no_table(client, miit):
    assert client.get("/sitemap.xml").status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert client.get("/sitemap.xml")["Retry-After"]

    output = io.StringIO()
    call_command("archive_file", stdout=output)
    written = sitemaps.current_files()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sitemap-briefings.xml")

    assert "Wrote the sitemaps (" in output.getvalue()
    assert response.status_code == HTTPStatus.OK
    assert locations(ET.fromstring(response.getvalue())) == [
        f"http://testserver{miit.get_absolute_url()}"
    ]
    assert queries.captured_queries == []
    assert sitemaps.write_files() is None  # up to date
    assert sitemaps.current_files() == written


def test_a_set_is_served_until_the_next_is_written_whole(client, miit):
    before = locations(xml(client, "/sitemap-briefings.xml"))
    miit.slug = "renamed"
    miit.save()

    stale = client.get("/sitemap-briefings.xml")
    fresh = locations(xml(client, "/sitemap-briefings.xml"))

    assert locations(ET.fromstring(stale.getvalue())) == before
    assert fresh == ["http://testserver/briefings/renamed/"]


def test_each_host_and_scheme_gets_its_own_addresses_from_the_one_written_set(client, miit):
    path = miit.get_absolute_url()

    plain = locations(xml(client, "/sitemap-briefings.xml"))
    other = client.get("/sitemap-briefings.xml", HTTP_HOST="localhost", secure=True)
    again = locations(xml(client, "/sitemap-briefings.xml"))

    assert plain == again == [f"http://testserver{path}"]
    assert locations(ET.fromstring(other.getvalue())) == [f"https://localhost{path}"]
    assert other["ETag"] != client.get("/sitemap-briefings.xml")["ETag"]
    assert "Content-Disposition" not in other


@pytest.mark.parametrize("page", ["²", "9" * 5000, "1.5"])
def test_a_sitemap_page_that_is_not_a_page_number_is_a_404_not_an_error(client, miit, page):
    sitemaps.write_files()

    response = client.get("/sitemap-briefings.xml", {"p": page})

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_before_the_first_writing_a_sitemap_says_when_to_ask_again(client, miit):
    for address in ("/sitemap.xml", "/sitemap-briefings.xml"):
        response = client.get(address)

        assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
        assert response["Retry-After"] == "60"
        assert response.content.decode().startswith("The sitemap is being written.")

    sitemaps.write_files()
    assert client.get("/sitemap.xml").status_code == HTTPStatus.OK


def test_sitemaps_that_cannot_be_written_do_not_hold_back_the_archive_file(miit, data_dir):
    from briefings import archive_file

    (data_dir / "sitemaps").write_text("a file where the sitemaps' folder should be")

    with pytest.raises(FileExistsError):
        call_command("archive_file", stdout=io.StringIO())

    written = archive_file.current()
    assert written is not None
    assert written.briefings == 1
