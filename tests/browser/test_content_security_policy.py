"""Every kind of page, public and admin, under the site's Content Security Policy in real
Chromium: a blocked inline script or style, or anything loaded from elsewhere, is a
console error, and the watched contexts (conftest.py) fail the test on any.

Pages that answer with an error status (a 404, the login lockout) are opened in a
context that records console errors only, since the watched ones count the status itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

if TYPE_CHECKING:
    from .conftest import LiveSite

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
UPLOADED = ROOT / "demo" / "scio" / "2023-08-17-scio-briefing-smes.txt"


def first_link(page: Page, address: str, selector: str) -> str:
    page.goto(address)
    return page.locator(selector).first.get_attribute("href")


def test_every_kind_of_public_page_runs_under_the_policy(page: Page, site: LiveSite) -> None:
    person = first_link(page, "/people/", "table.directory-table a")
    outlet = first_link(page, "/outlets/", "table.directory-table a")
    briefing = first_link(page, "/briefings/", "main a[href^='/briefings/'][href$='/']")
    addresses = [
        "/",
        "/briefings/",
        "/briefings/2022/",
        briefing,
        person,
        "/people/",
        outlet,
        "/outlets/",
        "/commitments/",
        "/commitments/?due=overdue&sort=newest",
        "/search/?q=tariffs",
        "/search/?q=tariffs&sort=newest",
        "/search/?q=" + "tariffs+" * 600,  # cut to 200 characters, with a message
    ]
    for address in addresses:
        response = page.goto(address)
        assert response.status == 200, address
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy, address
        assert "unsafe-inline" not in policy, address
    expect(page.locator("main")).to_contain_text("cut to its first 200 characters")


def log_in(page: Page, site: LiveSite) -> None:
    page.goto(site.admin_url)
    page.get_by_label("Username").fill(site.username)
    page.get_by_label("Password").fill(site.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()


def test_every_kind_of_admin_page_runs_under_the_policy(
    page: Page, site: LiveSite, screenshot: Callable
) -> None:
    log_in(page, site)
    admin = site.admin_url
    lists = sorted(
        {
            href
            for href in page.locator("#content-main table a").evaluate_all(
                "(links) => links.map((a) => a.getAttribute('href'))"
            )
            if re.fullmatch(re.escape(admin) + r"[a-z_]+/[a-z_]+/", href)
        }
    )
    assert f"{admin}briefings/conference/" in lists
    assert f"{admin}axes/accessattempt/" in lists

    for changelist in lists:
        page.goto(changelist)
        expect(page.locator("#changelist, #content-main").first).to_be_visible()
        rows = page.locator("#result_list tbody th a")
        if rows.count():
            rows.first.click()
            expect(page.locator("#content-main form")).to_be_visible()
        add = page.locator(f"a.addlink[href='{changelist}add/']")
        if changelist.endswith(("/user/", "/group/")) and add.count():
            page.goto(f"{changelist}add/")

    # A briefing's edit page: date widgets, autocompletes and inlines, each opened.
    page.goto(f"{admin}briefings/conference/")
    page.locator("#result_list tbody th a").first.click()
    page.locator("a.date-shortcuts a, .datetimeshortcuts a").first.click()
    page.locator(".select2-selection").first.click()
    expect(page.locator(".select2-results")).to_be_visible()
    page.keyboard.press("Escape")
    screenshot(page, "admin-conference-change")

    # Upload: the form, a preview, then cancel (nothing saved).
    page.goto(f"{admin}briefings/conference/upload/")
    page.locator('input[type="file"][name="files"]').set_input_files(UPLOADED)
    page.get_by_role("button", name="Read and preview").click()
    expect(page.locator("#document-1 .preview-status")).to_be_visible()
    assert page.locator("#document-1 .preview-status").evaluate(
        "(e) => getComputedStyle(e).fontWeight"
    ) in {"700", "bold"}, "the preview's stylesheet did not apply"
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator("ul.messagelist")).to_contain_text("nothing was saved")

    # Merge: the confirmation page of the action (not applied).
    page.goto(f"{admin}briefings/person/")
    boxes = page.locator("#result_list input.action-select")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.locator("select[name='action']").select_option("merge_people")
    page.locator("#changelist-form button[name='index']").first.click()
    expect(page.get_by_role("heading", name="Merge people")).to_be_visible()
    screenshot(page, "admin-merge")

    page.goto(f"{admin}password_change/")
    expect(page.locator("#content-main form")).to_be_visible()


def console_errors_of(browser: Browser, site: LiveSite) -> tuple[BrowserContext, list[str]]:
    context = browser.new_context(base_url=site.url)
    errors: list[str] = []

    def on_console(message) -> None:
        # The page's own 404 or 429 status is logged too ("responded with a status of
        # 404"): expected here. A policy violation is any other error.
        if message.type == "error" and "status of 4" not in message.text:
            errors.append(f"{message.page.url}: {message.text}")

    context.on("console", on_console)
    return context, errors


def test_the_not_found_and_lockout_pages_run_under_the_policy(
    browser: Browser, site: LiveSite, screenshot: Callable
) -> None:
    context, errors = console_errors_of(browser, site)
    page = context.new_page()

    assert page.goto("/no-such-page/").status == 404
    expect(page.locator("main")).to_be_visible()

    for _ in range(5):
        page.goto(site.admin_url)
        page.get_by_label("Username").fill("no-such-editor")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Login locked")).to_be_visible()
    screenshot(page, "admin-locked-out")
    context.close()

    assert errors == []


def test_the_server_error_page_keeps_its_own_style_under_the_policy(
    browser: Browser, site: LiveSite
) -> None:
    """The 500 page cannot be had from a healthy server: its file is served at an address
    of the site with the policy the site sends, so Chromium judges its inline style."""
    context, errors = console_errors_of(browser, site)
    page = context.new_page()
    policy = page.goto("/").headers["content-security-policy"]
    body = re.sub(r"\{#.*?#\}", "", (ROOT / "templates" / "500.html").read_text())
    page.route(
        f"{site.url}/server-error-page",
        lambda route: route.fulfill(
            status=200,
            body=body,
            headers={"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": policy},
        ),
    )

    page.goto("/server-error-page")

    font = page.locator("body").evaluate("(e) => getComputedStyle(e).fontFamily")
    assert "Georgia" in font, "the error page's inline style was blocked"
    context.close()
    assert errors == []
