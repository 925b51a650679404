"""Rev.com-style transcripts: a `Name: (mm:ss)` header line, then the words.

    Mike Pence: (42:34)
    Mr. Secretary.
    Speaker 5: (48:27)
    Mr. Vice President, I have a question for you ...
    Dr. Fauci: (01:00:09)
    Ditto to everything that Dr. Birx said ...

Timestamps switch to `(hh:mm:ss)` after an hour. A long speech is cut into several
turns by the same speaker, each with its own timestamp; consecutive turns by the same
label are merged back into one (paragraphs separated by a blank line). There is no title
or date in the file: the title is "Press briefing" and the loader takes the date from the
file name.

Who asks and who answers is not printed, so it is decided per speaker, once per file:

1. A label that names no one is a reporter: `Press`, `Press Steve`, `Reporter 3`,
   `Male Reporter`, `Speaker 4`, `Speaker 5-Reporter`, `Audience`, `Reporters`.
2. A named speaker is an official when any of these holds: the label has an office or
   doctor's title (`Dr. Fauci`, `Secretary Azar`, `Vice Admiral Abel`); they first speak
   before the questions start (the first turn of rule 1, or the first turn ending in "?"
   by anyone but the opening speaker); they say 600 words or more in all; none of their
   turns has a "?".
3. Every other named speaker is a reporter: they arrive once questions are being taken,
   ask something, and speak briefly (`Jim`, `Sophie Tatum`, `Philip Weidman`).

A reporter's turns are questions and an official's turns are answers, except a turn that
is nothing but a note (`[crosstalk 00:30:32]`), which is a note. The transcriber sometimes
puts an official's words under a bare `Speaker 1`: a turn under such a label that asks
nothing, runs to an answer's length (CONTINUATION_WORDS) and follows a question or an
answer cut off mid-sentence ("... it's important to note-") is that answer, not a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefings.text import ANSWER, NOTE, QUESTION, is_only_note, name_key

from ..exchanges import group_exchanges
from ..names import OFFICE_WORDS, clean_label
from ..records import ParsedConference, ParsedParticipant, ParsedTurn, ParseError
from ._whitehouse import date_from_text
from .protocol import Format

NAME = "timestamped"
VERSION = "2"

TITLE = "Press briefing"
KIND = "press_briefing"

# Officials say more than this in a briefing; the chattiest reporter in the corpus says 463.
OFFICIAL_WORDS = 600
# A bare `Speaker N` turn of this many words that asks nothing, after a question or an
# interrupted answer, is an official's answer (the longest such reporter's turn is 36).
CONTINUATION_WORDS = 60

_HEADER = re.compile(r"(?P<label>[^:\n]{1,80}?)\s*:\s*\((?P<time>(?:\d{1,2}:)?\d{1,2}:\d{2})\)\s*")
_HEADER_LINES = re.compile(r"^[^:\n]{1,80}:[ \t]*\((?:\d{1,2}:)?\d{1,2}:\d{2}\)[ \t]*\r?$", re.M)
_REPORTER_LABEL = re.compile(
    r"(?:press|reporters?|male reporter|female reporter|speaker\s*\d+|audience(?: member)?"
    r"|crowd|journalist|unknown speaker)\b"
    r"|.*\breporter\b",
    re.IGNORECASE,
)
_BARE_SPEAKER = re.compile(r"speaker\s*\d+", re.IGNORECASE)
_CUT_OFF = re.compile(r"(?:-|—|–|…|\.\.\.)[\s\"”’')\]]*$")
_ENDS_WITH_QUESTION = re.compile(r"\?[\s\"”’')\]…\-]*$")
_NAMED_REPORTER = re.compile(
    r"(?i:press|reporter)\s+(?P<name>[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*)*)"
)


@dataclass
class _Turn:
    label: str
    line: int
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def sniff(text: str) -> bool:
    """Three or more `Name: (mm:ss)` header lines."""
    return len(_HEADER_LINES.findall(text[:200000])) >= 3


def parse(text: str) -> ParsedConference:
    turns, preamble = _read_turns(text)
    if not turns:
        raise ParseError("no 'Name: (mm:ss)' header lines: not a timestamped transcript", line=1)
    warnings: list[str] = []
    held_on = next((date_from_text(line) for _, line in preamble if date_from_text(line)), None)
    ignored = [number for number, line in preamble if not date_from_text(line)]
    if ignored:
        warnings.append(f"lines {ignored[0]}–{ignored[-1]} come before the first speaker; ignored")
    if held_on is None:
        warnings.append("no date in the transcript; take it from the file name")
    merged: list[_Turn] = []
    for turn in turns:
        if not turn.paragraphs:
            warnings.append(f"line {turn.line}: {turn.label} has no words; skipped")
        elif merged and merged[-1].label == turn.label:
            merged[-1].paragraphs.extend(turn.paragraphs)
        else:
            merged.append(turn)
    reporters = _reporters(merged)
    parsed_turns = [_parsed_turn(turn, is_reporter=turn.label in reporters) for turn in merged]
    _answer_continuations(parsed_turns)
    return ParsedConference(
        title=TITLE,
        held_on=held_on,
        kind=KIND,
        participants=_participants(parsed_turns),
        exchanges=group_exchanges(parsed_turns),
        warnings=warnings,
        format=NAME,
    )


def _read_turns(text: str) -> tuple[list[_Turn], list[tuple[int, str]]]:
    """Header-led turns, and the lines before the first header."""
    turns: list[_Turn] = []
    preamble: list[tuple[int, str]] = []
    # Not splitlines(): text decoded as Latin-1 has U+0085 where "…" was, a line break there.
    for number, raw in enumerate(text.split("\n"), 1):
        line = " ".join(raw.split())
        if not line:
            continue
        header = _HEADER.fullmatch(line)
        if header:
            turns.append(_Turn(label=header.group("label").strip(), line=number))
        elif turns:
            turns[-1].paragraphs.append(line)
        else:
            preamble.append((number, line))
    return turns, preamble


def _is_titled(label: str) -> bool:
    first = label.split(maxsplit=1)[0].lower().rstrip(".") if label.strip() else ""
    return first == "dr" or first in OFFICE_WORDS


def _reporters(turns: list[_Turn]) -> set[str]:
    """The labels of reporters, by the rules in the module docstring."""
    opener = turns[0].label if turns else ""
    questions_start = next(
        (
            index
            for index, turn in enumerate(turns)
            if _REPORTER_LABEL.match(turn.label)
            or (turn.label != opener and _ENDS_WITH_QUESTION.search(turn.text))
        ),
        len(turns),
    )
    first_turn: dict[str, int] = {}
    words: dict[str, int] = {}
    asks: dict[str, bool] = {}
    for index, turn in enumerate(turns):
        first_turn.setdefault(turn.label, index)
        words[turn.label] = words.get(turn.label, 0) + len(turn.text.split())
        asks[turn.label] = asks.get(turn.label, False) or "?" in turn.text
    return {
        label
        for label in first_turn
        if _REPORTER_LABEL.match(label)
        or not (
            _is_titled(label)
            or first_turn[label] < questions_start
            or words[label] >= OFFICIAL_WORDS
            or not asks[label]
        )
    }


def _parsed_turn(turn: _Turn, *, is_reporter: bool) -> ParsedTurn:
    text = turn.text
    if _REPORTER_LABEL.match(turn.label):
        # "Press Steve" names Steve; "Speaker 4", "Reporter 3" and "Audience" name no one.
        named = _NAMED_REPORTER.fullmatch(turn.label)
        name, title = (named.group("name") if named else ""), ""
    else:
        name, title = _name_and_title(turn.label)
    role = NOTE if is_only_note(text) else QUESTION if is_reporter else ANSWER
    return ParsedTurn(
        speaker_label=turn.label,
        role=role,
        text=text,
        speaker_name=name,
        speaker_title=title,
        line=turn.line,
    )


def _answer_continuations(turns: list[ParsedTurn]) -> None:
    """A bare `Speaker N` turn that answers (see the module docstring) is an answer."""
    previous: ParsedTurn | None = None
    for turn in turns:
        if (
            previous is not None
            and turn.role == QUESTION
            and _BARE_SPEAKER.fullmatch(turn.speaker_label)
            and "?" not in turn.text
            and len(turn.text.split()) >= CONTINUATION_WORDS
            and (
                _ENDS_WITH_QUESTION.search(previous.text)
                or (previous.role == ANSWER and _CUT_OFF.search(previous.text))
            )
        ):
            turn.role = ANSWER
        if turn.role != NOTE:
            previous = turn


def _name_and_title(label: str) -> tuple[str, str]:
    """ "Secretary Azar" -> ("Azar", "Secretary"); "Dr. Anthony Fauci" -> ("Anthony Fauci", "").

    `clean_label` splits office words only off upper-case labels; these are in mixed case.
    """
    words = label.split()
    title_words: list[str] = []
    while len(words) > 1 and words[0].lower().rstrip(".") in OFFICE_WORDS:
        title_words.append(words.pop(0))
    name, title = clean_label(" ".join(words))
    return name, " ".join(title_words) or title


def _participants(turns: list[ParsedTurn]) -> list[ParsedParticipant]:
    participants: dict[str, ParsedParticipant] = {}
    for turn in turns:
        if turn.role in (QUESTION, NOTE) or not turn.speaker_name:
            continue
        key = name_key(turn.speaker_name)
        if key and key not in participants:
            participants[key] = ParsedParticipant(name=turn.speaker_name, title=turn.speaker_title)
    return list(participants.values())


FORMAT = Format(
    name=NAME,
    version=VERSION,
    sniff=sniff,
    parse=parse,
)
