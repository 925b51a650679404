"""Text clean-up shared by the parsers."""

from __future__ import annotations

import re

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


def join_paragraphs(lines: list[str]) -> str:
    """Join hard-wrapped lines into paragraphs separated by one blank line."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        stripped = _SPACES.sub(" ", line).strip()
        if stripped:
            current.append(stripped)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def is_only_note(text: str) -> bool:
    """True when the text is nothing but bracketed notes, e.g. "(Laughter.)"."""
    return bool(text.strip()) and not NOTE_PATTERN.sub("", text).strip(" .\n")


def strip_notes(text: str) -> str:
    """The spoken words alone, for the search index."""
    return _SPACES.sub(" ", NOTE_PATTERN.sub(" ", text)).strip()
