"""The transcript vocabulary, shared by every layer: turn roles and exchange kinds as
stored, the bracketed notes that are kept in a turn's text but are not speech, the keys
that match a name however it is printed, and a turn's opening words.

Pure Python: nothing of ours and no Django, so the parsers, the extractor, the models and
the search code can all stand on it (docs/architecture.md, "Layers").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

# Turn roles, as stored in Turn.role.
QUESTION = "question"
ANSWER = "answer"
STATEMENT = "statement"
MODERATOR = "moderator"
NOTE = "note"

# An official's turn: the roles whose words are the government's (answers and statements,
# never a question or the chair's procedural lines). Commitments are found only here.
OFFICIAL_ROLES = frozenset({ANSWER, STATEMENT})

# Exchange kinds, as stored in Exchange.kind.
KIND_STATEMENT = "statement"
KIND_QA = "qa"
KIND_PROCEDURAL = "procedural"

# Spacing and notes.

NBSP = "\u00a0"
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u2060\u3000]+")
_BLANK_RUN = re.compile(r"\n{3,}")

# Bracketed editorial notes kept in the text but not speech: "(Laughter.)", "[inaudible
# 00:18:51]", "(As interpreted.)", "\[sic\]". Matched on whole parenthesised or bracketed
# groups of at most a few words so that ordinary parentheses in speech are left alone.
NOTE_PATTERN = re.compile(
    r"""
    \\?\[(?:inaudible|crosstalk|sic|ph|laughter|applause|silence|foreign\ language)
          [^\]\n]{0,40}\\?\]
    | \((?:laughter|applause|inaudible|crosstalk|silence|ph|sic|as\ interpreted|speaks\ [a-z]+|
           no\ translation\ provided|cross-?talk|audio\ gap|technical\ difficulties|
           interpreted|in\ [a-z]+|the\ press\ conference[^)\n]{0,60}|end)[^)\n]{0,40}\)
    """,
    re.IGNORECASE | re.VERBOSE,
)


def normalize_spaces(text: str) -> str:
    """Fold runs of spaces (no-break spaces included) to one; keep paragraph breaks."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()


def is_only_note(text: str) -> bool:
    """True when the text is nothing but bracketed notes, e.g. "(Laughter.)"."""
    return bool(text.strip()) and not NOTE_PATTERN.sub("", text).strip(" .\n")


def strip_notes(text: str) -> str:
    """The spoken words alone, for the search index."""
    return _SPACES.sub(" ", NOTE_PATTERN.sub(" ", text)).strip()


# Names.

HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "madam", "mme", "sir", "prof", "professor"}

_PUNCT = re.compile(r"[^\w\s'-]")


def name_key(name: str) -> str:
    """A case-, accent- and punctuation-folded key: "Mr. Liang Wenhua" -> "liang wenhua"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = _PUNCT.sub(" ", text.lower()).split()
    while words and words[0] in HONORIFICS:
        words = words[1:]
    return " ".join(words)


def organization_key(name: str) -> str:
    """`name_key` without a leading "the": "The Washington Post", "Washington Post" and
    "WASHINGTON POST" are one newsroom. Organizations are found by it (OrganizationResolver)."""
    key = name_key(name)
    return key.removeprefix("the ") if key.startswith("the ") else key


# Opening words: how a list shows a turn without its whole text.

OPENING_WORDS = 30


def opening_words(text: str, words: int = OPENING_WORDS) -> str:
    """The first `words` words, with "…" when there were more; spacing folded."""
    found = text.split()
    if len(found) > words:
        return " ".join(found[:words]) + "…"
    return " ".join(found)


# One conference, however it arrives.

# Fewer spoken words than this tell too little apart to name a conference by them.
FINGERPRINT_MIN_WORDS = 50


def spoken_words(texts: Iterable[str]) -> list[str]:
    """The words said, in order, for telling copies of one conference apart from others:
    the page and its text, a copy re-saved with other spacing or line breaks, another
    publication of the same transcript. Labels, notes ("(Laughter.)"), case, accents,
    punctuation, quotes and dashes are left out: copies differ in those, not in words."""
    words: list[str] = []
    for text in texts:
        folded = unicodedata.normalize("NFKD", strip_notes(text)).casefold()
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
        words.extend(_WORD.findall(folded))
    return words


_WORD = re.compile(r"[^\W_]+")


def spoken_fingerprint(texts: Iterable[str]) -> str:
    """The SHA-256 of `spoken_words`, or "" when they are too few to name a conference."""
    words = spoken_words(texts)
    if len(words) < FINGERPRINT_MIN_WORDS:
        return ""
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


# Month names, as transcripts and file names print them.

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
# Longest names first, for a regular expression: "Sept." is not "Sep" and a stray "t.".
MONTH_ALTERNATION = "|".join(sorted(MONTHS, key=len, reverse=True))


# Addresses the archive links to.

WEB_SCHEMES = frozenset({"http", "https"})


def is_web_address(address: str) -> bool:
    """An http:// or https:// address with a host: the only kind stored as a commitment's
    evidence or shown as a link. javascript:, data: and vbscript: addresses (an imported
    file's evidence_url, found in a security review) are not, nor are addresses a browser
    would read differently from us (spaces or control characters around or inside)."""
    if not address or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in address):
        return False
    try:
        parts = urlsplit(address)
    except ValueError:  # "http://[" and the like
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def counted(number: int, noun: str, plural: str = "") -> str:
    """A count and its noun in agreement: "1 exchange", "46 exchanges", "1 batch"."""
    if number == 1:
        return f"{number} {noun}"
    return f"{number} {plural or noun + ('es' if noun.endswith(('ch', 'sh', 's', 'x')) else 's')}"


# A briefing's title names its speakers with their titles: "Press Briefing by Press
# Secretary Jen Psaki, February 1, 2021", "... and National Security Communications Adviser
# John Kirby". Its parts are split at these, each read for a title before a name.
TITLE_PARTS = re.compile(r"(\s+(?:by|and|with|featuring|&|\|)\s+|,\s*(?:and\s+)?|:\s+|;\s+)", re.I)
HONORIFIC_AFTER = re.compile(r"\s+(?:Dr|Mr|Mrs|Ms|Prof)\.?$")
NOT_A_TITLE = re.compile(
    r"\b(?:briefing|gaggle|remarks|call|conference|statement|background|interview|"
    r"readout|press|on-the-record)\b(?!\s+secretary)",
    re.I,
)
TITLE_WORDS = 10  # "Deputy National Security Advisor for Cyber and Emerging Technology" is nine
TITLE_CONNECTORS = frozenset({"of", "the", "for", "and", "on", "to", "at", "de"})


def title_before_name(briefing_title: str, names: Iterable[str]) -> str:
    """The title a briefing's title gives one of `names` ("Press Secretary"), or "".
    A name of one word is not looked for: a surname alone would take a first name for
    part of the title."""
    full_names = [" ".join(name.split()) for name in names if len(name.split()) >= 2]
    for part in _title_parts(" ".join(briefing_title.split())):
        for name in full_names:
            found = re.search(rf"(?:^|\s){re.escape(name)}(?=$|[\s,.;:])", part, re.I)
            if not found:
                continue
            title = HONORIFIC_AFTER.sub("", part[: found.start()].strip())
            words = title.split()
            if len(title) < 3:  # "a Senior Administration Official" gives "A"
                continue
            if not 1 <= len(words) <= TITLE_WORDS or not title[0].isupper():
                continue
            if NOT_A_TITLE.search(title) and not title.lower().startswith("press secretary"):
                continue
            if any(w[0].islower() and w.lower() not in TITLE_CONNECTORS for w in words):
                continue
            return title
    return ""


def _title_parts(briefing_title: str) -> list[str]:
    """The briefing's title cut at "by", "and", commas...; an "and" inside a title joins
    its two sides again."""
    pieces = TITLE_PARTS.split(briefing_title)
    parts = [pieces[0]]
    for cut, piece in zip(pieces[1::2], pieces[2::2], strict=True):
        before = parts[-1].split()
        # "... Advisor for Cyber and Emerging Technologies": a connector among the last
        # words before the "and" makes it part of a title.
        inside = {word.lower() for word in before[-3:]} & {"for", "of", "on", "the", "to"}
        if cut.strip().lower() == "and" and inside:
            parts[-1] += cut + piece
        else:
            parts.append(piece)
    return parts
