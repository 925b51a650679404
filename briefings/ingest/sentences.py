"""The officials' sentences of one transcript, as the commitment extractor reads them.

A whole-transcript label set (tests/data/commitments/whole/) names each labelled sentence
by `sentence_key`, a short hash of its words, never by its text: the labels of transcripts
whose text may not be copied into the project (the Ministry's pages, third-party
transcripts) stay in the project without a word of them. `manage.py commitment_sentences`
prints a transcript's sentences, numbered and keyed, for labelling.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from briefings.commitments.sentences import split_sentences
from briefings.text import OFFICIAL_ROLES

from .decode import decode_transcript
from .detect import parse_transcript
from .records import ParsedConference
from .roster import resolve_speakers


@dataclass(frozen=True)
class OfficialSentence:
    number: int  # 1-based, in reading order over the whole transcript
    key: str
    turn: int  # index into parsed.turns
    speaker: str
    text: str
    start: int  # offsets in the turn's text
    end: int


def sentence_key(text: str) -> str:
    """The same key for the same words, whatever the spacing or case."""
    words = " ".join(text.split()).casefold()
    return hashlib.sha1(words.encode("utf-8")).hexdigest()[:12]


def read_transcript(path: Path) -> ParsedConference:
    """A transcript file parsed as an ingest would parse it."""
    return parse_transcript(decode_transcript(path.read_bytes()))


def official_sentences(parsed: ParsedConference) -> list[OfficialSentence]:
    """Every sentence of the officials' answers and statements, in reading order."""
    names = resolve_speakers(parsed)
    found: list[OfficialSentence] = []
    for index, (turn, name) in enumerate(zip(parsed.turns, names, strict=True)):
        if turn.role not in OFFICIAL_ROLES:
            continue
        speaker = name or turn.speaker_label
        for sentence in split_sentences(turn.text):
            found.append(
                OfficialSentence(
                    number=len(found) + 1,
                    key=sentence_key(sentence.text),
                    turn=index,
                    speaker=speaker,
                    text=sentence.text,
                    start=sentence.start,
                    end=sentence.end,
                )
            )
    return found
