"""An editor going through the commitment review queue from the keyboard, in headless
Chromium on the demo archive (tests/browser/conftest.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from .conftest import LiveSite

pytestmark = pytest.mark.browser

WAITING = re.compile(r"Review commitments \((\d+) waiting\)")


def log_in(page: Page, site: LiveSite) -> None:
    page.goto(site.admin_url)
    page.get_by_label("Username").fill(site.username)
    page.get_by_label("Password").fill(site.password)
    page.get_by_role("button", name="Log in").click()


def in_review(page: Page) -> str:
    return page.locator(".review-card dd").first.inner_text()


def test_an_editor_confirms_skips_goes_back_rejects_and_edits_from_the_keyboard(
    page: Page, site: LiveSite, screenshot: Callable
) -> None:
    log_in(page, site)
    link = page.get_by_role("link", name=WAITING)
    waiting = int(WAITING.search(link.inner_text()).group(1))
    assert waiting >= 4, "the demo archive has machine-found commitments to review"
    link.click()
    expect(page.locator("#review-answer mark")).to_have_text(in_review(page))
    screenshot(page, "admin-review")

    first = in_review(page)
    page.keyboard.press("c")
    expect(page.locator("ul.messagelist")).to_contain_text(f"Confirmed: “{first[:40]}")
    expect(page.locator("#waiting")).to_have_text(f"{waiting - 1} waiting")

    second = in_review(page)
    page.keyboard.press("n")
    expect(page.locator(".review-card dd").first).not_to_have_text(second)
    page.keyboard.press("k")
    expect(page.locator(".review-card dd").first).to_have_text(second)

    page.keyboard.press("r")
    expect(page.locator("ul.messagelist")).to_contain_text(f"Rejected: “{second[:40]}")
    expect(page.locator("#waiting")).to_have_text(f"{waiting - 2} waiting")

    third = in_review(page)
    page.keyboard.press("e")
    actor = page.get_by_label("Actor")
    expect(actor).to_be_focused()
    page.keyboard.press("c")  # typed into the field, not a decision
    expect(page.locator("#waiting")).to_have_text(f"{waiting - 2} waiting")
    actor.fill("The State Council")
    actor.press("Enter")
    expect(page.locator("ul.messagelist")).to_contain_text(f"Edited: “{third[:40]}")
    expect(page.locator("#waiting")).to_have_text(f"{waiting - 3} waiting")

    page.goto(site.admin_url)
    expect(page.get_by_role("link", name=WAITING)).to_have_text(
        f"Review commitments ({waiting - 3} waiting)"
    )
