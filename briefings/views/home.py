"""The home page: the latest briefings, the archive's counts, the open commitments falling
due soon and the whole-archive download."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from briefings.forms import CommitmentFilters
from briefings.models import (
    DUE_SOON_DAYS,
    RECENTLY_DUE_DAYS,
    Commitment,
    Conference,
    Exchange,
    Person,
)
from briefings.pages import (
    json_link,
    json_response,
    newest_briefing_first,
    refuse_format,
    wants_json,
)
from briefings.paging import page_json, page_links, pager, requested_page

from ._records import briefing_record
from .briefing_list import BRIEFINGS_PER_PAGE, count_exchanges
from .commitments import commitment_row, commitments_link

DUE_SOON_ON_HOME = 5


def home(request: HttpRequest) -> HttpResponse:
    """The latest briefings, newest first, and the open commitments falling due soon."""
    if refused := refuse_format(request):
        return refused
    conferences = Conference.objects.select_related("organizer").order_by(*newest_briefing_first())
    page = requested_page(Paginator(conferences, BRIEFINGS_PER_PAGE), request.GET.get("page"))
    shown = list(page.object_list)
    count_exchanges(shown)
    today = timezone.localdate()
    due_soon = CommitmentFilters(status=Commitment.Status.OPEN, due="soon")
    overdue = CommitmentFilters(status=Commitment.Status.OPEN, due="overdue")
    due_soon_rows = list(
        Commitment.objects.shown()
        .due_around(today)
        .in_order("deadline")
        .for_listing()[:DUE_SOON_ON_HOME]
    )
    archive_link = reverse("briefings:archive-jsonl")
    counts = {
        "briefings": page.paginator.count,
        "exchanges": Exchange.objects.count(),
        "people": Person.objects.count(),
        "commitments": Commitment.objects.shown().count(),
    }
    home_link = reverse("briefings:home")
    if wants_json(request):
        return json_response(
            {
                **page_json(request, page, page_links(home_link)),
                "briefings": [
                    {**briefing_record(request, conference), "exchanges": conference.exchange_total}
                    for conference in shown
                ],
                "counts": counts,
                "due_soon": [commitment_row(request, row, today=today) for row in due_soon_rows],
                "due_soon_url": request.build_absolute_uri(commitments_link(due_soon)),
                "archive_jsonl": request.build_absolute_uri(archive_link),
                "archive_jsonl_gz": request.build_absolute_uri(
                    reverse("briefings:archive-jsonl-gz")
                ),
            }
        )
    return render(
        request,
        "briefings/home.html",
        {
            "page": page,
            "pages": pager(
                page.number,
                page.paginator.num_pages,
                page_links(home_link),
                previous_label="Newer",
                next_label="Older",
            ),
            "total": page.paginator.count,
            "counts": counts,
            "due_soon": due_soon_rows,
            "due_soon_link": commitments_link(due_soon),
            "overdue_link": commitments_link(overdue),
            "due_soon_days": DUE_SOON_DAYS,
            "recently_due_days": RECENTLY_DUE_DAYS,
            "archive_link": archive_link,
            "json_link": json_link(request),
        },
    )
