"""Saved HTML pages to text, with lxml (the stdlib parser is quadratic on hostile input).

Block elements become line breaks, paragraphs become blank-line separated, scripts,
styles and navigation are dropped. lxml silently drops text past a nesting depth of 256
(research/reliability.md, finding 10), so the parser's error log is checked and such a
page is refused rather than truncated.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from .records import ParseError

_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|div|p|meta)\b", re.I | re.S
)
BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "blockquote", "pre", "dt", "dd", "hr",
}  # fmt: skip
DROP_TAGS = ["script", "style", "noscript", "nav", "iframe", "svg", "form", "button", "select"]


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:2000]))


def parse_html_document(text: str) -> lxml.html.HtmlElement:
    """Parse with lxml's HTML parser; refuse a page lxml could not read whole."""
    parser = lxml.html.HTMLParser(huge_tree=False, no_network=True, remove_comments=False)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ParseError(f"unreadable HTML: {error}") from None
    for entry in parser.error_log:
        if entry.level >= lxml.etree.ErrorLevels.FATAL:
            raise ParseError(
                f"HTML could not be read whole: {entry.message.strip()}", line=entry.line
            )
    return root


def html_to_text(text: str) -> str:
    root = parse_html_document(text)
    for element in list(root.iter(*DROP_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    chunks: list[str] = []

    def walk(element: lxml.html.HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        block = tag in BLOCK_TAGS
        if block:
            chunks.append("\n\n" if tag == "p" else "\n")
        if element.text and tag:
            chunks.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                chunks.append(child.tail)
        if block:
            chunks.append("\n\n" if tag == "p" else "\n")

    body = root.find("body")
    walk(body if body is not None else root)
    raw = "".join(chunks).replace("\r", "")
    lines = [" ".join(line.replace("\u00a0", " ").split()) for line in raw.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
