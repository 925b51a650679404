"""The commitments page (every shown commitment, filtered and sorted as the query string
says, with a timeline of the deadlines), its CSV and JSON exports of every row, and one
commitment's permalink."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from briefings.export import commitment_record, csv_cell
from briefings.forms import CommitmentFilterForm, CommitmentFilters, left_out
from briefings.models import DUE_SOON_DAYS, REVIEWED, Commitment, CommitmentQuerySet
from briefings.pages import json_response, refuse_format, wants_json
from briefings.paging import page_json, page_link, page_links, pager, requested_page
from briefings.timeline import Period, Timeline, build_timeline

COMMITMENTS_PER_PAGE = 25
COMMITMENT_CSV_COLUMNS = [
    "id",
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
    "standing",
    "status_note",
    "evidence_url",
]


def commitment_list(request: HttpRequest) -> HttpResponse:
    """Every shown commitment, filtered and sorted as the query string says, with a
    timeline of the deadlines. A page number past the end gives the last page. With
    format=json: the same page of rows, in the export's shape, and the timeline."""
    if refused := refuse_format(request):
        return refused
    form = CommitmentFilterForm(request.GET)
    filters = form.filters()
    matching = matching_commitments(filters)
    page = requested_page(
        Paginator(matching.in_order(filters.sort).for_listing(), COMMITMENTS_PER_PAGE),
        request.GET.get("page"),
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
            "messages": left_out(form),
            "page": page,
            "pages": pager(
                page.number,
                page.paginator.num_pages,
                lambda number: commitments_link(filters, page=number),
            ),
            "sorts": [
                (
                    label,
                    commitments_link(dataclasses.replace(filters, sort=key)),
                    key == filters.sort,
                )
                for key, label in CommitmentFilterForm.SORT_CHOICES
            ],
            "timeline": timeline,
            "timeline_rows": _timeline_rows(filters, timeline),
            "exports": {
                "csv": commitments_link(filters, view="briefings:commitment-export-csv"),
                "json": commitments_link(filters, view="briefings:commitment-export-json"),
            },
            "clear_link": reverse("briefings:commitment-list"),
            "today": timezone.localdate(),
            "due_soon_days": DUE_SOON_DAYS,
        },
    )


def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """/commitments/<id>/: the id stays with a commitment across re-ingests, so this leads
    to where it is said now; a retired one answers 410 Gone with what it said and where
    (its sentence left the transcript, or it is no longer read as a commitment)."""
    commitment = (
        Commitment.objects.exclude(review=Commitment.Review.REJECTED)
        .select_related("conference", "turn__exchange")
        .filter(pk=pk)
        .first()
    )
    if commitment is None:
        raise Http404("no such commitment")
    exchange = commitment.turn.exchange if commitment.turn else None
    if not commitment.retired:
        return HttpResponseRedirect(f"{exchange.get_absolute_url()}#commitment-{commitment.pk}")
    return render(
        request,
        "briefings/commitment_retired.html",
        {"commitment": commitment, "exchange": exchange},
        status=410,
    )


def commitment_export_csv(request: HttpRequest) -> HttpResponse:
    """The commitments page's rows, every page of them, as CSV."""
    filters = CommitmentFilterForm(request.GET).filters()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="commitments.csv"'
    writer = csv.writer(response)
    writer.writerow(COMMITMENT_CSV_COLUMNS)
    today = timezone.localdate()
    for commitment in (
        matching_commitments(filters).in_order(filters.sort).for_listing().iterator(2000)
    ):
        record = commitment_row(request, commitment, today=today)
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
    rows = matching_commitments(filters).in_order(filters.sort).for_listing()
    today = timezone.localdate()
    results = [
        commitment_row(request, commitment, today=today) for commitment in rows.iterator(2000)
    ]
    return JsonResponse(
        {
            "filters": {key: value for key, value in filters.params().items() if key != "sort"},
            "sort": filters.sort,
            "today": today.isoformat(),
            "total": len(results),
            "results": results,
        },
        json_dumps_params={"ensure_ascii": False},
    )


# Commitments: the query, its links and its timeline.


def matching_commitments(filters: CommitmentFilters) -> CommitmentQuerySet:
    return Commitment.objects.shown().matching(
        today=timezone.localdate(),
        status=filters.status,
        actor=filters.actor,
        speaker=filters.speaker,
        year=filters.year,
        due=filters.due,
    )


def commitments_link(
    filters: CommitmentFilters, *, view: str = "briefings:commitment-list", page: int = 1
) -> str:
    return page_link(reverse(view), filters.params(), page=page)


def _timeline(matching: CommitmentQuerySet) -> Timeline:
    """Deadlines per quarter and how many are open (reviewed and open: a machine-found
    commitment is not known to be open), in one query."""
    is_open = REVIEWED & Q(status=Commitment.Status.OPEN)
    rows = (
        matching.order_by()
        .values(year=ExtractYear("deadline_date"), quarter=ExtractQuarter("deadline_date"))
        .annotate(total=Count("id"), open=Count("id", filter=is_open))
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

    today = timezone.localdate()
    return {
        "filters": {key: value for key, value in filters.params().items() if key != "sort"},
        "sort": filters.sort,
        "today": today.isoformat(),
        **page_json(
            request,
            page,
            page_links(reverse("briefings:commitment-list"), filters.params()),
        ),
        "results": [
            commitment_row(request, commitment, today=today) for commitment in page.object_list
        ],
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
                commitments_link(filters, view=f"briefings:commitment-export-{kind}")
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
            else commitments_link(dataclasses.replace(filters, year=period.year)),
        )
        for period in timeline.periods
    ]


def commitment_row(
    request: HttpRequest, commitment: Commitment, *, today: dt.date
) -> dict[str, object]:
    """A commitment as the page's JSON, the exports and the home page give it: the
    export's record with where and by whom it was said. `today` is the response's one
    date, taken once rather than for each of thousands of rows."""
    exchange = commitment.turn.exchange
    held_on = exchange.conference.held_on
    return {
        "id": commitment.pk,
        **commitment_record(commitment),
        # "status" is the stored one, "open" until an editor says otherwise; "standing" is
        # what the pages show: "not yet reviewed" for a machine-found commitment.
        "standing": commitment.standing(today).words,
        "speaker": commitment.turn.speaker_name,
        "speaker_title": commitment.speaker_title,
        "briefing": exchange.conference.title,
        "held_on": held_on.isoformat() if held_on else None,
        "exchange_url": request.build_absolute_uri(exchange.get_absolute_url()),
    }
