"""Outlets, the organizations whose reporters ask: the list, alphabetically, and an
outlet's page with its reporters' questions a page at a time, grouped by briefing."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from briefings.models import Conference, Organization, Turn
from briefings.pages import (
    NewestBriefingFirst,
    json_response,
    refuse_format,
    wants_json,
)
from briefings.paging import page_json, page_link, page_links, pager, requested_page
from briefings.text import opening_words

from ._directory import SORTS, Listing, listing
from ._records import organization_record, turn_record

OUTLETS_PER_PAGE = 50
TURNS_PER_PAGE = 25


def _questions() -> QuerySet[Turn]:
    return Turn.objects.filter(role=Turn.Role.QUESTION)


def outlet_list(request: HttpRequest) -> HttpResponse:
    """Every organization whose reporters asked a question, alphabetically, with how many
    questions and at how many briefings."""
    if refused := refuse_format(request):
        return refused
    chosen = listing(request)
    if not isinstance(chosen, Listing):
        return chosen
    outlets = Organization.objects.filter(
        pk__in=_questions().filter(outlet__isnull=False).values("outlet_id")
    )
    if chosen.name:
        outlets = outlets.filter(name__icontains=chosen.name)
    if chosen.sort == "activity":
        asked = Count("questions", filter=Q(questions__role=Turn.Role.QUESTION))
        outlets = outlets.annotate(asked=asked).order_by("-asked", Lower("name"), "id")
    else:
        outlets = outlets.order_by(Lower("name"), "id")
    page = requested_page(Paginator(outlets, OUTLETS_PER_PAGE), request.GET.get("page"))
    shown = list(page.object_list)
    counts = {
        row["outlet"]: row
        for row in _questions()
        .filter(outlet__in=shown)
        .values("outlet")
        .annotate(total=Count("id"), briefings=Count("exchange__conference", distinct=True))
        .order_by()
    }
    for outlet in shown:
        outlet.question_total = counts.get(outlet.pk, {}).get("total", 0)
        outlet.briefing_total = counts.get(outlet.pk, {}).get("briefings", 0)
    path = reverse("briefings:outlet-list")
    links = page_links(path, chosen.params())
    if wants_json(request):
        return json_response(
            {
                **page_json(request, page, links),
                "sort": chosen.sort,
                "name_filter": chosen.name or None,
                "results": [
                    {
                        **organization_record(request, outlet),
                        "questions": outlet.question_total,
                        "briefings": outlet.briefing_total,
                    }
                    for outlet in shown
                ],
            }
        )
    return render(
        request,
        "briefings/outlet_list.html",
        {
            "page": page,
            "outlets": shown,
            "listing": chosen,
            "sorts": SORTS,
            "pages": pager(page.number, page.paginator.num_pages, links),
            "json_link": page_link(path, {**chosen.params(), "format": "json"}, page=page.number),
        },
    )


def outlet_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An organization and the questions its reporters asked, newest briefing first and
    grouped by briefing. Any organization has this page, so a government body's shows the
    briefings it organized instead when its reporters asked nothing."""
    if refused := refuse_format(request):
        return refused
    outlet = get_object_or_404(Organization, slug=slug)
    asked = _questions().filter(outlet=outlet)
    questions = NewestBriefingFirst(asked)
    page = requested_page(Paginator(questions, TURNS_PER_PAGE), request.GET.get("page"))
    briefing_total = len(questions.briefings)
    organized_total = outlet.conferences.count()
    path = outlet.get_absolute_url()
    links = {
        "organized": page_link(reverse("briefings:briefing-list"), {"organizer": outlet.slug})
        if organized_total
        else "",
        "search": page_link(reverse("search:search"), {"outlet": outlet.slug}),
        "feed": reverse("briefings:outlet-feed", args=[outlet.slug]),
    }
    if wants_json(request):
        return json_response(
            {
                "name": outlet.name,
                "kind": outlet.kind,
                "url": request.build_absolute_uri(path),
                "briefing_total": briefing_total,
                "organized_total": organized_total,
                "organized_url": request.build_absolute_uri(links["organized"])
                if links["organized"]
                else None,
                "feed_url": request.build_absolute_uri(links["feed"]),
                "questions": {
                    **page_json(request, page, page_links(path)),
                    "results": [turn_record(request, turn) for turn in page.object_list],
                },
            }
        )
    return render(
        request,
        "briefings/outlet_detail.html",
        {
            "outlet": outlet,
            "page": page,
            "groups": _group_by_briefing(page.object_list),
            "pages": pager(page.number, page.paginator.num_pages, page_links(path)),
            "briefing_total": briefing_total,
            "organized_total": organized_total,
            "links": links,
            "json_link": page_link(path, {"format": "json"}, page=page.number),
        },
    )


def _group_by_briefing(turns: list[Turn]) -> list[tuple[Conference, list[tuple[Turn, str]]]]:
    """Consecutive turns of one briefing together, each with its opening words."""
    groups: list[tuple[Conference, list[tuple[Turn, str]]]] = []
    for turn in turns:
        conference = turn.exchange.conference
        if not groups or groups[-1][0].pk != conference.pk:
            groups.append((conference, []))
        groups[-1][1].append((turn, opening_words(turn.opening_text)))
    return groups
