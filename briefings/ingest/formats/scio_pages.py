"""SCIO / China.org.cn press conference transcripts published as a series of pages.

    SCIO press conference on promoting steady operation and quality upgrading of ...
    The State Council Information Office held a press conference in Beijing on Feb. 28 to
    brief the media on ... (ICTs).  March 3, 2022
    Science and Technology Daily:
    ...
    Tian Yulong:
    ...
    <  1  2  3  4  5  6  7  8  9  10  11  >

Every page repeats the title and intro line; pages 2..n begin in the middle of a turn (the
previous page's last speaker goes on) or with a question whose outlet line was left on the
page before. The pager lists every page without marking the current one, so a page's
number comes from outside (the caller, or `page_from_filename`) when it is known; pages
without numbers are taken in the order given.

These pages print no list of speakers, so a label is read by its words: a media word
("Daily", "TV", "Xinhua") makes an outlet asking, a personal name makes an official
answering, and the person who opens the conference ("Ladies and gentlemen, good morning")
is the chair, who moderates. When a page does print Speakers/Chairperson blocks, they win.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefings.text import name_key

from ..exchanges import group_exchanges
from ..records import ParsedConference, ParsedParticipant, ParseError
from ._printed import (
    Roster,
    is_question_label,
    label_alone,
    looks_like_outlet,
    looks_like_person,
    outlet_from_label,
    person_name,
    split_lines,
)
from ._roles import (
    CHAIR,
    OFFICIAL,
    OUTLET,
    RawTurn,
    Speaker,
    build_turns,
    drop_empty_turns,
    listed_speaker,
)
from ._scio import (
    OPENING,
    ORGANIZER,
    Body,
    Header,
    held_date,
    is_intro,
    is_whole_briefing,
    pager_pages,
    read_body,
    read_header,
)
from .protocol import Format, PageSeries

NAME = "scio-pages"
VERSION = "2"

# The label given to a question whose outlet line is on the page before.
UNNAMED_QUESTION_LABEL = "Reporter"

# SCIO spokespersons who chair these conferences; pages that start after the chair's
# opening words give no other clue to who the chair is.
KNOWN_CHAIRS = {
    "xi yanchun",
    "shou xiaoli",
    "chen wenjun",
    "xing huina",
    "zhou jianshe",
    "hu kaihong",
    "guo weimin",
}
_CALLING = re.compile(
    r"\b(?:next question|go ahead|the floor is (?:now )?open|raise your hands?|"
    r"identify (?:your|the) (?:news )?(?:outlet|organization|media))",
    re.I,
)
_FILENAME_PAGE = (
    re.compile(r"content_\d+_(?P<page>\d{1,3})\.s?html?$", re.I),
    re.compile(r"(?:^|[-_ .])(?:page|p)[-_ ]?(?P<page>\d{1,3})(?:\.\w+)?$", re.I),
)
_FILENAME_FIRST_PAGE = re.compile(r"content_\d+\.s?html?$", re.I)
_SCIO_NAME = re.compile(r"State Council Information Office|\bSCIO\b")


@dataclass
class Page:
    position: int  # 1-based, in the order given
    number: int | None
    header: Header
    body: Body

    @property
    def name(self) -> str:
        return f"page {self.number}" if self.number else f"page {self.position} (as given)"


def sniff(text: str) -> bool:
    """Label-alone lines plus the pager or the SCIO intro, and not a whole briefing page."""
    lines = split_lines(text[:200_000])
    if not any(label_alone(line) for line in lines):
        return False
    head = [line for line in lines[:40] if line][:8]
    has_intro = any(is_intro(line) and _SCIO_NAME.search(line) for line in head)
    has_pager = any(pager_pages(line) for line in lines)
    return (has_pager or has_intro) and not is_whole_briefing(text)


def page_info(text: str) -> tuple[str, int | None]:
    """(title, page count printed in the pager): enough to group pages into a series."""
    lines = split_lines(text)
    header = read_header(lines, page=True)
    count = next((pager[0] for line in lines if (pager := pager_pages(line))), None)
    return header.title, count


def page_from_filename(filename: str) -> int | None:
    """The page number in a saved page's name: content_75629403_3.htm -> 3,
    content_75629403.htm -> 1, ...-page-2.txt -> 2; None when the name does not say."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    for pattern in _FILENAME_PAGE:
        match = pattern.search(name)
        if match:
            return int(match["page"])
    if _FILENAME_FIRST_PAGE.search(name):
        return 1
    return None


def parse(text: str) -> ParsedConference:
    """One page on its own, numbered as its pager marks it, if it does."""
    return parse_pages([text])


def _read_page(text: str, position: int, number: int | None) -> Page:
    lines = split_lines(text)
    header = read_header(lines, page=True)
    if not header.title:
        raise ParseError(f"page {position} (as given) is empty", line=1)
    body = read_body(lines, header.body_start)
    return Page(position=position, number=number or body.page, header=header, body=body)


def _in_page_order(pages: list[Page], warnings: list[str]) -> list[Page]:
    numbers = [page.number for page in pages if page.number is not None]
    if len(pages) == 1:
        return pages
    if len(numbers) < len(pages):
        if numbers:
            warnings.append("some pages have no page number; all are taken in the order given")
        if pages[0].body.leading and any(not page.body.leading for page in pages[1:]):
            # Page 1 starts at a label or its intro; a page starting mid-turn is a later one.
            warnings.append(
                "the first page given begins in the middle of a turn: the pages may be out "
                "of order (give their page numbers)"
            )
        return pages
    twice = sorted({number for number in numbers if numbers.count(number) > 1})
    if twice:
        raise ParseError(f"page {twice[0]} is given twice")
    return sorted(pages, key=lambda page: page.number or 0)


def _check_one_conference(pages: list[Page]) -> None:
    first = pages[0]
    for page in pages[1:]:
        if name_key(page.header.title) != name_key(first.header.title):
            raise ParseError(
                f"{page.name} is titled {page.header.title!r}, not {first.header.title!r}: "
                "these pages are not one conference",
                line=page.header.title_line,
            )


def _leading_is_question(
    leading: list[str], previous: RawTurn | None, next_label: str | None
) -> bool:
    """True when the text a page begins with is a question whose outlet line was left on
    the page before: the page before ended with an answer or a call for questions, the text
    asks something, and an official answers it next."""
    if previous is not None and _speaker_kind_by_words(previous.label) == OUTLET:
        return False
    if next_label is None or _speaker_kind_by_words(next_label) == OUTLET:
        return False
    if previous is not None and previous.paragraphs and _CALLING.search(previous.paragraphs[-1]):
        return True
    words = sum(len(paragraph.split()) for paragraph in leading)
    return "?" in leading[-1] and words <= 250


def _speaker_kind_by_words(label: str) -> str:
    if label == UNNAMED_QUESTION_LABEL or is_question_label(label) or looks_like_outlet(label):
        return OUTLET
    return OFFICIAL if looks_like_person(label) else OUTLET


def _continue_turn(previous: RawTurn, leading: list[str]) -> None:
    """Append a page's opening paragraphs to the turn the page before ended with; a
    paragraph cut by the page break ("... the digital" / "transformation of ...") is
    mended."""
    paragraphs = list(leading)
    last = previous.paragraphs[-1] if previous.paragraphs else ""
    if last and last[-1] not in ".?!:;\"'”’)]" and paragraphs[0][:1].islower():
        previous.paragraphs[-1] = f"{last} {paragraphs.pop(0)}"
    previous.paragraphs.extend(paragraphs)


def _join_pages(pages: list[Page], summary: list[str], warnings: list[str]) -> list[RawTurn]:
    raw_turns: list[RawTurn] = []
    previous_number: int | None = None
    for page in pages:
        body = page.body
        if page.number and previous_number and page.number != previous_number + 1:
            missing = ", ".join(str(n) for n in range(previous_number + 1, page.number))
            warnings.append(f"page(s) {missing} missing: {page.name} may not follow on")
        previous_number = page.number
        if body.leading:
            previous = raw_turns[-1] if raw_turns else None
            next_label = body.turns[0].label if body.turns else None
            if page.number == 1:
                summary.extend(body.leading)
            elif _leading_is_question(body.leading, previous, next_label):
                warnings.append(
                    f"{page.name} begins with a question without its outlet line; "
                    f"labelled {UNNAMED_QUESTION_LABEL!r}"
                )
                raw_turns.append(
                    RawTurn(UNNAMED_QUESTION_LABEL, body.leading_line, list(body.leading))
                )
            elif previous is not None:
                _continue_turn(previous, body.leading)
            else:
                # Page 1 goes on with its introduction before the first label.
                summary.extend(body.leading)
                if page.number not in (None, 1):
                    warnings.append(
                        f"{page.name} begins in the middle of a turn whose speaker is on a "
                        "page not given; that text is kept in the summary"
                    )
        raw_turns.extend(body.turns)
    return raw_turns


def _find_chair(raw_turns: list[RawTurn], roster: Roster) -> None:
    """Mark the chair when no Chairperson block did: a known SCIO spokesperson, or the
    person whose first words open the conference."""
    if roster.chair is not None:
        return
    for raw in raw_turns:
        if name_key(raw.label) in KNOWN_CHAIRS:
            roster.add(ParsedParticipant(name=person_name(raw.label), is_chair=True))
            return
    first = raw_turns[0] if raw_turns else None
    if (
        first is not None
        and _speaker_kind_by_words(first.label) == OFFICIAL
        and first.paragraphs
        and OPENING.search(first.paragraphs[0])
    ):
        participant = roster.find(first.label)
        if participant is None:
            roster.add(ParsedParticipant(name=person_name(first.label), is_chair=True))
        else:
            participant.is_chair = True


def _resolve(label: str, roster: Roster) -> Speaker:
    listed = listed_speaker(label, roster)
    if listed is not None:
        return listed
    if _speaker_kind_by_words(label) == OFFICIAL:
        participant = roster.add(ParsedParticipant(name=person_name(label)))
        return Speaker(CHAIR if participant.is_chair else OFFICIAL, participant)
    if label == UNNAMED_QUESTION_LABEL or is_question_label(label):
        return Speaker(OUTLET)
    return Speaker(OUTLET, outlet=outlet_from_label(label))


def parse_pages(pages: list[str], *, numbers: list[int | None] | None = None) -> ParsedConference:
    """Several pages of one conference as one conference.

    `numbers` gives each page's number where the caller knows it (from the file name, say);
    pages whose numbers are all known are put in page order, otherwise the given order is
    kept. The header printed on every page appears once.
    """
    if not pages:
        raise ParseError("no pages given")
    if numbers is not None and len(numbers) != len(pages):
        raise ParseError(f"{len(pages)} pages but {len(numbers)} page numbers")
    warnings: list[str] = []
    read = [
        _read_page(text, position, numbers[position - 1] if numbers else None)
        for position, text in enumerate(pages, start=1)
    ]
    read = _in_page_order(read, warnings)
    _check_one_conference(read)
    if not any(page.body.turns for page in read):
        first = read[0]
        raise ParseError(
            "no speaker labels: expected a name or outlet alone on a line, ending in ':' "
            "(such as 'Tian Yulong:')",
            line=first.header.body_start + 1,
        )
    header = read[0].header
    summary = list(header.summary)
    roster = header.roster
    for page in read[1:]:
        for participant in page.header.roster.participants:
            roster.add(participant)
    raw_turns = drop_empty_turns(_join_pages(read, summary, warnings), warnings)
    _find_chair(raw_turns, roster)
    turns = build_turns(raw_turns, [_resolve(raw.label, roster) for raw in raw_turns])
    page_count = max((page.body.page_count or 0 for page in read), default=0) or None
    if page_count and len(read) < page_count:
        warnings.append(f"{len(read)} of {page_count} pages given")
    return ParsedConference(
        title=header.title,
        held_on=held_date(header, warnings),
        published_on=header.published_on,
        start_time=header.start_time,
        location=header.location,
        kind="press_conference",
        organizer=ORGANIZER,
        summary="\n\n".join(summary),
        participants=roster.participants,
        exchanges=group_exchanges(turns),
        warnings=warnings,
        format=NAME,
        page=read[0].number if len(read) == 1 else None,
        page_count=page_count,
    )


def series_key(text: str) -> str:
    """The conference a page belongs to: its title, printed on every page."""
    title, _count = page_info(text)
    return title


FORMAT = Format(
    name=NAME,
    version=VERSION,
    sniff=sniff,
    parse=parse,
    family_name_first=True,
    pages=PageSeries(
        series_key=series_key, page_from_filename=page_from_filename, parse_pages=parse_pages
    ),
)
