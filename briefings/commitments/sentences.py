"""Split a turn's text into sentences, keeping each sentence's offsets in the turn.

A regex splitter with an abbreviation list is enough for briefing English; the offsets let
the archive highlight a commitment inside its turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


# Words that end in a period without ending the sentence: titles before a name, "No. 1",
# month abbreviations before a day.
TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "col", "lt", "sen", "rep",
    "gov", "amb", "no", "nos", "vol", "art", "fig", "jan", "feb", "mar", "apr", "aug",
    "sep", "sept", "oct", "nov", "dec", "vs", "approx", "dept", "est", "inc", "co", "corp",
    "ltd", "op", "para", "pp", "cf",
}  # fmt: skip

# Lower-case abbreviations that can end a sentence: a boundary only when a capital follows.
SOFT_ABBREVIATIONS = {"a.m", "p.m", "etc", "e.g", "i.e"}

# After an initialism such as "U.S." a sentence ends only before a typical sentence opener;
# "the U.S. Government" goes on.
OPENERS = {
    "the", "we", "i", "it", "this", "that", "these", "those", "there", "he", "she", "they",
    "and", "but", "so", "in", "on", "at", "by", "for", "as", "our", "my", "what", "now",
    "first", "second", "third", "next", "finally", "also", "thank", "thanks", "you",
}  # fmt: skip

END_RE = re.compile(r"[.?!]+[\"”’')\]]*(?=\s|$)")
PARAGRAPH_RE = re.compile(r"\n\s*\n")
WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
WORD_WINDOW = 64  # longer than any abbreviation or initialism the rules look at
NEXT_WORD_RE = re.compile(r"\s*[\"“‘(]*([A-Za-z]+)")


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of `text`, each with `text[start:end] == sentence.text`."""
    sentences: list[Sentence] = []
    for block_start, block_end in _paragraphs(text):
        start = block_start
        for match in END_RE.finditer(text, block_start, block_end):
            if not _is_boundary(text, match):
                continue
            _append(sentences, text, start, match.end())
            start = match.end()
        _append(sentences, text, start, block_end)
    return sentences


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Blank lines always end a sentence, even one that ends in a colon."""
    spans = []
    start = 0
    for match in PARAGRAPH_RE.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    mark = match.group()
    if "?" in mark or "!" in mark:
        return True
    # The word before the mark, looked for in the few characters before it: searching from
    # the start of the text made the splitter quadratic (a 273 KB turn took 64 s).
    before = WORD_BEFORE_RE.search(text, max(0, match.start() - WORD_WINDOW), match.start())
    following = NEXT_WORD_RE.match(text, match.end())
    next_word = following.group(1) if following else ""
    starts_upper = bool(next_word) and (next_word[0].isupper() or next_word.isdigit())
    if not before:
        return True
    word = before.group(1)
    lowered = word.lower()
    if lowered in TITLES:
        return False
    if lowered in SOFT_ABBREVIATIONS:
        return starts_upper
    if "." in word or (len(word) == 1 and word.isupper()):
        # An initialism ("U.S.", "H.R.") or an initial ("John F. Kennedy").
        return next_word.lower() in OPENERS and starts_upper
    return not next_word or starts_upper or not next_word[0].islower()


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        sentences.append(Sentence(text=text[start:end], start=start, end=end))
