"""Saved HTML pages to text, with lxml (the stdlib parser is quadratic on hostile input).

Block elements become line breaks, paragraphs become blank-line separated, scripts,
styles and navigation are dropped. Nothing is lost without a word:

- lxml drops text past a nesting depth of 256 (docs/findings.md, "HTML") and
  logs it; a page with such an entry in the parser's error log is refused;
- an unclosed comment, <script>, <style>, <title> or <textarea> swallows the rest of the
  page into something that is dropped; such a page is refused too.

The parser reads no network, decompresses nothing and keeps libxml2's size limits
(huge_tree off). lxml's HTML parser never expands entity declarations (it has no
resolve_entities switch: it ignores a DOCTYPE's internal subset), and decode.py refuses
a file that declares any.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from .records import ParseError

# A byte order mark may stand first: a page saved twice as UTF-8 with BOM keeps one after
# decoding.
# The comments before the first tag are one atomic group: as a plain repeat, a run of 40
# comments could be split 2^39 ways before failing, and a 328-byte file hung the parser.
_HTML_START = re.compile(
    r"^[\s\ufeff]*(?>(?:<!--.*?-->\s*)*)<(?:!doctype\s+html|html|head|body|div|p|meta)\b",
    re.I | re.S,
)
BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "blockquote", "pre", "dt", "dd", "hr",
}  # fmt: skip
DROP_TAGS = ["script", "style", "noscript", "nav", "iframe", "svg", "form", "button", "select"]
# What swallows everything up to its end: raw text up to the first end (comments and
# these four), and the dropped elements, which may nest; and the markup of page text.
SWALLOWING = [("<!--", "-->"), ("<script", "</script"), ("<style", "</style"),
              ("<title", "</title"), ("<textarea", "</textarea")]  # fmt: skip
NESTING_DROPPED = ["noscript", "nav", "iframe", "svg", "form", "button", "select"]
_PAGE_MARKUP = re.compile(r"<(?:p|div|br|li|tr|td|h[1-6]|blockquote)\b")


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:2000]))


def parse_html_document(text: str) -> lxml.html.HtmlElement:
    """Parse with lxml's HTML parser; refuse a page lxml could not read whole."""
    check_unclosed(text)
    parser = lxml.html.HTMLParser(
        huge_tree=False, no_network=True, decompress=False, remove_comments=False
    )
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ParseError(f"unreadable HTML: {error}") from None
    for entry in parser.error_log:
        if entry.level >= lxml.etree.ErrorLevels.FATAL:
            message = entry.message.strip()
            if message.startswith("Excessive depth"):
                message = (
                    "its elements nest deeper than 256 levels (the parser's limit), and "
                    "the text past that depth would be lost"
                )
            raise ParseError(f"HTML could not be read whole: {message}", line=entry.line)
    return root


def check_unclosed(text: str) -> None:
    """Refuse a page where a comment, script, style, title or textarea never ends, or a
    dropped element (noscript, nav, form...) is never closed, with page text after it:
    that text would be swallowed and dropped without a word."""
    lowered = text.lower()
    for opener, closer in SWALLOWING:
        position = 0
        while (start := lowered.find(opener, position)) != -1:
            end = lowered.find(closer, start + len(opener))
            if end == -1:
                _refuse_if_text_follows(text, lowered, start, opener)
                break
            position = end + len(closer)
    for tag in NESTING_DROPPED:
        depth, opened_at = 0, 0
        for match in re.finditer(rf"<(/?){tag}\b", lowered):
            if match.group(1):
                depth = max(0, depth - 1)
            else:
                if depth == 0:
                    opened_at = match.start()
                depth += 1
        if depth:
            _refuse_if_text_follows(text, lowered, opened_at, f"<{tag}")


def _refuse_if_text_follows(text: str, lowered: str, start: int, opener: str) -> None:
    if _PAGE_MARKUP.search(lowered, start):
        name = opener if opener == "<!--" else opener + ">"
        raise ParseError(
            f"HTML could not be read whole: a {name} that is never closed would "
            "swallow the rest of the page",
            line=text.count("\n", 0, start) + 1,
        )


def html_to_text(text: str) -> str:
    root = parse_html_document(text)
    drop_unseen(root)
    body = root.find("body")
    return element_text(body if body is not None else root)


def drop_unseen(root: lxml.html.HtmlElement) -> None:
    """Remove what a reader never sees as page text: scripts, styles, navigation, forms."""
    for element in list(root.iter(*DROP_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()


def element_text(element: lxml.html.HtmlElement) -> str:
    """The text of one element as a reader sees it: block elements and <br> break lines,
    paragraphs are separated by a blank line, spaces (no-break ones too) are folded."""
    chunks: list[str] = []

    def walk(element: lxml.html.HtmlElement, preformatted: bool) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        block = tag in BLOCK_TAGS
        preformatted = preformatted or tag == "pre"
        # A line break in the page's source is a space to a reader, except inside <pre>.
        space = (lambda text: text) if preformatted else (lambda text: text.replace("\n", " "))
        if block:
            chunks.append("\n\n" if tag == "p" else "\n")
        if element.text and tag:
            chunks.append(space(element.text))
        for child in element:
            walk(child, preformatted)
            if child.tail:
                chunks.append(space(child.tail))
        if block:
            chunks.append("\n\n" if tag == "p" else "\n")

    walk(element, False)
    raw = "".join(chunks).replace("\r", "")
    lines = [" ".join(line.replace("\u00a0", " ").split()) for line in raw.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
