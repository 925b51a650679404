"""An official's answer printed under the reporter's "Q" label.

The White House transcripts sometimes print the official's answer as a second "Q" paragraph
right after the question it answers:

    MS. JEAN-PIERRE:  Go ahead, Zolan.
    Q    Local outlets in Connecticut are reporting ... ?
    Q    I mean, Zolan, I appreciate the question, but let's not forget what ...

Read as printed, the question gets no answer and the answer becomes a question. The rule
here is narrow, because a reporter's words read as an official's are worse than a misprint
left alone. A "Q" paragraph right after a reporter's question that asked something, with no
official between, is the official's answer when either

- it opens by addressing someone by a name ("Well, Kristen, we ...", "I mean, Zolan, I
  appreciate the question") that is no name of the briefing's officials ("Well, Karine, ..."
  to Karine Jean-Pierre is a reporter's) and that an official used for the reporter who
  has the floor ("Go ahead, Kristen."), or
- it asks nothing (no question mark), is long, is not cut off, and speaks in the White
  House's first person plural ("Well, first and foremost, unquestionably, our best approach
  here is through diplomacy."): read over every "Q" after a "Q" in the corpus, reporters'
  words of that shape all ask something or break off.

It becomes the answer of the official who spoke last; the printed "Q" label is kept and a
warning names the line.
"""

from __future__ import annotations

import re

from briefings.text import ANSWER, MODERATOR, NOTE, QUESTION
from briefings.variants import background_name

from ..records import ParsedTurn

# "Well, Kristen, we certainly ...", "I mean, Zolan, I appreciate ...", "Kaitlan, look, ...".
_NAME = r"[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)?"
_ADDRESSED = re.compile(
    rf"(?:(?:Well|I mean|Look|So|Yeah|Yes|No|Again|Oh|Okay|And|But|Listen),?\s+)?"
    rf"(?P<name>{_NAME}),\s+(?P<rest>\S.*)",
    re.S,
)
# Words that open speech followed by a comma and are no one's name.
_NOT_NAMES = frozenset(
    str.split(
        """
        so well look yeah yes no again oh okay ok and but listen now sure thanks thank sorry
        please right great first second third also then anyway actually absolutely alright all
        folks guys everyone everybody sir ma'am ma’am hey hi hello obviously basically frankly
        honestly today tomorrow yesterday here there this that just finally lastly last one two
        three president mister madam admiral general secretary senator ambassador doctor
        governor mayor director commissioner administrator chairman chair coordinator
        """
    )
)
# An official calling on a reporter by name: "Go ahead, Kristen.", "Kristen, go ahead.",
# "Well, I would say first, Kristen, that ...", "Zolan?".
_CALLED = r"(?:^|[,—]\s*|ahead\s+){name}(?=\s*[.,?!—]|\s*$)"
# An answer is more than a name and a few words ("Oh, Jeff, go ahead." is a reporter
# giving way).
_ANSWER_WORDS = 8
_QUESTION_WORDS = 15
# The second sign, with no name: a long "Q" that asks nothing and says "we" or "our".
_VOICE_WORDS = 25
_WE = re.compile(r"\b(?:we|our)\b", re.I)
# How many officials' turns back the name may have been said, and a hand-off that ends the
# search: the floor went to someone else.
_LOOK_BACK = 12
_HANDED_ON = re.compile(r"\bgo ahead\b|\byes, ma['’]am\b|\bin the back\b", re.I)
_NAMED_HAND_OFF = re.compile(r"\bgo ahead,?\s+(?-i:[A-Z])|(?-i:[A-Z])\w+,\s+go ahead", re.I)
_GIVING_WAY = re.compile(r"\bgo ahead\b|\byou go\b|\bafter you\b", re.I)


def read_misprinted_answers(
    turns: list[ParsedTurn], *, official_names: set[str], warnings: list[str]
) -> None:
    """Turn each "Q" paragraph that is an official's misprinted answer into that answer, in
    place. `official_names` are the lower-cased words of the officials' names and of the
    title."""
    for index, turn in enumerate(turns):
        if turn.role != QUESTION or turn.speaker_label != "Q":
            continue
        before = _previous_spoken(turns, index)
        if before is None or before.role != QUESTION or not _asks(before.text):
            continue
        earlier = turns[:index]
        name = _addressed_name(turn.text, official_names)
        if name is not None and _just_called(name, earlier):
            why = f"it answers {name}, whom an official had just called on"
        elif _speaks_for_the_white_house(turn.text):
            why = "it asks nothing and speaks for the White House (we, our)"
        else:
            continue
        official = _last_official(earlier)
        if official is None:
            continue
        turn.role = ANSWER
        # An official on background is named by their label ("Senior administration
        # official"), which this turn does not print.
        turn.speaker_name = official.speaker_name or background_name(official.speaker_label)
        turn.speaker_title = official.speaker_title
        warnings.append(
            f"line {turn.line}: an official's answer printed as a question (Q) after a "
            f"question with no answer; read as {official.speaker_label}'s answer: {why}"
        )


def _previous_spoken(turns: list[ParsedTurn], index: int) -> ParsedTurn | None:
    for turn in reversed(turns[:index]):
        if turn.role != NOTE:
            return turn
    return None


def _addressed_name(text: str, official_names: set[str]) -> str | None:
    match = _ADDRESSED.match(text)
    if not match:
        return None
    name = match.group("name")
    if name.lower() in _NOT_NAMES or name.lower() in official_names:
        return None
    rest = match.group("rest")
    if len(rest.split()) < _ANSWER_WORDS or _GIVING_WAY.search(rest[:60]):
        return None
    return name


def _speaks_for_the_white_house(text: str) -> bool:
    """An answer's voice: no question mark anywhere, long, not cut off, and the first person
    plural ("we continue to", "our best approach"). A reporter's words right after their
    question that ask nothing are short or cut off ("Okay. And then, on the border —")."""
    return (
        "?" not in text
        and len(text.split()) >= _VOICE_WORDS
        and not text.rstrip().endswith(("—", "-", "–"))
        and bool(_WE.search(text))
    )


def _asks(text: str) -> bool:
    """A question that asks something: a question mark, or more than a fragment."""
    return "?" in text or len(text.split()) >= _QUESTION_WORDS


def _just_called(name: str, turns: list[ParsedTurn]) -> bool:
    """The officials' words since the floor last changed hands call the reporter `name`:
    reading back, an official names them before any official hands the floor on, or the
    hand-off is a bare "Go ahead." right after the official called them."""
    called = re.compile(_CALLED.format(name=re.escape(name)), re.M)
    officials = [t for t in turns if t.role in (ANSWER, MODERATOR) and t.speaker_label != "Q"]
    recent = officials[-_LOOK_BACK:][::-1]
    for at, turn in enumerate(recent):
        if called.search(turn.text):
            return True
        if _HANDED_ON.search(turn.text):
            # "Go ahead, Peter." ... "Go ahead.": the same reporter, called again; a
            # hand-off that names someone else gave them the floor.
            bare = not _NAMED_HAND_OFF.search(turn.text)
            return bare and at + 1 < len(recent) and bool(called.search(recent[at + 1].text))
    return False


def _last_official(turns: list[ParsedTurn]) -> ParsedTurn | None:
    """The official who spoke last; a moderator's or operator's hand-off is passed over for
    the official who answers."""
    for turn in reversed(turns):
        if turn.role == ANSWER and turn.speaker_label != "Q":
            return turn
    return None
