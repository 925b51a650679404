"""From speaker labels to roles, for the printed formats (SCIO briefings and page series,
MFA): a turn as read, who its label names, and the roles that follow from that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from briefings.text import ANSWER, MODERATOR, NOTE, QUESTION, is_only_note

from ..records import ParsedParticipant, ParsedTurn
from ._printed import Roster


@dataclass
class RawTurn:
    """A label and its paragraphs, before roles are decided."""

    label: str
    line: int
    paragraphs: list[str] = field(default_factory=list)


CHAIR = "chair"
OFFICIAL = "official"
OUTLET = "outlet"


@dataclass
class Speaker:
    """Who a label names: the chair, an official (listed or not), or the outlet asking."""

    kind: str
    participant: ParsedParticipant | None = None
    outlet: str = ""


def listed_speaker(label: str, roster: Roster) -> Speaker | None:
    participant = roster.find(label)
    if participant is None:
        return None
    return Speaker(CHAIR if participant.is_chair else OFFICIAL, participant)


def build_turns(raw_turns: list[RawTurn], speakers: list[Speaker]) -> list[ParsedTurn]:
    """Turns with roles: officials answer, outlets ask, the chair moderates unless answering.

    A chair turn right after a question answers it ("That question is for me ...");
    anywhere else the chair is calling on an outlet, handing over or closing.
    """
    turns: list[ParsedTurn] = []
    previous_role = ""
    for raw, speaker in zip(raw_turns, speakers, strict=True):
        text = "\n\n".join(raw.paragraphs)
        participant = speaker.participant
        if speaker.kind == OUTLET:
            role = QUESTION
        elif speaker.kind == CHAIR:
            role = ANSWER if previous_role == QUESTION else MODERATOR
        else:
            role = ANSWER
        if is_only_note(text):
            role = NOTE
        turns.append(
            ParsedTurn(
                speaker_label=raw.label,
                role=role,
                text=text,
                speaker_name=participant.name if participant else "",
                speaker_title=participant.title if participant else "",
                outlet=speaker.outlet,
                line=raw.line,
            )
        )
        if role != NOTE:
            previous_role = role
    return turns


def drop_empty_turns(raw_turns: list[RawTurn], warnings: list[str]) -> list[RawTurn]:
    kept = []
    for raw in raw_turns:
        if raw.paragraphs:
            kept.append(raw)
        else:
            warnings.append(f"line {raw.line}: label {raw.label!r} has no text; dropped")
    return kept
