"""Question turns that got no answer and ask nothing: where they belong.

`group_exchanges` opens an exchange at every question turn, so a reporter's words that
got no answer make a question-and-answer exchange of their own. Most of them are not
questions (read over the whole White House corpus): a reporter's "Thank you." after the
answer, a call for the floor ("Karine —", "In the back?", "Can you hear me?"), an ask to
follow up, a question cut off and taken up again after the interruption ("It's in the
news —" … "— fear faith-based preschools …"). The archive's labelling convention
(tests/data/labelled/README.md): an exchange begins at a real question; a "Thank you."
stays in the exchange it closes; an opener with no answer of its own begins the exchange
that the real question continues. So:

- a courtesy ("Thank you, Jen.", "Okay. Thanks.") joins the exchange before it, as a
  question turn of that exchange (the reporter's words, kept in the reporter's role: it
  closes the answer it thanks; it does not open anything);
- a thanks right after the floor was handed over ("Go ahead, Janne." "Thank you,
  Karine."), a lead-in (nothing but a name, a greeting, a topic, an ask for the floor, a
  few words cut off, a bracketed "(Cross-talk.)"), and a question that the next question
  takes up before any answer ("… —" then "— …", or "What about Bolsonaro?" then "And
  will you send him back?", both answered at once) join the exchange after them;
- a short remark that asks nothing ("Yes, there is.", "That was a few.": no question
  mark, not cut off) is an interjection and stays in the exchange it interrupts, the one
  before;
- the one with no exchange of its kind to join (the last words of a briefing, words
  between two statements) joins the neighbour that is a question-and-answer exchange,
  else stays.

What is left unanswered is a question that asks something and got no answer: the last
question shouted at a gaggle, one the official let pass, one asked again after the line
cut out, cross-talk; and an official's answer printed under the reporter's "Q", which no
rule here should hide. The audit lists those (`manage.py audit --kind no-answer`).
"""

from __future__ import annotations

import re

from briefings.text import ANSWER, KIND_QA, MODERATOR, QUESTION, strip_notes

from .records import ParsedExchange, ParsedTurn

# Words a reporter closes an answer with. Matched on one piece of the turn (split at
# sentence ends and commas), lower case, punctuation gone.
COURTESIES = frozenset(
    {
        "thank you",
        "thanks",
        "thank you so much",
        "thank you very much",
        "thanks so much",
        "thanks very much",
        "thank you all",
        "thank you both",
        "thank you again",
        "thanks again",
        "thank you guys",
        "thanks guys",
        "thank you for that",
        "thanks for that",
        "thank you for doing this",
        "thanks for doing this",
        "appreciate it",
        "i appreciate it",
        "appreciate you",
        "much appreciated",
        "okay",
        "ok",
        "all right",
        "alright",
        "great",
        "got it",
        "good",
        "fair enough",
        "understood",
        "yeah",
        "yes",
        "sure",
        "no",
        "right",
        "perfect",
        "cool",
        "congratulations",
        "mm-hmm",
        "absolutely",
        "that's helpful",
        "that's very helpful",
        "very helpful",
        "we appreciate it",
    }
)

# Whom a courtesy or a call is said to, and the politeness around a call: a piece of these
# words, like a name, adds nothing asked ("Thanks, guys.", "One more on SWIFT, please.").
ADDRESSES = frozenset(
    {
        "sir",
        "ma'am",
        "all",
        "guys",
        "you guys",
        "everyone",
        "everybody",
        "folks",
        "please",
        "if i may",
        "if you're willing",
        "if you will",
        "real quick",
        "really quick",
        "really quickly",
        "quickly",
    }
)

# Words that ask for the floor or open a topic, and ask nothing yet.
_TOPIC = r"(?:\ (?:on|about|to|for)(?:\ [\w'-]+){1,4})?"  # "… on the debt ceiling"
_FLOOR_CALLS = (
    # Is the line open?
    r"(?:can|could|do)\ (?:you|you\ guys|y'all|everyone)\ hear\ me(?:\ there)?"
    r"(?:\ now|\ okay|\ all\ right)?",
    r"(?:you\ )?(?:can\ hear\ me|got\ me|have\ me)",
    r"hello | hi | hi\ there | hey | good\ (?:morning|afternoon|evening) | is\ that\ better",
    # Who is on the line: "This is Kemi Osukoya with the Africa Bazaar magazine."
    r"(?:this\ is|it's)\ [\w'-]+(?:\ [\w'-]+)?\ (?:with|from)(?:\ [\w'-]+){1,5}",
    # Yielding in cross-talk.
    r"sorry | i'?m\ (?:so\ )?sorry | excuse\ me | pardon",
    r"(?:please\ |you\ )?go\ ahead | (?:no\ )?you'?re\ fine",
    # Where the asker sits.
    r"(?:all\ the\ way\ )?(?:in|to)\ the\ back | over\ here",
    r"(?:back|right)\ here | i'm\ right\ here",
    r"(?:can\ you\ )?take\ (?:a\ )?questions?\ from\ the\ back",
    # Asking to ask: "Can I follow up on that?", "One more on SWIFT", "Two questions".
    r"(?:can|could|may)\ (?:i|we)(?:\ (?:ask|do|get)(?:\ you)?)?(?:\ (?:a|one|two|another))?"
    r"(?:\ (?:quick|more|last|real\ quick))?(?:\ (?:follow-?\ ?up|follow|question|one))?"
    r"(?:\ question)?" + _TOPIC,
    r"can\ i\ get\ (?:in\ )?(?:one|a\ question)",
    r"(?:a|one|two|three|another|a\ couple(?:\ of)?|a\ few)?\ ?"
    r"(?:(?:more|quick|last|real\ quick)\ )*"
    r"(?:follow-?\ ?ups?|follow|questions?|things|ones?|topic)" + _TOPIC,
    r"(?:one|two|three|a\ couple|a\ few|one\ more|just\ one|quick)\ (?:more\ )?"
    r"on(?:\ [\w'-]+){1,4}",
    r"(?:(?:a|one|another|[\w'-]+)\ )?[\w'-]+\ (?:question|follow-?\ ?up)",
    r"(?:i\ (?:just\ )?have|i've\ got|can\ i\ have)\ (?:a|one|two|three|a\ couple)(?:\ of)?"
    r"(?:\ quick)?(?:\ questions?)?" + _TOPIC,
    r"(?:a\ )?question\ (?:on|about|from)(?:\ [\w'-]+){1,4}",
    r"(?:real\ )?quick(?:ly)?(?:\ one)? | just\ one | one\ more",
    # A topic alone: "On Ukraine aid."
    r"on(?:\ [\w'-]+){1,4}",
)
_FLOOR = re.compile(
    r"^(?:(?:so|and|then|oh|yeah|no|well|sorry|um|uh|okay|hi|hey|just)\ )*(?:"
    + " | ".join(_FLOOR_CALLS)
    + r")(?:\ please)?$",
    re.VERBOSE,
)
_PIECES = re.compile(r"[.,!?;:—–]+|--")
_HONORIFIC_STOP = re.compile(r"\b(Mr|Mrs|Ms|Dr|St)\.")
_DASHES = ("—", "–", "--", "-", "…", "...")

# A few words and then cut off ("Karine —", "Can I —", "Just one quick one on China —")
# are a start that the next question finishes.
CUT_OFF_WORDS = 8
# A remark of at most this many words that asks nothing ("Yeah, we have until one.",
# "I'm glad that's in the official record. (Laughter.)") is an interjection.
INTERJECTION_WORDS = 12


def settle_unanswered(exchanges: list[ParsedExchange]) -> list[ParsedExchange]:
    """The exchanges with every unanswered question turn that asks nothing joined to the
    exchange it belongs to (module docstring). Pure; the turns are moved, not copied."""
    settled: list[ParsedExchange] = []
    waiting: list[ParsedTurn] = []  # lead-ins waiting for the question they lead to
    for index, exchange in enumerate(exchanges):
        after = exchanges[index + 1] if index + 1 < len(exchanges) else None
        before = settled[-1] if settled else None
        place = _place(exchange, before=before, after=after, waiting=bool(waiting))
        if place == "before":
            before.turns.extend(exchange.turns)  # type: ignore[union-attr]
            continue
        if place == "after":
            waiting.extend(exchange.turns)
            continue
        if waiting:
            if exchange.kind == KIND_QA:
                exchange.turns[:0] = waiting
            else:
                _put_back(settled, waiting)
            waiting = []
        settled.append(exchange)
    if waiting:
        _put_back(settled, waiting)
    return settled


def _place(
    exchange: ParsedExchange,
    *,
    before: ParsedExchange | None,
    after: ParsedExchange | None,
    waiting: bool,
) -> str:
    """ "before", "after", or "" (the exchange stays)."""
    if exchange.kind != KIND_QA or any(turn.role == ANSWER for turn in exchange.turns):
        return ""
    words = " ".join(t.text for t in exchange.turns if t.role == QUESTION)
    can_go_back = before is not None and before.kind == KIND_QA and not waiting
    can_go_on = after is not None and after.kind == KIND_QA
    if is_courtesy(words) and not _given_the_floor(exchange, before):
        if can_go_back:
            return "before"
        return "after" if can_go_on or waiting else ""
    if asks_nothing(words) or (can_go_on and _taken_up(after)):  # type: ignore[arg-type]
        if can_go_on or waiting:
            return "after"
        return "before" if can_go_back else ""
    if is_interjection(words):
        if can_go_back:
            return "before"
        return "after" if can_go_on or waiting else ""
    return ""


def _put_back(settled: list[ParsedExchange], turns: list[ParsedTurn]) -> None:
    """Lead-ins with no question after them: the exchange before takes them when it is a
    question and answer, else they stay an exchange of their own, as they were."""
    if settled and settled[-1].kind == KIND_QA:
        settled[-1].turns.extend(turns)
    else:
        settled.append(ParsedExchange(kind=KIND_QA, turns=turns))


def _pieces(words: str) -> list[str]:
    spoken = _HONORIFIC_STOP.sub(r"\1", strip_notes(words))
    pieces = (re.sub(r"[^\w\s'’-]", " ", p).replace("’", "'") for p in _PIECES.split(spoken))
    return [" ".join(p.split()) for p in pieces if p.strip(" -—–")]


def _is_name(piece: str) -> bool:
    """ "Karine", "Mr President", "Madam Secretary": a few capitalised words."""
    words = piece.split()
    return 0 < len(words) <= 3 and all(w[0].isupper() for w in words)


def _is_address(piece: str) -> bool:
    """A name, or whom and how politely: "Karine", "guys", "Afghanistan please"."""
    piece = re.sub(r"\s+please$", "", piece)
    return _is_name(piece) or piece.lower() in ADDRESSES


def is_courtesy(words: str) -> bool:
    """ "Thank you.", "Thanks, Karine.", "Okay. Thank you, Mr. President.": a reporter's
    closing words, nothing asked and nothing cut off."""
    if strip_notes(words).rstrip().endswith(_DASHES):
        return False
    pieces = _pieces(words)
    courteous = [p.lower() in COURTESIES or _courtesy_to_someone(p) for p in pieces]
    return (
        bool(pieces)
        and courteous[0]
        and all(c or _is_address(p) for c, p in zip(courteous, pieces, strict=True))
    )


def _courtesy_to_someone(piece: str) -> bool:
    """ "Thank you Mr President", "Thanks Jen": a courtesy and a name without a comma."""
    words = piece.split()
    return any(
        " ".join(words[:n]).lower() in COURTESIES and _is_address(" ".join(words[n:]))
        for n in range(1, len(words))
    )


def asks_nothing(words: str) -> bool:
    """Words that ask for the floor and ask nothing yet: nothing but notes ("(Cross-talk.)"),
    a few words cut off ("Can I —"), or only names, greetings and openers ("Karine?",
    "Hi. Can you hear me?", "One more on Poland.", "Can I follow up on that?")."""
    spoken = strip_notes(words).strip()
    if not spoken.strip(" .-—–…"):
        return True
    if spoken.endswith(_DASHES) and len(re.findall(r"\w+", spoken)) <= CUT_OFF_WORDS:
        return True
    pieces = _pieces(words)
    return all(_FLOOR.match(p.lower()) or _is_address(p) or p.lower() in COURTESIES for p in pieces)


def is_interjection(words: str) -> bool:
    """A short remark that asks nothing: no question mark, not cut off ("Yes, there is.",
    "That was a few.", "Okay. That's all right.")."""
    spoken = strip_notes(words).strip()
    return (
        "?" not in spoken
        and not spoken.endswith(_DASHES)
        and len(re.findall(r"\w+", spoken)) <= INTERJECTION_WORDS
    )


def _taken_up(after: ParsedExchange) -> bool:
    """The next question goes on with this one: it resumes cut-off words (it begins with
    a dash or an ellipsis) or adds a part ("And will you send him back?") before any
    answer, and the answer that follows takes both."""
    first = strip_notes(next((t.text for t in after.turns if t.role == QUESTION), "")).lstrip()
    return first.startswith(_DASHES) or re.match(r"And\b", first) is not None


def _given_the_floor(exchange: ParsedExchange, before: ParsedExchange | None) -> bool:
    """A "Thank you." right after the chair or the official handed this reporter the floor
    ("Go ahead, Janne.", "Steve?") thanks for the floor: it belongs to the question that
    follows."""
    if exchange.turns[0].role == MODERATOR:
        return True
    if before is None or not before.turns:
        return False
    last = before.turns[-1]
    spoken = strip_notes(last.text).lower()
    count = len(spoken.split())
    return last.role in (ANSWER, MODERATOR) and (
        (count <= 6 and "go ahead" in spoken) or (count <= 2 and spoken.endswith("?"))
    )
