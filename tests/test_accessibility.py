"""Every public page type, checked structurally for WCAG 2.1 AA basics: one h1, headings in
order, a label on every control, the landmarks and a working skip link, alt text, no inline
styles or scripts; and the colour pairs declared in site.css, checked for contrast."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import override_settings
from lxml import html as lxml_html

from briefings.ingest.load import load_conference
from briefings.models import Commitment, Organization, Person, Turn
from search import indexing
from tests.conftest import miit_briefing, source_file

SITE_CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "site.css"
UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


@pytest.fixture
def pages(client, search_index) -> dict[str, str]:
    """The HTML of each public page type, on a briefing with commitments, indexed."""
    conference = load_conference(miit_briefing(), [source_file()]).conference
    indexing.drain()
    assert Commitment.objects.exists()
    question = Turn.objects.filter(role=Turn.Role.QUESTION).first()
    addresses = {
        "home": "/",
        "briefing": conference.get_absolute_url(),
        "exchange": question.exchange.get_absolute_url(),
        "search": "/search/?q=guidelines",
        "commitments": "/commitments/",
        "briefing list": "/briefings/",
        "people": "/people/",
        "person": Person.objects.get(name="Liang Wenhua").get_absolute_url(),
        "outlets": "/outlets/",
        "outlet": Organization.objects.get(name="China Daily").get_absolute_url(),
    }
    rendered = {}
    for name, address in addresses.items():
        response = client.get(address)
        assert response.status_code == 200, address
        rendered[name] = response.content.decode()
    with override_settings(DEBUG=False):
        response = client.get("/briefings/no-such-briefing/")
    assert response.status_code == 404
    rendered["404"] = response.content.decode()
    return rendered


def problems(text: str) -> list[str]:
    """What a page gets wrong, as sentences; empty when nothing."""
    page = lxml_html.fromstring(text)
    found = []

    if len(page.xpath("//h1")) != 1:
        found.append(f"{len(page.xpath('//h1'))} h1 elements, not one")
    level = 0
    for heading in page.xpath("//h1|//h2|//h3|//h4|//h5|//h6"):
        this = int(heading.tag[1])
        if this > level + 1:
            found.append(f"<{heading.tag}> {heading.text_content().strip()!r} skips a level")
        level = this

    labelled_ids = set(page.xpath("//label/@for"))
    for control in page.xpath("//input|//select|//textarea"):
        if control.get("type", "text") in UNLABELLED_TYPES:
            continue
        if not (
            control.get("id") in labelled_ids
            or control.xpath("ancestor::label")
            or control.get("aria-label", "").strip()
            or control.get("aria-labelledby")
        ):
            found.append(f"<{control.tag} name={control.get('name')!r}> has no label")

    if len(page.xpath("//main")) != 1:
        found.append("not exactly one <main>")
    if not page.xpath("//body/header") or not page.xpath("//nav"):
        found.append("no page <header> or no <nav>")
    if not page.xpath("//body/footer"):
        found.append("no page <footer>")
    skip = page.xpath("//body/a[1][@class='skip-link']/@href")
    if not skip or not skip[0].startswith("#") or not page.xpath(f"//*[@id='{skip[0][1:]}']"):
        found.append("the first link is not a skip link to an element that exists")

    ids = page.xpath("//@id")
    found.extend(f"id {i!r} used twice" for i in sorted({i for i in ids if ids.count(i) > 1}))
    found.extend(
        f"<img src={img.get('src')!r}> has no alt" for img in page.xpath("//img[not(@alt)]")
    )
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in element.attrib:
            if attribute == "style" or attribute.startswith("on"):
                found.append(f"<{element.tag} {attribute}=...> inline")
    for script in page.xpath("//script[not(@src)]"):
        if script.get("type") != "application/ld+json":
            found.append("an inline <script>")
    return found


PAGE_TYPES = [
    "home",
    "briefing",
    "exchange",
    "search",
    "commitments",
    "briefing list",
    "people",
    "person",
    "outlets",
    "outlet",
    "404",
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_every_page_type_has_the_structure_assistive_technology_needs(pages, name):
    assert problems(pages[name]) == []


def test_the_checks_catch_what_they_are_for():
    broken = """<html><body><div>no skip link</div><main id="content">
      <h1>One</h1><h3>Skipped</h3><h1>Two</h1>
      <input name="q"><select name="kind"></select><label>Year <input name="year"></label>
      <img src="x.png"><p style="color: red" onclick="go()">hi</p><script>go()</script>
    </main></body></html>"""

    assert problems(broken) == [
        "2 h1 elements, not one",
        "<h3> 'Skipped' skips a level",
        "<input name='q'> has no label",
        "<select name='kind'> has no label",
        "no page <header> or no <nav>",
        "no page <footer>",
        "the first link is not a skip link to an element that exists",
        "<img src='x.png'> has no alt",
        "<p style=...> inline",
        "<p onclick=...> inline",
        "an inline <script>",
    ]


# Colour contrast, from the pairs site.css declares.


def relative_luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    red, green, blue = (
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    )
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(one: str, other: str) -> float:
    lighter, darker = sorted([relative_luminance(one), relative_luminance(other)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def declared_colours(css: str, scheme: str = "light") -> dict[str, str]:
    """The custom properties of the first :root rule (the screen's, not print's), or with
    scheme "dark" those of the prefers-color-scheme: dark rule laid over them."""
    root = re.search(r"^:root\s*\{(.*?)\}", css, re.S | re.M)[1]
    colours = dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{3,6})\b", root))
    if scheme == "dark":
        dark = re.search(r"prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{(.*?)\}", css, re.S)[1]
        colours.update(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{3,6})\b", dark))
    return colours


def declared_pairs(css: str) -> list[tuple[float, str, str]]:
    """(minimum ratio, foreground, background) from the "contrast N kind --a --b on --c"
    lines of site.css's opening comment."""
    pairs = []
    for minimum, foregrounds, backgrounds in re.findall(
        r"contrast ([\d.]+) \w+ ((?:--[\w-]+ )+)on((?: --[\w-]+)+)", css
    ):
        for foreground in foregrounds.split():
            pairs.extend((float(minimum), foreground, bg) for bg in backgrounds.split())
    return pairs


def test_the_stylesheet_test_helpers_agree_with_wcag():
    assert contrast_ratio("#000", "#fff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_declared_colour_pair_has_enough_contrast(scheme):
    css = SITE_CSS.read_text()
    colours = declared_colours(css, scheme)
    pairs = declared_pairs(css)

    assert len(pairs) > 40
    weak = [
        f"{fg} on {bg}: {contrast_ratio(colours[fg], colours[bg]):.2f} < {minimum}"
        for minimum, fg, bg in pairs
        if contrast_ratio(colours[fg], colours[bg]) < minimum
    ]
    assert weak == []


def test_every_text_colour_in_the_stylesheet_is_declared_or_readable():
    css = SITE_CSS.read_text()
    colours = declared_colours(css)
    pairs = declared_pairs(css)
    checked_text = {fg for minimum, fg, _bg in pairs if minimum >= 4.5}

    used = set(re.findall(r"var\((--[\w-]+)\)", css))
    assert used - colours.keys() - {"--page"} == set()  # no typo, no undeclared colour
    for name in re.findall(r"(?<![-\w])color:\s*var\((--[\w-]+)\)", css):
        assert name in checked_text, f"color: var({name}) is in no declared text pair"
    for literal in re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})\b", css):
        assert contrast_ratio(literal, colours["--paper"]) >= 4.5, literal


def test_the_dark_scheme_sets_every_colour_the_light_one_does():
    css = SITE_CSS.read_text()
    light = declared_colours(css)
    dark = re.search(r"prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{(.*?)\}", css, re.S)[1]

    assert set(re.findall(r"(--[\w-]+):", dark)) == set(light)
    assert "color-scheme: light dark" in css  # form controls and scrollbars follow
