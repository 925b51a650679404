"""The public query language: what people type in the search box.

    digital transformation     both words (AND), stemmed: "transforming" matches too
    "exact phrase"             the words next to each other, in this order
    -word  -"a phrase"         exclude exchanges containing it
    covid OR vaccine           either (OR binds the words on each side of it)
    speaker:psaki              a speaker, by slug or name: speaker:"Jen Psaki"
    outlet:"China Daily"       the outlet a question came from (slug or name)
    org:"State Council Information Office"   a government body taking part
    from:2021  to:2021-06-30   dates: YYYY, YYYY-MM or YYYY-MM-DD (inclusive)
    conference:SLUG            within one briefing
    -speaker:psaki             filters can be excluded too

The text is parsed into a `ParsedQuery` (pure, no database), its filters are resolved to
exact slugs and ids through the database (`resolve_filters`), and the two are compiled
into Whoosh query objects (`compile_query`). User text never reaches a query parser, so
Whoosh's own syntax (wildcards, fuzzy `~N`, ranges, `field:` of any field) is out of reach.

research/reliability.md finding 7: long phrases and huge queries can stall a worker, so
queries are cut to fixed limits here, each cut with a message; the time budget in the
backend covers whatever a query within the limits still costs.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.text import slugify
from haystack.constants import DJANGO_ID
from whoosh import query as wq
from whoosh.matching import Matcher, WrappingMatcher
from whoosh.searching import Searcher

from briefings.models import Conference, Exchange, Organization, Person
from briefings.text import name_key

MAX_TERMS = 12  # words, phrases and OR groups; each exclusion counts as one too
MAX_PHRASES = 2
MAX_PHRASE_WORDS = 8
MAX_ALTERNATIVES = 20  # words and phrases joined by OR, over the whole query
MAX_FILTERS = 8  # speaker:, outlet:, org:, conference: together
MAX_NAME_MATCHES = 10  # people (or organizations) one name may stand for
MAX_FIELD_VALUE = 100  # characters of a filter value taken from a form control

TEXT_FIELD = "text"
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
INDEX_FIELDS = {"speaker": "speakers", "outlet": "outlets", "organization": "organizations"}

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


def parse_query(
    text: str,
    *,
    speaker: str = "",
    outlet: str = "",
    organization: str = "",
    date_from: str = "",
    date_to: str = "",
    conference: str = "",
) -> ParsedQuery:
    """The search box text plus the form's filter controls, as one `ParsedQuery`."""
    parsed = ParsedQuery()
    text = _printable(text)
    limit = settings.SEARCH_MAX_QUERY_LENGTH
    if len(text) > limit:
        text = text[:limit]
        parsed.note(f"Your search was cut to its first {limit} characters.")
    _collect(parsed, _lexemes(text, parsed))
    controls = [
        ("speaker", speaker),
        ("outlet", outlet),
        ("organization", organization),
        ("conference", conference),
    ]
    for kind, value in controls:
        value = _printable(value)[:MAX_FIELD_VALUE].strip()
        if value:
            _add_filter(parsed, FieldFilter(kind, value))
    for kind, value in (("from", date_from), ("to", date_to)):
        value = _printable(value)[:MAX_FIELD_VALUE].strip()
        if value:
            _set_date(parsed, kind, value)
    if parsed.date_from and parsed.date_to and parsed.date_from > parsed.date_to:
        parsed.note(
            f"from: {parsed.date_from:%Y-%m-%d} is after to: {parsed.date_to:%Y-%m-%d}, "
            "so nothing can match."
        )
    return parsed


def _printable(text: str) -> str:
    # Control characters (and stray newlines from a pasted query) become spaces.
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


# Filters through the database.


@dataclass
class ResolvedFilter:
    """A filter with the exact index values it stands for."""

    filter: FieldFilter
    label: str  # for people: the names, as the page shows them
    values: list[str]  # slugs, or exchange ids for a conference; empty matches nothing


def resolve_filters(parsed: ParsedQuery) -> list[ResolvedFilter]:
    """Slugs for speaker:/outlet:/org: values (slugs or names), exchange ids for
    conference:, with a message for every value that matches nothing."""
    resolved = []
    for item in parsed.filters:
        if item.kind == "conference":
            resolved.append(_resolve_conference(parsed, item))
            continue
        if item.kind == "speaker":
            found = find_people(item.value)
            _note_namesakes(parsed, item, found)
        else:
            kind = Organization.Kind.MEDIA if item.kind == "outlet" else None
            found = find_organizations(item.value, kind=kind)
        if not found:
            parsed.note(f"No {item.kind} matches “{item.value}”.")
        elif len(found) > MAX_NAME_MATCHES:
            parsed.note(
                f"“{item.value}” matches {len(found)} {item.kind}s; the first "
                f"{MAX_NAME_MATCHES} were used. A fuller name narrows it."
            )
            found = found[:MAX_NAME_MATCHES]
        label = " or ".join(str(each) for each in found) or item.value
        resolved.append(ResolvedFilter(item, label, [each.slug for each in found]))
    return resolved


def _resolve_conference(parsed: ParsedQuery, item: FieldFilter) -> ResolvedFilter:
    conference = Conference.objects.filter(slug=item.value.lower()).first()
    if conference is None:
        parsed.note(f"No briefing has the address “{item.value}”.")
        return ResolvedFilter(item, item.value, [])
    ids = Exchange.objects.filter(conference=conference).values_list("pk", flat=True)
    return ResolvedFilter(item, conference.title, [str(pk) for pk in ids])


def find_people(value: str) -> list[Person]:
    return _find_named(Person.objects.all(), value)


def find_organizations(value: str, *, kind: str | None = None) -> list[Organization]:
    organizations = Organization.objects.all()
    found = _find_named(organizations.filter(kind=kind), value) if kind else []
    return found or _find_named(organizations, value)


def _note_namesakes(parsed: ParsedQuery, item: FieldFilter, found: list[Person]) -> None:
    """A value that is one person's slug may also be part of other people's names
    ("psaki" is the slug of an "M. Psaki"): the slug wins, so say who else there is."""
    if len(found) != 1 or found[0].slug != item.value.lower():
        return
    _whole, partial = _named(Person.objects.exclude(pk=found[0].pk), item.value)
    if partial:
        names = ", ".join(f"{person} (speaker:{person.slug})" for person in partial[:5])
        parsed.note(f"speaker:{item.value} is {found[0]}; also named so: {names}.")


def _find_named(queryset: QuerySet, value: str) -> list:
    """Rows named by `value`: its slug, else a full name or alias, else rows with a name
    containing it word for word ("psaki" finds Jen Psaki). Case and accents fold."""
    slugs = {value.strip().lower(), slugify(value)} - {""}
    exact = list(queryset.filter(slug__in=slugs))
    if exact:
        return exact
    whole, partial = _named(queryset, value)
    return whole or partial


def _named(queryset: QuerySet, value: str) -> tuple[list, list]:
    """(rows with `value` as a whole name or alias, rows with it inside a name)."""
    key = name_key(value)
    words = key.split()
    if not words:
        return [], []
    candidates = queryset
    for word in words:
        ascii_word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
        candidates = candidates.filter(
            Q(name__icontains=ascii_word or word) | Q(aliases__icontains=ascii_word or word)
        )
    candidates = list(candidates[:500])
    keys = {row.pk: _name_keys(row) for row in candidates}
    whole = [row for row in candidates if key in keys[row.pk]]
    # Inside a name, word for word ("psaki" in "jen psaki"); "china daily" is not inside
    # "China Youth Daily".
    partial = [row for row in candidates if any(_has_run(k.split(), words) for k in keys[row.pk])]
    return whole, partial


def _has_run(words: list[str], run: list[str]) -> bool:
    return any(words[i : i + len(run)] == run for i in range(len(words) - len(run) + 1))


def _name_keys(row: Person | Organization) -> set[str]:
    return {name_key(row.name), *(name_key(alias) for alias in row.aliases)} - {""}


# Compiling into Whoosh queries.


@dataclass(frozen=True)
class Highlight:
    """What to mark in a snippet: analysed terms, and phrases as runs of them."""

    terms: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()


@dataclass
class CompiledQuery:
    query: wq.Query
    highlight: Highlight
    has_text: bool
    dates: tuple[dt.date | None, dt.date | None] = (None, None)


Analyzer = Callable[..., Iterable]


def compile_query(
    parsed: ParsedQuery, filters: list[ResolvedFilter], analyzer: Analyzer
) -> CompiledQuery:
    """The Whoosh query for `parsed`, its words analysed as the index analysed them."""
    terms: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    dropped: list[Clause] = []

    def clause_query(clause: Clause, *, mark: bool) -> wq.Query | None:
        tokens = clause_tokens(clause, analyzer)
        if not tokens:
            dropped.append(clause)
            return None
        if len(tokens) == 1:
            if mark:
                terms.add(tokens[0])
            return wq.Term(TEXT_FIELD, tokens[0])
        if mark:
            phrases.append(tuple(tokens))
        return wq.Phrase(TEXT_FIELD, tokens)

    required: list[wq.Query] = []
    for group in parsed.required:
        alternatives = [q for q in (clause_query(c, mark=True) for c in group) if q is not None]
        if len(alternatives) == 1:
            required.append(alternatives[0])
        elif alternatives:
            required.append(wq.Or(alternatives))
    excluded = [q for q in (clause_query(c, mark=False) for c in parsed.excluded) if q]
    note_dropped(parsed, dropped)
    has_text = bool(required)

    narrowing: list[wq.Query] = []
    for item in filters:
        if item.filter.negated:
            if item.values:
                excluded.append(Unscored(_any_of(item)))
        elif item.values:
            narrowing.append(_any_of(item))
        else:
            narrowing.append(wq.NullQuery)  # a filter that names nothing matches nothing
    dates = (parsed.date_from, parsed.date_to)  # applied by the backend, from a column

    parts = list(required)
    if narrowing:
        parts.append(Unscored(wq.And(narrowing)))
    if not parts:
        # Only exclusions or dates: everything, minus or within them; else nothing.
        parts.append(wq.Every() if excluded or any(dates) else wq.NullQuery)
    compiled: wq.Query = parts[0] if len(parts) == 1 else wq.And(parts)
    if excluded:
        compiled = wq.AndNot(compiled, wq.Or(excluded))
    return CompiledQuery(
        compiled, Highlight(frozenset(terms), tuple(phrases)), has_text=has_text, dates=dates
    )


def clause_tokens(clause: Clause, analyzer: Analyzer) -> list[str]:
    """A word's or phrase's terms as the index analyses them; none when every word is
    too common or too short to be indexed."""
    raw = clause.text if isinstance(clause, Word) else " ".join(clause.words)
    return [token.text for token in analyzer(raw)][:MAX_PHRASE_WORDS]


def note_dropped(parsed: ParsedQuery, dropped: list[Clause]) -> None:
    if dropped:
        listed = ", ".join(str(clause) for clause in dropped)
        parsed.note(f"Too common or too short to search for: {listed}.")


def _any_of(item: ResolvedFilter) -> wq.Query:
    fieldname = DJANGO_ID if item.filter.kind == "conference" else INDEX_FIELDS[item.filter.kind]
    terms = [wq.Term(fieldname, value) for value in item.values]
    return terms[0] if len(terms) == 1 else wq.Or(terms)


class Unscored(wq.WrappingQuery):
    """Matches what its child matches, adding nothing to the score: filters narrow the
    results, they never rank them."""

    def _rewrap(self, child: wq.Query) -> Unscored:
        return Unscored(child)

    def matcher(self, searcher: Searcher, context: object = None) -> Matcher:
        return UnscoredMatcher(self.child.matcher(searcher, context))


class UnscoredMatcher(WrappingMatcher):
    def _replacement(self, newchild: Matcher) -> UnscoredMatcher:
        return UnscoredMatcher(newchild)

    def supports_block_quality(self) -> bool:
        # A score of 0 everywhere gives block skipping nothing to go on.
        return False

    def score(self) -> float:
        return 0.0


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
