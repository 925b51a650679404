"""The briefing list, newest first and grouped by month, with its year and month archives
and its filters (organizer, kind, who attended). Its counts are taken for the rows of the
page being shown, so a page costs a fixed number of queries however large the archive."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from briefings.forms import BriefingFilterForm, left_out
from briefings.models import Conference, Exchange, Participant, Person, Turn
from briefings.pages import json_response, newest_briefing_first, refuse_format, wants_json
from briefings.paging import page_json, page_link, pager, requested_page

from . import briefing
from ._records import briefing_record

BRIEFINGS_PER_PAGE = 25


@dataclass
class MonthGroup:
    year: int | None
    month: int | None
    conferences: list[Conference] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.year is None or self.month is None:
            return "Undated"
        return f"{calendar.month_name[self.month]} {self.year}"


@dataclass
class YearCount:
    year: int
    total: int
    link: str
    months: list[tuple[int, str, int, str]]  # month, name, total, link


def briefing_list(
    request: HttpRequest, year: int | None = None, month: int | None = None
) -> HttpResponse:
    """Every briefing, newest first and grouped by month; with `year` (and `month`) the
    archive of that year (month). Filters by organizer, kind and who attended."""
    if refused := refuse_format(request):
        return refused
    if year is not None and (shadowed := _briefing_at_numeric_slug(request, year, month)):
        return shadowed
    period_label = _period_label(year, month)
    form = BriefingFilterForm(request.GET)
    params = form.params()
    matching = Conference.objects.all()
    if params["organizer"]:
        matching = matching.filter(organizer__slug=params["organizer"])
    if params["kind"]:
        matching = matching.filter(kind=params["kind"])
    if form.person is not None:
        matching = matching.filter(attended_by(form.person))
    in_period = matching
    if year is not None:
        in_period = in_period.filter(held_on__year=year)
    if month is not None:
        in_period = in_period.filter(held_on__month=month)
    path = request.path
    page = requested_page(
        Paginator(
            in_period.select_related("organizer").order_by(*newest_briefing_first()),
            BRIEFINGS_PER_PAGE,
        ),
        request.GET.get("page"),
    )
    conferences = list(page.object_list)
    count_exchanges(conferences)
    years = _year_counts(matching, params)

    def link(number: int) -> str:
        return page_link(path, params, page=number)

    if wants_json(request):
        return json_response(
            {
                "period": {
                    "year": year,
                    "month": month,
                    "label": period_label or "All briefings",
                },
                "filters": {key: value for key, value in params.items() if value},
                "messages": left_out(form),
                **page_json(request, page, link),
                "years": [
                    {
                        "year": item.year,
                        "total": item.total,
                        "url": request.build_absolute_uri(item.link),
                        "months": [
                            {
                                "month": month_number,
                                "total": total,
                                "url": request.build_absolute_uri(month_link),
                            }
                            for month_number, _name, total, month_link in item.months
                        ],
                    }
                    for item in years
                ],
                "results": [
                    {
                        **briefing_record(request, conference),
                        "exchanges": conference.exchange_total,
                    }
                    for conference in conferences
                ],
            }
        )
    return render(
        request,
        "briefings/briefing_list.html",
        {
            "form": form,
            "person": form.person,
            "filtered": any(params.values()),
            "messages": left_out(form),
            "page": page,
            "groups": _group_by_month(conferences),
            "pages": pager(page.number, page.paginator.num_pages, link),
            "years": years,
            "year": year,
            "month": month,
            "period_label": period_label,
            "clear_link": path,
            "everything_link": page_link(reverse("briefings:briefing-list"), params),
            "year_link": page_link(reverse("briefings:briefing-year", args=[year]), params)
            if year
            else "",
            "json_link": page_link(path, {**params, "format": "json"}, page=page.number),
            "without_person": page_link(path, {**params, "person": ""}),
        },
    )


def count_exchanges(conferences: list[Conference]) -> None:
    """`exchange_total` on each, counted for these briefings only: a count grouped over the
    whole archive cost 150 ms a request on the 1,151-briefing corpus."""
    totals = dict(
        Exchange.objects.filter(conference__in=conferences)
        .values_list("conference")
        .annotate(total=Count("id"))
    )
    for conference in conferences:
        conference.exchange_total = totals.get(conference.pk, 0)


def attended_by(person: Person) -> Q:
    """The briefings `person` is listed at, or speaks or asks at."""
    return Q(pk__in=Participant.objects.filter(person=person).values("conference_id")) | Q(
        pk__in=Turn.objects.filter(person=person).values("exchange__conference_id")
    )


def _group_by_month(conferences: list[Conference]) -> list[MonthGroup]:
    """Consecutive briefings of the same month together, in the given (newest first) order."""
    groups: list[MonthGroup] = []
    for conference in conferences:
        held = conference.held_on
        year, month = (held.year, held.month) if held else (None, None)
        if not groups or (groups[-1].year, groups[-1].month) != (year, month):
            groups.append(MonthGroup(year, month))
        groups[-1].conferences.append(conference)
    return groups


def _year_counts(matching: QuerySet[Conference], params: dict[str, object]) -> list[YearCount]:
    """Briefings per year and month, newest first, each linked to its archive page with the
    same filters: one grouped query over the briefings table."""
    rows = (
        matching.filter(held_on__isnull=False)
        .order_by()
        .values(year=ExtractYear("held_on"), month=ExtractMonth("held_on"))
        .annotate(total=Count("id"))
    )
    by_year: dict[int, dict[int, int]] = {}
    for row in rows:
        by_year.setdefault(row["year"], {})[row["month"]] = row["total"]
    return [
        YearCount(
            year=year,
            total=sum(months.values()),
            link=page_link(reverse("briefings:briefing-year", args=[year]), params),
            months=[
                (
                    month,
                    calendar.month_name[month],
                    total,
                    page_link(reverse("briefings:briefing-month", args=[year, month]), params),
                )
                for month, total in sorted(months.items(), reverse=True)
            ],
        )
        for year, months in sorted(by_year.items(), reverse=True)
    ]


def _period_label(year: int | None, month: int | None) -> str:
    """ "2021", "February 2021" or "" for every year; a 404 for a date no calendar has."""
    if year is None:
        return ""
    try:
        dt.date(year, 1 if month is None else month, 1)
    except (ValueError, OverflowError):
        raise Http404("There is no such year or month.") from None
    return str(year) if month is None else f"{calendar.month_name[month]} {year}"


def _briefing_at_numeric_slug(
    request: HttpRequest, year: int, month: int | None
) -> HttpResponse | None:
    """The archive routes come before `/briefings/<slug>/`, so a briefing whose slug is all
    digits ("2023") would lose its page to them: its own URL wins, so permalinks keep
    working. Costs one lookup on the unique slug."""
    slug = str(year)
    if not Conference.objects.filter(slug=slug).exists():
        return None
    if month is None:
        return briefing.conference_detail(request, slug)
    return briefing.exchange_detail(request, slug, month)
