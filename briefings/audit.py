"""The audit: the records of the whole archive that a person would call wrong. Long because
it is a list of short rules, one per kind of finding, each beside its thresholds.

It reads the models only and changes nothing. Each finding names its kind, the source of
the briefing it comes from (White House, MFA, SCIO, timestamped, export), a link to the
record (its public address) and a short detail. `manage.py audit` prints the counts per
kind and source and examples; `--format json` gives every finding.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import MD5, Length
from django.urls import reverse

from briefings import duplicates, floor, text
from briefings.models import Conference, Exchange, Organization, Participant, Turn

# The kinds, in the order of the report, with what each means.
KINDS: dict[str, str] = {
    "outlet-phrase": "outlet that looks like a phrase or a time",
    "label-digits": "speaker label with digits",
    "person-variant": "person of one or two briefings, named like a more frequent one",
    "outlet-duplicate": "outlets that are likely the same",
    "no-answer": "question that asks something and got no answer",
    "reporter-answer": "answer given by a reporter",
    "fragment": "fragment: a few words answered by an acknowledgement",
    "furniture": "long turn that looks like page furniture",
    "no-date": "briefing without a date",
    "no-official": "briefing whose officials are neither named nor on background",
    "duplicate-briefing": "briefings with the same spoken words",
    "duplicate-turn": "identical long turn in several briefings",
}

# Where a briefing comes from, by the format it was read in.
SOURCES: dict[str, str] = {
    "wh-markdown": "White House",
    "wh-html": "White House",
    "mfa": "MFA",
    "scio-briefing": "SCIO",
    "scio-pages": "SCIO",
    "timestamped": "timestamped",
    "archive-json": "export",
}
SOURCE_ORDER = ["White House", "MFA", "SCIO", "timestamped", "export", "other"]

# Thresholds, named so the report can say them.
PHRASE_WORDS = 5  # an outlet of more words than this reads as a phrase
FURNITURE_CHARS = 5000  # a turn longer than this is checked for page furniture
FURNITURE_MARKS = 2  # ... and is furniture with at least this many distinct marks
DUPLICATE_TURN_CHARS = 300  # an identical turn at least this long in two briefings

_TIME = re.compile(r"\d:\d")
# Anonymous speakers numbered by the transcriber, as printed (timestamped): "Speaker 3",
# "Reporter 7", "Speaker 5-Reporter".
_ANONYMOUS_SPEAKER = re.compile(r"^(?:speaker|reporter) \d+(?:\s*-\s*reporter)?$", re.IGNORECASE)
_END_PUNCTUATION = (".", ",", ";", ":", "?", "!", "-", "—", "–")
_FURNITURE = {
    "Share": re.compile(r"\bShare\b"),
    "Related": re.compile(r"\bRelated\b(?! to)"),
    "Copyright": re.compile(r"\bCopyright\b|©"),
    "Menu": re.compile(r"\bMenu\b"),
    "Print": re.compile(r"\bPrint\b"),
    "Skip to": re.compile(r"\bSkip to\b"),
    "Tweet": re.compile(r"\bTweet\b"),
    "Home": re.compile(r"\bHome\s*(?:[|>»/]|$)", re.MULTILINE),
}


@dataclass(frozen=True)
class Finding:
    kind: str
    source: str
    url: str
    detail: str


def audit() -> list[Finding]:
    """Every finding over the whole archive, in the order of KINDS."""
    sources = _Sources(Conference.objects.values_list("pk", "format"))
    checks = [
        _outlet_phrases,
        _labels_with_digits,
        _person_variants,
        _outlet_duplicates,
        _unanswered,
        _reporter_answers,
        _fragments,
        _furniture,
        _undated,
        _without_officials,
        _duplicate_briefings,
        _duplicate_turns,
    ]
    return [finding for check in checks for finding in check(sources)]


class _Sources(dict):
    """Briefing id -> source; a briefing stored while the audit runs is looked up."""

    def __init__(self, rows: Iterable[tuple[int, str]]) -> None:
        super().__init__((pk, source_of(fmt)) for pk, fmt in rows)

    def outlets(self) -> list[tuple[Organization, str]]:
        """Each outlet that asked and its source, read once for the rules that need them."""
        if not hasattr(self, "_outlets"):
            self._outlets = list(_outlets())
        return self._outlets

    def __missing__(self, pk: int) -> str:
        fmt = Conference.objects.filter(pk=pk).values_list("format", flat=True).first()
        self[pk] = source_of(fmt or "")
        return self[pk]


def source_of(format_name: str) -> str:
    return SOURCES.get(format_name, "other")


def counts(findings: Iterable[Finding]) -> dict[str, Counter[str]]:
    """{kind: Counter(source: count)} for every kind, found or not."""
    table: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
    for finding in findings:
        table[finding.kind][finding.source] += 1
    return table


@dataclass(frozen=True)
class Row:
    kind: str
    meaning: str
    counts: list[int]  # one per source of the table
    total: int


def table(findings: list[Finding], kinds: list[str]) -> tuple[list[str], list[Row]]:
    """The sources of the archive (in SOURCE_ORDER) and one row of counts per kind."""
    by_kind = counts(findings)
    formats = Conference.objects.values_list("format", flat=True).order_by().distinct()
    stored = {source_of(fmt) for fmt in formats}
    shown = stored | {f.source for f in findings}
    sources = [s for s in SOURCE_ORDER if s in shown] or ["White House"]
    rows = [
        Row(kind, KINDS[kind], [by_kind[kind][s] for s in sources], sum(by_kind[kind].values()))
        for kind in kinds
    ]
    return sources, rows


def as_dict(finding: Finding) -> dict[str, str]:
    return asdict(finding)


# Outlets and labels.


def looks_like_phrase(name: str) -> bool:
    """An outlet name that reads as words said or a time, not the name of a newsroom."""
    name = name.strip()
    return bool(
        len(name.split()) > PHRASE_WORDS
        or _TIME.search(name)
        or (name[:1].isalpha() and name[:1].islower())
        or name.endswith(_END_PUNCTUATION)
    )


def _outlets() -> Iterator[tuple[Organization, str]]:
    """Each outlet that asked, with the source where it asked most."""
    where: dict[int, Counter[str]] = defaultdict(Counter)
    asked = Turn.objects.filter(outlet__isnull=False).values_list(
        "outlet_id", "exchange__conference__format"
    )
    for outlet_id, fmt in asked.iterator():
        where[outlet_id][source_of(fmt)] += 1
    for outlet in Organization.objects.filter(pk__in=where.keys()).order_by("name", "pk"):
        yield outlet, where[outlet.pk].most_common(1)[0][0]


def _outlet_phrases(sources: _Sources) -> Iterator[Finding]:
    for outlet, source in sources.outlets():
        if looks_like_phrase(outlet.name):
            yield Finding("outlet-phrase", source, outlet.get_absolute_url(), outlet.name)


def _labels_with_digits(sources: dict[int, str]) -> Iterator[Finding]:
    """One finding per label and briefing, linked to the first exchange it speaks in."""
    seen: set[tuple[str, int]] = set()
    turns = (
        Turn.objects.filter(speaker_label__regex=r"[0-9]")
        .order_by("exchange__conference_id", "exchange__position", "position")
        .values_list(
            "speaker_label", "exchange__conference_id", "exchange__conference__slug",
            "exchange__position",
        )
    )  # fmt: skip
    # An outlet's own name with digits ("CCTV4", "Channel 12") is no parse error.
    outlet_names = {
        text.organization_key(name)
        for outlet in Organization.objects.filter(questions__isnull=False).distinct()
        for name in (outlet.name, *outlet.aliases)
    }
    for label, conference_id, slug, position in turns.iterator():
        if (
            (label, conference_id) in seen
            or _ANONYMOUS_SPEAKER.match(label.strip())
            or text.organization_key(label) in outlet_names
        ):
            continue
        seen.add((label, conference_id))
        url = _exchange_url(slug, position)
        yield Finding("label-digits", sources[conference_id], url, label)


# People and outlets that are likely the same: the rules are briefings/duplicates.py, which
# the admin's Possible duplicates page uses too.


def _person_variants(sources: dict[int, str]) -> Iterator[Finding]:
    for pair in duplicates.person_pairs():
        rare, other = pair.first, pair.second
        detail = f"{rare.name} ~ {other.name} ({other.get_absolute_url()}, {pair.rule})"
        yield Finding("person-variant", sources[pair.briefing_id], rare.get_absolute_url(), detail)


def _outlet_duplicates(sources: _Sources) -> Iterator[Finding]:
    source_of_outlet = {outlet.pk: source for outlet, source in sources.outlets()}
    outlets = [outlet for outlet, _ in sources.outlets()]
    for pair in duplicates.outlet_pairs(outlets):
        a, b = pair.first, pair.second
        detail = f"{a.name} = {b.name} ({b.get_absolute_url()}): {pair.rule}"
        yield Finding("outlet-duplicate", source_of_outlet[a.pk], a.get_absolute_url(), detail)


# Exchanges and turns.


def _exchange_url(slug: str, position: int) -> str:
    return reverse("briefings:exchange-detail", args=[slug, position])


def _qa_exchanges() -> Iterable[Exchange]:
    return (
        Exchange.objects.filter(kind=Exchange.Kind.QA)
        .select_related("conference")
        .order_by("conference_id", "position")
    )


def _unanswered(sources: dict[int, str]) -> Iterator[Finding]:
    """Question-and-answer exchanges with no answer. The ingest joins a reporter's "Thank
    you." to the exchange before and a call for the floor ("Karine —") to the one after
    (briefings/ingest/unanswered.py), so in a current ingest these are the questions that
    really got none: the list to review. A briefing stored by an older ingest lists its
    courtesies too until it is re-ingested."""
    answers = Turn.objects.filter(exchange=OuterRef("pk"), role=text.ANSWER)
    # The first turn's words in the same query, not one query per finding.
    first = Turn.objects.filter(exchange=OuterRef("pk")).order_by("position")
    unanswered = _qa_exchanges().filter(~Exists(answers))
    unanswered = unanswered.annotate(opening=Subquery(first.values("text")[:1]))
    for exchange in unanswered.iterator():
        detail = text.opening_words(exchange.opening or "", 12)
        yield _exchange_finding("no-answer", exchange, sources, detail)


def _exchange_finding(kind: str, exchange: Exchange, sources: dict[int, str], detail: str):
    url = _exchange_url(exchange.conference.slug, exchange.position)
    return Finding(kind, sources[exchange.conference_id], url, detail)


def is_reporter_answer(turn: Turn) -> bool:
    """An answer under an outlet, or under a "Q" label that names no one. The White House
    parsers read an official's answer misprinted under "Q" as that official's (their parse
    warning names the line), so a "Q" answer with a person is no reporter's."""
    return turn.role == text.ANSWER and (
        turn.outlet_id is not None
        or (turn.speaker_label.strip().rstrip(".:").upper() == "Q" and turn.person_id is None)
    )


def _reporter_answers(sources: dict[int, str]) -> Iterator[Finding]:
    turns = (
        Turn.objects.filter(role=text.ANSWER)
        .filter(
            Q(outlet__isnull=False)
            | Q(speaker_label__in=["Q", "Q.", "Q:", "q"], person__isnull=True)
        )
        .select_related("exchange__conference")
        .order_by("exchange__conference_id", "exchange__position", "position")
    )
    for turn in turns.iterator():
        if is_reporter_answer(turn):
            detail = f"{turn.speaker_label}: {text.opening_words(turn.text, 12)}"
            yield _exchange_finding("reporter-answer", turn.exchange, sources, detail)


def _fragments(sources: dict[int, str]) -> Iterator[Finding]:
    # Only exchanges whose every answer is short can be fragments: ask the database first.
    long_answers = Turn.objects.filter(
        exchange=OuterRef("pk"), role=text.ANSWER, text__regex=r"^.{40,}"
    )
    candidates = _qa_exchanges().filter(~Exists(long_answers)).prefetch_related("turns")
    for exchange in candidates.iterator(chunk_size=500):
        turns = sorted(exchange.turns.all(), key=lambda t: t.position)
        # The parsers' rule (briefings/floor.py): what it left has no question after it to
        # join, or was stored before the rule.
        if floor.is_fragment_exchange(turns):
            detail = " / ".join(f"{t.speaker_label}: {t.text[:60]}" for t in turns)
            yield _exchange_finding("fragment", exchange, sources, detail)


def furniture_marks(words: str) -> list[str]:
    return [mark for mark, pattern in _FURNITURE.items() if pattern.search(words)]


def _furniture(sources: dict[int, str]) -> Iterator[Finding]:
    turns = (
        Turn.objects.annotate(length=Length("text"))
        .filter(length__gt=FURNITURE_CHARS)
        .select_related("exchange__conference")
        .order_by("exchange__conference_id", "exchange__position", "position")
    )
    for turn in turns.iterator():
        marks = furniture_marks(turn.text)
        if len(marks) >= FURNITURE_MARKS:
            detail = f"{turn.speaker_label}, {len(turn.text)} characters: {', '.join(marks)}"
            yield _exchange_finding("furniture", turn.exchange, sources, detail)


# Briefings.


def _conference_finding(kind: str, conference: Conference, detail: str) -> Finding:
    return Finding(kind, source_of(conference.format), conference.get_absolute_url(), detail)


def _undated(sources: dict[int, str]) -> Iterator[Finding]:
    for conference in Conference.objects.filter(held_on__isnull=True).order_by("pk"):
        yield _conference_finding("no-date", conference, conference.title)


def _without_officials(sources: dict[int, str]) -> Iterator[Finding]:
    # A background call's officials are known as what they are ("Senior administration
    # official", a pseudo-person): its speakers are not missing, so it is no finding.
    named = Turn.objects.filter(
        exchange__conference=OuterRef("pk"),
        person__isnull=False,
        role__in=[*text.OFFICIAL_ROLES, text.MODERATOR],
    )
    participants = Participant.objects.filter(conference=OuterRef("pk"))
    unnamed = Conference.objects.filter(~Exists(named), ~Exists(participants)).order_by("pk")
    for conference in unnamed:
        yield _conference_finding("no-official", conference, conference.title)


def _duplicate_briefings(sources: dict[int, str]) -> Iterator[Finding]:
    shared = (
        Conference.objects.exclude(fingerprint="")
        .values("fingerprint")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("fingerprint", flat=True)
    )
    groups: dict[str, list[Conference]] = defaultdict(list)
    for conference in Conference.objects.filter(fingerprint__in=list(shared)).order_by("pk"):
        groups[conference.fingerprint].append(conference)
    for first, *copies in groups.values():
        for copy in copies:
            detail = f"{copy.title} = {first.title} ({first.get_absolute_url()})"
            yield _conference_finding("duplicate-briefing", copy, detail)


def _duplicate_turns(sources: dict[int, str]) -> Iterator[Finding]:
    long_turns = Turn.objects.annotate(length=Length("text")).filter(
        length__gte=DUPLICATE_TURN_CHARS
    )
    repeated = (
        long_turns.annotate(digest=MD5("text"))
        .values("digest")
        .annotate(briefings=Count("exchange__conference", distinct=True))
        .filter(briefings__gt=1)
        .values_list("digest", flat=True)
    )
    groups: dict[str, list[tuple[int, str, int, str]]] = defaultdict(list)
    rows = (
        long_turns.annotate(digest=MD5("text"))
        .filter(digest__in=list(repeated))
        .order_by("exchange__conference_id", "exchange__position", "position")
        .values_list(
            "digest", "exchange__conference_id", "exchange__conference__slug", "exchange__position",
            "speaker_label",
        )
    )  # fmt: skip
    for digest, conference_id, slug, position, label in rows.iterator():
        groups[digest].append((conference_id, slug, position, label))
    for places in groups.values():
        (conference_id, slug, position, label), *others = places
        elsewhere = sorted({_exchange_url(s, p) for c, s, p, _ in others if c != conference_id})
        detail = f"{label}: also at {', '.join(elsewhere[:3])}" + (
            f" and {len(elsewhere) - 3} more" if len(elsewhere) > 3 else ""
        )
        yield Finding(
            "duplicate-turn", sources[conference_id], _exchange_url(slug, position), detail
        )
