"""Ministry of Foreign Affairs regular press conferences (fmprc.gov.cn and its mirrors).

    Foreign Ministry Spokesperson Wang Wenbin's Regular Press Conference on March 3, 2022
    <opening announcements, without a label>
    CCTV: <question>
    Wang Wenbin: <answer>
    <more paragraphs of the answer, without a label>

Older transcripts (to about 2019) print "Q:" and "A:" instead of the outlet and the
spokesperson's name. The opening announcements are the spokesperson's statement. Bilingual
copies put each Chinese paragraph before its English one; they are kept as printed, a
Chinese labelled paragraph going with the English turn that follows it.

Role rules: the spokesperson named in the title (or "A") answers; "Q" and outlet labels ask;
another personal name is read as an official answering, with a warning.
"""

from __future__ import annotations

import re
from collections import Counter

from briefings.text import name_key

from ..exchanges import group_exchanges
from ..names import is_role_label
from ..records import ParsedConference, ParsedParticipant, ParsedTurn, ParseError
from ._printed import (
    Roster,
    is_date_line,
    is_label_shaped,
    is_question_label,
    label_alone,
    looks_hard_wrapped,
    looks_like_person,
    outlet_from_label,
    parse_date,
    person_name,
    split_lines,
)
from ._roles import OFFICIAL, OUTLET, RawTurn, Speaker, build_turns, drop_empty_turns
from .protocol import Format

NAME = "mfa"
VERSION = "1"
ORGANIZER = "Ministry of Foreign Affairs"
SPOKESPERSON_TITLE = "spokesperson of the Ministry of Foreign Affairs"
# The statement label when no title names the spokesperson.
SPOKESPERSON_LABEL = "Spokesperson"
ANSWER_LABELS = {"a", "answer"}
MAX_LABEL_WORDS = 6

_LINE_LABEL = re.compile(r"^(?P<label>[^:：]{1,70}?)\s*[:：]\s*(?P<text>.*)$")
_TIMESTAMP = re.compile(r"^\(\d{1,2}:\d{2}(?::\d{2})?\)")
_CJK = re.compile(r"[\u3400-\u9fff]")
_NAME = r"[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2}"
_SPOKESPERSON = re.compile(
    rf"Spokesperson\s+(?P<name>{_NAME}?)(?:['’]s)?\s+"
    r"(?i:regular press conference|hosted|held|presided|started|began|opened|chaired)"
)
_TITLE = re.compile(r"regular press conference|press conference on", re.I)
_TITLE_TAIL = re.compile(r"^regular press conference\b", re.I)
_NARRATION = re.compile(
    r"\b(?:started|began|opened) the press conference\b|"
    r"\b(?:held|hosted|presided over) a (?:regular )?press conference\b",
    re.I,
)
_END = re.compile(r"^(?:copyright\b|©|all rights reserved|editor\s*[:：]|\[?back to top\]?$)", re.I)


def _line_label(line: str) -> tuple[str, str] | None:
    """(label, text) when the line opens with a speaker label: "CCTV: ...", "Q: ...",
    "Wang Wenbin:" alone, or a Chinese label in a bilingual copy ("汪文斌:...")."""
    match = _LINE_LABEL.match(line)
    if not match:
        return None
    label, text = match["label"].strip(), match["text"].strip()
    if _CJK.search(label):
        return (label, text) if len(label) <= 12 and " " not in label else None
    if label in ("Q", "A"):
        return label, text
    if not is_label_shaped(label, max_words=MAX_LABEL_WORDS):
        return None
    # "MODERATOR:" and "OPERATOR:" belong to other formats; outlets' acronyms are short.
    if label.isupper() and len(label) > 6:
        return None
    if is_role_label(label) and not is_question_label(label) and name_key(label) != "answer":
        return None
    if _TIMESTAMP.match(text) or text.startswith("//"):
        return None
    return label, text


def _is_chinese(label: str) -> bool:
    return bool(_CJK.search(label))


def sniff(text: str) -> bool:
    """Several "Label: text" lines with short labels, one of them repeated (the spokesperson,
    or "Q" and "A"); not front matter (White House Markdown), not "Name: (mm:ss)"
    (timestamped), and not more labels alone on a line than before text (SCIO)."""
    if text.lstrip().startswith("---"):
        return False
    counts: Counter[str] = Counter()
    alone = stamps = 0
    for line in split_lines(text[:100_000]):
        if not line:
            continue
        match = _LINE_LABEL.match(line)
        if match and _TIMESTAMP.match(match["text"].strip()):
            stamps += 1
            continue
        found = _line_label(line)
        if found and found[1] and not _is_chinese(found[0]):
            counts[name_key(found[0])] += 1
        elif label_alone(line):
            alone += 1
    total = sum(counts.values())
    if stamps >= 2 or total <= alone:
        return False
    if counts["q"] and counts["a"]:
        return True
    return total >= 3 and len(counts) >= 2 and max(counts.values()) >= 2


def _find_title(preamble: list[str]) -> tuple[str, int]:
    """(title, index of the line after it); ("", 0) when there is none.

    Bilingual copies break the title in two: "... Wang Wenbin's" / "Regular Press
    Conference on August 19, 2022"."""
    for index, line in enumerate(preamble):
        if not line or _CJK.search(line):
            continue
        following = next((later for later in preamble[index + 1 :] if later), "")
        if "spokesperson" in line.lower() and _TITLE_TAIL.match(following):
            after = preamble.index(following, index + 1) + 1
            return f"{line} {following}", after
        if _TITLE.search(line):
            return line, index + 1
    return "", 0


def _spokesperson_from(lines: list[str]) -> str:
    for line in lines:
        match = _SPOKESPERSON.search(line)
        if match:
            return match["name"]
    return ""


def _read_turns(lines: list[str], start: int, warnings: list[str]) -> list[RawTurn]:
    """Labelled turns from `start`; unlabelled lines go on with the turn before them."""
    end = next(
        (index for index in range(start, len(lines)) if _END.match(lines[index])), len(lines)
    )
    wrapped = looks_hard_wrapped(lines[start:end])
    turns: list[RawTurn] = []
    chinese: list[str] = []  # Chinese paragraphs waiting for the English turn they go with
    block: list[str] = []

    def flush() -> None:
        nonlocal block
        if block:
            paragraphs = [" ".join(block)] if wrapped else block
            (chinese if chinese else turns[-1].paragraphs).extend(paragraphs)
            block = []

    for index in range(start, end):
        line = lines[index]
        if not line:
            flush()
            continue
        found = _line_label(line)
        if found and _is_chinese(found[0]):
            flush()
            chinese.append(line)
            continue
        if found:
            flush()
            turns.append(RawTurn(found[0], index + 1, chinese))
            chinese = []
            if found[1]:
                block.append(found[1])
            continue
        block.append(line)
        if not wrapped:
            flush()
    flush()
    if chinese:
        if turns:
            turns[-1].paragraphs.extend(chinese)
        else:
            warnings.append("Chinese text with no English turn after it was dropped")
    return turns


def _guess_spokesperson(turns: list[RawTurn]) -> str:
    """The personal name that speaks most, for transcripts whose title names nobody."""
    counts = Counter(
        person_name(turn.label)
        for turn in turns
        if looks_like_person(turn.label) and name_key(turn.label) not in ANSWER_LABELS
    )
    return counts.most_common(1)[0][0] if counts else ""


def _resolve(
    label: str, roster: Roster, spokesperson: ParsedParticipant | None, warnings: list[str]
) -> Speaker:
    key = name_key(label)
    if key in ANSWER_LABELS:
        return Speaker(OFFICIAL, spokesperson)
    listed = roster.find(label)
    if listed is not None:
        return Speaker(OFFICIAL, listed)
    if is_question_label(label):
        return Speaker(OUTLET)
    if looks_like_person(label):
        warnings.append(f"{label!r} is not the spokesperson; read as an official answering")
        return Speaker(OFFICIAL, roster.add(ParsedParticipant(name=person_name(label))))
    return Speaker(OUTLET, outlet=outlet_from_label(label))


def parse(text: str) -> ParsedConference:
    lines = split_lines(text)
    first_label = next((i for i, line in enumerate(lines) if _line_label(line)), None)
    if first_label is None:
        raise ParseError(
            "no speaker labels: expected lines such as 'CCTV: ...', 'Wang Wenbin: ...' or 'Q: ...'"
        )
    warnings: list[str] = []
    preamble = lines[:first_label]
    title, after_title = _find_title(preamble)
    turns = _read_turns(lines, first_label, warnings)
    name = _spokesperson_from(preamble) or _guess_spokesperson(turns)
    held_on = parse_date(title) if title else None
    published_on = None
    summary: list[str] = []
    statement: list[str] = []
    for line in preamble[after_title:]:
        if not line:
            continue
        if is_date_line(line):
            # Mirrors print their posting time under the title: "2020-07-18 00:48".
            published_on = published_on or parse_date(line)
        elif _NARRATION.search(line):
            summary.append(line)
            held_on = held_on or parse_date(line)
        else:
            statement.append(line)
    if not title:
        title = "Foreign Ministry regular press conference"
        if held_on:
            title += f" on {held_on:%B} {held_on.day}, {held_on.year}"
        warnings.append("no title line naming the press conference; a generic title is used")
    if held_on is None:
        warnings.append("no date found in the title")

    roster = Roster()
    spokesperson = None
    if name:
        spokesperson = roster.add(
            ParsedParticipant(
                name=name, title=SPOKESPERSON_TITLE, organization=ORGANIZER, is_chair=True
            )
        )
    turns = drop_empty_turns(turns, warnings)
    speakers = [_resolve(turn.label, roster, spokesperson, warnings) for turn in turns]
    if statement:
        # The opening announcements are the spokesperson's, printed without a label.
        opening_line = preamble.index(statement[0], after_title) + 1
        turns.insert(0, RawTurn(name or SPOKESPERSON_LABEL, opening_line, statement))
        speakers.insert(0, Speaker(OFFICIAL, spokesperson))
    parsed_turns: list[ParsedTurn] = build_turns(turns, speakers)
    return ParsedConference(
        title=title,
        held_on=held_on,
        published_on=published_on,
        kind="regular_briefing",
        organizer=ORGANIZER,
        summary="\n\n".join(summary),
        participants=roster.participants,
        exchanges=group_exchanges(parsed_turns),
        warnings=warnings,
        format=NAME,
    )


FORMAT = Format(
    name=NAME,
    version=VERSION,
    sniff=sniff,
    parse=parse,
    family_name_first=True,
)
