"""Group a transcript's flat run of turns into exchanges.

Parsers decide who speaks in which role (a reporter's question, an official's answer, the
chair's procedural line); this module decides where one exchange ends and the next begins,
the same way for every format:

- a question opens a new question-and-answer exchange, and every answer after it belongs
  to it until the next question;
- officials speaking before the first question each make a statement exchange;
- moderator lines just before a question belong to that question's exchange (the chair
  calling on an outlet); moderator lines with no question after them are procedural.
"""

from __future__ import annotations

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

    for turn in turns:
        if turn.role == QUESTION:
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
    return settle_unanswered(exchanges)
