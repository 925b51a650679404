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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from whoosh.analysis import Token
from whoosh.highlight import (
    FIRST,
    BasicFragmentScorer,
    ContextFragmenter,
    Formatter,
    get_text,
    top_fragments,
)

SNIPPET_CHARS = 240
FRAGMENTS = 2
SURROUND = 60  # characters of context around a match
ELLIPSIS = " … "


@dataclass(frozen=True)
class Highlight:
    """What to mark in a snippet: analysed terms, and phrases as runs of them."""

    terms: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()


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
    if not highlight.terms and not highlight.phrases:
        return html.escape(opening(text), quote=False)  # a filter-only search
    # Marked in what was said (the result shows the title apart): an exchange found only
    # through who spoke shows its opening words.
    body = _body(text)
    tokens = list(_marked_tokens(body, highlight, analyzer))
    if any(token.matched for token in tokens):
        fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=SURROUND)
        fragments = top_fragments(
            fragmenter.fragment_tokens(body, tokens), FRAGMENTS, BasicFragmentScorer(), FIRST
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
    body = " ".join(_body(text).split())
    if len(body) <= SNIPPET_CHARS:
        return body
    cut = body.rfind(" ", 0, SNIPPET_CHARS)
    return body[: cut if cut > 0 else SNIPPET_CHARS] + "…"


def _body(text: str) -> str:
    """What was said: an exchange's document is only that now, the conference title is
    a field of its own (templates/search/indexes/briefings/exchange_text.txt)."""
    return text


def _marked_tokens(
    text: str, highlight: Highlight, analyzer: Callable[..., Iterable[Token]]
) -> Iterator[Token]:
    # The analyser reuses one Token object; keep what we need from each before moving on.
    seen = [
        (token.text, token.startchar, token.endchar)
        for token in analyzer(text, positions=True, chars=True, mode="index")
    ]
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
