"""The word analysis of every text field of the index, and of the words searched for:
haystack's (words, lower case, Whoosh's stop words), stemmed by Snowball English instead
of haystack's Porter stemmer, with one normalisation of our own.

Porter split what a researcher takes as one word: vaccine, vaccines and vaccination
"vaccin" but vaccinated "vaccinat"; evacuation "evacu" but evacuated and evacuating
"evacuat". Snowball gives "vaccin" and "evacu" to every one of them. Snowball undoubles
a final consonant only after a suffix it removed, so "added" became "ad" beside "add",
"staffed" "staf" beside "staff": `stem` undoubles the stem of the bare word too
(bb dd ff gg mm nn pp rr tt, Snowball's own list). docs/findings.md has the counts on
the White House corpus. The search servers' own English analysers (Elasticsearch's
snowball, Solr's text_en) stem alike, give or take a word.
"""

from __future__ import annotations

from whoosh.analysis import (
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.lang.snowball.english import EnglishStemmer

_SNOWBALL = EnglishStemmer()
_DOUBLES = ("bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt")


def stem(word: str) -> str:
    """Snowball English, a final doubled consonant undoubled: add/added/adding "ad"."""
    stemmed = _SNOWBALL.stem(word)
    return stemmed[:-1] if stemmed.endswith(_DOUBLES) else stemmed


def archive_analyzer() -> CompositeAnalyzer:
    # The stemmer is a module function: the pickled schema finds it again by its name.
    return RegexTokenizer() | LowercaseFilter() | StopFilter() | StemFilter(stemfn=stem)
