"""The White House transcript body, shared by the Markdown (`wh_markdown`) and whole-page
HTML (`wh_html`) formats once the body is plain text lines: location and start time, speaker
labels ("MS. PSAKI:") and bare `Q` lines, stage directions as notes, the closing END and
end time; who is named by a label, and the conference's participants.

`date_from_text` reads the dates these transcripts print ("April 9, 2020"), which the
timestamped format's preambles print the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from briefings.text import ANSWER, MODERATOR, NOTE, QUESTION, name_key

from ..exchanges import group_exchanges
from ..names import OFFICE_WORDS, clean_label, is_role_label
from ..records import ParsedConference, ParsedParticipant, ParsedTurn, ParseError
from ._whitehouse_misprints import read_misprinted_answers
from ._whitehouse_outlets import set_outlets

ORGANIZER = "The White House"

# Conference kinds, read from the title.
PRESS_BRIEFING = "press_briefing"
PRESS_CONFERENCE = "press_conference"
PRESS_GAGGLE = "press_gaggle"
PRESS_CALL = "press_call"
BACKGROUND_CALL = "background_call"

# Word joiners ("COVID-\u206019"), zero-width spaces and object replacement characters.
_INVISIBLE_CHARS = re.compile("[\u200b\u2060\ufeff\ufffc]")

# A speaker label: upper-case words ("MS. PSAKI", "MS. PÉREZ FERNÁNDEZ", "MS. O’CONNELL",
# "AIR FORCE ONE FLIGHT CREW") then a colon. No digits, so "END 3:15 P.M." is not one.
UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_LABEL = re.compile(rf"(?P<label>[{UPPER}][{UPPER}.’'\- ]*[{UPPER}.])\s?:`?(?:\s+|$)(?P<rest>.*)")
# A reporter: "Q" then spaces (no-break spaces in most files), a colon, or an interrupting
# dash ("Q— and when"). "Q&A" and "Q1" are words, not a reporter.
_QUESTION = re.compile(r"Q`?(?:\s*:\s*|\s+|(?=[—–])|$)(?P<rest>.*)")
# "QMS. PSAKI:" is a reporter's Q glued to the next label by a lost line break.
_STRAY_Q = re.compile(r"Q(?=(?:MR|MS|MRS|DR)\.)")

_TIME = r"\d{1,2}:\d{2}(?:\s*[AaPp]\.?\s?[Mm]\.?)?(?:\s+[A-Z]{2,5})?"
_TIME_LINE = re.compile(_TIME)
_TIME_THEN_SPEAKER = re.compile(rf"(?P<time>{_TIME})\s+(?P<rest>(?:Q|[{UPPER}]).*)")
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_DATE_LINE = re.compile(rf"\(?(?P<month>{_MONTHS})\.? (?P<day>\d{{1,2}}), (?P<year>\d{{4}})\)?")

# What closes a transcript and is not speech: the end time, "END", a time zone wrapped onto
# its own line, "###", and the COVID team's link to its slides.
_TRAILER_LINE = re.compile(
    rf"""
    (?:END\.?\s*)?{_TIME}
    | END\.?
    | [A-Z]{{1,3}}[SD]?T
    | (?:\#\s*){{1,5}}
    | (?i:(?:To|You\ can)\ view\ the\ .*\bslides\b.*)
    | (?i:(?:visit:?\s*)?[<\[]?https?://\S+)
    """,
    re.VERBOSE,
)
_END_TIME_ON_LINE = re.compile(
    r"(?<=[.!?”)])\s+(?:END\s+)?\d{1,2}:\d{2}\s*[AP]\.?\s?M\.?\s+[A-Z]{2,5}$"
)
_SLIDES_NOTICE = re.compile(r"(?:To|You can) view the .*\bslides\b", re.IGNORECASE)

# A paragraph that is nothing but stage directions: "(Laughter.)", "(A cellphone rings.)",
# "(Speaks Spanish.) (No translation provided.)". Square brackets are the editor's words
# inside speech ("[senior administration official]"), so they do not count.
_BRACKETED = re.compile(r"(?:\([^()]*(?:\([^()]*\)[^()]*)*\)[.\s]*)+")
_LOCATION_WORDS = re.compile(r"(?:Via|Aboard|En Route)\b")

# Moderator and operator, with the misspellings the corpus prints (MODEARTOR, MOERATOR,
# MODERTOR); they call on reporters and are procedural.
_MODERATOR_LABELS = {"moderator", "modeartor", "moerator", "modertor", "operator"}

# "President Biden", "Vice President Harris" in a title name who THE PRESIDENT and THE VICE
# PRESIDENT are; White House titles give the President's surname alone.
_OFFICE_IN_TITLE = re.compile(r"\b(?P<vice>Vice\s+)?President\s+(?P<name>[A-Z][\w'’\-]+)")


def clean_title(title: str) -> str:
    """One line of plain text: no-break spaces to spaces, word joiners dropped."""
    return " ".join(_INVISIBLE_CHARS.sub("", title).split())


@dataclass
class _Draft:
    """A turn being read: its label and its paragraphs, each a list of lines."""

    label: str
    line: int
    is_question: bool = False
    is_note: bool = False
    paragraphs: list[list[str]] = field(default_factory=list)

    def add_line(self, text: str, *, new_paragraph: bool) -> None:
        if not text:
            return
        if new_paragraph or not self.paragraphs:
            self.paragraphs.append([text])
        else:
            self.paragraphs[-1].append(text)

    @property
    def text(self) -> str:
        return "\n\n".join(" ".join(lines) for lines in self.paragraphs)


@dataclass
class _Body:
    start_time: str = ""
    location: list[str] = field(default_factory=list)
    date: dt.date | None = None
    drafts: list[_Draft] = field(default_factory=list)


def build_conference(
    lines: list[tuple[int, str]],
    *,
    title: str,
    held_on: dt.date | None,
    published_on: dt.date | None,
    source_url: str,
    format_name: str,
    warnings: list[str],
) -> ParsedConference:
    """Turn a White House transcript body into a conference.

    `lines` are (line number, plain text) pairs; an empty text is a paragraph break.
    """
    body = _read_body(lines)
    if not any(not draft.is_note for draft in body.drafts):
        raise ParseError(
            "no speakers found: no 'Q' lines or upper-case 'NAME:' labels after the front "
            "matter (a statement or fact sheet, not a transcript?)"
        )
    # A date line under the location is the day it was held; the metadata date is the day
    # it was published, which for calls released later is a day or two after.
    held_on = body.date or held_on
    if held_on is None:
        warnings.append("no date found in the page metadata, title or transcript")
    turns = _make_turns(body.drafts, title=title, warnings=warnings)
    set_outlets(turns)
    return ParsedConference(
        title=title,
        held_on=held_on,
        published_on=published_on,
        start_time=body.start_time,
        location=", ".join(body.location),
        kind=kind_from_title(title),
        organizer=ORGANIZER,
        source_url=source_url,
        participants=_participants(turns),
        exchanges=group_exchanges(turns),
        warnings=warnings,
        format=format_name,
    )


def kind_from_title(title: str) -> str:
    lowered = title.lower()
    if "press conference" in lowered:
        return PRESS_CONFERENCE
    if "background" in lowered:
        return BACKGROUND_CALL
    if "gaggle" in lowered:
        return PRESS_GAGGLE
    if re.search(r"\bcall\b", lowered):
        return PRESS_CALL
    return PRESS_BRIEFING


def _clean_line(text: str) -> str:
    if not text.isascii():
        text = _INVISIBLE_CHARS.sub("", text)
    return " ".join(text.split())


def _paragraphs(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    paragraphs: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, raw in lines:
        text = _clean_line(raw)
        if text:
            current.append((number, text))
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _strip_trailer(paragraphs: list[list[tuple[int, str]]]) -> None:
    """Drop END, the end time, `###` and the slides link from the end, in place.

    They can share a paragraph with the last words ("Thank you.\\nEND  12:30 P.M.\\nEST"),
    so lines are dropped one at a time from the end.
    """
    while paragraphs:
        last = paragraphs[-1]
        while last and _TRAILER_LINE.fullmatch(last[-1][1]):
            last.pop()
        if last:
            # "Thank you. 5:32 P.M. EDT": the end time on the last spoken line.
            number, text = last[-1]
            last[-1] = (number, _END_TIME_ON_LINE.sub("", text))
        if last and _SLIDES_NOTICE.match(" ".join(text for _, text in last)):
            last.clear()
        if last:
            return
        paragraphs.pop()


def _is_bracketed(text: str) -> bool:
    return bool(_BRACKETED.fullmatch(text))


def _speaker_start(text: str, *, paragraph_start: bool, seen: set[str]) -> tuple[str, str] | None:
    """(label, rest of line) when the line opens a turn, else None.

    Mid-paragraph (the blank line before a speaker is sometimes missing) only labels of
    two or more words, or ones already seen, count: a wrapped line can start with
    "NATO: We are prepared", and that is speech.
    """
    question = _QUESTION.fullmatch(text)
    if question:
        rest = question.group("rest")
        # "Q    MR. KIRBY:  So, two thoughts" is a stray Q before the real speaker.
        stray = _speaker_label(rest, paragraph_start=False, seen=seen)
        return stray or ("Q", rest)
    return _speaker_label(text, paragraph_start=paragraph_start, seen=seen)


def _speaker_label(text: str, *, paragraph_start: bool, seen: set[str]) -> tuple[str, str] | None:
    match = _LABEL.fullmatch(text)
    if not match:
        return None
    label = match.group("label").strip()
    if len(label) < 2:
        return None
    if not (paragraph_start or " " in label or label in seen or is_role_label(label)):
        return None
    return label, match.group("rest")


def _read_body(lines: list[tuple[int, str]]) -> _Body:
    paragraphs = _paragraphs(lines)
    _strip_trailer(paragraphs)
    body = _Body()
    seen: set[str] = set()
    current: _Draft | None = None
    pending_notes: list[_Draft] = []

    def open_turn(number: int, label: str, rest: str) -> _Draft:
        body.drafts.extend(pending_notes)
        pending_notes.clear()
        if label != "Q":
            seen.add(label)
        draft = _Draft(label=label, line=number, is_question=label == "Q")
        draft.add_line(rest, new_paragraph=True)
        body.drafts.append(draft)
        return draft

    for paragraph in paragraphs:
        first_number, first_text = paragraph[0]
        joined = " ".join(text for _, text in paragraph)
        starts = _speaker_start(first_text, paragraph_start=True, seen=seen)
        if starts is None and _is_bracketed(joined):
            if current is None and _read_bracketed_preamble(body, joined.strip("()[] .")):
                continue
            # A stage direction belongs to no speaker, unless the same speaker goes on.
            pending_notes.append(
                _Draft(label="", line=first_number, is_note=True, paragraphs=[[joined]])
            )
            continue
        new_paragraph = True
        for index, (number, text) in enumerate(paragraph):
            if current is None:
                timed = _TIME_THEN_SPEAKER.fullmatch(text)
                if timed and _speaker_start(timed.group("rest"), paragraph_start=True, seen=seen):
                    body.start_time = body.start_time or timed.group("time")
                    text = timed.group("rest")
            starts = _speaker_start(text, paragraph_start=index == 0, seen=seen)
            if starts is not None:
                current = open_turn(number, *starts)
                new_paragraph = False
                continue
            if current is None:
                if not _read_preamble_line(body, text):
                    # Prose before the first speaker: an editor's note, kept as one.
                    if new_paragraph or not pending_notes:
                        pending_notes.append(_Draft(label="", line=number, is_note=True))
                    pending_notes[-1].add_line(text, new_paragraph=False)
                    new_paragraph = False
                continue
            if pending_notes:
                for note in pending_notes:
                    current.paragraphs.extend(note.paragraphs)
                pending_notes.clear()
            current.add_line(text, new_paragraph=new_paragraph)
            new_paragraph = False
    body.drafts.extend(pending_notes)
    return body


def _read_preamble_line(body: _Body, text: str) -> bool:
    """Take a line before the first speaker as time, date or location; False for prose."""
    if _TIME_LINE.fullmatch(text):
        body.start_time = body.start_time or text
        return True
    date_match = _DATE_LINE.fullmatch(text)
    if date_match:
        body.date = body.date or _date_from_match(date_match)
        return True
    inner = text.strip("()[] ")
    if _LOCATION_WORDS.match(inner) or _looks_like_place(inner):
        body.location.append(inner)
        return True
    return False


def _read_bracketed_preamble(body: _Body, inner: str) -> bool:
    """ "(Via Teleconference)" and "(September 12, 2021)" are header lines, not notes."""
    if _LOCATION_WORDS.match(inner):
        body.location.append(inner)
        return True
    date_match = _DATE_LINE.fullmatch(inner)
    if date_match:
        body.date = body.date or _date_from_match(date_match)
        return True
    return False


def _looks_like_place(text: str) -> bool:
    """ "James S. Brady Press Briefing Room", "En Route Manchester, New Hampshire"."""
    if not text or len(text) > 100 or text[-1] in "!?:;" or text.endswith(" ."):
        return False
    if text.endswith(".") and not re.search(r"\b[A-Z]\.$", text):  # "Washington, D.C."
        return False
    words = re.findall(r"[^\s,]+", text)
    return all(word[0].isupper() or word[0].isdigit() or len(word) <= 3 for word in words)


def date_from_text(text: str) -> dt.date | None:
    """ "April 9, 2020" or "(Sept. 12, 2021)" to a date."""
    match = _DATE_LINE.fullmatch(" ".join(text.split()))
    return _date_from_match(match) if match else None


def _date_from_match(match: re.Match[str]) -> dt.date | None:
    month = _MONTH_NUMBERS[match.group("month")[:3].lower()]
    try:
        return dt.date(int(match.group("year")), month, int(match.group("day")))
    except ValueError:  # "February 30, 2021"
        return None


def _make_turns(drafts: list[_Draft], *, title: str, warnings: list[str]) -> list[ParsedTurn]:
    office_holders = _office_holders(title)
    cleaned: dict[str, tuple[str, str]] = {}
    turns: list[ParsedTurn] = []
    for draft in drafts:
        text = draft.text
        if not text:
            if not draft.is_note:
                warnings.append(f"line {draft.line}: {draft.label} has no words; skipped")
            continue
        if draft.is_note:
            turns.append(ParsedTurn(speaker_label="", role=NOTE, text=text, line=draft.line))
            continue
        if draft.is_question:
            turns.append(ParsedTurn(speaker_label="Q", role=QUESTION, text=text, line=draft.line))
            continue
        if draft.label not in cleaned:
            cleaned[draft.label] = _speaker_name(draft.label, office_holders, title)
        name, speaker_title = cleaned[draft.label]
        role = MODERATOR if name_key(draft.label) in _MODERATOR_LABELS else ANSWER
        turns.append(
            ParsedTurn(
                speaker_label=draft.label,
                role=role,
                text=text,
                speaker_name=name,
                speaker_title=speaker_title,
                line=draft.line,
            )
        )
    read_misprinted_answers(turns, official_names=_official_names(turns, title), warnings=warnings)
    return turns


def _official_names(turns: list[ParsedTurn], title: str) -> set[str]:
    """The lower-cased words of the title and of every official's label and name: whom a
    reporter may address by name."""
    names = {word.lower() for word in re.findall(r"[\w’'\-]+", title)}
    for turn in turns:
        if turn.role in (ANSWER, MODERATOR) and turn.speaker_label != "Q":
            spoken = f"{turn.speaker_label} {turn.speaker_name}"
            names.update(word.lower() for word in re.findall(r"[\w’'\-]+", spoken))
    return names


def _speaker_name(label: str, office_holders: dict[str, str], heading: str) -> tuple[str, str]:
    key = name_key(label)
    if key in _MODERATOR_LABELS:
        return "", "Moderator" if key != "operator" else "Operator"
    name, title = clean_label(_STRAY_Q.sub("", label))
    return _full_name_in_title(name or office_holders.get(key, ""), heading), title


# Words that stand before a surname in titles without being a given name
# ("Acting Administration Slavitt" in one title, "White House Coordinator Zients").
_NOT_GIVEN_NAMES = {"administration", "house", "council", "office", "department", "team", "force"}


def _full_name_in_title(surname: str, heading: str) -> str:
    """ "Psaki" -> "Jen Psaki" when the title says "Press Secretary Jen Psaki".

    Labels print the surname alone; the title often prints the whole name. A given name
    is one capitalised word right before the surname that is not an office word.
    """
    if not surname or " " in surname:
        return surname
    for match in re.finditer(rf"\b([A-Z][a-z][\w'’\-]*)\s+{re.escape(surname)}\b", heading):
        if match.group(1).lower() not in OFFICE_WORDS | _NOT_GIVEN_NAMES:
            return f"{match.group(1)} {surname}"
    return surname


def _office_holders(title: str) -> dict[str, str]:
    """{"the president": "Biden", "the vice president": "Harris"} as the title names them."""
    holders: dict[str, str] = {}
    for match in _OFFICE_IN_TITLE.finditer(title):
        key = "the vice president" if match.group("vice") else "the president"
        name = re.sub(r"[’']s$", "", match.group("name"))
        holders.setdefault(key, name)
    return holders


def _participants(turns: list[ParsedTurn]) -> list[ParsedParticipant]:
    """Each named official once, with the first title printed for them."""
    participants: dict[str, ParsedParticipant] = {}
    for turn in turns:
        if turn.role in (QUESTION, NOTE) or not turn.speaker_name:
            continue
        key = name_key(turn.speaker_name)
        known = participants.get(key)
        if known is None:
            participants[key] = ParsedParticipant(name=turn.speaker_name, title=turn.speaker_title)
        elif not known.title and turn.speaker_title:
            known.title = turn.speaker_title
    return list(participants.values())
