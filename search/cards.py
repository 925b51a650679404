"""A result card: what a researcher needs to judge a hit without opening it.

The briefing and its date (the template's), then the question's first line with who asked
it and for which outlet, then who answered (with their title at that briefing) and the
answer's words where the search matched them. The pieces are cut from the exchange's
turns in the database, never from the index's document, which runs question and answer
together. Where only the question matched, the card shows that part of the question and
the answer's opening, and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from briefings.floor import asked_question
from briefings.models import Turn

from .highlight import Excerpt, Highlight, excerpt_turn, wants_marks
from .language import Analyzer

QUESTION_CHARS = 160  # the question's first line
ANSWER_CHARS = 240
REPORTER = "A reporter"  # an asker the transcript does not name ("Q")


@dataclass(frozen=True)
class CardPart:
    """One turn on a card: who spoke it, as printed and as the archive knows them."""

    name: str  # the person's name, or the label when it names someone; never a bare "Q"
    label: str  # the speaker label exactly as printed
    title: str  # the title printed at that briefing
    outlet: str  # the asker's outlet
    excerpt: Excerpt
    position: int  # the turn's position in its exchange


@dataclass(frozen=True)
class Card:
    question: CardPart | None  # None for a statement or procedural lines
    answer: CardPart | None  # the official's words; None when nobody answered
    # "answer", "question", "follow-up question", "title or names", or "" (filters only)
    matched_in: str


def build_card(turns: Sequence[Turn], highlight: Highlight, analyzer: Analyzer) -> Card:
    """The card of an exchange from its turns (in order, person and outlet joined)."""
    asked = asked_question(turns)
    replies = [turn for turn in turns if turn.is_official] or [
        turn for turn in turns if turn.role not in (Turn.Role.QUESTION, Turn.Role.NOTE)
    ]
    answers = [(turn, _excerpt(turn, highlight, analyzer, ANSWER_CHARS)) for turn in replies]
    best = max(answers, key=lambda pair: pair[1].marks, default=None)
    if best is not None and best[1].matched:
        question = _part(asked, _excerpt(asked, highlight, analyzer, opening_only=True))
        return Card(question, _part(*best), "answer")
    # No answer holds the words: the first question that does, around the match.
    answer = _part(*answers[0]) if answers else None
    for turn in sorted(
        (turn for turn in turns if turn.role == Turn.Role.QUESTION), key=lambda t: t is not asked
    ):
        excerpt = _excerpt(turn, highlight, analyzer)
        if excerpt.matched:
            where = "question" if turn is asked else "follow-up question"
            return Card(_part(turn, excerpt), answer, where)
    question = _part(asked, _excerpt(asked, highlight, analyzer, opening_only=True))
    # Words searched for and not said here: the briefing's title or a name matched.
    return Card(question, answer, "title or names" if wants_marks(highlight) else "")


def _excerpt(
    turn: Turn | None,
    highlight: Highlight,
    analyzer: Analyzer,
    chars: int = QUESTION_CHARS,
    *,
    opening_only: bool = False,
) -> Excerpt:
    if turn is None:
        return Excerpt("", False)
    return excerpt_turn(
        turn.spoken_text,
        highlight,
        analyzer,
        chars=chars,
        fragments=1 if chars <= QUESTION_CHARS else 2,
        opening_only=opening_only,
    )


def _part(turn: Turn | None, excerpt: Excerpt) -> CardPart | None:
    if turn is None:
        return None
    return CardPart(
        name=speaker_name(turn),
        label=turn.speaker_label,
        title=_title(turn),
        outlet=turn.outlet.name if turn.outlet else "",
        excerpt=excerpt,
        position=turn.position,
    )


def _title(turn: Turn) -> str:
    """The title printed with the turn, else the one printed for the person at that
    briefing (`title_here`, annotated by search.searching); never the label again."""
    title = turn.speaker_title or getattr(turn, "title_here", None) or ""
    return "" if title.lower() == turn.speaker_label.lower() else title


def speaker_name(turn: Turn) -> str:
    """The person's name where known; an asker printed as "Q" (or as their outlet, which
    the card shows beside them) is "A reporter"."""
    if turn.person:
        return turn.person.name
    if turn.role == Turn.Role.QUESTION and (
        _bare_question_label(turn.speaker_label)
        or (turn.outlet and turn.outlet.name == turn.speaker_label)  # printed the outlet
    ):
        return REPORTER
    return turn.speaker_label


def _bare_question_label(label: str) -> bool:
    """ "Q", "Q.", "QUESTION:", "Reporter": a label that names nobody."""
    bare = label.strip().strip(".:").lower()
    return bare in {"q", "question", "reporter", "a reporter", "audience member", "press"}
