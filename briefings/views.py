"""Public pages. Function views; every list is paginated and every page's queries are bounded."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from search.searching import similar_exchanges

from .models import Conference, Exchange, Turn

TURNS = Prefetch(
    "turns", queryset=Turn.objects.select_related("person", "outlet").order_by("position")
)


def home(request: HttpRequest) -> HttpResponse:
    # Meta.ordering does not apply to aggregate queries: order explicitly.
    conferences = (
        Conference.objects.select_related("organizer")
        .annotate(exchange_total=Count("exchanges"))
        .order_by("-held_on", "-id")
    )
    page = Paginator(conferences, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "briefings/home.html",
        {"page": page, "total": page.paginator.count},
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
