"""Public pages. Function views; every list is paginated and every page's queries are bounded."""

from __future__ import annotations

import csv
import dataclasses
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from search.searching import similar_exchanges

from .export import commitment_record, csv_cell
from .forms import CommitmentFilterForm, CommitmentFilters
from .models import (
    DUE_SOON_DAYS,
    Commitment,
    CommitmentQuerySet,
    Conference,
    Exchange,
    Turn,
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
)
COMMITMENTS_PER_PAGE = 25
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
    conferences = Conference.objects.select_related("organizer").order_by("-held_on", "-id")
    page = Paginator(conferences, 25).get_page(request.GET.get("page"))
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
    return render(
        request,
        "briefings/home.html",
        {
            "page": page,
            "total": page.paginator.count,
            "due_soon": _matching(due_soon)
            .in_order(due_soon.sort)
            .for_listing()[:DUE_SOON_ON_HOME],
            "due_soon_link": _commitments_link(due_soon),
            "due_soon_days": DUE_SOON_DAYS,
        },
    )


def conference_detail(request: HttpRequest, slug: str) -> HttpResponse:
    conference = get_object_or_404(Conference.objects.select_related("organizer"), slug=slug)
    participants = conference.participants.select_related("person", "organization")
    exchanges = conference.exchanges.prefetch_related(TURNS)
    return render(
        request,
        "briefings/conference_detail.html",
        {
            "conference": conference,
            "participants": participants,
            "exchanges": exchanges,
            "sources": conference.sources.defer("content"),
        },
    )


def exchange_detail(request: HttpRequest, slug: str, position: int) -> HttpResponse:
    exchange = get_object_or_404(
        Exchange.objects.select_related("conference").prefetch_related(TURNS),
        conference__slug=slug,
        position=position,
    )
    conference = exchange.conference
    neighbours = conference.exchanges.filter(position__in=[position - 1, position + 1])
    by_position = {neighbour.position: neighbour for neighbour in neighbours}
    return render(
        request,
        "briefings/exchange_detail.html",
        {
            "exchange": exchange,
            "conference": conference,
            "previous": by_position.get(position - 1),
            "next": by_position.get(position + 1),
            "similar": similar_exchanges(exchange),
        },
    )


def commitment_list(request: HttpRequest) -> HttpResponse:
    """Every shown commitment, filtered and sorted as the query string says, with a
    timeline of the deadlines. A page number past the end gives the last page."""
    form = CommitmentFilterForm(request.GET)
    filters = form.filters()
    matching = _matching(filters)
    page = Paginator(matching.in_order(filters.sort).for_listing(), COMMITMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    timeline = _timeline(matching)
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
