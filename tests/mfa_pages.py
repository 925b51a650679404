"""The Ministry of Foreign Affairs' pages as served (../shared/corpus/mfa-fmprc-2020/site/):
where they are, what the article body of a page says (read here with lxml alone, apart from
the parser), and the check every parsed page must pass.

Nothing of the Ministry's text is kept in the project: the checks compare the parse with
the page it came from.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

from briefings.ingest.records import ParsedConference
from briefings.text import ANSWER, KIND_QA, QUESTION

SITE = Path("mfa-fmprc-2020") / "site" / "mfa_eng" / "xwfw_665399" / "s2510_665401" / "2511_665403"
_TOKEN = re.compile(r"\w+")

# The items of the site's menus, breadcrumb, share tools, appendix and related-news boxes
# and footer: no turn may start with one of them as a paragraph or label of its own.
MENU_ITEMS = (
    "Home",
    "The Ministry",
    "Main Functions",
    "Policies and Activities",
    "Press and Media Service",
    "Countries and Regions",
    "About China",
    "Resources",
    "Spokesperson's Remarks",
    "Regular Press Conference",
    "Suggest to a friend",
    "Print",
    "Appendix",
    "Related News",
    "Copyright",
    "Contact us",
)
MENU_START = re.compile(rf"^(?:{'|'.join(map(re.escape, MENU_ITEMS))})\s*(?::|\n|$)")
# A number alone ("As of 24", "At 10") is no outlet's name.
_NUMBER_WORD = re.compile(r"\b\d+\b")


def transcript_pages(corpus: Path) -> list[Path]:
    return sorted((corpus / SITE).glob("t*.shtml"))


def list_pages(corpus: Path) -> list[Path]:
    return sorted((corpus / SITE).glob("default*.shtml"))


def read_page(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def article_body(html: str) -> str:
    """The text of the page's article body (`<div class="content">`), every word of it."""
    root = lxml.html.document_fromstring(html)
    [body] = root.find_class("content")
    return " ".join(body.text_content().replace("\u00a0", " ").split())


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text))


@dataclass
class PageCheck:
    """What one parsed page got wrong, by kind."""

    problems: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, detail: str) -> None:
        self.problems.setdefault(kind, []).append(detail)


def check_page(
    parsed: ParsedConference,
    body: str,
    *,
    known_outlets: frozenset[str] | None = None,
    unanswered: int = 0,
) -> PageCheck:
    """Every check the whole-folder test makes on one page.

    `known_outlets`: the outlets found in the whole folder and reviewed; an outlet outside
    it is reported. `unanswered`: how many question exchanges of the page really have no
    answer (read in the page).
    """
    check = PageCheck()
    if not parsed.title:
        check.add("no title", "")
    if parsed.held_on is None:
        check.add("no date", parsed.title)
    if not parsed.exchanges:
        check.add("no exchange", "")
    labels = {"Q", "A", "Journalist", "Follow-up"} | {p.name for p in parsed.participants}
    labels |= known_outlets or set()
    turns = parsed.turns
    for turn in turns:
        for paragraph in turn.text.split("\n\n")[1:]:
            label = paragraph.split(":", 1)[0].strip() if ":" in paragraph[:60] else ""
            if label in labels:
                check.add("a label read as text", label)
        if MENU_START.match(turn.text):
            check.add("turn starts with menu words", turn.text[:40])
        if len(turn.text) > len(body):
            check.add("turn longer than the body", f"{len(turn.text)} > {len(body)}")
        if turn.role == QUESTION and turn.outlet:
            if MENU_START.match(turn.outlet) or _NUMBER_WORD.search(turn.outlet):
                check.add("outlet that is not an outlet", turn.outlet)
            elif known_outlets is not None and turn.outlet not in known_outlets:
                check.add("outlet not reviewed", turn.outlet)
    no_answer = [
        index
        for index, exchange in enumerate(parsed.exchanges)
        if exchange.kind == KIND_QA and not any(t.role == ANSWER for t in exchange.turns)
    ]
    if len(no_answer) != unanswered:
        check.add("exchanges without an answer", ",".join(map(str, no_answer)))
    spoken = tokens(" ".join(turn.text for turn in turns))
    printed = tokens(body)
    outside = spoken - printed
    if outside:
        check.add("text not in the article body", " ".join(sorted(outside)[:8]))
    lost = printed - spoken - tokens(" ".join(turn.speaker_label for turn in turns))
    if lost:
        check.add("text of the body lost", " ".join(sorted(lost)[:8]))
    return check
