"""Who has the floor: the words of a turn that only pass it on, as English transcripts print
them. Pure (no Django): the parsers' exchange grouping and the audit read the same rules.

- An acknowledgement hands the floor back: "Sure.", "Go ahead.", "Yeah, go ahead, Kayla."
- A fragment question only opens a topic or asks for the floor: "On Ukraine --", "Jen --",
  "Can I ask a follow-up?". A real short question ("And Ukraine?") is none.
- A hand-off calls the next questioner: "Next question.", "Our next question comes from Mona
  Austin.", "Next, we'll go to Josh Boak.", "Monica, last question.", "Go ahead, Kayla.",
  with the thanks and fillers around it ("Thanks, Dr. Murthy. Next question.").
- Banter is a reporter's few words before the briefing begins: "Hey, hey.", "Happy Friday."
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, TypeVar

from briefings.text import ANSWER, MODERATOR, QUESTION, strip_notes

FRAGMENT_WORDS = 4  # a question of at most this many words is a fragment opener
CUT_OFF_WORDS = 15  # ... and one cut off ("On Ukraine --") of at most this many
BANTER_WORDS = 6  # a reporter's greeting at the opening is at most this many words
STATEMENT_WORDS = 40  # an official's turn of at least this many words can open a briefing
HANDOFF_WORDS = 30  # a hand-off sentence is at most this long
WAITING_SENTENCES = 2  # short sentences after a hand-off, waiting for the line

ACKNOWLEDGEMENTS = frozenset(
    {
        "sure",
        "go ahead",
        "yeah",
        "yes",
        "okay",
        "ok",
        "yep",
        "please",
        "uh-huh",
        "right",
        "of course",
        "go for it",
        "we can",
        "we can hear you",
        "yes we can",
    }
)
TRAILING_OFF = ("--", "—", "–")
_PIECE = re.compile(r"[.,!?;:]+(?:\s+|$)")
# A sentence ends at . ! or ?, but not at a title before a name ("Thanks, Dr. Murthy.").
_SENTENCE = re.compile(r"(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)(?<=[.!?])[\"”’')\]]*\s+")
# A name said to someone: "Kayla", "Dr. Murthy", "in the back".
_VOCATIVE = re.compile(r"(?:(?:mr|ms|mrs|dr)\.?\s+)?[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,2}")
_BACK = re.compile(r"(?:in the back|in the middle|right here|over here|behind you)$", re.I)
# "Can I ask a follow-up?", "One more?", "Hi, can you hear me?": asking for the floor.
_FLOOR = re.compile(
    r"\b(?:(?:can|could|may) i (?:ask|get|follow)|follow[- ]?up|one more|"
    r"can (?:you )?hear me)\b",
    re.I,
)
# "Me?", "Jake?", "Sorry, me?": asking whether the floor is theirs, or whose it is.
_CALLED = re.compile(
    r"^(?:(?:sorry|hi|hey|okay)[,.]?\s+)?"
    r"(?:me|yeah|yes|(?!(?:why|what|how|when|where|who|which|really|seriously|today|"
    r"tomorrow|yesterday|tonight|now|again|ever|never|\w+day)\?)"
    r"(?-i:[A-Z])[\w’'\-]*)\?$",
    re.I,
)
# "And on China?", "On the border?", "And Ukraine?": naming a topic, asking nothing yet.
_TOPIC = re.compile(r"^(?:(?:and|also|so|just|then|but),?\s+)+\S|^(?:on|about|regarding)\s", re.I)
_GREETING = re.compile(r"\bhow are you\b|\bhow['’]s it going\b|\bhow are we\b", re.I)
_THANKS_ONLY = re.compile(
    r"^(?:(?:thank you|thanks|thank you so much|thanks so much|okay|all right|great)"
    r"(?:,? (?:very much|so much|again|sir|ma['’]am|[A-Z][\w’'\-]*))*[.!]?\s*)+$",
    re.I,
)

_QUESTION_WORDS = r"(?:next|first|last|final|one more|another)\s+question"
_NAME = r"(?-i:[A-Z])[\w’'\-]*"  # a capitalised word, whatever the pattern's flags
_HANDOFF = re.compile(
    "|".join(
        [
            # "Next question.", "Last question, please.", "Our next question comes from ..."
            rf"^(?:and |so |now,? |okay,? |all right,? )?(?:(?:for )?(?:our|the) )?"
            rf"{_QUESTION_WORDS}(?:,?\s*(?:please)?[.!]*$|\s+(?:today\s+)?(?:will|comes|goes|is|to|"
            r"from|for)\b|,?\s+(?:let['’]s|we['’]ll|we will)\b)",
            # "Monica, last question.", "Akayla, you have the last question."
            rf"^{_NAME}(?: {_NAME})?,\s+(?:you have )?(?:the )?{_QUESTION_WORDS}",
            # "Next, we'll go to Josh Boak.", "Let's go to Sasha Pezenik at ABC News.": a
            # name and where they are from ends the sentence ("we'll go to Italy, we'll go
            # to France, ..." goes on).
            r"\b(?:we['’]ll|we will|let['’]s|let us|we['’]re going to|i['’]ll)\s+(?:now\s+)?"
            r"(?:go|turn|move)\s+(?:over\s+)?to\s+(?:questions\b|you\b|the phones?\b|"
            rf"{_NAME}(?:[\s.’'\-]+{_NAME})*(?:\s*[—–]+.*)?"
            r"(?:,?\s+(?:at|from|with|of|for|in|on|next|then|after that|first)\b[^,;]*)?"
            r"[.!?]?$)",
            # "Trudy, you should be able to unmute yourself."
            r"\bunmute\b",
            # "Andrew Restuccia at Wall Street Journal." (a whole name: "Biden at Camp David."
            # ends an answer)
            rf"^{_NAME}(?:\s+{_NAME}){{1,2}}\s+(?:at|from|with)\s+(?:the\s+)?{_NAME}"
            rf"(?:\s+{_NAME}){{0,4}}[.!]?$",
            # "Over to you, Kevin.", "Back to you, Karine."
            rf"^(?:and |so |okay,? |all right,? )?(?:over|back) to you,?\s+{_NAME}[.!]?$",
            # "Go ahead, Kayla.", "Go ahead, in the back."
            r"^(?:okay,? |all right,? |yeah,? )?go ahead"
            r"(?:[.!]?$|,\s+(?:(?-i:[A-Z])|in the |right |over ))",
            # "Yeah, please.", "Please go ahead.", "How about one more?", "Who else, please?"
            r"^(?:yes,? |yeah,? |okay,? )?please(?: go ahead)?[.!]?$",
            r"^(?:all right,? |okay,? )?(?:how about )?(?:one|two|a couple) more"
            r"(?:,? please)?[.!?]?$",
            r"^who else\b",
            r"\bwe have time for (?:one|a couple|two) more\b",
            r"\b(?:take|have) (?:a few|a couple(?: of)?|some) questions\b",
        ]
    ),
    re.I,
)
# Said around a hand-off without changing it: "Thank you.", "All right.", "Let's see."
_FILLER = re.compile(
    r"^(?:(?:and |so )?(?:thank you|thanks|thank you so much|thanks so much|okay|ok|all right|"
    r"alright|great|wonderful|perfect|good|let['’]s see|let me see|"
    r"thanks for (?:the |your )?questions?|i appreciate (?:the|your) question|go ahead)"
    rf"(?:,?\s+(?:very much|so much|again|everyone|everybody|(?:(?-i:Dr|Mr|Ms|Mrs)\.\s+)?"
    rf"{_NAME}(?: {_NAME})?))*"
    r"[.!]*)$",
    re.I,
)


def words_of(text: str) -> str:
    return strip_notes(text).strip()


def is_acknowledgement(words: str) -> bool:
    """ "Sure.", "Go ahead.", "Yeah. Go ahead, Kayla.": only words that hand the floor over."""
    pieces = [p.strip() for p in _PIECE.split(words_of(words)) if p.strip()]
    acknowledged = False
    for piece in pieces:
        bare = re.sub(r"[^\w\s-]", "", piece).strip().lower()
        if bare in ACKNOWLEDGEMENTS:
            acknowledged = True
        elif not (_VOCATIVE.fullmatch(piece) or _BACK.fullmatch(piece)):
            return False
    return acknowledged


def is_fragment_question(words: str) -> bool:
    """A topic opener or a request for the floor, not a question yet."""
    words = words_of(words)
    count = len(words.split())
    if count <= CUT_OFF_WORDS and words.endswith(TRAILING_OFF):
        return True
    if words.endswith("?"):
        if count <= FRAGMENT_WORDS and (_TOPIC.match(words) or _CALLED.match(words)):
            return True
        return count <= CUT_OFF_WORDS and bool(_FLOOR.search(words))
    return count <= FRAGMENT_WORDS


def is_fragment(questions: list[str], replies: list[str]) -> bool:
    """A fragment exchange: its questions only open a topic and every reply (an answer, or
    the chair's line) is an acknowledgement or a hand-off. Words with no reply at all are
    the unanswered rule's (ingest/unanswered.py): a thanks or a remark stays behind, a call
    for the floor goes on."""
    return bool(
        questions
        and replies
        and is_fragment_question(" ".join(questions))
        and all(is_acknowledgement(reply) or is_handoff(reply) for reply in replies)
    )


class Spoken(Protocol):
    """A turn as the parsers and the archive both have it."""

    role: str
    text: str


SpokenT = TypeVar("SpokenT", bound=Spoken)


def fragment_parts(turns: Sequence[Spoken]) -> tuple[list[str], list[str]]:
    """An exchange's questions, and the replies to them: every answer or chair's line after
    the first question."""
    first = next((i for i, t in enumerate(turns) if t.role == QUESTION), len(turns))
    questions = [t.text for t in turns if t.role == QUESTION]
    replies = [t.text for t in turns[first:] if t.role in (ANSWER, MODERATOR)]
    return questions, replies


def is_fragment_exchange(turns: Sequence[Spoken]) -> bool:
    return is_fragment(*fragment_parts(turns))


def asked_question(turns: Sequence[SpokenT]) -> SpokenT | None:
    """The question an exchange asks (its contents line, its result card): the first that
    is more than a topic opener ("On Ukraine --", answered "Sure.", joined to the question
    it opens), a thanks or a note alone, before the first answer; else the first question."""
    questions: list[SpokenT] = []
    for turn in turns:
        if turn.role == ANSWER:
            break
        if turn.role == QUESTION:
            questions.append(turn)
    # Not an opener, a thanks, or words lost to the recording ("(Inaudible.)").
    asked = next(
        (
            q
            for q in questions
            if words_of(q.text) and not (is_fragment_question(q.text) or is_thanks(q.text))
        ),
        None,
    )
    return asked or next((t for t in turns if t.role == QUESTION), None)


def is_thanks(words: str) -> bool:
    """ "Thank you.", "Thanks, Jen.": a reporter closing their own exchange."""
    return bool(_THANKS_ONLY.match(words_of(words)))


def is_banter(words: str) -> bool:
    """A reporter's few words at the opening: "Hey, hey.", "Good afternoon.", "Happy Friday.",
    "Hi. How are you?"; a short question ("What is the supply now?") is none."""
    words = words_of(words)
    count = len(words.split())
    return 0 < count <= BANTER_WORDS and ("?" not in words or bool(_GREETING.search(words)))


def handoff_start(text: str) -> int | None:
    """Where the hand-off that ends `text` begins (0: the whole turn is a hand-off), or None.

    The hand-off is the run of closing sentences that are hand-offs or the thanks and
    fillers around them, with at least one hand-off among them. A few short sentences
    after the last hand-off are the chair waiting for the line ("Not sure if we still
    have David. Oh, there you are."): the floor was already passed.
    """
    stripped = text.rstrip()
    if _CALLING.match(words_of(stripped)):
        return 0
    starts = [0] + [match.end() for match in _SENTENCE.finditer(stripped)]
    ends = [*starts[1:], len(stripped)]
    start: int | None = None
    found = False
    waiting = 0
    for begin, end in zip(reversed(starts), reversed(ends), strict=True):
        sentence = words_of(stripped[begin:end])
        if not sentence:
            start = begin
            continue
        if _HANDOFF.search(sentence) and len(sentence.split()) <= HANDOFF_WORDS:
            found = True
        elif _FILLER.match(sentence):
            pass
        elif not found and waiting < WAITING_SENTENCES and len(sentence.split()) <= 10:
            waiting += 1
        else:
            break
        start = begin
    return start if found else None


def is_handoff(text: str) -> bool:
    """The whole turn passes the floor on."""
    return handoff_start(text) == 0


# A turn that is a yes and a name, calling on a reporter ("Yes, Nancy."): only as a whole
# turn. A name alone ("Ricardo.") is not enough: "Mexico." and "Exactly." answer.
_CALLING = re.compile(rf"^(?i:yes|yeah|okay|all right|sure),?\s+{_NAME}(?:\s+{_NAME})?[.!]?$")
