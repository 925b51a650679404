"""Public pages. Function views; every list is paginated and every page's queries are bounded."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.db.models.functions import ExtractQuarter, ExtractYear, Length
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, http_date
from django.utils.text import Truncator

from briefings.text import strip_notes
from search.searching import similar_exchanges

from . import archive_file
from .citation import FORMAT_LABELS, Author, CitedExchange, cite
from .export import (
    commitment_record,
    conference_record,
    csv_cell,
    exchange_record,
)
from .forms import CommitmentFilterForm, CommitmentFilters
from .ingest.formats import mfa, scio_briefing, scio_pages
from .models import (
    DUE_SOON_DAYS,
    Commitment,
    CommitmentQuerySet,
    Conference,
    Exchange,
    Organization,
    Participant,
    Person,
    Source,
    Turn,
)
from .pages import (
    json_link,
    json_response,
    newest_briefing_first,
    refuse_format,
    wants_json,
)
from .timeline import Period, Timeline, build_timeline

# Each turn with the commitments the public pages show, in reading order: the numbers of
# the marks in the text and of the cards beside it follow this order.
SHOWN_COMMITMENTS = Prefetch(
    "commitments",
    queryset=Commitment.objects.shown().order_by("start"),
    to_attr="shown_commitments",
)
TURNS = Prefetch(
    "turns",
    queryset=Turn.objects.select_related("person", "outlet")
    .prefetch_related(SHOWN_COMMITMENTS)
    .order_by("position"),
    # A list: `exchange.turns.all()` would clone a queryset per exchange, 150 on a page.
    to_attr="turn_list",
)
# The same turns for a JSON form: `turn.commitments.all()` is what the page shows, so the
# export's records (briefings.export) serve the pages unchanged.
RECORD_TURNS = Prefetch(
    "turns",
    queryset=Turn.objects.select_related("person", "outlet")
    .prefetch_related(
        Prefetch("commitments", queryset=Commitment.objects.shown().order_by("start"))
    )
    .order_by("position"),
)
COMMITMENTS_PER_PAGE = 25
BRIEFINGS_PER_PAGE = 25
MAX_POSITION = 2**31 - 1  # beyond any real exchange or row id
CONTENTS_WORDS = 12  # of a question, in the briefing page's contents
# Formats whose transcripts print Chinese names family name first ("Liang Wenhua"):
# citations must not invert them.
FAMILY_NAME_FIRST_FORMATS = {scio_briefing.NAME, scio_pages.NAME, mfa.NAME}
# Stored originals are offered as downloads under their own type only when a browser
# cannot run them; anything else (HTML, SVG, XML, unknown) goes out as opaque bytes.
INERT_MEDIA_TYPES = {
    "text/plain",
    "text/markdown",
    "text/csv",
    "application/json",
}
DUE_SOON_ON_HOME = 5
COMMITMENT_CSV_COLUMNS = [
    "exchange_url",
    "held_on",
    "briefing",
    "speaker",
    "speaker_title",
    "sentence",
    "actor",
    "action",
    "quantity",
    "deadline_text",
    "deadline_date",
    "deadline_precision",
    "kind",
    "strength",
    "confidence",
    "review",
    "status",
    "status_note",
    "evidence_url",
]


def home(request: HttpRequest) -> HttpResponse:
    """The latest briefings, newest first, and the open commitments falling due soon."""
    if refused := refuse_format(request):
        return refused
    conferences = Conference.objects.select_related("organizer").order_by(*newest_briefing_first())
    page = Paginator(conferences, BRIEFINGS_PER_PAGE).get_page(request.GET.get("page"))
    # Counted for the page's briefings only: a count grouped over the whole archive cost
    # 150 ms a request on the 1,151-briefing corpus.
    totals = dict(
        Exchange.objects.filter(conference__in=page.object_list)
        .values_list("conference")
        .annotate(total=Count("id"))
    )
    for conference in page.object_list:
        conference.exchange_total = totals.get(conference.pk, 0)
    due_soon = CommitmentFilters(status=Commitment.Status.OPEN, due="soon")
    due_soon_rows = list(
        _matching(due_soon).in_order(due_soon.sort).for_listing()[:DUE_SOON_ON_HOME]
    )
    archive_link = reverse("briefings:archive-jsonl")
    counts = {
        "briefings": page.paginator.count,
        "exchanges": Exchange.objects.count(),
        "people": Person.objects.count(),
        "commitments": Commitment.objects.shown().count(),
    }
    if wants_json(request):
        home_link = reverse("briefings:home")
        return json_response(
            {
                **_page_json(request, home_link, page),
                "briefings": [
                    {
                        **_briefing_summary(request, conference),
                        "exchanges": conference.exchange_total,
                    }
                    for conference in page.object_list
                ],
                "counts": counts,
                "due_soon": [_export_record(request, row) for row in due_soon_rows],
                "due_soon_url": request.build_absolute_uri(_commitments_link(due_soon)),
                "archive_jsonl": request.build_absolute_uri(archive_link),
            }
        )
    return render(
        request,
        "briefings/home.html",
        {
            "page": page,
            "total": page.paginator.count,
            "counts": counts,
            "due_soon": due_soon_rows,
            "due_soon_link": _commitments_link(due_soon),
            "due_soon_days": DUE_SOON_DAYS,
            "archive_link": archive_link,
            "json_link": json_link(request),
        },
    )


@dataclasses.dataclass(frozen=True)
class ContentsEntry:
    """One line of a briefing's contents: a question, who asked it, how it begins."""

    exchange: Exchange
    asker: str
    opening: str


@dataclasses.dataclass(frozen=True)
class SaidHere:
    """A commitment in the briefing's list, with the exchange it was made in."""

    commitment: Commitment
    turn: Turn
    exchange: Exchange


def conference_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The whole briefing: who took part (with their titles at the time), the contents of
    its questions, the transcript with an anchor per exchange and its commitments beside
    the answers, the commitments listed together, and the sources it was read from."""
    if refused := refuse_format(request):
        return refused
    conference = get_object_or_404(Conference.objects.select_related("organizer"), slug=slug)
    if wants_json(request):
        return json_response(_conference_json(request, conference))
    participants = conference.participants.select_related("person", "organization")
    exchanges = list(conference.exchanges.prefetch_related(TURNS))
    _link_speakers(exchanges)
    contents = [entry for exchange in exchanges if (entry := _contents_entry(exchange))]
    said_here = [
        SaidHere(commitment, turn, exchange)
        for exchange in exchanges
        for turn in exchange.turn_list
        for commitment in turn.shown_commitments
    ]
    return render(
        request,
        "briefings/conference_detail.html",
        {
            "conference": conference,
            "conference_url": request.build_absolute_uri(conference.get_absolute_url()),
            "held_on": _iso(conference.held_on) or "",
            "participants": participants,
            "exchanges": exchanges,
            "contents": contents,
            "said_here": said_here,
            "sources": _sources(conference),
            "conference_source_url": _web_url(conference.source_url),
            "json_link": json_link(request),
        },
    )


def exchange_detail(request: HttpRequest, slug: str, position: int) -> HttpResponse:
    """One question and every answer to it, with the commitments beside them, a permalink,
    a ready citation, the neighbouring exchanges and more like it."""
    if refused := refuse_format(request):
        return refused
    if position > MAX_POSITION:  # SQLite cannot even compare a larger integer
        raise Http404("No such exchange.")
    as_json = wants_json(request)
    exchange = get_object_or_404(
        Exchange.objects.select_related("conference__organizer").prefetch_related(
            RECORD_TURNS if as_json else TURNS
        ),
        conference__slug=slug,
        position=position,
    )
    conference = exchange.conference
    neighbours = conference.exchanges.filter(position__in=[position - 1, position + 1])
    by_position = {neighbour.position: neighbour for neighbour in neighbours}
    previous, next_ = by_position.get(position - 1), by_position.get(position + 1)
    permalink = request.build_absolute_uri(exchange.get_absolute_url())
    turns = list(exchange.turns.all()) if as_json else exchange.turn_list
    citations = cite(_cited_exchange(exchange, turns, permalink))
    similar = similar_exchanges(exchange)
    if as_json:
        return json_response(
            {
                "url": permalink,
                **exchange_record(exchange),
                "briefing": _briefing_summary(request, conference),
                "previous": _absolute(request, previous),
                "next": _absolute(request, next_),
                "similar": [
                    {
                        "url": _absolute(request, other),
                        "position": other.position,
                        "kind": other.kind,
                        # The title and date only: similar_exchanges() joins no organizer.
                        "briefing": {
                            "slug": other.conference.slug,
                            "title": other.conference.title,
                            "held_on": _iso(other.conference.held_on),
                            "url": request.build_absolute_uri(other.conference.get_absolute_url()),
                        },
                    }
                    for other in similar
                ],
                "citations": citations,
            }
        )
    _link_speakers([exchange])
    question = _question(exchange)
    return render(
        request,
        "briefings/exchange_detail.html",
        {
            "exchange": exchange,
            "conference": conference,
            "conference_url": request.build_absolute_uri(conference.get_absolute_url()),
            "held_on": _iso(conference.held_on) or "",
            "permalink": permalink,
            "previous": previous,
            "next": next_,
            "similar": similar,
            "citations": [(name, FORMAT_LABELS[name], text) for name, text in citations.items()],
            "question": question,
            "asker": _asker(question) if question else "",
            "answerers": list(
                dict.fromkeys(turn.speaker_name for turn in _spoken(exchange.turn_list))
            ),
            "json_link": json_link(request),
        },
    )


def source_download(request: HttpRequest, slug: str, source_id: int) -> HttpResponse:
    """A stored original, byte for byte, as a download. Never shown as a page of ours: it
    may be another site's HTML, which must not run with this site's origin."""
    if source_id > MAX_POSITION:
        raise Http404("No such source.")
    source = get_object_or_404(Source, conference__slug=slug, pk=source_id)
    media_type = source.media_type.split(";")[0].strip().lower()
    response = HttpResponse(
        bytes(source.content),
        content_type=media_type if media_type in INERT_MEDIA_TYPES else "application/octet-stream",
    )
    response["Content-Disposition"] = content_disposition_header(True, _download_name(source, slug))
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser render it anyway, it runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def archive_jsonl(request: HttpRequest) -> HttpResponse:
    """The whole archive as JSON Lines, the `export` command's lines, from the file the
    background writer keeps (briefings/archive_file.py): written in a worker, the full
    archive outlived the worker's timeout and arrived cut short."""
    written = archive_file.current()
    if written is None:
        response = HttpResponse(
            "The archive file is being written. Try again in a few minutes.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "120"
        return response
    response = FileResponse(
        written.path.open("rb"),
        as_attachment=True,
        filename=archive_file.FILE_NAME,
        content_type="application/x-ndjson",
    )
    response["Last-Modified"] = http_date(written.written_at.timestamp())
    return response


def commitment_list(request: HttpRequest) -> HttpResponse:
    """Every shown commitment, filtered and sorted as the query string says, with a
    timeline of the deadlines. A page number past the end gives the last page. With
    format=json: the same page of rows, in the export's shape, and the timeline."""
    if refused := refuse_format(request):
        return refused
    form = CommitmentFilterForm(request.GET)
    filters = form.filters()
    matching = _matching(filters)
    page = Paginator(matching.in_order(filters.sort).for_listing(), COMMITMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    timeline = _timeline(matching)
    if wants_json(request):
        return json_response(_commitment_page_json(request, filters, page, timeline))
    return render(
        request,
        "briefings/commitment_list.html",
        {
            "form": form,
            "filters": filters,
            "filtered": bool(dataclasses.replace(filters, sort="deadline").params()),
            "messages": [
                f"{form.fields[name].label}: {error} It was left out."
                for name, errors in form.errors.items()
                for error in errors
            ],
            "page": page,
            "pages": _pager(filters, page),
            "sorts": [
                (
                    label,
                    _commitments_link(dataclasses.replace(filters, sort=key)),
                    key == filters.sort,
                )
                for key, label in CommitmentFilterForm.SORT_CHOICES
            ],
            "timeline": timeline,
            "timeline_rows": _timeline_rows(filters, timeline),
            "exports": {
                "csv": _commitments_link(filters, view="briefings:commitment-export-csv"),
                "json": _commitments_link(filters, view="briefings:commitment-export-json"),
            },
            "clear_link": reverse("briefings:commitment-list"),
            "today": timezone.localdate(),
            "due_soon_days": DUE_SOON_DAYS,
        },
    )


def commitment_export_csv(request: HttpRequest) -> HttpResponse:
    """The commitments page's rows, every page of them, as CSV."""
    filters = CommitmentFilterForm(request.GET).filters()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="commitments.csv"'
    writer = csv.writer(response)
    writer.writerow(COMMITMENT_CSV_COLUMNS)
    for commitment in _matching(filters).in_order(filters.sort).for_listing().iterator(2000):
        record = _export_record(request, commitment)
        writer.writerow(
            [
                "" if record[column] is None else csv_cell(str(record[column]))
                for column in COMMITMENT_CSV_COLUMNS
            ]
        )
    return response


def commitment_export_json(request: HttpRequest) -> JsonResponse:
    """The commitments page's rows, every page of them, as JSON: the export's commitment
    fields (briefings.export.commitment_record) with where and by whom it was said."""
    filters = CommitmentFilterForm(request.GET).filters()
    rows = _matching(filters).in_order(filters.sort).for_listing()
    results = [_export_record(request, commitment) for commitment in rows.iterator(2000)]
    return JsonResponse(
        {
            "filters": {key: value for key, value in filters.params().items() if key != "sort"},
            "sort": filters.sort,
            "today": timezone.localdate().isoformat(),
            "total": len(results),
            "results": results,
        },
        json_dumps_params={"ensure_ascii": False},
    )


# Commitments: the query, its links and its timeline.


def _matching(filters: CommitmentFilters) -> CommitmentQuerySet:
    return Commitment.objects.shown().matching(
        today=timezone.localdate(),
        status=filters.status,
        actor=filters.actor,
        speaker=filters.speaker,
        year=filters.year,
        due=filters.due,
    )


def _commitments_link(
    filters: CommitmentFilters, *, view: str = "briefings:commitment-list", page: int = 1
) -> str:
    params = filters.params()
    if page > 1:
        params["page"] = page
    query = urlencode(params)
    return reverse(view) + (f"?{query}" if query else "")


def _pager(filters: CommitmentFilters, page: Page) -> list[tuple[str, str, bool]]:
    """(label, link, is current) for previous, nearby page numbers, next."""
    if page.paginator.num_pages <= 1:
        return []
    items = []
    if page.has_previous():
        items.append(("Previous", _commitments_link(filters, page=page.number - 1), False))
    for number in range(
        max(1, page.number - 4), min(page.paginator.num_pages, page.number + 4) + 1
    ):
        items.append((str(number), _commitments_link(filters, page=number), number == page.number))
    if page.has_next():
        items.append(("Next", _commitments_link(filters, page=page.number + 1), False))
    return items


def _timeline(matching: CommitmentQuerySet) -> Timeline:
    """Deadlines per quarter and how many are open, in one query."""
    rows = (
        matching.order_by()
        .values(year=ExtractYear("deadline_date"), quarter=ExtractQuarter("deadline_date"))
        .annotate(total=Count("id"), open=Count("id", filter=Q(status=Commitment.Status.OPEN)))
    )
    counts, undated = {}, 0
    for row in rows:
        if row["year"] is None:
            undated += row["total"]
        else:
            counts[(row["year"], row["quarter"])] = (row["total"], row["open"])
    return build_timeline(counts, undated=undated, today=timezone.localdate())


def _commitment_page_json(
    request: HttpRequest, filters: CommitmentFilters, page: Page, timeline: Timeline
) -> dict[str, object]:
    """What the commitments page shows, as data: its filters, this page of rows (the
    export's records, as export.json gives every row) and the timeline's counts."""

    def link(number: int) -> str:
        return request.build_absolute_uri(
            _commitments_link(filters, page=number)
            + ("&" if filters.params() or number > 1 else "?")
            + "format=json"
        )

    return {
        "filters": {key: value for key, value in filters.params().items() if key != "sort"},
        "sort": filters.sort,
        "today": timezone.localdate().isoformat(),
        "total": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "previous": link(page.number - 1) if page.has_previous() else None,
        "next": link(page.number + 1) if page.has_next() else None,
        "results": [_export_record(request, commitment) for commitment in page.object_list],
        "timeline": {
            "unit": timeline.unit,
            "undated": timeline.undated,
            "periods": [
                {
                    "label": period.label,
                    "year": period.year,
                    "quarter": period.quarter,
                    "total": period.total,
                    "open": period.open,
                }
                for period in timeline.periods
            ],
        },
        "exports": {
            kind: request.build_absolute_uri(
                _commitments_link(filters, view=f"briefings:commitment-export-{kind}")
            )
            for kind in ("csv", "json")
        },
    }


def _timeline_rows(filters: CommitmentFilters, timeline: Timeline) -> list[tuple[Period, str]]:
    """Each period with the same filters narrowed to its year; "" where they already are."""
    return [
        (
            period,
            ""
            if filters.year == period.year
            else _commitments_link(dataclasses.replace(filters, year=period.year)),
        )
        for period in timeline.periods
    ]


def _export_record(request: HttpRequest, commitment: Commitment) -> dict[str, object]:
    exchange = commitment.turn.exchange
    held_on = exchange.conference.held_on
    return {
        "id": commitment.pk,
        **commitment_record(commitment),
        "speaker": commitment.turn.speaker_name,
        "speaker_title": commitment.speaker_title,
        "briefing": exchange.conference.title,
        "held_on": held_on.isoformat() if held_on else None,
        "exchange_url": request.build_absolute_uri(exchange.get_absolute_url()),
    }


# The pages' JSON forms and their links.


def _page_json(request: HttpRequest, path: str, page: Page) -> dict[str, object]:
    def link(number: int) -> str:
        return request.build_absolute_uri(f"{path}?{urlencode({'page': number, 'format': 'json'})}")

    return {
        "total": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "previous": link(page.number - 1) if page.has_previous() else None,
        "next": link(page.number + 1) if page.has_next() else None,
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _absolute(request: HttpRequest, exchange: Exchange | None) -> str | None:
    return request.build_absolute_uri(exchange.get_absolute_url()) if exchange else None


def _briefing_summary(request: HttpRequest, conference: Conference) -> dict[str, object]:
    """A briefing in a list: the export's field names for what a list shows."""
    return {
        "slug": conference.slug,
        "title": conference.title,
        "held_on": _iso(conference.held_on),
        "kind": conference.kind,
        "organizer": conference.organizer.name if conference.organizer else "",
        "location": conference.location,
        "url": request.build_absolute_uri(conference.get_absolute_url()),
    }


def _conference_json(request: HttpRequest, conference: Conference) -> dict[str, object]:
    """The export's record of the briefing (briefings.export.conference_record), with the
    commitments the page shows and the URLs of the briefing, its exchanges and sources."""
    prefetch_related_objects(
        [conference],
        Prefetch("sources", queryset=Source.objects.defer("content")),
        Prefetch(
            "participants", queryset=Participant.objects.select_related("person", "organization")
        ),
        Prefetch("exchanges", queryset=Exchange.objects.prefetch_related(RECORD_TURNS)),
    )
    record = conference_record(conference)
    slug = conference.slug
    return {
        **record,
        "url": request.build_absolute_uri(conference.get_absolute_url()),
        "sources": [
            {
                **source_record,
                "download_url": request.build_absolute_uri(
                    reverse("briefings:source-download", args=[slug, source.pk])
                ),
            }
            for source_record, source in zip(
                record["sources"], conference.sources.all(), strict=True
            )
        ],
        "exchanges": [
            {
                **exchange_data,
                "url": request.build_absolute_uri(
                    reverse("briefings:exchange-detail", args=[slug, exchange.position])
                ),
            }
            for exchange_data, exchange in zip(
                record["exchanges"], conference.exchanges.all(), strict=True
            )
        ],
    }


# The briefing and exchange pages.


def _link_speakers(exchanges: Iterable[Exchange]) -> None:
    """Each turn's `person_url` and `outlet_url`, for the turn template: reversed once per
    person and outlet rather than for every turn. A 150-exchange page has some 450 turns."""
    urls: dict[tuple[type, int], str] = {}

    def url_of(target: Person | Organization | None) -> str:
        if target is None:
            return ""
        key = (type(target), target.pk)
        if key not in urls:
            urls[key] = target.get_absolute_url()
        return urls[key]

    for exchange in exchanges:
        for turn in exchange.turn_list:
            turn.person_url = url_of(turn.person)
            turn.outlet_url = url_of(turn.outlet)


def _contents_entry(exchange: Exchange) -> ContentsEntry | None:
    """The question that opens a Q&A exchange, for the briefing's contents."""
    question = _question(exchange) if exchange.kind == Exchange.Kind.QA else None
    if question is None:
        return None
    # Enough of the text for the first words, however long the question runs.
    opening = Truncator(strip_notes(question.text[: CONTENTS_WORDS * 30])).words(CONTENTS_WORDS)
    return ContentsEntry(exchange, _asker(question), opening)


def _spoken(turns: Iterable[Turn]) -> list[Turn]:
    """The officials' turns: answers and statements."""
    return [turn for turn in turns if turn.is_official]


def _question(exchange: Exchange) -> Turn | None:
    return next((t for t in exchange.turn_list if t.role == Turn.Role.QUESTION), None)


def _asker(question: Turn) -> str:
    """Who asked: the outlet where named, else the reporter, else "A reporter"."""
    if question.outlet:
        return question.outlet.name
    if question.person:
        return question.person.name
    return "A reporter"


def _cited_exchange(exchange: Exchange, turns: list[Turn], permalink: str) -> CitedExchange:
    """The citation's facts. The author is the one official who answered or spoke, where
    only one did and the archive knows who; else the body that held the briefing."""
    conference = exchange.conference
    spoken = _spoken(turns)
    people = {turn.person_id for turn in spoken}
    speaker, title = None, ""
    if spoken and None not in people and len(people) == 1:
        speaker = Author(
            spoken[0].person.name,
            family_name_first=conference.format in FAMILY_NAME_FIRST_FORMATS,
        )
        title = spoken[0].speaker_title
    return CitedExchange(
        title=conference.title,
        url=permalink,
        position=exchange.position,
        accessed_on=timezone.localdate(),
        held_on=conference.held_on,
        speaker=speaker,
        speaker_title=title,
        organizer=conference.organizer.name if conference.organizer else "",
        kind=conference.get_kind_display(),
        location=conference.location,
    )


def _sources(conference: Conference) -> list[Source]:
    """The briefing's sources with their size, without their bytes, each with the name it
    is shown under and its original URL where that is a web address."""
    sources = list(conference.sources.defer("content").annotate(size=Length("content")))
    for source in sources:
        source.display_name = source.filename.replace("\\", "/").rsplit("/", 1)[-1]
        source.safe_url = _web_url(source.url)
    return sources


def _web_url(url: str) -> str:
    """`url` where it is http(s); "" otherwise. A transcript's own text put the URL there,
    and a javascript: link must never reach a page."""
    return url if url.lower().startswith(("https://", "http://")) else ""


UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def _download_name(source: Source, slug: str) -> str:
    """The original's own file name (never the folder it was ingested from), in safe
    characters; else one made from the briefing and page."""
    name = UNSAFE_FILENAME.sub("-", source.filename.replace("\\", "/").rsplit("/", 1)[-1])
    name = name.strip(".-")
    return name or f"{slug}-source-{source.position}"
