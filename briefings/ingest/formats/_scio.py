"""Reading a SCIO page: the title, the place and date, the intro, the Speakers and
Chairperson blocks, and the transcript up to the pager or the footer.

Shared by the whole-briefing format (`scio_briefing`) and the page-series format
(`scio_pages`): a page of a series has the same shape, with a pager at the end.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..records import ParsedParticipant
from ._printed import (
    DATE_PATTERN,
    Roster,
    find_date,
    is_date_line,
    is_label_shaped,
    label_alone,
    looks_hard_wrapped,
    looks_like_person,
    make_date,
    read_participant,
    split_lines,
)
from ._roles import RawTurn

ORGANIZER = "State Council Information Office"

_SCIO_TITLE = re.compile(r"^SCIO (?:briefing|press conference|press briefing) on\b", re.I)
_HEADING = re.compile(
    r"^(?P<word>speakers?|chairpersons?|chair|date)\s*(?:[:：]\s*(?P<rest>.*))?$", re.I
)
_HEADING_BLOCKS = {
    "speaker": "speakers",
    "speakers": "speakers",
    "chair": "chair",
    "chairperson": "chair",
    "chairpersons": "chair",
    "date": "date",
}
# "Beijing | 10 a.m. Aug. 17, 2023"; the same shape names the publisher in
# "China.org.cn | June 11, 2020", which is a publication date, not a place.
_PLACE_LINE = re.compile(
    r"^(?P<place>[A-Z][\w .'’-]{0,40}?)\s*\|\s*"
    r"(?:(?P<time>\d{1,2}(?::\d{2})?\s*[ap]\.?\s?m\.?)\s*)?(?P<date>.*)$"
)
_PUBLISHER = re.compile(r"\.(?:cn|com)\b|\bSCIO\b|xinhua|china daily", re.I)
_UPDATED = re.compile(r"^(?:updated|published|released)\s*[:：]?\s*(?P<date>.+)$", re.I)
_INTRO = re.compile(
    r"\b(?:held|holds|hosted|hosts)\b[^.]{0,80}?\b(?:press conference|briefing|news conference)",
    re.I,
)
_ON_BEFORE_DATE = re.compile(r"\bon\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?$", re.I)
# "... held a press conference in Beijing on ...": the place after the verb, in its sentence.
_INTRO_VERB = re.compile(r"\b(?:held|holds|hosted|hosts)\b")
_IN_PLACE = re.compile(r"\bin (?P<place>[A-Z][a-z]+)(?=\s+(?:on|about|to)\b|[.,])")
# Page furniture around the text: photo captions ("/4 Shou Xiaoli"), links, breadcrumbs.
_CHROME = re.compile(
    r"^(?:/\d+\b.*|\d+/\d+\s.*|read in chinese|中文|group photo|china scio|home\s*[>|›].*"
    r"|.*ㄑ.*|print|share|e-?mail|font size.*|(?:source|editor)\s*[:：].*|\[photo[^]]*\])$",
    re.I,
)
# Where the transcript ends on a saved page: the pager, then the footer.
_PAGER_TOKEN = re.compile(
    r"^(?:\d{1,3}|\[\d{1,3}\]|<<?|>>?|[«»‹›]|\.\.\.|…|prev|previous|next)$", re.I
)
_END = re.compile(
    r"^(?:copyright\b|©|\(c\)\s*\d{4}|all rights reserved|more from\b|related (?:news|stories|"
    r"articles)\b|editor\s*[:：]|\[?back to top\]?$)",
    re.I,
)
_INLINE_LABEL = re.compile(r"^(?P<label>[^:：]{1,70}?)\s*[:：]\s+(?P<text>\S.*)$")
# The chair's opening lines, for pages that print no chairperson block.
OPENING = re.compile(
    r"\b(?:ladies and gentlemen|good (?:morning|afternoon)|friends from the (?:media|press)|"
    r"welcome to (?:this|today's|the) (?:press conference|briefing))\b",
    re.I,
)

# --- reading lines -----------------------------------------------------------------------


def is_scio_title(line: str) -> bool:
    return bool(_SCIO_TITLE.match(line.strip()))


def pager_pages(line: str) -> tuple[int, int | None] | None:
    """(page count, this page or None) when the line is a pager: "< 1 2 3 ... 11 >"."""
    tokens = line.replace("<", " < ").replace(">", " > ").split()
    if not tokens or not all(_PAGER_TOKEN.match(token) for token in tokens):
        return None
    numbers = [int(token.strip("[]")) for token in tokens if token.strip("[]").isdigit()]
    marked = [int(token.strip("[]")) for token in tokens if token.startswith("[")]
    has_arrow = any(not token.strip("[]").isdigit() for token in tokens)
    if len(numbers) < 2 or 1 not in numbers or not (has_arrow or numbers[:2] == [1, 2]):
        return None
    return max(numbers), (marked[0] if marked else None)


def is_intro(line: str) -> bool:
    return bool(_INTRO.search(line))


# --- the header --------------------------------------------------------------------------


@dataclass
class Header:
    """What a SCIO page prints above the transcript."""

    title: str = ""
    title_line: int = 0
    location: str = ""
    start_time: str = ""
    # (year or None, month, day): a page may print "Feb. 28" and the year elsewhere.
    held: tuple[int | None, int, int] | None = None
    published_on: dt.date | None = None
    summary: list[str] = field(default_factory=list)
    roster: Roster = field(default_factory=Roster)
    body_start: int = 0
    has_blocks: bool = False


def _published_date(line: str) -> dt.date | None:
    """The date in "Updated: Aug. 18, 2023" or "China.org.cn | June 11, 2020"."""
    match = _UPDATED.match(line)
    if match and is_date_line(match["date"]):
        found = find_date(match["date"])
        return make_date(*found) if found else None
    match = _PLACE_LINE.match(line)
    if match and _PUBLISHER.search(match["place"]) and is_date_line(match["date"]):
        found = find_date(match["date"])
        return make_date(*found) if found else None
    return None


def read_intro(line: str, header: Header) -> str:
    """Held date, place and publication date from "... held a press conference in Beijing on
    Feb. 28 to brief the media on .... March 3, 2022" (the publication date ends the line).
    Returns the intro without the publication date."""
    matches = list(DATE_PATTERN.finditer(line))
    last = matches[-1] if matches else None
    # The publication date stands after the intro's last sentence: "... (ICTs).  March 3, 2022"
    sentence_before = last is not None and re.search(r"[.)”\"]\s*$", line[: last.start()])
    if last and last["year"] and sentence_before and not line[last.end() :].strip():
        if header.published_on is None:
            found = find_date(last[0])
            header.published_on = make_date(*found) if found else None
        matches = matches[:-1]
        intro = line[: last.start()].rstrip()
    else:
        intro = line
    for match in matches:
        # Only the end of the text before the date can hold "on (Thursday,) ": searching
        # all of it for every date is quadratic on a long line of dates.
        if _ON_BEFORE_DATE.search(line, max(0, match.start() - 40), match.start()):
            if header.held is None:
                header.held = find_date(match[0])
            break
    place = _intro_place(line)
    if place and not header.location:
        header.location = place
    return intro


def _intro_place(line: str) -> str:
    """The place in the first sentence that has a "held ... in Beijing". Sentence by
    sentence: one pattern spanning verb to place rescans the sentence from every "held",
    which is quadratic on a long line."""
    position = 0
    while verb := _INTRO_VERB.search(line, position):
        stop = line.find(".", verb.end())
        stop = len(line) if stop < 0 else stop
        # Later verbs in the same sentence have only less of it after them.
        found = _IN_PLACE.search(line, verb.end(), stop + 1)
        if found:
            return found["place"]
        position = stop + 1
    return ""


def read_header(lines: list[str], *, page: bool = False) -> Header:
    """Read the title, the place/time line, the intro and the Speakers/Chairperson/Date
    blocks, up to the first speaker label.

    A whole briefing page (`page=False`) keeps every prose line before the first label as
    summary. A page of a series (`page=True`) keeps only the intro line: pages 2..n go on
    with the previous page's last turn right after the header, without a label.
    """
    header = Header(body_start=len(lines))
    block: str | None = None
    for index, line in enumerate(lines):
        if not line or _CHROME.match(line):
            continue
        published = _published_date(line)
        if published is not None:
            header.published_on = header.published_on or published
            continue
        heading = _HEADING.match(line) if header.title else None
        if heading:
            block = _HEADING_BLOCKS[heading["word"].lower()]
            header.has_blocks = True
            line = (heading["rest"] or "").strip()
            if not line:
                continue
        if block in ("speakers", "chair"):
            participant = read_participant(line, is_chair=block == "chair")
            if participant is None and looks_like_person(line) and not line.endswith(":"):
                participant = ParsedParticipant(name=line, is_chair=block == "chair")
            if participant is not None:
                header.roster.add(participant)
                continue
        if is_date_line(line) and header.title:
            if header.held is None:
                header.held = find_date(line)
            block = None
            continue
        block = None
        if label_alone(line) is not None and header.title:
            header.body_start = index
            break
        if not header.title:
            header.title = line
            header.title_line = index + 1
            continue
        place = _PLACE_LINE.match(line)
        if place and find_date(place["date"]) is not None:
            header.location = header.location or place["place"].strip()
            header.start_time = header.start_time or (place["time"] or "").strip()
            header.held = header.held or find_date(place["date"])
            continue
        if page and (not is_intro(line) or header.summary):
            header.body_start = index
            break
        header.summary.append(read_intro(line, header) if is_intro(line) else line)
    return header


def held_date(header: Header, warnings: list[str]) -> dt.date | None:
    """The held date; a date printed without its year takes the publication year, or the
    year before when the month is later than the publication month (held Dec. 29, published
    Jan. 4)."""
    if header.held is None:
        warnings.append("no date found in the header")
        return None
    year, month, day = header.held
    if year is None and header.published_on is not None:
        published = header.published_on
        year = published.year - 1 if month > published.month else published.year
    if year is None:
        warnings.append("the date in the header has no year and no publication date gives it")
        return None
    held = make_date(year, month, day)
    if held is None:
        warnings.append(f"the date in the header does not exist ({year}-{month:02}-{day:02})")
    return held


# --- the transcript ----------------------------------------------------------------------


@dataclass
class Body:
    leading: list[str] = field(default_factory=list)  # paragraphs before the first label
    leading_line: int = 0
    turns: list[RawTurn] = field(default_factory=list)
    page_count: int | None = None
    page: int | None = None


def read_body(
    lines: list[str], start: int, *, inline_label: Callable[[str], bool] | None = None
) -> Body:
    """Split the transcript into labelled turns. A label stands alone on its line; when
    `inline_label` accepts it, "Label: text" on one line also starts a turn."""
    body = Body()
    end = len(lines)
    for index in range(start, len(lines)):
        pager = pager_pages(lines[index])
        if pager is not None:
            body.page_count, body.page = pager
            end = index
            break
        if _END.match(lines[index]):
            end = index
            break
    wrapped = looks_hard_wrapped(lines[start:end])
    block: list[str] = []
    current: RawTurn | None = None

    def flush() -> None:
        nonlocal block
        if not block:
            return
        paragraphs = [" ".join(block)] if wrapped else block
        if current is None:
            body.leading.extend(paragraphs)
        else:
            current.paragraphs.extend(paragraphs)
        block = []

    for index in range(start, end):
        line = lines[index]
        if not line:
            flush()
            continue
        label = label_alone(line)
        text = ""
        if label is None and inline_label is not None:
            match = _INLINE_LABEL.match(line)
            if match and is_label_shaped(match["label"]) and inline_label(match["label"]):
                label, text = match["label"], match["text"]
        if label is not None:
            flush()
            current = RawTurn(label=label, line=index + 1)
            body.turns.append(current)
            if text:
                block.append(text)
            continue
        if current is None and not body.leading and not block:
            body.leading_line = index + 1
        block.append(line)
    flush()
    return body


# --- a whole briefing or a page of a series ----------------------------------------------


def is_whole_briefing(text: str) -> bool:
    """A SCIO page with its briefing header or its Speakers/Chairperson blocks, and no pager
    (a page with a pager is one page of a series: `scio_pages`)."""
    lines = split_lines(text[:200_000])
    head = [line for line in lines[:80] if line]
    has_title = any(is_scio_title(line) for line in head[:5])
    has_place_line = any(
        (match := _PLACE_LINE.match(line)) and match["time"] and find_date(match["date"])
        for line in head[:8]
    )
    headings = {
        _HEADING_BLOCKS[match["word"].lower()] for line in head if (match := _HEADING.match(line))
    }
    has_blocks = {"speakers", "chair"} <= headings
    if not (has_blocks or (has_title and has_place_line)):
        return False
    if any(pager_pages(line) for line in lines):
        return False
    return any(label_alone(line) for line in lines)
