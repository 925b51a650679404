"""Whole whitehouse.gov transcript pages, as saved from the browser (2017–2021 theme).

The page is mostly navigation, share widgets and footer. The transcript follows the
`<!-- The Content -->` comment: location, start time, one `<p>` per paragraph, `<p>END</p>`
and the end time, sometimes with the first two wrapped in `<div>`s. Those paragraphs
become lines and go through the same reader as the Markdown format
(`_whitehouse.build_conference`), so speaker labels, `Q`, notes and the closing END are
read one way for both.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import lxml.etree
import lxml.html

from ..html import looks_like_html, parse_html_document
from ..records import ParsedConference, ParseError
from ._whitehouse import build_conference, clean_title, date_from_text
from .protocol import Format

NAME = "wh-html"
VERSION = "3"

CONTENT_MARKER = "The Content"
_MARKER_COMMENT = re.compile(rf"<!--\s*{CONTENT_MARKER}\s*-->")
_TITLE_SUFFIX = re.compile(r"\s*\|\s*The White House\s*$")
_DATE_IN_TEXT = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2},\s+\d{4}"
)
_BLOCK_TAGS = {"p", "div", "section", "article", "blockquote", "li", "h1", "h2", "h3", "h4"}
_SKIP_TAGS = {"script", "style", "noscript", "nav", "aside", "form", "footer", "button", "svg"}


def sniff(text: str) -> bool:
    """A saved whitehouse.gov page with the theme's content marker."""
    return (
        looks_like_html(text)
        and "whitehouse.gov" in text[:200000]
        and bool(_MARKER_COMMENT.search(text))
    )


def parse(text: str) -> ParsedConference:
    root = parse_html_document(text)
    marker = next(
        (
            comment
            for comment in root.iter(lxml.etree.Comment)
            if (comment.text or "").strip() == CONTENT_MARKER
        ),
        None,
    )
    if marker is None:
        raise ParseError(
            f"no '<!-- {CONTENT_MARKER} -->' comment: not a saved whitehouse.gov transcript page"
        )
    lines: list[tuple[int, str]] = []
    for element in marker.itersiblings():
        _add_block(element, lines)
    warnings: list[str] = []
    title = _page_title(root)
    if not title:
        raise ParseError("the page has no <title>")
    published_on = _published_on(root, warnings)
    return build_conference(
        lines,
        title=title,
        held_on=published_on or date_from_text(_first_date(title)),
        published_on=published_on,
        source_url=_canonical_url(root),
        format_name=NAME,
        warnings=warnings,
    )


def _add_block(element: lxml.html.HtmlElement, lines: list[tuple[int, str]]) -> None:
    """Append a block's paragraphs as lines, each paragraph ending in a blank line.

    `<br>` splits a paragraph into lines ("April 24, 2020<br/>5:39 P.M. EDT"); a `<div>`'s
    own text and each of its block children are paragraphs of their own.
    """
    if not isinstance(element.tag, str) or element.tag in _SKIP_TAGS:
        return
    number = element.sourceline or 0
    if element.tag == "p" or not any(
        isinstance(child.tag, str) and child.tag in _BLOCK_TAGS for child in element
    ):
        lines.extend((number, line) for line in _inline_lines(element))
        lines.append((number, ""))
        return
    if element.text and element.text.strip():
        lines.extend([(number, element.text), (number, "")])
    for child in element:
        _add_block(child, lines)
        if child.tail and child.tail.strip():
            lines.extend([(child.sourceline or number, child.tail), (number, "")])


def _inline_lines(element: lxml.html.HtmlElement) -> list[str]:
    """The element's text, struck-out words included, split at `<br>`."""
    lines = [""]

    def walk(node: lxml.html.HtmlElement) -> None:
        if node.tag == "br":
            lines.append("")
        elif isinstance(node.tag, str) and node.tag not in _SKIP_TAGS and node.text:
            lines[-1] += node.text
        for child in node:
            walk(child)
            if child.tail:
                lines[-1] += child.tail

    walk(element)
    # The saved pages are pretty-printed: newlines and indents inside a paragraph are spaces.
    return [" ".join(line.split()) for line in lines]


def _page_title(root: lxml.html.HtmlElement) -> str:
    title = root.findtext(".//title") or ""
    return clean_title(_TITLE_SUFFIX.sub("", " ".join(title.split())))


def _meta(root: lxml.html.HtmlElement, key: str) -> str:
    for element in root.iter("meta"):
        if key in (element.get("property"), element.get("name")):
            return (element.get("content") or "").strip()
    return ""


def _canonical_url(root: lxml.html.HtmlElement) -> str:
    for element in root.iter("link"):
        if (element.get("rel") or "").lower() == "canonical" and element.get("href"):
            return element.get("href", "").strip()
    return _meta(root, "og:url")


def _published_on(root: lxml.html.HtmlElement, warnings: list[str]) -> dt.date | None:
    """The publication date, from the first of the places these pages have kept one."""
    iso = _meta(root, "article:published_time") or _json_ld_date(root)
    if iso:
        try:
            return dt.date.fromisoformat(iso[:10])
        except ValueError:
            warnings.append(f"published date {iso!r} is not a date; ignored")
    # The 2020 theme prints "Issued on: April 9, 2020" in a <time> element.
    for element in root.iter("time"):
        found = date_from_text(" ".join(element.text_content().split()))
        if found:
            return found
    return date_from_text(_first_date(_meta(root, "description")))


def _json_ld_date(root: lxml.html.HtmlElement) -> str:
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except (ValueError, RecursionError):  # broken, or nested past the recursion limit
            continue
        found = _find_key(data, "datePublished")
        if found:
            return found
    return ""


def _find_key(data: object, key: str) -> str:
    """The first string value of `key` anywhere in parsed JSON-LD (lists, "@graph"),
    searched depth first without recursion: JSON nests as deep as the parser allowed."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get(key), str):
                return item[key]
            item = list(item.values())
        if isinstance(item, list):
            stack.extend(reversed(item))
    return ""


def _first_date(text: str) -> str:
    match = _DATE_IN_TEXT.search(text)
    return match.group() if match else ""


FORMAT = Format(
    name=NAME,
    version=VERSION,
    sniff=sniff,
    parse=parse,
    reads_html=True,
)
