"""Result cards and the way back, in headless Chromium on the demo archive
(tests/browser/conftest.py): a results page, one exchange opened from it with the
searched words marked, and the link back to the same results."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

WORDS = "tariffs"  # in the demo's 2021-10-30 call and its 2024 Beijing press conference


def test_it_shows_cards_and_marks_the_words_on_the_exchange_it_opens_then_leads_back(
    page: Page, screenshot: Callable
) -> None:
    page.goto(f"/search/?q={WORDS}")
    results_url = page.url
    card = page.locator("li.hit").first

    expect(card.locator("time")).to_have_count(1)
    who = card.locator("p.card-answer .who, p.card-question .who")
    expect(who.first).not_to_have_text(re.compile(r"^Q\b"))
    expect(card.locator("mark").first).to_have_text(re.compile("tariff", re.I))
    screenshot(page, "search-cards")

    card.locator("h3 a").click()

    expect(page).to_have_url(re.compile(rf"/briefings/[\w-]+/\d+/\?q={WORDS}$"))
    marked = page.locator("main .turn .text mark.searched")
    expect(marked.first).to_have_text(re.compile("tariff", re.I))
    expect(marked.first).to_be_visible()
    screenshot(page, "exchange-from-search")

    page.get_by_role("link", name=re.compile("Back to the results")).click()

    expect(page).to_have_url(results_url)
    expect(page.locator("li.hit").first).to_be_visible()
