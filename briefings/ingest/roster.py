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
    ROSTER_LETTERS,
    background_name,
    distance_limit,
    edit_distance,
    spelling_variant,
)

from .names import ROLE_LABELS
from .records import ParsedConference, ParsedTurn

# Role labels a misprint may be read as: long enough that one or two letters do not make
# another word ("THE PRESIDNET"; not "Q" or "AIDE").
_ROLE_PHRASES = sorted(label for label in ROLE_LABELS if label.startswith("the "))


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
    return turn.speaker_name


def _misprinted_role(label: str) -> str:
    key = name_key(label)
    if key in ROLE_LABELS:
        return ""
    for role in _ROLE_PHRASES:
        if edit_distance(key, role, distance_limit(role)) <= distance_limit(role):
            return role
    return ""


def _fold(spoken: Counter[tuple[bool, str]]) -> dict[tuple[bool, str], tuple[bool, str]]:
    """(side, key) -> the (side, key) it is a variant of, for the certain ones: a family
    name alone joins the one whole name of the roster ending with it; another spelling
    joins the one more frequent name it is a variant of."""
    whole: dict[tuple[bool, str], tuple[bool, str]] = {}
    for side, key in spoken:
        if " " in key:
            continue
        named = [(s, other) for s, other in spoken if s == side and other.split()[-1] == key]
        if len(named) == 1 and named[0][1] != key:
            whole[(side, key)] = named[0]
    group: Counter[tuple[bool, str]] = Counter()
    for side_key, count in spoken.items():
        group[whole.get(side_key, side_key)] += count
    target = dict(whole)
    for side_key in spoken:
        if side_key in whole:
            continue
        side, key = side_key
        found = set()
        for other_side, other in spoken:
            if other_side != side or other == key:
                continue
            variant = spelling_variant(key, other, min_letters=ROSTER_LETTERS, loose=True)
            joined = whole.get((side, other), (side, other))
            if variant is not None and joined != side_key and group[joined] > group[side_key]:
                found.add(joined)
        if len(found) == 1:
            target[side_key] = found.pop()
    for side_key, other in target.items():
        while other in target:  # each step goes to a larger group: no cycle
            other = target[other]
        target[side_key] = other
    return target
