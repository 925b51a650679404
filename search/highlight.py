"""Snippets with the matched words marked: escaped first, then marked.

haystack's `{% highlight %}` tag strips tags and renders the rest unescaped (stored
XSS). Here every piece of the stored text goes through `html.escape` and only our own
`<mark>` tags are added, so a transcript containing `<script>` shows as text. Words are
matched after the index's own analysis (so "transforming" is marked for
"transformation", whole words only), and a phrase is marked only where its words stand
together, not wherever one of them occurs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from whoosh.analysis import (
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
)
from whoosh.highlight import (
    FIRST,
    BasicFragmentScorer,
    ContextFragmenter,
    Formatter,
    get_text,
    top_fragments,
)

from .language import Analyzer, Clause, ParsedQuery, clause_tokens, note_dropped

SNIPPET_CHARS = 240
FRAGMENTS = 2
SURROUND = 60  # characters of context around a match
ELLIPSIS = " … "


@dataclass(frozen=True)
class Highlight:
    """What to mark in a snippet: analysed terms, and phrases as runs of them."""

    terms: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()


class Marks:
    """A query's clauses as the index analyses them, for each engine's compiler: each
    searched word or phrase kept to mark in snippets, and the clauses with nothing left
    to look for (every word too common or too short) noted on the parsed query."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.terms: set[str] = set()
        self.phrases: list[tuple[str, ...]] = []
        self.dropped: list[Clause] = []

    def tokens(self, clause: Clause, *, mark: bool) -> list[str]:
        """`clause`'s analysed terms, none when it is dropped; marked when `mark` (the
        words searched for, not those excluded)."""
        tokens = clause_tokens(clause, self.analyzer)
        if not tokens:
            self.dropped.append(clause)
        elif mark and len(tokens) == 1:
            self.terms.add(tokens[0])
        elif mark:
            self.phrases.append(tuple(tokens))
        return tokens

    def highlight(self, parsed: ParsedQuery) -> Highlight:
        """What to mark; the dropped clauses are noted on `parsed`."""
        note_dropped(parsed, self.dropped)
        return Highlight(frozenset(self.terms), tuple(self.phrases))


class MarkFormatter(Formatter):
    between = ELLIPSIS

    def _text(self, text: str) -> str:
        return html.escape(text, quote=False)

    def format_token(self, text: str, token: Token, replace: bool = False) -> str:
        return "<mark>" + html.escape(get_text(text, token, replace), quote=False) + "</mark>"


def highlight_snippet(
    text: str, highlight: Highlight, analyzer: Callable[..., Iterable[Token]]
) -> str:
    """Escaped HTML: the best fragments of `text` with its matches in <mark>, or the
    text's opening words when nothing in it matches (a filter-only search)."""
    if not wants_marks(highlight):
        return html.escape(opening(text), quote=False)  # a filter-only search
    # Marked in what was said (the result shows the title apart): an exchange found only
    # through who spoke shows its opening words.
    tokens = list(_marked_tokens(text, highlight, analyzer))
    if any(token.matched for token in tokens):
        fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=SURROUND)
        fragments = top_fragments(
            fragmenter.fragment_tokens(text, tokens), FRAGMENTS, BasicFragmentScorer(), FIRST
        )
        if fragments:
            for fragment in fragments:
                # whoosh starts a fragment at a word it indexes; "1 < 2 and" before the
                # first such word near the start would be left out.
                if fragment.startchar <= SURROUND:
                    fragment.startchar = 0
            return MarkFormatter().format(fragments)
    return html.escape(opening(text), quote=False)


def opening(text: str) -> str:
    body = " ".join(text.split())
    if len(body) <= SNIPPET_CHARS:
        return body
    cut = body.rfind(" ", 0, SNIPPET_CHARS)
    return body[: cut if cut > 0 else SNIPPET_CHARS] + "…"


def word_spans(analyzer: Callable[..., Iterable], text: str) -> list[tuple[str, int, int]]:
    """The words `analyzer` keeps of `text` as it indexes them: (term, start, end) each, in
    order. For the archive's analyser (a tokenizer, lower case, stop words, a stemmer) it
    is one pass over the tokenizer's matches with those filters' own settings, about five
    times faster than whoosh's chain of generators (7 µs a word; a result card analyses
    whole answers); any other analyser is iterated."""
    items = getattr(analyzer, "items", None)
    kinds = [type(item) for item in items or ()]
    if kinds != [RegexTokenizer, LowercaseFilter, StopFilter, StemFilter] or items[0].gaps:
        return [
            (token.text, token.startchar, token.endchar)
            for token in analyzer(text, positions=True, chars=True, mode="index")
        ]
    tokenizer, _lowercase, stop, stemmer = items
    stops, shortest, longest = stop.stops, stop.min, stop.max
    stemmed, ignore = stemmer._stem, stemmer.ignore
    spans = []
    for match in tokenizer.expression.finditer(text):
        word = match.group(0).lower()
        if len(word) < shortest or (longest is not None and len(word) > longest):
            continue
        if word in stops:
            continue
        spans.append((word if word in ignore else stemmed(word), match.start(), match.end()))
    return spans


def _marked_tokens(
    text: str, highlight: Highlight, analyzer: Callable[..., Iterable[Token]]
) -> Iterator[Token]:
    seen = word_spans(analyzer, text)
    matched = [word in highlight.terms for word, _, _ in seen]
    words = [word for word, _, _ in seen]
    for phrase in highlight.phrases:
        size = len(phrase)
        for start in range(len(words) - size + 1):
            if words[start] == phrase[0] and tuple(words[start : start + size]) == phrase:
                matched[start : start + size] = [True] * size
    for (word, startchar, endchar), is_match in zip(seen, matched, strict=True):
        token = Token(chars=True)
        token.text, token.startchar, token.endchar = word, startchar, endchar
        token.matched = is_match
        yield token


# Result cards (templates/search/_card.html): excerpts of one turn, cut between words.

# Where an excerpt may begin or end: at whitespace only. A word is everything between
# spaces, so "don’t", "U.S." and "COVID-19" are never cut, whatever the analyser splits
# them into ("don" and "t": whoosh's fragments began and ended there).
_SPACE = re.compile(r"\s")
CUT = "…"


@dataclass(frozen=True)
class Excerpt:
    """A piece of one turn's words as escaped HTML, the matches in <mark>, an ellipsis
    wherever it was cut; `matched`: it holds a searched word."""

    html: str
    matched: bool
    marks: int = 0  # how many words are marked


def excerpt_turn(
    text: str,
    highlight: Highlight,
    analyzer: Callable[..., Iterable[Token]],
    *,
    chars: int = SNIPPET_CHARS,
    fragments: int = FRAGMENTS,
    opening_only: bool = False,
) -> Excerpt:
    """The best `fragments` pieces of `text` around its matches (or, with `opening_only`
    or no match, its opening words, matches marked), each starting and ending between
    words, with "…" where `text` goes on."""
    text = " ".join(text.split())
    # The opening needs only its own words analysed: a long question costs no more.
    read = text[: _cut_before(text, chars)] if opening_only else text
    tokens = list(_marked_tokens(read, highlight, analyzer)) if wants_marks(highlight) else []
    matches = [token for token in tokens if token.matched]
    if matches and not opening_only:
        fragmenter = ContextFragmenter(maxchars=chars, surround=SURROUND)
        chosen = top_fragments(
            fragmenter.fragment_tokens(text, tokens), fragments, BasicFragmentScorer(), FIRST
        )
        spans = _merged([_widened(text, f.startchar, f.endchar) for f in chosen])
    else:
        spans = [(0, _cut_before(text, chars))]
    pieces, marks = [], 0
    for start, end in spans:
        inside = [t for t in matches if start <= t.startchar and t.endchar <= end]
        marks += len(inside)
        pieces.append(_marked(text, start, end, inside))
    html_text = f" {CUT} ".join(pieces)
    if spans and spans[0][0] > 0:
        html_text = f"{CUT} {html_text}"
    if spans and spans[-1][1] < len(text):
        html_text = f"{html_text} {CUT}"
    return Excerpt(html_text, bool(marks), marks)


def match_spans(
    text: str, highlight: Highlight, analyzer: Callable[..., Iterable[Token]]
) -> list[tuple[int, int]]:
    """Where `text` holds the searched words, as (start, end) offsets: for marking a whole
    turn (the exchange page arrived at from a search)."""
    if not wants_marks(highlight):
        return []
    return [
        (token.startchar, token.endchar)
        for token in _marked_tokens(text, highlight, analyzer)
        if token.matched
    ]


def cut_inside_word(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] begins or ends inside a word (letters, digits and any
    apostrophe): the measure of bench/snippet_cuts.py."""

    def wordy(char: str) -> bool:
        return char.isalnum() or char in APOSTROPHES

    head = start > 0 and wordy(text[start - 1]) and wordy(text[start])
    tail = 0 < end < len(text) and wordy(text[end - 1]) and wordy(text[end])
    return head or tail


APOSTROPHES = "'’‘ʼ‛`´"


def wants_marks(highlight: Highlight) -> bool:
    """Whether the search has words to mark (not only filters)."""
    return bool(highlight.terms or highlight.phrases)


def _widened(text: str, start: int, end: int) -> tuple[int, int]:
    """`start` back and `end` on to the nearest space (or the text's ends); a start near
    the beginning goes to the beginning, as highlight_snippet's does."""
    if start <= SURROUND:
        start = 0
    while start > 0 and not _SPACE.match(text[start - 1]):
        start -= 1
    while end < len(text) and not _SPACE.match(text[end]):
        end += 1
    return start, end


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _cut_before(text: str, chars: int) -> int:
    """The end of the opening: all of `text` when it is short, else the last space before
    `chars` (or the first after it, for a word longer than that)."""
    if len(text) <= chars:
        return len(text)
    cut = text.rfind(" ", 0, chars + 1)
    if cut <= 0:
        cut = text.find(" ", chars)
    return len(text) if cut < 0 else cut


def _marked(text: str, start: int, end: int, matches: list[Token]) -> str:
    out, at = [], start
    for token in matches:
        if token.startchar < at:
            continue
        out.append(html.escape(text[at : token.startchar], quote=False))
        out.append("<mark>" + html.escape(text[token.startchar : token.endchar], quote=False))
        out.append("</mark>")
        at = token.endchar
    out.append(html.escape(text[at:end], quote=False))
    return "".join(out)
