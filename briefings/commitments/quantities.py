"""Quantities as printed ("at least 100,000 SMEs"), with value, unit and modifier.

The span grammar: MODIFIER? NUMBER SCALE? (percent | UNIT | NOUN...).
The printed span is kept whole; the value, unit and modifier are read from it. Ordinals,
years, names with digits ("5G", "COVID-19", "Title 42") and times are not quantities.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Quantity:
    """A quantity as printed, with its number (None for "all"), unit or counted noun, and the
    modifier as printed ("at least", "around", "")."""

    text: str
    value: float | None
    unit: str
    modifier: str
    start: int
    end: int


MODIFIERS = [
    "no less than", "no fewer than", "not less than", "not fewer than", "no lower than",
    "not lower than", "no more than", "not more than", "at least", "at most", "more than",
    "less than", "fewer than", "well over", "well above", "up to", "close to", "over",
    "above", "under", "below", "around", "about", "approximately", "roughly", "nearly",
    "almost", "another", "all", "every", "each",
]  # fmt: skip
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
WORD_NUMBERS = {
    "zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip
# Measures after which "of X" belongs to the quantity ("3 million tonnes of pork").
MEASURES = {
    "tonnes", "tons", "tonne", "ton", "kilometers", "kilometres", "km", "mu", "hectares",
    "barrels", "square", "cubic", "meters", "metres", "kilowatts", "gigawatts", "doses",
    "yuan", "dollars", "percent", "%", "percentage",
}  # fmt: skip
# Words that end the counted noun: prepositions, conjunctions, auxiliaries, determiners.
STOP_WORDS = {
    "by", "to", "in", "for", "before", "during", "with", "and", "or", "that", "this",
    "these", "those", "which", "who", "whom", "whose", "will", "would", "shall", "is", "are",
    "was", "were", "be", "been", "being", "has", "have", "had", "from", "on", "at", "of",
    "as", "so", "than", "into", "through", "across", "under", "over", "within", "until",
    "after", "since", "a", "an", "the", "their", "its", "our", "it", "they", "we", "you",
    "while", "but", "including", "such", "like", "per", "each", "every", "between",
    "among", "via", "if", "not", "can", "could", "should", "may", "might", "must", "do",
    "does", "did", "more", "up", "down", "out", "about", "around", "nearly", "some", "all",
    "then", "also", "just", "already", "still", "only", "very", "respectively",
}  # fmt: skip
# Words ending in "s" that are not plurals, so they do not end a noun phrase.
NOT_PLURAL = {
    "logistics", "economics", "statistics", "electronics", "physics", "news", "series",
    "species", "status", "bus", "gas", "campus", "analysis", "basis", "process", "business",
    "class", "glass", "mass", "access", "express", "congress", "progress", "success",
    "address", "apparatus", "census", "plus", "bonus", "corpus", "focus", "virus",
    "various", "serious", "previous", "numerous", "diabetes",
}  # fmt: skip

_MODIFIER_RE = "|".join(re.escape(m).replace(r"\ ", r"\s+") for m in MODIFIERS)
_WORD_NUMBER_RE = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
QUANTITY_RE = re.compile(
    r"(?<![\w.$¥€£/:-])(?:(?P<mod>" + _MODIFIER_RE + r")\s+)?"
    r"(?P<number>(?P<cur>US\$|\$|¥|€|£)?(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"|(?P<words>(?:a\s+half|half\s+a|one|" + _WORD_NUMBER_RE + r")(?=[\s,.;:!?)]|$)))"
    r"(?P<scale>\s+(?:thousand|million|billion|trillion)s?\b)?"
    r"(?P<percent>\s*%|\s+per\s*cent\b|\s+percentage\s+points?\b)?",
    re.IGNORECASE,
)
ALL_RE = re.compile(r"\b(?P<mod>all|every|each)\s+(?=[a-z])", re.IGNORECASE)
TOKEN_RE = re.compile(r"\s+(?P<token>[\"“]?(?:[A-Za-z]|\d+[A-Za-z])[\w'’-]*[\"”]?)")
OF_RE = re.compile(r"\s+of\s+")
PER_RE = re.compile(r"\s+(?:per|a|an)\s+(?:\d[\d,]*\s+)?(?P<what>[A-Za-z]+)\b")
# "tests per month", "$1 billion a year", "26 per 10,000 people": rates kept with the count.
PER_UNITS = {"day", "week", "month", "year", "person", "capita", "hour", "people"}
# What a number must not be glued to, on either side.
AFTER_NUMBER_RE = re.compile(r"(?:st|nd|rd|th)\b|[A-Za-z]|-[A-Za-z]|:\d|/\d|\(|\.\d")
BEFORE_NUMBER_RE = re.compile(
    r"(?:\b(?:No|Nos|Title|Article|Section|Phase|Pillar|Level|H\.R|S\.(?:B\.)?|AY|BA|G|per|every"
    r"|aged|age|ages|Category|Room|Route|Highway|Resolution)\.?\s*|[A-Za-z]-|#)$",
    re.IGNORECASE,
)
AGE_RANGE_RE = re.compile(r"\bage[sd]?\s+\d+\s*(?:through|to|-|–|and)\s*$", re.IGNORECASE)
# "Memorandum 20", "Pillar 2", "January 6": a number after a capitalised word inside a
# sentence is part of a name or a date.
NAME_BEFORE_RE = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+\.? $")


def find_quantities(text: str, *, skip: Sequence[tuple[int, int]] = ()) -> list[Quantity]:
    """Quantities in `text`, left to right. Spans in `skip` (deadline phrases) are ignored."""
    found: list[Quantity] = []
    for match in QUANTITY_RE.finditer(text):
        if _overlaps(match.start("number"), match.end("number"), skip):
            continue
        if not _is_quantity(text, match):
            continue
        found.append(_build(text, match))
    for match in ALL_RE.finditer(text):
        if _overlaps(match.start(), match.end(), skip):
            continue
        if any(q.start <= match.start() < q.end for q in found):
            continue
        quantity = _build_all(text, match)
        if quantity:
            found.append(quantity)
    found.sort(key=lambda q: q.start)
    return found


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < s_end and s_start < end for s_start, s_end in spans)


def _is_quantity(text: str, match: re.Match[str]) -> bool:
    after = text[match.end("number") :]
    before = text[: match.start("number")]
    words = match.group("words")
    if words:
        lowered = " ".join(words.lower().split())
        # "one" and "half" are pronouns or articles far more often than counts.
        if lowered in ("one", "a half", "half a") and not match.group("scale"):
            return False
        return not after.startswith("-")  # "three-year action plan", "one-on-one"
    digits = match.group("digits")
    if not match.group("scale") and not match.group("percent") and AFTER_NUMBER_RE.match(after):
        return False
    if BEFORE_NUMBER_RE.search(before) or NAME_BEFORE_RE.search(before):
        return False
    if AGE_RANGE_RE.search(before):
        return False  # "kids ages 5 through 11"
    if re.match(r"-(?:year|day|month|week|point|hour)", after):
        return False
    is_year = re.fullmatch(r"(?:19|20)\d{2}", digits) is not None
    return not (is_year and not match.group("cur") and not match.group("scale"))


def _value(match: re.Match[str]) -> float | None:
    if match.group("digits"):
        value = float(match.group("digits").replace(",", ""))
    else:
        words = " ".join(match.group("words").lower().split())
        value = 0.5 if words in ("a half", "half a") else float(WORD_NUMBERS.get(words, 1))
    if match.group("scale"):
        value *= SCALES[match.group("scale").strip().lower().rstrip("s")]
    return value


def _build(text: str, match: re.Match[str]) -> Quantity:
    end = match.end()
    unit = ""
    modifier = " ".join((match.group("mod") or "").lower().split())
    if match.group("percent"):
        unit = "percentage points" if "point" in match.group("percent") else "percent"
        end = _complement(text, end, allow_of=True)
    else:
        nouns_end, nouns = _counted_noun(text, end)
        if nouns:
            unit = nouns
            end = _complement(text, nouns_end, allow_of=nouns.split()[0].lower() in MEASURES)
    if match.group("cur"):
        unit = {"$": "US dollars", "US$": "US dollars"}.get(match.group("cur"), match.group("cur"))
    printed = text[match.start() : end]
    return Quantity(
        text=printed, value=_value(match), unit=unit, modifier=modifier,
        start=match.start(), end=end,
    )  # fmt: skip


def _build_all(text: str, match: re.Match[str]) -> Quantity | None:
    nouns_end, nouns = _counted_noun(text, match.end() - 1)
    if not nouns:
        return None
    return Quantity(
        text=text[match.start() : nouns_end], value=None, unit=nouns,
        modifier=match.group("mod").lower(), start=match.start(), end=nouns_end,
    )  # fmt: skip


def _counted_noun(text: str, position: int) -> tuple[int, str]:
    """Up to six words after the number, ending at a stop word or after a plural noun."""
    words: list[str] = []
    end = position
    while len(words) < 6:
        token = TOKEN_RE.match(text, end)
        if not token:
            break
        word = token.group("token")
        bare = word.strip('"“”').lower()
        if bare in STOP_WORDS or (bare.endswith(("ly", "ing")) and len(words) > 0):
            break
        words.append(word)
        end = token.end()
        if _is_plural(bare) and not _continues_compound(text, end):
            break
    while words and words[-1].lower() == "more":
        words.pop()
        end = text.rfind("more", 0, end)
        end = len(text[:end].rstrip())
    return end, " ".join(words)


def _is_plural(word: str) -> bool:
    return (word.endswith("s") and not word.endswith("ss") and word not in NOT_PLURAL) or (
        word in {"people", "children", "staff", "personnel", "yuan", "mu", "%", "percent"}
    )


def _continues_compound(text: str, position: int) -> bool:
    """'5G base stations', 'logistics distribution centers': a plural inside a compound."""
    token = TOKEN_RE.match(text, position)
    if not token:
        return False
    following = token.group("token").lower()
    return following in {"pilot", "zones", "centers", "centres", "bases", "platforms", "projects"}


def _complement(text: str, position: int, *, allow_of: bool) -> int:
    """Keep 'of GDP' after a percentage or measure, and 'per month' / 'a year' after a noun."""
    if allow_of:
        of = OF_RE.match(text, position)
        if of:
            end, nouns = _counted_noun(text, of.end() - 1)
            if nouns:
                position = end
    per = PER_RE.match(text, position)
    if per and per.group("what").lower().rstrip("s") in PER_UNITS:
        position = per.end()
    return position
