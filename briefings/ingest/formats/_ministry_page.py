"""The Ministry of Foreign Affairs' own pages, read by their structure: the headline, the
date line and the article body of a transcript page (none of the site's menus, breadcrumb,
share tools, appendix or related-news boxes or footer), and the list pages that link to
transcripts, refused as lists.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import lxml.html

from ..html import drop_unseen, element_text, looks_like_html, parse_html_document
from ..records import (
    ParseError,
)
from ._printed import (
    find_date,
    make_date,
    parse_date,
)

_PICTURE_STAMP = re.compile(r"\bW0(20\d\d)(\d\d)(\d\d)\d*\.(?:jpe?g|png|gif)$", re.I)


_GLUED_DAY = re.compile(r"\b([A-Z][a-z]{2,8})(\d{1,2}\b)")


# Marks a page paragraph with its source line; private-use characters no page prints.
_LINE_MARK = re.compile("\ue000(\\d+)\ue001")


@dataclass
class MinistryPage:
    """What a Ministry page says: its headline, its date line and its article body."""

    title: str
    date_line: str
    lines: list[str]
    line_numbers: list[int]
    # The dates in the names of the article's pictures ("W020180910....jpg").
    picture_dates: list[dt.date]


def _article(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The article of a page in the Ministry's layout: a `content_mod` block holding the
    headline (`h2.title`) and the body (`div.content`)."""
    for block in root.find_class("content_mod"):
        if block.find_class("title") and block.find_class("content"):
            return block
    return None


def read_page(text: str) -> MinistryPage | None:
    """The headline, date line and article body of a Ministry page; None for another page."""
    root = parse_html_document(text)
    article = _article(root)
    if article is None:
        return None
    drop_unseen(article)
    [headline, *_] = article.find_class("title")
    title = " ".join(headline.text_content().split()) or " ".join(
        (root.findtext(".//title") or "").split()
    )
    dates = article.find_class("date")
    date_line = " ".join(dates[0].text_content().split()) if dates else ""
    [body, *_] = article.find_class("content")
    # Each block of the body carries its source line into the text, so that a warning
    # names the line of the page.
    for element in body.iter():
        if isinstance(element.tag, str) and element is not body and element.sourceline:
            element.text = f"\ue000{element.sourceline}\ue001{element.text or ''}"
    lines: list[str] = []
    numbers: list[int] = []
    current = body.sourceline or 0
    for line in element_text(body).split("\n"):
        marks = _LINE_MARK.findall(line)
        if marks:
            current = int(marks[0])
        line = " ".join(_LINE_MARK.sub("", line).split())
        if line or (lines and lines[-1]):
            lines.append(line)
            numbers.append(current)
    stamps = (_PICTURE_STAMP.search(image.get("src", "")) for image in body.iter("img"))
    picture_dates = [
        found
        for stamp in stamps
        if stamp and (found := make_date(int(stamp[1]), int(stamp[2]), int(stamp[3])))
    ]
    return MinistryPage(title, date_line, lines, numbers, picture_dates)


def page_date(page: MinistryPage) -> dt.date | None:
    """The date line's date, else the headline's. A headline printed without a year
    ("... on September 10") takes it from the pictures of the same month and day, and one
    printed "June11, 2018" is read as "June 11, 2018"."""
    headline = _GLUED_DAY.sub(r"\1 \2", page.title)
    held_on = parse_date(page.date_line) or parse_date(headline)
    found = find_date(headline)
    if held_on is None and found is not None:
        _year, month, day = found
        held_on = next(
            (date for date in page.picture_dates if (date.month, date.day) == (month, day)), None
        )
    return held_on


def _list_page_links(text: str) -> int:
    """How many transcripts a Ministry list page links to; 0 for any other page."""
    if not looks_like_html(text):
        return 0
    try:
        root = parse_html_document(text)
    except ParseError:
        return 0
    if _article(root) is not None:
        return 0
    links = [
        anchor
        for block in root.find_class("newsLst_mod")
        for anchor in block.iter("a")
        if re.search(r"\bt\d+\.s?html?$", anchor.get("href", ""))
        and "spokesperson" in anchor.text_content().lower()
    ]
    return len(links)


def not_a_transcript(text: str) -> str | None:
    """The refusal for one of the Ministry's list pages, which link to transcripts."""
    count = _list_page_links(text)
    if not count:
        return None
    return (
        f"this is a list of transcripts (the Ministry of Foreign Affairs' list page, linking "
        f"to {count}), not a transcript: ingest the transcript pages it links to"
    )
