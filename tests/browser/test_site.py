"""A reader's and an editor's paths through the real site, in headless Chromium.

The server is the demo archive (tests/browser/conftest.py). "tariffs" is said in the
2021-10-30 call on steel and aluminum tariffs and in the 2024 Beijing press conference;
"Lancang" is in no demo transcript, only in the MFA briefing the editor uploads.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

if TYPE_CHECKING:
    from .conftest import LiveSite

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parent.parent / "data"
DEMO_WORD = "tariffs"
# A result links to its exchange with the search in the query string (the way back).
EXCHANGE_PATH = re.compile(r"/briefings/[\w-]+/\d+/(\?[^#]*)?$")
CITATION_STYLES = ["cite-plain", "cite-apa", "cite-chicago", "cite-bibtex"]
UPLOADED = DATA / "mfa_2018-09-14_q_and_a.txt"
UPLOADED_TITLE = (
    "Foreign Ministry Spokesperson Tang Jiayi's Regular Press Conference on September 14, 2018"
)
PHONE = {
    "viewport": {"width": 375, "height": 812},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def search_from_header(page: Page, words: str) -> None:
    box = page.get_by_role("searchbox", name="Search the briefings")
    box.fill(words)
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))


def open_first_result(page: Page, words: str) -> None:
    page.goto("/")
    search_from_header(page, words)
    page.locator("li.hit h3 a").first.click()
    expect(page).to_have_url(EXCHANGE_PATH)


def assert_fits_width(page: Page, width: int) -> None:
    """No horizontal scrolling: nothing is wider than the screen."""
    sizes = page.evaluate(
        "() => ({scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth})"
    )
    if sizes["scroll"] <= width and sizes["inner"] == width:
        return
    too_wide = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > width + 0.5)
            .slice(0, 8)
            .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}` +
                        `${e.className ? '.' + String(e.className).replace(/ /g, '.') : ''}` +
                        ` right=${Math.round(e.getBoundingClientRect().right)}`)""",
        width,
    )
    pytest.fail(
        f"{page.url} scrolls sideways at {width} px: scrollWidth {sizes['scroll']}, "
        f"innerWidth {sizes['inner']}; too wide: {too_wide}"
    )


def assert_on_screen(locator: Locator, width: int) -> None:
    bounds = locator.bounding_box()
    assert bounds is not None, f"{locator} is not displayed"
    assert bounds["x"] >= 0, f"{locator} starts off-screen, at x={bounds['x']}"
    assert bounds["y"] >= 0, f"{locator} starts off-screen, at y={bounds['y']}"
    assert bounds["x"] + bounds["width"] <= width, f"{locator} runs past the right edge"


def clipboard_text(page: Page) -> str:
    return page.evaluate("() => navigator.clipboard.readText()")


def test_it_lists_the_briefings_on_the_home_page(page: Page, screenshot: Callable) -> None:
    page.goto("/")

    expect(page).to_have_title(re.compile("Briefing Archive"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Government press briefings, searchable"
    )
    briefings = page.locator("ul.briefing-list > li")
    expect(briefings.first).to_be_visible()
    assert briefings.count() >= 9, "the nine demo briefings are not all listed"
    screenshot(page, "home")


def test_it_finds_a_word_from_the_header_search_box_and_marks_it(
    page: Page, screenshot: Callable
) -> None:
    page.goto("/")

    search_from_header(page, DEMO_WORD)

    expect(page.locator("#results-heading")).to_have_text(re.compile(r"^\d+ results?$"))
    first_hit = page.locator("li.hit").first
    expect(first_hit.locator(".snippet mark").first).to_have_text(re.compile("tariff", re.I))
    expect(page.locator("form.search-form").get_by_role("searchbox")).to_have_value(DEMO_WORD)
    screenshot(page, "search-results")


def test_it_opens_an_exchange_from_a_result_and_its_briefing(
    page: Page, screenshot: Callable
) -> None:
    page.goto("/")
    search_from_header(page, DEMO_WORD)
    result = page.locator("li.hit h3 a").first
    title = result.inner_text()
    position = re.search(r"#(\d+)", page.locator("li.hit p.meta").first.inner_text()).group(1)

    result.click()

    expect(page).to_have_url(EXCHANGE_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(rf"#{position}$"))
    expect(page.locator("main")).to_contain_text(re.compile("tariff", re.I))
    screenshot(page, "exchange")

    page.locator("main p.meta a").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    screenshot(page, "briefing")


def test_it_lists_commitments_from_the_header_link(page: Page, screenshot: Callable) -> None:
    page.goto("/")

    page.get_by_role("navigation", name="Site").get_by_role("link", name="Commitments").click()

    expect(page).to_have_url(re.compile(r"/commitments/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Commitments")
    expect(page.get_by_role("link", name="Commitments")).to_have_attribute("aria-current", "page")
    screenshot(page, "commitments")


def test_it_copies_each_citation_of_an_exchange(
    new_context: Callable[..., BrowserContext], site: LiveSite
) -> None:
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    page = context.new_page()
    open_first_result(page, DEMO_WORD)
    expect(page.locator("section#cite")).to_be_visible()

    # Arrived at from a result, the address carries the search; a citation never does.
    address = page.url.split("?")[0]
    for style in CITATION_STYLES:
        citation = page.locator(f"pre#{style}").inner_text().strip()
        assert address in citation, f"#{style} does not give the exchange's address"
        assert "?q=" not in citation
        button = page.locator(f'button.copy-button[data-copy-target="{style}"]')
        button.click()
        expect(button).to_have_text("Copied")

        deadline = time.monotonic() + 5
        while clipboard_text(page).strip() != citation and time.monotonic() < deadline:
            time.sleep(0.1)
        assert clipboard_text(page).strip() == citation, f"the {style} button copied otherwise"


def test_it_lands_on_the_same_exchange_from_its_permalink(
    new_context: Callable[..., BrowserContext],
) -> None:
    context = new_context()
    page = context.new_page()
    open_first_result(page, DEMO_WORD)
    heading = page.get_by_role("heading", level=1).inner_text()
    permalink = page.locator("p", has_text="Permalink:").get_by_role("link").first
    url = permalink.get_attribute("href")
    assert url == permalink.inner_text().strip(), "the permalink shows another URL than it links"
    assert page.locator('link[rel="canonical"]').get_attribute("href") == url

    other = context.new_page()
    other.goto(url)

    assert other.url == page.url.split("?")[0]  # without the search it was arrived at from
    expect(other.get_by_role("heading", level=1)).to_have_text(heading)


def test_it_saves_an_uploaded_transcript_and_finds_it_within_seconds(
    page: Page, site: LiveSite, screenshot: Callable
) -> None:
    page.goto(site.admin_url)
    page.get_by_label("Username").fill(site.username)
    page.get_by_label("Password").fill(site.password)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{site.admin_url}briefings/conference/")
    page.get_by_role("link", name="Upload transcripts").click()

    page.locator('input[type="file"][name="files"]').set_input_files(UPLOADED)
    page.get_by_role("button", name="Read and preview").click()

    expect(page.get_by_role("heading", name=UPLOADED_TITLE)).to_be_visible()
    preview = page.locator("#document-1")
    expect(preview.locator(".preview-status")).to_have_text(re.compile("^New"))
    expect(preview).to_contain_text("Tang Jiayi, spokesperson of the Ministry of Foreign Affairs")
    expect(preview.locator(".preview-exchange")).to_have_count(4)
    screenshot(page, "admin-upload-preview")

    page.get_by_role("button", name="Save to the archive").click()

    expect(page.locator("ul.messagelist")).to_contain_text(re.compile(r"\bcreated\b", re.I))
    # The index writer beside gunicorn picks the new exchanges up; allow it 15 s.
    deadline = time.monotonic() + 15
    while True:
        page.goto("/search/?q=Lancang")
        if page.locator("li.hit").count() or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    hit = page.locator("li.hit").first
    expect(hit.locator("h3")).to_contain_text(UPLOADED_TITLE)
    expect(hit.locator(".snippet mark")).to_have_text("Lancang")


def test_it_fits_a_phone_screen_with_a_usable_search_box(
    new_context: Callable[..., BrowserContext], screenshot: Callable
) -> None:
    page = new_context(**PHONE).new_page()
    page.goto("/")

    assert_fits_width(page, 375)
    box = page.get_by_role("searchbox", name="Search the briefings")
    expect(box).to_be_visible()
    assert_on_screen(box, 375)
    width = box.bounding_box()["width"]
    assert width >= 120, f"the search box is only {width} px wide"
    screenshot(page, "phone-home")

    box.tap()
    box.fill(DEMO_WORD)
    box.press("Enter")
    expect(page.locator("#results-heading")).to_have_text(re.compile(r"^\d+ results?$"))
    assert_fits_width(page, 375)
    screenshot(page, "phone-search-results")

    page.locator("li.hit h3 a").first.tap()
    expect(page).to_have_url(EXCHANGE_PATH)
    assert_fits_width(page, 375)
    screenshot(page, "phone-exchange")


def test_it_offers_the_skip_link_at_the_first_tab_and_skips_to_main(page: Page) -> None:
    page.goto("/")

    page.keyboard.press("Tab")

    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Skip to content")
    assert_on_screen(skip, 1280)

    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile("#content$"))
    # Focus itself, or at least the next Tab, must now be in main, past the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null"), (
        "the Tab after the skip link went to "
        + page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
    )


def test_the_archive_download_is_written_beside_the_server(site: LiveSite) -> None:
    """gunicorn.conf.py runs `archive_file --watch`: the download exists within seconds
    of the start and holds every demo briefing."""
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"{site.url}/export/archive.jsonl", timeout=5) as answer:
                body = answer.read().decode("utf-8")
                break
        except urllib.error.HTTPError as error:
            if error.code != 503 or time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    briefings = [json.loads(line) for line in body.splitlines()]
    assert len(briefings) >= 9
    assert {briefing["schema"] for briefing in briefings} == {"briefing-archive/1"}
