"""Which outlet a White House reporter asks for: the one they introduce themselves with
("Marc Stewart from CNN."), or the one the moderator or the official called on ("Let's go
to Tamara Keith at NPR.", "Josh, of Bloomberg.").

Part of the White House transcript reader (`_whitehouse`).
"""

from __future__ import annotations

import re

from briefings.text import ANSWER, MODERATOR, QUESTION

from ..records import ParsedTurn

# Outlet names: capitalised words, with "of"/"and"/"&" inside ("Voice of America", "E&E
# News") and dotted initials ("U.S. News"). A trailing full stop ends the name.
_CAP = r"(?:[A-Z]\.){2,}|[A-Z0-9][\w’'&\-]*"
_OUTLET = rf"(?:[Tt]he\s+)?(?:{_CAP})(?:\s+(?:(?:of|and|&|de|for|the)\s+)?(?:{_CAP}))*"
_PERSON_WORD = r"(?:(?:[A-Z]\.){1,3}|[A-Z][\w’'\-]*)(?:\s+\(ph\))?"  # "J.J.", "Tamara"
_PERSON = rf"{_PERSON_WORD}(?:\s+{_PERSON_WORD}){{0,3}}"
# "Let's go to Tamara Keith at NPR." / "Our next question will go to Ben with ABC."
_CALLED_ON = re.compile(
    rf"(?:go(?:es|ing)?\s+(?:to|with)|turn\s+to|call\s+on|hear\s+from|line\s+of)\s+"
    rf"(?:the\s+line\s+of\s+)?{_PERSON}\s*,?\s+(?:at|from|with|of)\s+(?P<outlet>{_OUTLET})"
)
# A whole sentence naming the next reporter: "Tamara Keith at NPR.", "Josh, of Bloomberg."
_NAMED_SENTENCE = re.compile(
    r"(?:(?:[Gg]o ahead|[Oo]kay|[Yy]es|[Aa]ll right),?\s+)?"  # "Go ahead, J.J. with Bloomberg."
    rf"{_PERSON}(?:\s*,\s+of|\s*,?\s+(?:at|from|with))\s+(?P<outlet>{_OUTLET})"
    r"(?:,\s*(?:please\s+)?go ahead)?[.!]?"
)
# A reporter introducing themselves: "This is Rae (ph) from The Paper.", "Marc Stewart from
# CNN.", "I'm with Phoenix TV." The whole sentence must be the introduction, so "the meeting
# with Prime Minister Trudeau" is not read as an outlet; a name without "This is" must have
# two words, so "Same with Iran." is not one either.
_GREETING = r"(?:(?:Hi|Hello|Hey|Yes|Yeah|Sure|Thanks|Thank you|Good \w+)(?:\s+\w+)?[,.!]?\s+)?"
_SELF_INTRODUCTION = re.compile(
    rf"{_GREETING}(?:"
    rf"(?:[Tt]his is|[Ii]t[’']s|I[’']m|[Mm]y name is)\s+{_PERSON}"
    rf"|(?!(?:The|This|That|Our|My|Your)\b){_PERSON_WORD}(?:\s+{_PERSON_WORD}){{1,3}}"
    rf")\s*,?\s+(?:from|with|for|at)\s+(?P<outlet>{_OUTLET})[.!]?"
    rf"|{_GREETING}I[’']m\s+(?:from|with)\s+(?P<outlet2>{_OUTLET})[.!]?"
)
# Sentence ends, but not inside "U.S." or "U.N.".
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<![A-Z]\.[A-Z]\.)\s+")
# An official's reply of at most this many words ("Yes, we can hear you.", "Go ahead.")
# leaves the floor with the reporter called on.
FLOOR_REPLY_WORDS = 8
# A moderator line that hands the floor to someone; it replaces the outlet being carried.
_CALLING = re.compile(
    r"\b(?:go(?:es|ing)?\s+(?:next\s+)?(?:to|with)|next question|turn\s+to|call\s+on|line\s+of)\b",
    re.IGNORECASE,
)


def set_outlets(turns: list[ParsedTurn]) -> None:
    """Give a question the outlet its reporter names, or the one the moderator called on.

    The reporter called on may speak more than once before they are answered ("Can you
    hear me?" "Yes, we can." and then the question): each of their turns is theirs, until
    an answer of substance (or the next call) ends their turn at the floor."""
    called_on = ""
    for turn in turns:
        if turn.role == MODERATOR:
            outlet = _outlet_called_on(turn.text)
            if outlet or _CALLING.search(turn.text):
                called_on = outlet
        elif turn.role == ANSWER:
            # An official ending an answer by calling on someone: "Josh, of Bloomberg."
            named = _NAMED_SENTENCE.fullmatch(_SENTENCE_END.split(turn.text)[-1].strip())
            if named:
                called_on = _clean_outlet(named.group("outlet"))
            elif len(turn.text.split()) > FLOOR_REPLY_WORDS:
                called_on = ""
        elif turn.role == QUESTION:
            turn.outlet = _outlet_introduced(turn.text) or called_on


def _clean_outlet(outlet: str) -> str:
    return re.sub(r"^the\s+", "", outlet).strip()


def _outlet_called_on(text: str) -> str:
    """The outlet of the last reporter the moderator calls on in this turn."""
    found: list[tuple[int, str]] = [
        (match.start(), match.group("outlet")) for match in _CALLED_ON.finditer(text)
    ]
    offset = 0
    for sentence in _SENTENCE_END.split(text):
        offset = text.find(sentence, offset)
        named = _NAMED_SENTENCE.fullmatch(sentence.strip())
        if named:
            found.append((offset, named.group("outlet")))
    return _clean_outlet(max(found)[1]) if found else ""


def _outlet_introduced(text: str) -> str:
    for sentence in _SENTENCE_END.split(text[:300])[:3]:
        match = _SELF_INTRODUCTION.fullmatch(sentence.strip())
        if match:
            return _clean_outlet(match.group("outlet") or match.group("outlet2"))
    return ""
