"""Whether an exchange has content: the signal the index keeps (SUBSTANCE_FIELD) so that
relevance puts every exchange that says something before those that only pass the floor.
Pure: the floor rules of briefings/floor.py over roles and texts, no Django.

Content-free:
- a procedural exchange (the chair's lines, nothing else);
- an exchange whose every spoken turn (the chair's lines aside) only passes the floor:
  questions that open a topic or ask for the floor ("On Ukraine --", "Can I follow up?"),
  thanks ("Thank you."), opening banter ("Happy Friday."), and replies that acknowledge
  or hand over ("Sure.", "Go ahead, David.", "Next question.");
- an exchange with no words at all.
A short real question ("And Ukraine?") or any answer with words of its own is content.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefings import floor
from briefings.text import KIND_PROCEDURAL, MODERATOR, QUESTION

from .fields import CONTENT, CONTENT_FREE


def is_content_free(kind: str, turns: Sequence[floor.Spoken]) -> bool:
    if kind == KIND_PROCEDURAL:
        return True
    spoken = [turn for turn in turns if turn.role != MODERATOR and floor.words_of(turn.text)]
    if not spoken or floor.is_fragment_exchange(turns):
        return True
    return all(_passes_the_floor(turn) for turn in spoken)


def _passes_the_floor(turn: floor.Spoken) -> bool:
    if turn.role == QUESTION:
        return (
            floor.is_thanks(turn.text)
            or floor.is_banter(turn.text)
            or floor.is_fragment_question(turn.text)
        )
    return (
        floor.is_acknowledgement(turn.text)
        or floor.is_handoff(turn.text)
        or floor.is_thanks(turn.text)
    )


def substance(kind: str, turns: Sequence[floor.Spoken]) -> str:
    """The index value: CONTENT or CONTENT_FREE."""
    return CONTENT_FREE if is_content_free(kind, turns) else CONTENT
