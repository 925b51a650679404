"""The trends page in headless Chromium with script turned off, on screen and as printed.

The demo archive spans 2021 to 2024; "vaccine" is said in the 2021 briefings, "China" in
the 2024 Beijing press conference and elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = pytest.mark.browser


def test_it_charts_a_search_from_the_results_without_script_and_in_print(
    new_context: Callable[..., BrowserContext], screenshot: Callable
) -> None:
    page: Page = new_context(java_script_enabled=False).new_page()
    page.goto("/search/?q=vaccine")

    page.get_by_role("link", name="This search by month").click()

    expect(page).to_have_url(re.compile(r"/search/trends/\?q=vaccine$"))
    expect(page.get_by_role("searchbox", name="Search 1")).to_have_value("vaccine")
    page.get_by_role("searchbox", name="Search 2").fill("China")
    page.get_by_role("button", name="Chart").click()

    chart = page.locator("figure.trend-chart svg[role=img]")
    expect(chart).to_be_visible()
    expect(page.locator("g.series")).to_have_count(2)
    expect(page.locator("table.trend-table")).to_be_visible()
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] > 600, f"the chart is {box['width']} px wide"
    screenshot(page, "trends")

    page.emulate_media(media="print")
    expect(chart).to_be_visible()
    expect(page.locator("form.trends-form")).to_be_hidden()
    expect(page.locator("table.trend-table")).to_be_visible()
    # In print every line is black: they differ by their dashes and point shapes.
    strokes = page.locator("g.series polyline").evaluate_all(
        "lines => lines.map(line => [getComputedStyle(line).stroke,"
        " line.getAttribute('stroke-dasharray')])"
    )
    assert {stroke for stroke, _ in strokes} == {"rgb(0, 0, 0)"}
    assert len({dash for _, dash in strokes}) == 2
    screenshot(page, "trends-print")
