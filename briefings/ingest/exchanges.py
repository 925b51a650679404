"""Group a transcript's flat run of turns into exchanges.

Parsers decide who speaks in which role (a reporter's question, an official's answer, the
chair's procedural line); this module decides where one exchange ends and the next begins,
the same way for every format:

- a question opens a new question-and-answer exchange, and every answer after it belongs
  to it until the next question; a reporter's "Thank you." stays in the exchange it closes;
- officials speaking before the first question each make a statement exchange;
- moderator lines just before a question belong to that question's exchange (the chair
  calling on an outlet); moderator lines with no question after them are procedural.

Before grouping, an official's words that only call the next questioner ("Next question.",
"Thanks. Our next question comes from Mona Austin.") are the moderator's, whoever says
them. A turn that is nothing else becomes a moderator turn, and opens the exchange of the
question it calls, as a hand-off printed under a MODERATOR label does. A substantive
answer that ends with one is cut in two, the answer and the hand-off: the answer keeps
every word of its substance and the hand-off stays at the end of the exchange it was said
in, so that a printed turn never spans two exchanges and the next exchange begins where
the transcript's next speaker does.

After grouping (briefings/floor.py has the word rules):

- a fragment (a topic opener, "On Ukraine --", answered only by "Sure.") joins the
  exchange of the real question that follows, its acknowledgement a moderator's line;
- a reporter's banter at the opening ("Happy Friday.") joins the opening statement it
  was answered with, rather than making that statement an answer to it.
"""

from __future__ import annotations

from dataclasses import replace

from briefings import floor
from briefings.text import (
    ANSWER,
    KIND_PROCEDURAL,
    KIND_QA,
    KIND_STATEMENT,
    MODERATOR,
    NOTE,
    QUESTION,
    STATEMENT,
)

from .records import ParsedExchange, ParsedTurn
from .unanswered import settle_unanswered


def group_exchanges(turns: list[ParsedTurn]) -> list[ParsedExchange]:
    exchanges: list[ParsedExchange] = []
    current: ParsedExchange | None = None
    pending: list[ParsedTurn] = []  # moderator and note turns waiting to see what follows

    def flush_pending_as_procedural() -> None:
        nonlocal pending
        if pending:
            exchanges.append(ParsedExchange(kind=KIND_PROCEDURAL, turns=pending))
            pending = []

    marked, tails = mark_handoffs(turns)
    for turn in marked:
        # A hand-off cut from an answer, and a reporter's thanks, stay where they were said.
        if current is not None and (id(turn) in tails or _closes(current, turn, pending)):
            current.turns.extend([*pending, turn])
            pending = []
        elif turn.role == QUESTION:
            current = ParsedExchange(kind=KIND_QA, turns=[*pending, turn])
            pending = []
            exchanges.append(current)
        elif turn.role in (MODERATOR, NOTE):
            pending.append(turn)
        elif current is not None and current.kind == KIND_QA:
            current.turns.extend(pending)
            pending = []
            turn.role = ANSWER
            current.turns.append(turn)
        else:
            flush_pending_as_procedural()
            turn.role = STATEMENT
            current = ParsedExchange(kind=KIND_STATEMENT, turns=[turn])
            exchanges.append(current)

    # Closing lines ("Thank you, everyone. Today's press conference is concluded.")
    flush_pending_as_procedural()
    return mark_courtesies(settle_unanswered(join_banter(join_fragments(exchanges))))


def _closes(current: ParsedExchange, turn: ParsedTurn, pending: list[ParsedTurn]) -> bool:
    """A reporter's "Thank you." right after the answer to their question."""
    return (
        turn.role == QUESTION
        and current.kind == KIND_QA
        and not any(t.role == MODERATOR for t in pending)
        and current.turns[-1].role == ANSWER
        and floor.is_thanks(turn.text)
    )


def mark_handoffs(turns: list[ParsedTurn]) -> tuple[list[ParsedTurn], set[int]]:
    """The turns with every official's hand-off to the next questioner a moderator's line,
    and the ids of the hand-offs cut from the end of an answer.

    Only a hand-off followed by a question (or the chair's own line) is one: "Let's go to
    Dr. Walensky." before her answer passes the floor to an official, and words at the
    very end have no one to pass it to.
    """
    marked: list[ParsedTurn] = []
    tails: set[int] = set()
    for turn, following in zip(turns, _following_roles(turns), strict=True):
        start = (
            floor.handoff_start(turn.text)
            if turn.role == ANSWER and following in (QUESTION, MODERATOR)
            else None
        )
        if start is None:
            marked.append(turn)
        elif start == 0:
            turn.role = MODERATOR
            marked.append(turn)
        else:
            said, handoff = turn.text[:start].rstrip(), turn.text[start:].strip()
            tail = replace(turn, text=handoff, role=MODERATOR)
            marked.extend([replace(turn, text=said), tail])
            tails.add(id(tail))
    return marked, tails


def _following_roles(turns: list[ParsedTurn]) -> list[str | None]:
    """The role of the next turn that is not a note, for each turn (None after the last):
    one pass from the end, not a scan of the rest for every turn."""
    following: list[str | None] = []
    role: str | None = None
    for turn in reversed(turns):
        following.append(role)
        if turn.role != NOTE:
            role = turn.role
    return following[::-1]


def join_fragments(exchanges: list[ParsedExchange]) -> list[ParsedExchange]:
    """Each fragment exchange joined to the question-and-answer exchange after it."""
    joined: list[ParsedExchange] = []
    carried: list[ParsedTurn] = []
    for index, exchange in enumerate(exchanges):
        turns = [*carried, *exchange.turns]
        carried = []
        following = exchanges[index + 1] if index + 1 < len(exchanges) else None
        if (
            exchange.kind == KIND_QA
            and following is not None
            and following.kind == KIND_QA
            and floor.is_fragment_exchange(turns)
        ):
            for turn in turns:
                if turn.role == ANSWER:
                    turn.role = MODERATOR  # "Sure.": the floor given, not an answer
            carried = turns
            continue
        joined.append(ParsedExchange(kind=exchange.kind, turns=turns))
    return joined


def join_banter(exchanges: list[ParsedExchange]) -> list[ParsedExchange]:
    """The opening's banter exchanges joined to the statement they were answered with.

    The opening lasts until the first question that is more than banter. In it, an
    exchange whose questions are banter and whose answers hold a statement-length turn
    is a statement; banter exchanges before it (greetings back and forth) join it, and so
    does the official's greeting that opened the briefing ("Good afternoon, everyone.", a
    statement of a few words just before).
    """
    joined: list[ParsedExchange] = []
    waiting: list[ParsedExchange] = []
    for index, exchange in enumerate(exchanges):
        if exchange.kind != KIND_QA:
            joined.extend(waiting)
            waiting = []
            joined.append(exchange)
            continue
        questions = [t for t in exchange.turns if t.role == QUESTION]
        if not all(floor.is_banter(q.text) for q in questions):
            joined.extend([*waiting, *exchanges[index:]])
            return joined
        answers = [t for t in exchange.turns if t.role == ANSWER]
        if any(len(t.text.split()) >= floor.STATEMENT_WORDS for t in answers):
            turns = [t for e in waiting for t in e.turns] + exchange.turns
            if joined and _is_greeting(joined[-1]):
                turns[:0] = joined.pop().turns
            for turn in turns:
                if turn.role == ANSWER:
                    turn.role = STATEMENT
            joined.append(ParsedExchange(kind=KIND_STATEMENT, turns=turns))
            waiting = []
        else:
            waiting.append(exchange)
    joined.extend(waiting)
    return joined


def _is_greeting(exchange: ParsedExchange) -> bool:
    """A statement of a few words only ("Good afternoon, everyone.")."""
    spoken = [t for t in exchange.turns if t.role != NOTE]
    return (
        exchange.kind == KIND_STATEMENT
        and bool(spoken)
        and all(len(floor.words_of(t.text).split()) <= floor.BANTER_WORDS for t in spoken)
    )


def mark_courtesies(exchanges: list[ParsedExchange]) -> list[ParsedExchange]:
    """An exchange of thanks only ("Thank you." "Thank you all." at the end of a gaggle) is
    procedural: the official's reply is the chair's line, not an answer."""
    for exchange in exchanges:
        spoken = [t for t in exchange.turns if t.role != NOTE]
        if (
            exchange.kind == KIND_QA
            and any(t.role == QUESTION for t in spoken)
            and all(t.role in (QUESTION, ANSWER, MODERATOR) for t in spoken)
            and all(floor.is_thanks(t.text) or floor.is_acknowledgement(t.text) for t in spoken)
        ):
            exchange.kind = KIND_PROCEDURAL
            for turn in spoken:
                if turn.role == ANSWER:
                    turn.role = MODERATOR
    return exchanges
