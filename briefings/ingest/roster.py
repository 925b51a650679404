"""Who speaks in one briefing: each turn's speaker name as the archive stores it.

The parsers give each turn the name its label prints. Within one briefing a misprinted
label is read as the speaker of the roster it is a variant of (briefings/variants.py):
"MR. SULLIAN" where MR. SULLIVAN speaks is Sullivan, "Debbie Birx" beside "Deborah
Birx" is Deborah Birx, "THE PRESIDNET" is whoever "THE PRESIDENT" is. A label of an
official on background is that kind's pseudo-person ("Senior administration official").
Names are compared only on one side (officials, or reporters): a reporter is never
folded into the official who answers.

Pure: a ParsedConference in, names out. The loader stores these names (the label stays as
printed beside them) and the segmentation scorer scores them.
"""

from __future__ import annotations

from collections import Counter

from briefings.text import QUESTION, name_key
from briefings.variants import (
    RESOLVE_EDITS,
    ROSTER_LETTERS,
    background_name,
    distance_limit,
    edit_distance,
    spelling_variant,
)

from .names import OFFICE_WORDS, ROLE_LABELS
from .records import ParsedConference, ParsedTurn

# Role labels a misprint may be read as: long enough that one or two letters do not make
# another word ("THE PRESIDNET"; not "Q" or "AIDE").
_ROLE_PHRASES = sorted(label for label in ROLE_LABELS if label.startswith("the "))
# Words printed where an office word belongs ("ACTING ADMINISTRATION SLAVITT").
_OFFICE_LIKE = {"administration", "department", "office"}


def resolve_speakers(parsed: ParsedConference) -> list[str]:
    """The speaker name of each turn of `parsed.turns`, in order, resolved within the
    briefing; "" where the turn names no one."""
    turns = parsed.turns
    names = [_own_name(turn, turns) for turn in turns]
    spoken: Counter[tuple[bool, str]] = Counter()
    printed: dict[tuple[bool, str], str] = {}
    for turn, name in zip(turns, names, strict=True):
        key = name_key(name)
        if key and not background_name(name):
            spoken[(_is_reporter(turn), key)] += 1
            printed.setdefault((_is_reporter(turn), key), name)
    folded = _fold(spoken)
    resolved = []
    for turn, name in zip(turns, names, strict=True):
        side_key = (_is_reporter(turn), name_key(name))
        resolved.append(printed[folded[side_key]] if side_key in folded else name)
    return resolved


def _is_reporter(turn: ParsedTurn) -> bool:
    return turn.role == QUESTION


def _own_name(turn: ParsedTurn, turns: list[ParsedTurn]) -> str:
    """The turn's name before the roster: its background kind, or for a misprinted role
    label, the name the correctly printed label has in this briefing."""
    background = background_name(turn.speaker_label)
    if background:
        return background
    role = _misprinted_role(turn.speaker_label)
    if role:
        named = Counter(
            other.speaker_name
            for other in turns
            if other.speaker_name and name_key(other.speaker_label) == role
        )
        return named.most_common(1)[0][0] if named else ""
    if _is_reporter(turn):
        return turn.speaker_name  # "Major Garrett" asks; "Major" is his name
    return without_misprinted_office(turn.speaker_name)


def without_misprinted_office(name: str) -> str:
    """ "Administration Slavitt" (from "ACTING ADMINISTRATION SLAVITT") -> "Slavitt": an
    office word the parser did not know, misprinted, is no given name."""
    words = name.split()
    while len(words) > 1 and _is_office_word(words[0]):
        words.pop(0)
    return " ".join(words)


def _is_office_word(word: str) -> bool:
    key = name_key(word)
    if key in OFFICE_WORDS or key in _OFFICE_LIKE:
        return True
    # Long office words only, and one letter for most: "Spencer" is not "speaker".
    return len(key) >= 7 and any(
        edit_distance(key, office, 1 if len(office) < 9 else 2) <= (1 if len(office) < 9 else 2)
        for office in OFFICE_WORDS
        if len(office) >= 7
    )


def _misprinted_role(label: str) -> str:
    key = name_key(label)
    if key in ROLE_LABELS:
        return ""
    for role in _ROLE_PHRASES:
        if edit_distance(key, role, distance_limit(role)) <= distance_limit(role):
            return role
    return ""


def _fold(spoken: Counter[tuple[bool, str]]) -> dict[tuple[bool, str], tuple[bool, str]]:
    """(side, key) -> the (side, key) it is a variant of, for the certain ones. Whole names
    first ("debbie birx" joins the more frequent "deborah birx"), then a family name alone
    joins the one whole name ending with it, then a misprinted family name alone joins
    the one more frequent name it is a variant of. Never the other way: a whole name does
    not join a family name alone."""
    target: dict[tuple[bool, str], tuple[bool, str]] = {}
    whole = [side_key for side_key in spoken if " " in side_key[1]]
    alone = [side_key for side_key in spoken if " " not in side_key[1]]
    _join_variants(spoken, target, whole, among=whole)
    for side, key in alone:
        heads = {
            _head(target, (other_side, other))
            for other_side, other in whole
            if other_side == side and other.split()[-1] == key
        }
        if len(heads) == 1:
            target[(side, key)] = heads.pop()
    _join_variants(spoken, target, [k for k in alone if k not in target], among=list(spoken))
    return {side_key: _head(target, side_key) for side_key in target}


def _join_variants(
    spoken: Counter[tuple[bool, str]],
    target: dict[tuple[bool, str], tuple[bool, str]],
    names: list[tuple[bool, str]],
    *,
    among: list[tuple[bool, str]],
) -> None:
    """Each of `names` joins the one name of `among`, on its side and more often spoken
    (with the names already joined to it), that it is a variant of."""
    group: Counter[tuple[bool, str]] = Counter()
    for side_key, count in spoken.items():
        group[_head(target, side_key)] += count
    for side, key in names:
        found = set()
        for other_side, other in among:
            if other_side != side or other == key:
                continue
            head = _head(target, (other_side, other))
            if head == (side, key) or group[head] <= group[(side, key)]:
                continue
            if spelling_variant(
                key, other, min_letters=ROSTER_LETTERS, loose=True, max_edits=RESOLVE_EDITS
            ):
                found.add(head)
        if len(found) == 1:
            target[(side, key)] = found.pop()


def _head(
    target: dict[tuple[bool, str], tuple[bool, str]], side_key: tuple[bool, str]
) -> tuple[bool, str]:
    seen = {side_key}
    while side_key in target and target[side_key] not in seen:
        side_key = target[side_key]
        seen.add(side_key)
    return side_key
