"""Whether an exchange has content: the signal the index keeps (SUBSTANCE_FIELD) so that
relevance puts every exchange that says something before those that only pass the floor.
Pure: the floor rules of briefings/floor.py over roles and texts, no Django.

Content-free:
- a procedural exchange (the chair's lines, nothing else);
- an exchange whose every spoken turn (the chair's lines aside) only passes the floor:
  its questions, read together, open a topic or ask for the floor ("On Ukraine --",
  "Can I follow up?"), or each is thanks ("Thank you.") or banter ("Happy Friday.");
  and every answer or statement acknowledges, thanks or hands over ("Sure.",
  "Go ahead, David.", "Next question.");
- an exchange with no words at all;
- a remark that asks nothing (no question mark, at most 40 words) met only by replies
  that pass the floor, are cut off, ask back in a few words or echo it ("Q: On China,
  Jake. -- Yeah, on China.").
A short real question ("And Ukraine?"), a question cut by interruptions into pieces
that say something together, or any answer with words of its own is content. Written
against the floor rules and the issue's examples, then read on a sample of the White
House corpus: floor.is_fragment_exchange alone would take an opening statement for a
reply-less fragment (it reads answers and the chair, not statements), and pieces of
one interrupted question for fragments each.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefings import floor
from briefings.text import KIND_PROCEDURAL, MODERATOR, OFFICIAL_ROLES, QUESTION

from .fields import CONTENT, CONTENT_FREE


def is_content_free(kind: str, turns: Sequence[floor.Spoken]) -> bool:
    if kind == KIND_PROCEDURAL:
        return True
    spoken = [turn for turn in turns if turn.role != MODERATOR and floor.words_of(turn.text)]
    questions = [turn.text for turn in spoken if turn.role == QUESTION]
    others = [turn.text for turn in spoken if turn.role != QUESTION]
    if all(_passes_the_floor(text) for text in others) and _ask_nothing(questions):
        return True
    return _unanswered_remark(questions, others)


# A reporter's remark that asks nothing ("Just one more on the baby formula shortage.",
# "I talked to Cherelle Griner last night.") met only by "Yeah." or an echo ("Yeah, on
# China.") or cut off: nothing was said on the topic. Measured on the judged set
# (tests/data/relevance/): 21 of the content-free results in the top threes were these.
REMARK_WORDS = 40
REPLY_WORDS = 8
CUT = ("—", "–", "-")
ECHO_FILLERS = frozenset({"yeah", "yes", "okay", "ok", "oh", "well", "so", "sure", "right", "i"})


def _unanswered_remark(questions: list[str], others: list[str]) -> bool:
    remark = " ".join(floor.words_of(text) for text in questions)
    if not remark or "?" in remark or len(remark.split()) > REMARK_WORDS:
        return False
    heard = set(_words(remark))
    return all(_says_nothing(floor.words_of(text), heard) for text in others)


def _says_nothing(reply: str, heard: set[str]) -> bool:
    """A reply that passes the floor, is cut off short, asks back in a few words, or only
    echoes the remark's own words."""
    words = _words(reply)
    if _passes_the_floor(reply) or not words:
        return True
    if len(words) > REPLY_WORDS:
        return False
    if reply.rstrip().endswith(CUT) or (reply.rstrip().endswith("?") and len(words) <= 4):
        return True
    return set(words) - ECHO_FILLERS <= heard


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:['’][a-z]+)?", text.lower())


def _ask_nothing(questions: list[str]) -> bool:
    if all(floor.is_thanks(text) or floor.is_banter(text) for text in questions):
        return True  # none at all, too
    return floor.is_fragment_question(" ".join(floor.words_of(text) for text in questions))


def _passes_the_floor(text: str) -> bool:
    return floor.is_acknowledgement(text) or floor.is_handoff(text) or floor.is_thanks(text)


def substance(kind: str, turns: Sequence[floor.Spoken]) -> str:
    """The index value: CONTENT or CONTENT_FREE."""
    return CONTENT_FREE if is_content_free(kind, turns) else CONTENT


# Among exchanges with content, one whose answer is a few words ("Yeah.", "I'll refer you
# to DHS.", "Not at all.") tells a researcher less than one that answers: BM25 favours
# short documents, and these rose above the answers a search was for. A relevance score
# is multiplied by this factor of its officials' words: 1 from FULL_ANSWER words on, less
# below (0.40 for no answer at all, 0.64 for 10 words, 0.87 for 50). With BM25's length
# normalisation lowered to LENGTH_NORMALISATION below, chosen on the judged set of
# tests/data/relevance/ (bench/relevance.py) and checked on the blind one: flat within
# 0.01 of nDCG@10 for exponents 0.1-0.3 and FULL_ANSWER 50-150.
FULL_ANSWER = 100
ANSWER_EXPONENT = 0.2

# BM25's length normalisation b, lowered from whoosh's 0.75: at 0.75 a short exchange
# ("Q: On East Palestine? -- Sure.") outscored the answers that said something, and
# lowering it lifted nDCG@10 on the judged set (bench/relevance.py) from 0.73 to 0.86
# before the answer-length factor above, 0.93 with it. Both the Whoosh path
# (search/whoosh/bulk.py) and Xapian (search/servers/xapian.py) score with it.
LENGTH_NORMALISATION = 0.5


def answer_words(turns: Sequence[floor.Spoken]) -> int:
    """How many words officials say in the exchange: its answers and statements."""
    return sum(
        len(floor.words_of(turn.text).split()) for turn in turns if turn.role in OFFICIAL_ROLES
    )


def answer_factor(words: int) -> float:
    """The factor a relevance score is multiplied by for an answer of `words` words."""
    return min(1.0, (words + 1) / FULL_ANSWER) ** ANSWER_EXPONENT
