"""Paging, the same on every paged page: a page number read one way (past the end the
last page, 0 the first, not a whole number a 404) and one pager with the gaps elided."""

from __future__ import annotations

import pytest
from django.http import Http404

from briefings.ingest.load import load_conference
from briefings.paging import PAST_THE_END, page_number, pager
from tests.conftest import miit_briefing, source_file

PAGED = [
    "/",
    "/briefings/",
    "/briefings/2022/",
    "/people/",
    "/people/tian-yulong/",
    "/outlets/",
    "/outlets/china-daily/",
    "/commitments/",
    "/search/?q=guidelines",
]


@pytest.fixture
def miit(db: None) -> None:
    load_conference(miit_briefing(), [source_file()])


def test_it_reads_a_page_number_one_way() -> None:
    assert page_number(None) == page_number("") == page_number("0") == 1
    assert page_number(" 3 ") == 3
    assert page_number("9" * 5000) == PAST_THE_END
    for wrong in ["abc", "-1", "1.5", "²", "1e3"]:
        with pytest.raises(Http404):
            page_number(wrong)


def test_it_elides_the_pages_far_from_the_current_one() -> None:
    items = pager(10, 20, lambda number: f"?page={number}")

    labels = [item.label for item in items]
    assert labels == [
        "Previous", "1", "2", "…", "7", "8", "9", "10", "11", "12", "13", "…", "19", "20", "Next",
    ]  # fmt: skip
    assert [item.label for item in items if item.current] == ["10"]
    assert [item.link for item in items if item.label == "…"] == ["", ""]
    assert (items[0].link, items[-1].link) == ("?page=9", "?page=11")
    assert pager(1, 1, str) == []


@pytest.mark.usefixtures("search_index", "miit")
@pytest.mark.parametrize("address", PAGED)
def test_every_paged_page_answers_a_bad_page_number_the_same_way(client, address):
    joiner = "&" if "?" in address else "?"

    def status(number: str) -> int:
        return client.get(f"{address}{joiner}page={number}").status_code

    assert status("abc") == status("-1") == 404
    assert status("0") == status("99999") == status("9" * 5000) == 200


@pytest.mark.usefixtures("search_index", "miit")
def test_the_404_for_a_bad_page_number_says_why_and_keeps_the_search(client, settings):
    settings.DEBUG = False  # the site's own 404 page, as served

    response = client.get("/search/", {"q": "guidelines", "sort": "newest", "page": "abc"})

    assert response.status_code == 404
    page = response.content.decode()
    assert "“abc” is not a page number" in page
    assert 'href="/search/?q=guidelines&amp;sort=newest">The first page</a>' in page
    assert 'name="q" value="guidelines"' in page


@pytest.mark.usefixtures("search_index", "miit")
def test_a_404_without_a_known_reason_keeps_the_general_words(client, settings):
    settings.DEBUG = False

    page = client.get("/briefings/no-such-briefing/").content.decode()

    assert "is not in the archive" in page
    assert "not a page number" not in page
