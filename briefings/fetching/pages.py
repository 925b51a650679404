"""What a fetched page is, told by its links: a list of transcripts, or a transcript whose
pager links the other pages of its series.

A list page is mostly links: most of its text is the titles of pages under its own folder
(the Ministry's `default*.shtml` hold forty and little else), where a transcript page's
links ("Related News") are a small part of its text. The rule asks nothing of the
parsers, so a list page is known as one however well its neighbours parse.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from ..ingest.html import DROP_TAGS, parse_html_document

# A list page: at least this many links to pages under its folder, whose titles make up
# at least this share of the page's text.
LIST_MIN_LINKS = 5
LIST_MIN_SHARE = 0.4
TITLE_MIN_CHARS = 12  # shorter link texts are menus and pagers, not titles
_PAGE_SUFFIX = re.compile(r"_\d{1,3}$")


@dataclass(frozen=True)
class Link:
    url: str
    text: str


def page_links(html: str, base_url: str) -> list[Link]:
    """Every link of the page to an http(s) address, made absolute, fragment dropped, in
    page order (the first of repeats). Raises ParseError for a page lxml cannot read."""
    root = parse_html_document(html)
    for element in list(root.iter(*DROP_TAGS)):
        if element.getparent() is not None and element.tag != "nav":
            element.drop_tree()
    found: dict[str, Link] = {}
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        parts = urlsplit(urljoin(base_url, href))
        if parts.scheme not in {"http", "https"}:
            continue
        url = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))
        found.setdefault(url, Link(url, " ".join(anchor.text_content().split())))
    return list(found.values())


def page_text_length(html: str) -> int:
    root = parse_html_document(html)
    for element in list(root.iter(*DROP_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    body = root.find("body")
    return len(" ".join((body if body is not None else root).text_content().split()))


def listed_pages(html: str, url: str) -> list[Link] | None:
    """The pages a list page lists, in its order; None when the page is not a list."""
    links = [link for link in page_links(html, url) if _is_listed(link, url)]
    if len(links) < LIST_MIN_LINKS:
        return None
    titles = sum(len(link.text) for link in links)
    if titles < LIST_MIN_SHARE * max(page_text_length(html), 1):
        return None
    return links


def series_pages(html: str, url: str) -> list[str]:
    """The other pages of the page series `url` belongs to, from its pager links:
    content_123.htm, content_123_2.htm ... content_123_11.htm, in page order. A pager
    link's text is its page number, and its address the first page's with `_<number>`."""
    root, suffix = posixpath.splitext(urlsplit(url).path)
    firsts = {root, _PAGE_SUFFIX.sub("", root)}  # this page may be the first, or not
    pages = {}
    for link in page_links(html, url):
        other, other_suffix = posixpath.splitext(urlsplit(link.url).path)
        if not link.text.isdigit() or other_suffix != suffix or urlsplit(link.url).query:
            continue
        number = int(link.text)
        if any(
            other == f"{first}_{number}" or (number == 1 and other == first) for first in firsts
        ):
            pages[number] = link.url
    return [pages[number] for number in sorted(pages) if pages[number] != url]


def _is_listed(link: Link, url: str) -> bool:
    """A link to a page under the list page's folder, with a title; not to the list's own
    other pages (default_2.shtml beside default.shtml)."""
    here, there = urlsplit(url), urlsplit(link.url)
    if (here.hostname or "").lower() != (there.hostname or "").lower():
        return False
    folder = posixpath.dirname(here.path) + "/"
    if not there.path.startswith(folder) or there.path.endswith("/"):
        return False
    if _stem(link.url)[0] == _stem(url)[0]:
        return False
    return len(link.text) >= TITLE_MIN_CHARS


def _stem(url: str) -> tuple[str, str]:
    """(folder/name without its page number, extension): content_123_2.htm and
    content_123.htm share ("/x/content_123", ".htm")."""
    path = urlsplit(url).path
    root, suffix = posixpath.splitext(path)
    return _PAGE_SUFFIX.sub("", root), suffix
