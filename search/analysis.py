"""The word analysis of every text field of the index, and of the words searched for:
haystack's (words, lower case, Whoosh's stop words), stemmed by Snowball English instead
of haystack's Porter stemmer.

Porter split what a researcher takes as one word: vaccine, vaccines and vaccination
"vaccin" but vaccinated "vaccinat"; evacuation "evacu" but evacuated and evacuating
"evacuat". Snowball gives "vaccin" and "evacu" to every one of them (docs/findings.md
has the counts on the White House corpus). The search servers' own English analysers
(Elasticsearch's snowball, Solr's text_en) stem alike, give or take a word.
"""

from __future__ import annotations

from whoosh.analysis import (
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)


def archive_analyzer() -> CompositeAnalyzer:
    # The stemmer by language name: the pickled schema rebuilds it when opened.
    return RegexTokenizer() | LowercaseFilter() | StopFilter() | StemFilter(lang="en")
