"""SCIO briefing pages, whole (english.scio.gov.cn/pressroom/node_<id>.htm).

    SCIO briefing on supporting small and medium-sized enterprises
    Beijing | 10 a.m. Aug. 17, 2023
    The State Council Information Office held a press conference Thursday in Beijing ...
    Speakers / Chairperson / Read in Chinese        (headings, sometimes with names under them)
    Speakers:
    Liang Wenhua, vice minister of industry and information technology
    Chairperson:
    Shen Luming, deputy director general of the Press Bureau of the SCIO and SCIO spokesperson
    Date:
    Aug. 17, 2023

    Shen Luming:
    Ladies and gentlemen, good morning. ...

Role rules: a label that names a listed speaker answers (with the name and title as listed,
however the label prints it: "Mr. Liang Wenhua", "Liang"); the chair moderates, except that
a chair turn right after a question answers it; any other label is the media outlet asking.

The page is read by `_scio` (shared with the page series, `scio_pages`); the roles by
`_roles`.
"""

from __future__ import annotations

from ..exchanges import group_exchanges
from ..records import ParsedConference, ParsedParticipant, ParseError
from ._printed import (
    Roster,
    has_honorific,
    is_question_label,
    looks_like_person,
    outlet_from_label,
    person_name,
    split_lines,
)
from ._roles import OFFICIAL, OUTLET, Speaker, build_turns, drop_empty_turns, listed_speaker
from ._scio import ORGANIZER, held_date, is_whole_briefing, read_body, read_header
from .protocol import Format

NAME = "scio-briefing"
VERSION = "2"


def sniff(text: str) -> bool:
    """A whole briefing page, not one page of a series (`_scio.is_whole_briefing`)."""
    return is_whole_briefing(text)


def resolve_briefing_speaker(label: str, roster: Roster, warnings: list[str], line: int) -> Speaker:
    listed = listed_speaker(label, roster)
    if listed is not None:
        return listed
    if is_question_label(label):
        return Speaker(OUTLET)
    if has_honorific(label):
        # "Mr. Zhang:" is a person even when the Speakers block forgot him.
        participant = roster.add(ParsedParticipant(name=person_name(label)))
        warnings.append(f"line {line}: {label!r} is not among the listed speakers")
        return Speaker(OFFICIAL, participant)
    if looks_like_person(label):
        warnings.append(
            f"line {line}: {label!r} is not a listed speaker, so it is read as a media outlet"
        )
    return Speaker(OUTLET, outlet=outlet_from_label(label))


def parse(text: str) -> ParsedConference:
    lines = split_lines(text)
    header = read_header(lines)
    if not header.title:
        raise ParseError("empty page: no title line such as 'SCIO briefing on ...'", line=1)
    roster = header.roster

    def known_label(label: str) -> bool:
        return roster.find(label) is not None

    body = read_body(lines, header.body_start, inline_label=known_label)
    if not body.turns:
        raise ParseError(
            "no speaker labels: expected a name or outlet alone on a line, ending in ':' "
            "(such as 'Tian Yulong:')",
            line=header.body_start + 1 if header.body_start < len(lines) else None,
        )
    warnings: list[str] = []
    if body.leading:
        # Prose between the blocks and the first label: part of the introduction.
        header.summary.extend(body.leading)
    raw_turns = drop_empty_turns(body.turns, warnings)
    speakers = [
        resolve_briefing_speaker(raw.label, roster, warnings, raw.line) for raw in raw_turns
    ]
    turns = build_turns(raw_turns, speakers)
    if not roster.participants:
        warnings.append("no Speakers or Chairperson block: officials were not listed")
    return ParsedConference(
        title=header.title,
        held_on=held_date(header, warnings),
        published_on=header.published_on,
        start_time=header.start_time,
        location=header.location,
        kind="press_conference",
        organizer=ORGANIZER,
        summary="\n\n".join(header.summary),
        participants=roster.participants,
        exchanges=group_exchanges(turns),
        warnings=warnings,
        format=NAME,
    )


FORMAT = Format(name=NAME, version=VERSION, sniff=sniff, parse=parse, family_name_first=True)
