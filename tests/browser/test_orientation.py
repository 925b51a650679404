"""Pages that orient (issue 16), in headless Chromium on the demo archive: the dark
colours a reader's system asks for, with the text readable on them; the trail from a
briefing back to the archive; the people directory sorted and filtered from its form."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = pytest.mark.browser

CONTRAST = """
(element) => {
  const rgb = (text) => text.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const channel = (c) => {
    c /= 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = ([r, g, b]) =>
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const style = getComputedStyle(element);
  const fore = luminance(rgb(style.color));
  const back = luminance(rgb(getComputedStyle(document.body).backgroundColor));
  return (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_pages_follow_the_readers_colour_scheme_and_stay_readable(
    new_context: Callable[..., BrowserContext], screenshot: Callable, scheme: str
) -> None:
    page = new_context(color_scheme=scheme).new_page()
    page.goto("/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    dark = background == "rgb(18, 19, 22)"
    assert dark == (scheme == "dark"), background

    for url in ("/", "/people/", "/briefings/"):
        page.goto(url)
        for selector in ("h1", "main p.meta", "main a"):
            element = page.locator(selector).first
            assert element.evaluate(CONTRAST) >= 4.5, (url, selector, scheme)
    page.locator("ul.briefing-list a").first.click()
    screenshot(page, f"briefing-{scheme}")


def test_a_briefings_trail_leads_back_to_its_year(page: Page) -> None:
    page.goto("/briefings/")
    page.locator("ul.briefing-list a").first.click()
    trail = page.get_by_role("navigation", name="Breadcrumb")
    expect(trail.locator("[aria-current=page]")).to_be_visible()

    trail.get_by_role("link").nth(1).click()

    expect(page).to_have_url(re.compile(r"/briefings/\d{4}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Briefings in \d{4}"))


def test_the_people_directory_sorts_and_filters_from_its_form(page: Page) -> None:
    page.goto("/people/")
    page.get_by_label("Order").select_option("activity")
    page.get_by_role("button", name="Show").click()

    expect(page).to_have_url(re.compile(r"sort=activity"))
    expect(page.locator("tbody tr th").first).to_have_text("Jen Psaki")

    page.get_by_label("Name contains").fill("sullivan")
    page.get_by_role("button", name="Show").click()

    names = page.locator("tbody tr th")
    expect(names).to_have_count(1)
    expect(names.first).to_have_text("Jake Sullivan")
