"""Citation and sharing (issue 16) in headless Chromium on the demo archive: what a shared
link's preview reads, and what an exchange prints."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def first_exchange(page: Page) -> None:
    page.goto("/briefings/")
    page.locator("ul.briefing-list a").first.click()
    page.locator("a[href$='/4/'], a[href*='/4/#']").first.click()


def test_a_shared_exchange_carries_its_preview_card(page: Page) -> None:
    first_exchange(page)
    title = page.locator("head meta[property='og:title']").get_attribute("content")
    url = page.locator("head meta[property='og:url']").get_attribute("content")

    assert title
    assert title[-4:].isdigit()  # it ends with the date's year
    assert url == page.url
    description = page.locator("head meta[property='og:description']").get_attribute("content")
    assert description.startswith("“")


def test_a_printed_exchange_keeps_its_words_citation_and_permalink_only(page: Page) -> None:
    first_exchange(page)
    page.emulate_media(media="print")

    expect(page.get_by_role("heading", name="Cite this")).to_be_visible()
    expect(page.locator("#cite pre").first).to_be_visible()
    expect(page.locator("p.permalink")).to_be_visible()
    expect(page.locator("p.source-link")).to_be_visible()
    expect(page.get_by_role("heading", name="More like this")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Exchanges")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_be_hidden()
    expect(page.locator(".site-header nav")).to_be_hidden()


def test_a_sentence_link_is_visible_and_points_the_address_at_its_sentence(page: Page) -> None:
    first_exchange(page)
    link = page.locator("a.sentence-link").first
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box is not None
    assert box["width"] > 0  # the ¶ the stylesheet draws

    link.click()

    anchor = link.get_attribute("href")
    assert page.url.endswith(anchor)
    expect(page.locator(anchor)).to_have_count(1)
