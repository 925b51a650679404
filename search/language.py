"""The public query language: what people type in the search box.

    digital transformation     both words (AND), stemmed: "transforming" matches too
    "exact phrase"             the words next to each other, in this order
    -word  -"a phrase"         exclude exchanges containing it
    covid OR vaccine           either (OR binds the words on each side of it)
    speaker:psaki              a speaker, by slug or name: speaker:"Jen Psaki"
    speaker:psaki speaker:kirby   either of them: several values of one filter are
                               any of them, different filters all of them
    outlet:"China Daily"       the outlet a question came from (slug or name)
    org:"State Council Information Office"   a government body taking part
    from:2021  to:2021-06-30   dates: YYYY, YYYY-MM or YYYY-MM-DD (inclusive)
    conference:SLUG            within one briefing
    -speaker:psaki             filters can be excluded too

The text is parsed into a `ParsedQuery` here, with no database and no engine (no Django
at all); search/filters.py resolves its filters to exact slugs and ids through the
database, and an engine wing compiles the two into its own queries
(search/whoosh/compiling.py, search/servers/portable.py). User text never reaches a
query parser, so Whoosh's own syntax (wildcards, fuzzy `~N`, ranges, `field:` of any
field) is out of reach.

Long phrases and huge queries can stall a worker, so queries are cut to fixed limits
here, each cut with a message; the engine's time budget covers whatever a query within
the limits still costs.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from briefings import variants

MAX_QUERY_LENGTH = 200  # characters of the search box; the rest is cut
MAX_TERMS = 12  # words, phrases and OR groups; each exclusion counts as one too
MAX_PHRASES = 2
MAX_PHRASE_WORDS = 8
MAX_ALTERNATIVES = 20  # words and phrases joined by OR, over the whole query
MAX_FILTERS = 8  # speaker:, outlet:, org:, conference: together
MAX_FIELD_VALUE = 100  # characters of a filter value taken from a form control

FILTER_FIELDS = {  # what users type -> the filter's kind
    "speaker": "speaker",
    "outlet": "outlet",
    "org": "organization",
    "organization": "organization",
    "conference": "conference",
    "briefing": "conference",
    "from": "from",
    "to": "to",
}

# One lexeme: an optional "-", an optional "field:", then a "quoted phrase" (its closing
# quote may be missing) or a bare run of characters.
_LEXEME = re.compile(
    r'(?P<neg>-)?(?:(?P<field>[A-Za-z]+):)?(?:"(?P<quoted>[^"]*)"?|(?P<bare>[^\s"]+))'
)
_DATE = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?")


# The parsed structure.


@dataclass(frozen=True)
class Word:
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]

    def __str__(self) -> str:
        return '"' + " ".join(self.words) + '"'


Clause = Word | Phrase


@dataclass(frozen=True)
class FieldFilter:
    kind: str  # "speaker", "outlet", "organization" or "conference"
    value: str  # as typed: a slug or a name
    negated: bool = False

    def __str__(self) -> str:
        value = f'"{self.value}"' if " " in self.value else self.value
        return f"{'-' if self.negated else ''}{self.kind}:{value}"


@dataclass
class ParsedQuery:
    """A query as the user meant it; every group of `required` must match (AND), any
    clause of a group may (OR)."""

    required: list[list[Clause]] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    filters: list[FieldFilter] = field(default_factory=list)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    messages: list[str] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        return bool(self.required)

    @property
    def is_empty(self) -> bool:
        return not (
            self.required or self.excluded or self.filters or self.date_from or self.date_to
        )

    def note(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)


_OR = object()  # the OR operator, between lexemes


Values = str | Sequence[str]  # one form control's value, or the values of a repeated one


def parse_query(
    text: str,
    *,
    speaker: Values = "",
    outlet: Values = "",
    organization: Values = "",
    date_from: str = "",
    date_to: str = "",
    conference: Values = "",
) -> ParsedQuery:
    """The search box text plus the form's filter controls, as one `ParsedQuery`. A
    control may hold several values (two speakers chosen from the facets): each is a
    filter of its own, and filters of one kind match any of their values."""
    parsed = ParsedQuery()
    if note := control_characters_note(
        [text, speaker, outlet, organization, date_from, date_to, conference]
    ):
        parsed.note(note)
    text = printable(text)
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH]
        parsed.note(f"Your search was cut to its first {MAX_QUERY_LENGTH} characters.")
    _collect(parsed, _lexemes(text, parsed))
    controls = [
        ("speaker", speaker),
        ("outlet", outlet),
        ("organization", organization),
        ("conference", conference),
    ]
    for kind, values in controls:
        for value in [values] if isinstance(values, str) else values:
            value = printable(value)[:MAX_FIELD_VALUE].strip()
            if value:
                _add_filter(parsed, FieldFilter(kind, value))
    for kind, value in (("from", date_from), ("to", date_to)):
        value = printable(value)[:MAX_FIELD_VALUE].strip()
        if value:
            _set_date(parsed, kind, value)
    if parsed.date_from and parsed.date_to and parsed.date_from > parsed.date_to:
        parsed.note(
            f"from: {parsed.date_from:%Y-%m-%d} is after to: {parsed.date_to:%Y-%m-%d}, "
            "so nothing can match."
        )
    return parsed


def without_filter(text: str, item: FieldFilter) -> str:
    """The search box text with every lexeme that is `item` taken out (a chip's remove
    link for a filter typed into the box); the rest of the text as typed."""
    return replace_filter(text, item, "")


def replace_filter(text: str, item: FieldFilter, value: str) -> str:
    """The search box text with `item`'s value replaced by `value` where it was typed
    (its field name and "-" as typed), or taken out when `value` is empty."""
    kept = []
    position = 0
    for match in _LEXEME.finditer(text):
        name = match["field"]
        kind = FILTER_FIELDS.get(name.lower()) if name else None
        typed = match["quoted"] if match["quoted"] is not None else match["bare"]
        if kind != item.kind or bool(match["neg"]) != item.negated:
            continue
        if typed.strip().lower() != item.value.lower():
            continue
        kept.append(text[position : match.start()])
        if value:
            shown = f'"{value}"' if " " in value else value
            kept.append(f"{match['neg'] or ''}{name}:{shown}")
        position = match.end()
    kept.append(text[position:])
    return " ".join("".join(kept).split())


def control_characters_note(values: Sequence[Values]) -> str:
    """A message that control characters (a NUL, say) were taken out of the search, so
    that a search for less than was typed does not pass silently; "" when there were
    none. Line breaks and tabs are spaces to a search, and pass without a word."""
    texts = [text for value in values for text in ([value] if isinstance(value, str) else value)]
    found = sorted({ch for text in texts for ch in text if not (ch.isprintable() or ch.isspace())})
    if not found:
        return ""
    shown = ", ".join(f"U+{ord(ch):04X}" for ch in found[:MAX_NAMED_CHARACTERS])
    more = " and others" if len(found) > MAX_NAMED_CHARACTERS else ""
    return f"Your search held control characters ({shown}{more}): they were taken out."


MAX_NAMED_CHARACTERS = 3


def printable(text: str) -> str:
    """The text as a search reads it: control characters (and stray newlines from a
    pasted query) become spaces."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _lexemes(text: str, parsed: ParsedQuery) -> Iterator[object]:
    """OR markers, (negated, clause) pairs; filters and dates go straight into `parsed`."""
    negate_next = False
    for match in _LEXEME.finditer(text):
        negated = bool(match["neg"]) or negate_next
        negate_next = False
        name, quoted, bare = match["field"], match["quoted"], match["bare"]
        kind = FILTER_FIELDS.get(name.lower()) if name else None
        if kind is not None:
            value = (quoted if quoted is not None else bare).strip()
            if not value:
                continue
            if kind in ("from", "to"):
                if negated:
                    parsed.note(f"-{kind}: cannot be excluded; use from: and to: for a range.")
                else:
                    _set_date(parsed, kind, value)
            else:
                _add_filter(parsed, FieldFilter(kind, value, negated))
            continue
        if name:  # "foo:bar" for an unknown field is plain text
            yield negated, Word(name)
        if quoted is not None:
            words = tuple(quoted.split())
            if words:
                yield negated, Phrase(words)
        elif bare in ("OR", "|") and not negated and not name:
            yield _OR
        elif bare == "AND" and not negated and not name:
            continue
        elif bare == "NOT" and not negated and not name:
            negate_next = True
        else:
            yield negated, Word(bare)


def _collect(parsed: ParsedQuery, lexemes: Iterable[object]) -> None:
    """Group clauses joined by OR, keeping within the limits."""
    terms = phrases = alternatives = 0
    joining = False  # the last lexeme was an OR after a required clause
    previous_required = False
    for lexeme in lexemes:
        if lexeme is _OR:
            joining = previous_required
            continue
        negated, clause = lexeme  # type: ignore[misc]
        if isinstance(clause, Phrase):
            if phrases >= MAX_PHRASES:
                parsed.note(f"Only the first {MAX_PHRASES} phrases were used.")
                joining = previous_required = False
                continue
            phrases += 1
            if len(clause.words) > MAX_PHRASE_WORDS:
                parsed.note(f"Phrases are cut to their first {MAX_PHRASE_WORDS} words.")
                clause = Phrase(clause.words[:MAX_PHRASE_WORDS])
        if joining and not negated:
            group = parsed.required[-1]
            added = 2 if len(group) == 1 else 1
            if alternatives + added > MAX_ALTERNATIVES:
                parsed.note(
                    f"Only the first {MAX_ALTERNATIVES} alternatives joined by OR were used."
                )
            else:
                alternatives += added
                group.append(clause)
            joining = False
            previous_required = True
            continue
        joining = False
        if terms >= MAX_TERMS:
            parsed.note(f"Only the first {MAX_TERMS} terms were used.")
            previous_required = False
            continue
        terms += 1
        if negated:
            parsed.excluded.append(clause)
        else:
            parsed.required.append([clause])
        previous_required = not negated


def _add_filter(parsed: ParsedQuery, item: FieldFilter) -> None:
    if item in parsed.filters:
        return
    if len(parsed.filters) >= MAX_FILTERS:
        parsed.note(f"Only the first {MAX_FILTERS} filters were used.")
        return
    parsed.filters.append(item)


def _set_date(parsed: ParsedQuery, kind: str, value: str) -> None:
    try:
        day = parse_date_bound(value, end=kind == "to")
    except ValueError:
        parsed.note(f"{kind}: “{value}” is not a date; use YYYY, YYYY-MM or YYYY-MM-DD.")
        return
    if kind == "from":
        parsed.date_from = day
    else:
        parsed.date_to = day


def parse_date_bound(value: str, *, end: bool) -> dt.date:
    """YYYY, YYYY-MM or YYYY-MM-DD; a start bound is the first day, an end bound the last.

    Raises ValueError for anything else, including impossible dates (2021-02-30).
    """
    match = _DATE.fullmatch(value.strip())
    if match is None:
        raise ValueError(value)
    year = int(match["year"])
    if match["month"] is None:
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    month = int(match["month"])
    if match["day"] is None:
        if not 1 <= month <= 12:
            raise ValueError(value)
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, last if end else 1)
    return dt.date(year, month, int(match["day"]))


Analyzer = Callable[..., Iterable]  # an engine's text analysis: text in, tokens out


def clause_tokens(clause: Clause, analyzer: Analyzer) -> list[str]:
    """A word's or phrase's terms as the index analyses them; none when every word is
    too common or too short to be indexed."""
    raw = clause.text if isinstance(clause, Word) else " ".join(clause.words)
    return [token.text for token in analyzer(raw)][:MAX_PHRASE_WORDS]


def note_dropped(parsed: ParsedQuery, dropped: list[Clause]) -> None:
    if dropped:
        listed = ", ".join(str(clause) for clause in dropped)
        parsed.note(f"Too common or too short to search for: {listed}.")


def describe(parsed: ParsedQuery) -> str:
    """The query as the parser understood it, in the public syntax (for messages)."""
    parts = [" OR ".join(str(clause) for clause in group) for group in parsed.required]
    parts += [f"-{clause}" for clause in parsed.excluded]
    parts += [str(item) for item in parsed.filters]
    if parsed.date_from:
        parts.append(f"from:{parsed.date_from:%Y-%m-%d}")
    if parsed.date_to:
        parts.append(f"to:{parsed.date_to:%Y-%m-%d}")
    return " ".join(parts)


def edit_distance(a: str, b: str) -> int:
    """Edit distance: insertions, deletions, substitutions and two letters swapped, the
    commonest slip of all ("chian" is one edit from "chain", as from "chin"). The names'
    measure (briefings/variants.py), with no limit: no distance exceeds the longer length."""
    return variants.edit_distance(a, b, max(len(a), len(b)))
