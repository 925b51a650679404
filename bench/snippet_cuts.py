"""How many result snippets begin or end inside a word, before and after the result cards
(issue 14): the old snippet (search.highlight.highlight_snippet over the index's document)
and the card's excerpts (search/cards.py, cut from the turns), for the same queries on
the same index.

    PYTHONHASHSEED=0 DEBUG=1 DATA_DIR=/tmp/cards/data .venv/bin/python bench/snippet_cuts.py

The old snippets change with the hash seed (whoosh breaks ties between fragments by set
order): on 288 White House files, 26 to 31 of 600 were cut inside a word over four runs,
30 (5.0%) with seed 0. The cards' excerpts: 0 of 1,169, whatever the seed.

A snippet is cut inside a word where the character before its first one, or after its
last one, is a letter, a digit or an apostrophe (straight or curly) and so is the one
beside it. A cut that is not marked with "…" is counted apart.
"""

from __future__ import annotations

import html
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from haystack.constants import DJANGO_ID  # noqa: E402

from briefings.models import Exchange  # noqa: E402
from search.cards import build_card  # noqa: E402
from search.engines import reader  # noqa: E402
from search.filters import resolve_filters  # noqa: E402
from search.highlight import CUT, ELLIPSIS, cut_inside_word  # noqa: E402
from search.searching import SearchInput  # noqa: E402

# Written before any result was read: topics of the years the White House files cover,
# a few phrases, and words that sit beside apostrophes.
QUERIES = [
    "vaccine",
    "inflation",
    "Ukraine",
    "border",
    "China",
    "infrastructure",
    "climate",
    "Afghanistan",
    "evacuation",
    "gas prices",
    "student loans",
    "masks",
    "Russia",
    "jobs report",
    "supply chain",
    "Israel",
    "Gaza",
    "debt ceiling",
    "abortion",
    "guns",
    "Taiwan",
    "hurricane",
    "talked",
    "don't know",
    "we've",
    "President's",
    "shutdown",
    "tariffs",
    "unemployment",
    "Congress",
]
TAG = re.compile(r"</?mark>")
LOST: list[str] = []  # pieces not found in their text (none expected)


def plain(snippet: str) -> str:
    return html.unescape(TAG.sub("", snippet))


def old_cuts(text: str, snippet: str) -> tuple[int, int, int]:
    """(snippets, cut inside a word, cut without an ellipsis) for an old snippet of the
    document `text` (its first line, the title, is not in it)."""
    body = text.split("\n", 1)[1] if "\n" in text else text
    fragments = [fragment.rstrip("…") for fragment in plain(snippet).split(ELLIPSIS)]
    return cuts(body, fragments, head=False, tail=snippet.endswith("…"))


def new_cuts(text: str, snippet: str) -> tuple[int, int, int]:
    """The same for a card's excerpt of one turn's spoken words."""
    words = plain(snippet)
    head, tail = words.startswith(CUT + " "), words.endswith(" " + CUT)
    words = words.removeprefix(CUT + " ").removesuffix(" " + CUT)
    return cuts(" ".join(text.split()), words.split(f" {CUT} "), head=head, tail=tail)


def cuts(text: str, fragments: list[str], *, head: bool, tail: bool) -> tuple[int, int, int]:
    """`fragments` of `text` shown in order, with an ellipsis before the first (`head`) and
    after the last (`tail`) or not."""
    inside = unmarked = False
    for number, fragment in enumerate(fragments):
        start = text.find(fragment)
        if start < 0:
            LOST.append(fragment)
            continue
        end = start + len(fragment)
        inside |= cut_inside_word(text, start, end)
        unmarked |= number == 0 and start > 0 and not head
        unmarked |= number == len(fragments) - 1 and end < len(text) and not tail
    return 1, int(inside), int(unmarked)


def main() -> None:
    engine = reader()
    analyzer = engine.text_analyzer()
    before = [0, 0, 0]
    after = [0, 0, 0]
    examples: list[str] = []
    for q in QUERIES:
        parsed = SearchInput(q=q).parse()
        compiled = engine.compile(parsed, resolve_filters(parsed))
        found = engine.find(compiled, start=0, end=20, highlight=True)
        ids = [int(hit.fields[DJANGO_ID]) for hit in found.hits]
        exchanges = Exchange.objects.prefetch_related("turns__person", "turns__outlet").in_bulk(ids)
        for hit in found.hits:
            counts = old_cuts(str(hit.fields.get("text", "")), hit.snippet)
            before = [a + b for a, b in zip(before, counts, strict=True)]
            if counts[1] and len(examples) < 5:
                examples.append(f"{q!r}: {plain(hit.snippet)[:90]!r}")
            exchange = exchanges.get(int(hit.fields[DJANGO_ID]))
            if exchange is None:
                continue
            turns = list(exchange.turns.all())
            card = build_card(turns, compiled.highlight, analyzer)
            by_position = {turn.position: turn for turn in turns}
            for part in (card.question, card.answer):
                if part is None or not part.excerpt.html:
                    continue
                counts = new_cuts(by_position[part.position].spoken_text, part.excerpt.html)
                after = [a + b for a, b in zip(after, counts, strict=True)]
    print(f"{len(QUERIES)} queries, top 20 each")
    for name, (total, inside, unmarked) in (("before", before), ("after", after)):
        share = 100 * inside / total if total else 0
        print(
            f"{name}: {total} snippets, {inside} cut inside a word ({share:.1f}%), "
            f"{unmarked} cut without an ellipsis"
        )
    print(f"pieces not found in their text: {len(LOST)}")
    for piece in LOST[:5]:
        print("  lost", repr(piece[:80]))
    for example in examples:
        print("  e.g.", example)


if __name__ == "__main__":
    main()
