"""Searching the archive, for the pages and exports: the public query language
(search/language.py, search/filters.py) run on the index through the engine's `Reader`
(search/engines.py: our Whoosh read path, or SearchQuerySet on a search server), joined
with the database for what the pages show. Views call these functions; nothing here
knows about requests.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from haystack.constants import DJANGO_ID

from briefings.models import Commitment, Exchange, Organization, Participant, Person, Turn
from briefings.text import NOTE_PATTERN, OFFICIAL_ROLES

from .cards import Card, build_card
from .engines import Reader, answering, reader
from .fields import YEAR
from .filters import ResolvedFilter, combine_filters, nearest_names, resolve_filters
from .highlight import Highlight, match_spans, opening
from .language import (
    Analyzer,
    FieldFilter,
    ParsedQuery,
    Phrase,
    control_characters_note,
    edit_distance,
    parse_query,
    printable,
    replace_filter,
)
from .results import Found, Hit

logger = logging.getLogger(__name__)

MAX_PAGES = 50  # 1,000 results at 20 a page; deeper pages rank more than anyone reads
EXPORT_MAX_ROWS = 5000  # CSV and JSON exports; documented on the search page
# Exchanges an export reads from the database at once (4 queries each time): its memory
# is a chunk's full text, whatever the number of rows.
EXPORT_CHUNK = 200
FEED_ENTRIES = 50
SIMILAR = 5
FACET_FIELDS = ("speakers", "outlets", "organizations", YEAR)
FACETS_SHOWN = 10
SORTS = {"relevance": (), "newest": ("-held_on",), "oldest": ("held_on",)}
MULTIPLE = ("speaker", "outlet", "organization")  # SearchInput's controls of several values
FACET_KINDS = {"speakers": "speaker", "outlets": "outlet", "organizations": "organization"}
SUGGESTION_CANDIDATES = 3  # spellings tried for each misspelt word or name
SUGGESTION_TRIES = 6  # count-only queries a "did you mean" may cost, nearest first
SORT_LABELS = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first"}
TURN_FIELDS = (  # what an export reads of a turn, in the order _export_rows unpacks
    "exchange_id",
    "pk",
    "position",
    "role",
    "speaker_label",
    "speaker_title",
    "person_id",
    "person__name",
    "outlet__name",
    "text",
)


@dataclass
class SearchInput:
    """What a search asks for: the box, the form's filter controls, sort and page. The
    speaker, outlet and organization controls may hold several values (any of them)."""

    q: str = ""
    speaker: tuple[str, ...] = ()
    outlet: tuple[str, ...] = ()
    organization: tuple[str, ...] = ()
    date_from: str = ""
    date_to: str = ""
    conference: str = ""
    sort: str = "relevance"
    page: int = 1
    # Said when control characters (a NUL) were taken out of the values, which are then
    # the search as it is read: its links, title and exports carry none.
    control_note: str = field(default="", repr=False, compare=False)

    def __post_init__(self) -> None:
        if note := control_characters_note([getattr(self, name) for name in TEXT_INPUTS]):
            self.control_note = note
            for name in TEXT_INPUTS:
                value = getattr(self, name)
                if isinstance(value, str):
                    setattr(self, name, printable(value).strip())
                else:
                    setattr(self, name, tuple(printable(each).strip() for each in value))
        # One value or several, kept in one order: the same choice is the same URL.
        for name in MULTIPLE:
            values = getattr(self, name)
            values = [values] if isinstance(values, str) else values
            setattr(self, name, tuple(sorted({value for value in values if value})))

    def parse(self) -> ParsedQuery:
        parsed = parse_query(
            self.q,
            speaker=self.speaker,
            outlet=self.outlet,
            organization=self.organization,
            date_from=self.date_from,
            date_to=self.date_to,
            conference=self.conference,
        )
        if self.control_note:
            parsed.note(self.control_note)
        return parsed


TEXT_INPUTS = ("q", "speaker", "outlet", "organization", "date_from", "date_to", "conference")


@dataclass
class SearchHit:
    exchange: Exchange
    snippet: SafeString  # escaped, with <mark> around matches
    score: float | None
    speakers: list[tuple[str, str]]  # (name, title at that briefing) of who answered
    outlets: list[str]  # where the questions came from
    card: Card | None = None  # the question, who answered and where the words matched


@dataclass
class FacetValue:
    value: str  # the slug (or year) the filter uses
    label: str
    count: int
    selected: bool = False
    share: int = 0  # percent of the largest count, for bars


@dataclass
class SearchPage:
    input: SearchInput
    parsed: ParsedQuery
    filters: list[ResolvedFilter]
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    estimated: bool = False  # `total` is an estimate: the time budget ran out
    timed_out: bool = False
    page: int = 1
    pages: int = 0
    page_size: int = 20
    sort: str = "relevance"  # the order shown (a filter-only search is newest first)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    years: list[FacetValue] = field(default_factory=list)  # in order, for the chart
    suggestion: str = ""  # a corrected query, when nothing was found, as shown
    suggested: SearchInput | None = None  # the corrected search itself, for its link

    @property
    def messages(self) -> list[str]:
        return self.parsed.messages

    @property
    def searched(self) -> bool:
        return not self.parsed.is_empty

    @property
    def first(self) -> int:
        return (self.page - 1) * self.page_size + 1

    @property
    def last(self) -> int:
        return self.first + len(self.hits) - 1


@dataclass
class ExportTurn:
    """One turn of an exported exchange, in the transcript's words."""

    position: int
    role: str
    speaker_label: str  # exactly as printed
    speaker: str  # the person it was resolved to, "" when none
    speaker_title: str  # as printed in the turn, else the person's title at that briefing
    outlet: str  # where a question came from, "" when not printed
    text: str  # with its bracketed notes
    commitments: list[Commitment]  # those the public pages show


@dataclass
class ExportRow:
    url: str  # the exchange's path; views make it absolute
    held_on: dt.date | None
    conference: str
    conference_slug: str
    position: int
    kind: str
    speakers: list[str]  # the officials who answered, by name
    outlets: list[str]  # where the questions came from
    score: float | None
    excerpt: str  # the opening words of the indexed text, as the feed shows them
    turns: list[ExportTurn] = field(default_factory=list)


@dataclass
class ExportMatch:
    """A result as the index ranked it, before the database is read."""

    pk: int
    score: float | None
    excerpt: str


@dataclass
class Export:
    parsed: ParsedQuery
    matches: list[ExportMatch]  # in the index's order, at most the export's limit
    total: int
    estimated: bool
    timed_out: bool

    def rows(self, *, chunk: int = EXPORT_CHUNK) -> Iterator[ExportRow]:
        """The matches with their full exchanges, read from the database `chunk` at a
        time as the rows are taken. An exchange deleted since the index was written is
        left out."""
        for start in range(0, len(self.matches), chunk):
            yield from _export_rows(self.matches[start : start + chunk])


def search_archive(wanted: SearchInput) -> SearchPage:
    """One page of results, with facets and hits per year."""
    parsed = wanted.parse()
    filters = resolve_filters(parsed)
    result = SearchPage(wanted, parsed, filters)
    if parsed.is_empty:
        return result
    engine = reader()
    size = settings.HAYSTACK_SEARCH_RESULTS_PER_PAGE
    asked = max(1, wanted.page)
    page = min(asked, MAX_PAGES)
    with answering(engine):
        compiled = engine.compile(parsed, combine_filters(filters))
        found = engine.find(
            compiled,
            start=(page - 1) * size,
            end=page * size,
            sort_by=_sort_fields(wanted.sort, has_text=compiled.has_text),
            # The snippets are the cards' (search/cards.py), cut from the turns themselves.
            highlight=False,
            facets=FACET_FIELDS,
            last_page=True,
        )
    shown = found.start // size + 1
    if asked > MAX_PAGES and found.total > MAX_PAGES * size:
        parsed.note(f"Only the first {MAX_PAGES} pages can be shown; narrow the search.")
    elif found.hits and shown != asked:
        parsed.note(f"There is no page {asked}; this is the last page, {shown}.")
    elif not found.hits and asked > 1:
        parsed.note(f"There is no page {asked} of these results.")
    result.page, result.page_size = shown, size
    result.sort = effective_sort(wanted.sort, has_text=compiled.has_text)
    result.total, result.estimated, result.timed_out = found.total, found.estimated, found.timed_out
    result.pages = max(shown, math.ceil(min(found.total, MAX_PAGES * size) / size))
    result.hits = _page_hits(found.hits, compiled.highlight, engine.text_analyzer())
    result.facets = _facets(found, parsed, filters, engine)
    result.years = sorted(result.facets.pop(YEAR, []), key=lambda value: value.value)
    _scale(result.years)
    if found.timed_out:
        parsed.note(
            "This search took too long and was stopped early: the results and counts "
            "cover part of the archive. Adding words or a filter makes it faster."
        )
    # Nothing found; or a value naming nobody among others that found something (any of
    # "walensky" and "fauchi" is Walensky's alone).
    unnamed = any(not item.values and not item.filter.negated for item in filters)
    if (found.total == 0 or unnamed) and not found.timed_out:
        result.suggested = _suggestion(wanted, parsed, filters, engine)
        if result.suggested:
            result.suggestion = describe_input(result.suggested, wanted)
    return result


def export_results(wanted: SearchInput, *, limit: int = EXPORT_MAX_ROWS) -> Export:
    """Up to `limit` results (CSV, JSON, the Atom feed): ranked by the index here, their
    exchanges read from the database as `Export.rows` is taken, a chunk at a time."""
    parsed = wanted.parse()
    filters = resolve_filters(parsed)
    if parsed.is_empty:
        return Export(parsed, [], 0, False, False)
    engine = reader()
    with answering(engine):
        compiled = engine.compile(parsed, combine_filters(filters))
        found = engine.find(
            compiled,
            start=0,
            end=limit,
            sort_by=_sort_fields(wanted.sort, has_text=compiled.has_text),
        )
    if found.total > limit:
        parsed.note(f"Exports hold at most {limit:,} rows; the first {limit:,} are here.")
    matches = [
        ExportMatch(int(hit.fields[DJANGO_ID]), hit.score, opening(str(hit.fields.get("text", ""))))
        for hit in found.hits
    ]
    return Export(parsed, matches, found.total, found.estimated, found.timed_out)


def _export_rows(matches: list[ExportMatch]) -> Iterator[ExportRow]:
    """The rows of some matches, in their order, from four queries whatever their number:
    the exchanges, their turns, the turns' commitments, the speakers' titles. Values, not
    model instances, and one URL pattern: on 5,000 rows, instances and a reverse() per
    row took 1.4 s of 1.8 (bench/export_bench.py)."""
    exchanges = {
        pk: (position, kind, conference, slug, title, held_on)
        for pk, position, kind, conference, slug, title, held_on in Exchange.objects.filter(
            pk__in=[match.pk for match in matches]
        ).values_list(
            "pk",
            "position",
            "kind",
            "conference_id",
            "conference__slug",
            "conference__title",
            "conference__held_on",
        )
    }
    titles = {
        (conference, person): title
        for conference, person, title in Participant.objects.filter(
            conference_id__in={exchange[2] for exchange in exchanges.values()}
        ).values_list("conference_id", "person_id", "title")
    }
    said: dict[int, list[Commitment]] = {}
    for commitment in (
        Commitment.objects.shown()
        .filter(turn__exchange_id__in=list(exchanges))
        .order_by("turn_id", "start", "id")
    ):
        said.setdefault(commitment.turn_id, []).append(commitment)
    turns: dict[int, list[ExportTurn]] = {pk: [] for pk in exchanges}
    officials: dict[int, list[str]] = {pk: [] for pk in exchanges}
    outlets: dict[int, list[str]] = {pk: [] for pk in exchanges}
    for exchange, pk, position, role, label, title, person, name, outlet, text in (
        Turn.objects.filter(exchange_id__in=list(exchanges))
        .order_by("exchange_id", "position")
        .values_list(*TURN_FIELDS)
    ):
        if role in OFFICIAL_ROLES and name and name not in officials[exchange]:
            officials[exchange].append(name)
        if role == Turn.Role.QUESTION and outlet and outlet not in outlets[exchange]:
            outlets[exchange].append(outlet)
        turns[exchange].append(
            ExportTurn(
                position=position,
                role=role,
                speaker_label=label,
                speaker=name or "",
                speaker_title=title or titles.get((exchanges[exchange][2], person), ""),
                outlet=outlet or "",
                text=text,
                commitments=said.get(pk, []),
            )
        )
    path = _exchange_path()
    for match in matches:
        if match.pk not in exchanges:
            continue
        position, kind, _, slug, title, held_on = exchanges[match.pk]
        yield ExportRow(
            url=path(slug, position),
            held_on=held_on,
            conference=title,
            conference_slug=slug,
            position=position,
            kind=kind,
            speakers=officials[match.pk],
            outlets=outlets[match.pk],
            score=match.score,
            excerpt=match.excerpt,
            turns=turns[match.pk],
        )


def _exchange_path() -> Callable[[str, int], str]:
    """Exchange.get_absolute_url without a reverse() per exchange: the pattern once, with
    markers where the slug and the position go (a slug is letters, digits and hyphens)."""
    pattern = reverse("briefings:exchange-detail", args=["slug-marker", 987654321])
    before, after = pattern.split("slug-marker")
    between, end = after.split("987654321")
    return lambda slug, position: f"{before}{slug}{between}{position}{end}"


def similar_exchanges(exchange: Exchange, *, limit: int = SIMILAR) -> list[Exchange]:
    """Exchanges most like this one, best first; none when the index does not have it.

    The exchange page is the archive's core: a search index that cannot be read (not
    built yet, a folder gone) costs it this list, never the page.
    """
    engine = reader()
    try:
        found = engine.similar(exchange, end=limit)
    except engine.errors:
        logger.exception("more like this failed for exchange %s", exchange.pk)
        return []
    ids = [int(hit.fields[DJANGO_ID]) for hit in found.hits]
    by_id = Exchange.objects.select_related("conference").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def effective_sort(sort: str, *, has_text: bool) -> str:
    if sort not in SORTS:
        return "relevance" if has_text else "newest"
    if sort == "relevance" and not has_text:
        return "newest"  # a filter alone gives every hit the same score
    return sort


def _sort_fields(sort: str, *, has_text: bool) -> tuple[str, ...]:
    return SORTS[effective_sort(sort, has_text=has_text)]


def _page_hits(hits: list[Hit], highlight: Highlight, analyzer: Analyzer) -> list[SearchHit]:
    """The page's exchanges from the database (2 queries), in the index's order, each with
    its card. An exchange deleted since the last index write is left out."""
    ids = [int(hit.fields[DJANGO_ID]) for hit in hits]
    # An official's title at that briefing, where the turn's label printed none: the
    # participant's, in the same query.
    title_here = Participant.objects.filter(
        conference=OuterRef("exchange__conference"), person=OuterRef("person")
    ).values("title")[:1]
    turns = (
        Turn.objects.select_related("person", "outlet")
        .annotate(title_here=Subquery(title_here))
        .order_by("position")
    )
    exchanges = Exchange.objects.select_related("conference").prefetch_related(
        Prefetch("turns", queryset=turns)
    )
    by_id = exchanges.in_bulk(ids)
    page = []
    for hit, pk in zip(hits, ids, strict=True):
        exchange = by_id.get(pk)
        if exchange is None:
            continue
        speakers: dict[int, tuple[str, str]] = {}
        outlets: list[str] = []
        for turn in exchange.turns.all():
            if turn.role == Turn.Role.QUESTION:
                if turn.outlet and turn.outlet.name not in outlets:
                    outlets.append(turn.outlet.name)
            elif turn.person and turn.is_official:
                speakers.setdefault(turn.person_id, (turn.person.name, turn.speaker_title))
        card = build_card(exchange.turns.all(), highlight, analyzer)
        # The snippet is HTML built by search.highlight: escaped text and our <mark>s.
        snippet = mark_safe(card.answer.excerpt.html if card.answer else hit.snippet)
        page.append(SearchHit(exchange, snippet, hit.score, list(speakers.values()), outlets, card))
    return page


def searched_marks(wanted: SearchInput, texts: list[str]) -> list[list[tuple[int, int]]]:
    """Where each of `texts` holds the words `wanted` searched for, as (start, end)
    offsets: the exchange page, arrived at from a search, marks them (never what a
    bracketed note says, which is not searched). Words only: the filters choose
    exchanges, they mark nothing."""
    parsed = wanted.parse()
    if not parsed.required:
        return [[] for _ in texts]
    engine = reader()
    try:
        compiled = engine.compile(parsed, [])
        analyzer = engine.text_analyzer()
    except engine.errors:
        logger.exception("the searched words could not be analysed")
        return [[] for _ in texts]
    return [match_spans(_without_notes(text), compiled.highlight, analyzer) for text in texts]


def _without_notes(text: str) -> str:
    """`text` with its bracketed notes blanked out, so offsets into it still hold."""
    return NOTE_PATTERN.sub(lambda match: " " * len(match.group()), text)


def _facets(
    found: Found, parsed: ParsedQuery, filters: list[ResolvedFilter], engine: Reader
) -> dict[str, list[FacetValue]]:
    """Facet values with display names: one query per facet, for the values shown.

    A facet with values chosen is counted without its own filter (one more query, counts
    only): its values are any of them, so each count says what choosing that value too
    would bring, and the chosen ones say what each brought. Every chosen value is listed,
    in the top ten or not, so it can be taken off."""
    chosen = {
        (item.filter.kind, value)
        for item in filters
        if not item.filter.negated
        for value in item.values
    }
    kinds = FACET_KINDS
    counted = dict(found.facets)
    for name, kind in kinds.items():
        if name in counted and any(wanted == kind for wanted, _ in chosen):
            counted[name] = _counts_without(kind, name, parsed, filters, engine)
    facets: dict[str, list[FacetValue]] = {}
    for name, counts in counted.items():
        if name == YEAR:
            wanted_years = _selected_years(parsed)
            facets[name] = [
                FacetValue(year, year, count, selected=year in wanted_years)
                for year, count in counts
            ]
            continue
        top = counts[:FACETS_SHOWN]
        shown = {slug for slug, _ in top}
        top += [
            (slug, count)
            for slug, count in counts[FACETS_SHOWN:]
            if (kinds[name], slug) in chosen and slug not in shown
        ]
        missing = {slug for wanted, slug in chosen if wanted == kinds[name]}
        missing -= {slug for slug, _ in top}
        # Not among the counts: none (Whoosh counts every value), or beyond the ten a
        # search server returns; counted on their own, so the number is true on both.
        top += [
            (slug, _count_of(kinds[name], slug, parsed, filters, engine))
            for slug in sorted(missing)
        ]
        model = Person if name == "speakers" else Organization
        labels = _names(model, [slug for slug, _ in top])
        facets[name] = [
            FacetValue(slug, labels.get(slug, slug), count, (kinds[name], slug) in chosen)
            for slug, count in top
        ]
    return facets


def _counts_without(
    kind: str, name: str, parsed: ParsedQuery, filters: list[ResolvedFilter], engine: Reader
) -> list[tuple[str, int]]:
    """The counts of facet `name` over the search without its own (kind's) filters."""
    others = [item for item in filters if item.filter.negated or item.filter.kind != kind]
    if not any(not item.filter.negated for item in others):
        # Without its own filters a search of names alone asks for everything, which
        # both wings read as nothing; everything but no exchange at all (no id is 0) is
        # everything to both.
        others.append(ResolvedFilter(FieldFilter("conference", "", negated=True), "", ["0"]))
    compiled = engine.compile(parsed, combine_filters(others))
    found = engine.find(compiled, start=0, end=1, facets=(name,))
    return found.facets.get(name, [])


def _count_of(
    kind: str, slug: str, parsed: ParsedQuery, filters: list[ResolvedFilter], engine: Reader
) -> int:
    """What the search finds with `slug` as its only value of `kind`."""
    others = [item for item in filters if item.filter.negated or item.filter.kind != kind]
    alone = ResolvedFilter(FieldFilter(kind, slug), slug, [slug])
    compiled = engine.compile(parsed, combine_filters([*others, alone]))
    return engine.find(compiled, start=0, end=1).total


def _selected_years(parsed: ParsedQuery) -> set[str]:
    start, end = parsed.date_from, parsed.date_to
    if start and end and start.year == end.year:
        return {str(start.year)}
    return set()


def _scale(values: list[FacetValue]) -> None:
    largest = max((value.count for value in values), default=0)
    for value in values:
        value.share = round(100 * value.count / largest) if largest else 0


def _suggestion(
    wanted: SearchInput, parsed: ParsedQuery, filters: list[ResolvedFilter], engine: Reader
) -> SearchInput | None:
    """The search with misspelt words and names replaced, when that finds something;
    None when there is nothing to offer. A word may be one of several ("chian": chain or
    china), so the nearest combinations are tried, each a count-only query."""
    words = [
        word
        for group in parsed.required
        for clause in group
        for word in (clause.words if isinstance(clause, Phrase) else (clause.text,))
        if word.isalpha()
    ]
    choices: list[tuple[str | FieldFilter, list[str]]] = []
    if words:
        spelt = engine.spelling_candidates(list(dict.fromkeys(words)))
        choices += [(word, found[:SUGGESTION_CANDIDATES]) for word, found in spelt.items()]
    for item in filters:
        if not item.values and not item.filter.negated:
            names = nearest_names(item.filter)[:SUGGESTION_CANDIDATES]
            if names:
                choices.append((item.filter, names))
    if not choices:
        return None
    # The nearest spellings that find something; among as near ones, the one that finds
    # most ("supply chian": "supply chain" over "supply china").
    tries = []
    for picks in _nearest_first([len(options) for _, options in choices]):
        taken = [(wrong, options[n]) for (wrong, options), n in zip(choices, picks, strict=True)]
        tries.append((sum(edit_distance(_spelt(wrong), right) for wrong, right in taken), taken))
    best: tuple[int, int, SearchInput] | None = None
    for distance, taken in sorted(tries, key=lambda each: each[0]):
        if best is not None and distance > best[0]:
            break
        corrected = _corrected(wanted, taken)
        total = _count(corrected, engine)
        if total and (best is None or total > best[1]):
            best = (distance, total, corrected)
    return best[2] if best else None


def _spelt(wrong: str | FieldFilter) -> str:
    return (wrong if isinstance(wrong, str) else wrong.value).lower()


def _nearest_first(sizes: list[int]) -> list[tuple[int, ...]]:
    """Which candidate to take for each choice, in the order to try them: the nearest of
    every one, then the second or third nearest of one at a time; `SUGGESTION_TRIES` in
    all (trying every combination of a dozen words would be thousands of queries)."""
    tries = [tuple(0 for _ in sizes)]
    for rank in (1, 2):
        for n, size in enumerate(sizes):
            if rank < size:
                tries.append(tuple(rank if m == n else 0 for m in range(len(sizes))))
    return tries[:SUGGESTION_TRIES]


def _corrected(
    wanted: SearchInput, replacements: list[tuple[str | FieldFilter, str]]
) -> SearchInput:
    q = wanted.q
    controls = {name: list(getattr(wanted, name)) for name in MULTIPLE}
    for wrong, right in replacements:
        if isinstance(wrong, str):
            q = re.sub(rf"(?<![\w:-]){re.escape(wrong)}(?!\w)", _cased(right, wrong), q)
        elif wrong.value in controls.get(wrong.kind, []):
            values = controls[wrong.kind]
            values[values.index(wrong.value)] = right
        else:
            q = replace_filter(q, wrong, right)
    return dataclasses.replace(wanted, q=q, page=1, **controls)


def _cased(word: str, like: str) -> str:
    """`word` in the case `like` was typed in: "Ukraine" for "Ukriane"."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _count(wanted: SearchInput, engine: Reader) -> int:
    """How many a search finds, counted only; 0 when that ran out of time."""
    parsed = wanted.parse()
    filters = resolve_filters(parsed)
    if parsed.is_empty:
        return 0
    found = engine.find(engine.compile(parsed, combine_filters(filters)), start=0, end=1)
    return 0 if found.timed_out else found.total


def describe_input(wanted: SearchInput, before: SearchInput | None = None) -> str:
    """A search as the page shows it in a sentence: the box, then the values of the
    controls (only those not in `before`, when given: the corrections)."""
    parts = [wanted.q] if wanted.q else []
    for name in MULTIPLE:
        values = [
            v for v in getattr(wanted, name) if before is None or v not in getattr(before, name)
        ]
        if values:
            parts.append(f"{name}: {' or '.join(values)}")
    return " · ".join(parts)


def _names(model: type[Person] | type[Organization], slugs: list[str]) -> dict[str, str]:
    if not slugs:
        return {}
    return dict(model.objects.filter(slug__in=set(slugs)).values_list("slug", "name"))
