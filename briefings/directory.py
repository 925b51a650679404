"""The reading room's directory pages: the briefing list with its year and month archives,
people and outlets. Function views, each also served as JSON with `?format=json`.

Every list is paginated and every page costs a fixed number of queries however large the
archive: counts are taken for the rows of the page being shown, not for the whole table.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear, Lower, Substr
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from . import views
from .models import (
    Commitment,
    Conference,
    ConferenceKind,
    Exchange,
    Organization,
    Participant,
    Person,
    Turn,
)
from .pages import json_response, newest_briefing_first, refuse_format, wants_json
from .text import opening_words

BRIEFINGS_PER_PAGE = 25
PEOPLE_PER_PAGE = 50
OUTLETS_PER_PAGE = 50
TURNS_PER_PAGE = 25
LATEST_ATTENDED = 10
# How much of a turn's text a listing reads from the database and how many words it shows:
# a long answer is never fetched whole to show its opening.
OPENING_CHARS = 400
# Digits enough for any real page number; a longer one is past the end, and never handed
# to int() (Python refuses to convert strings of more than 4,300 digits).
PAGE_DIGITS = 9


# Shared: the format switch, page numbers, links.


def _page(paginator: Paginator, raw: str | None) -> Page:
    """The page `raw` asks for: past the end gives the last page, before the start the
    first; something that is not a page number is a 404, so a mistyped link says so."""
    raw = (raw or "1").strip()
    if not raw.isascii() or not raw.isdigit():
        raise Http404("A page number is a whole number, such as page=2.")
    number = paginator.num_pages if len(raw) > PAGE_DIGITS else int(raw)
    return paginator.page(min(max(number, 1), paginator.num_pages))


def _link(path: str, params: dict[str, object], *, page: int = 1) -> str:
    """`path` with `params` in their given order, empty values and page 1 left out: one
    question, one URL."""
    query = [(key, value) for key, value in params.items() if value]
    if page > 1:
        query.append(("page", page))
    return path + (f"?{urlencode(query)}" if query else "")


def _pager(path: str, params: dict[str, object], page: Page) -> list[tuple[str, str, bool]]:
    """(label, link, is current) for previous, nearby page numbers, next."""
    if page.paginator.num_pages <= 1:
        return []
    items = []
    if page.has_previous():
        items.append(("Previous", _link(path, params, page=page.number - 1), False))
    for number in range(
        max(1, page.number - 4), min(page.paginator.num_pages, page.number + 4) + 1
    ):
        items.append((str(number), _link(path, params, page=number), number == page.number))
    if page.has_next():
        items.append(("Next", _link(path, params, page=page.number + 1), False))
    return items


def _page_json(
    request: HttpRequest, path: str, params: dict[str, object], page: Page
) -> dict[str, object]:
    def absolute(number: int) -> str:
        return request.build_absolute_uri(_link(path, params, page=number))

    return {
        "page": page.number,
        "pages": page.paginator.num_pages,
        "total": page.paginator.count,
        "previous": absolute(page.number - 1) if page.has_previous() else None,
        "next": absolute(page.number + 1) if page.has_next() else None,
    }


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def with_opening(turns: QuerySet[Turn]) -> QuerySet[Turn]:
    """Turns with `opening_text`, the start of their text, in place of the whole text."""
    return turns.defer("text").annotate(opening_text=Substr("text", 1, OPENING_CHARS))


# The briefing list, its year and month archives and its filters.


def attended_by(person: Person) -> Q:
    """The briefings `person` is listed at, or speaks or asks at."""
    return Q(pk__in=Participant.objects.filter(person=person).values("conference_id")) | Q(
        pk__in=Turn.objects.filter(person=person).values("exchange__conference_id")
    )


class BriefingFilterForm(forms.Form):
    """The briefing list's filters. Nothing here fails the page: a value it does not know is
    left out, and the page says so."""

    # The default message repeats the value given, however long.
    NOT_A_CHOICE = {"invalid_choice": "That is not one of the choices."}

    organizer = forms.ChoiceField(label="Organizer", required=False, error_messages=NOT_A_CHOICE)
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Any"), *ConferenceKind.choices],
        error_messages=NOT_A_CHOICE,
    )
    person = forms.SlugField(
        label="Attended by", required=False, max_length=120, widget=forms.HiddenInput
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        organizers = Organization.objects.filter(conferences__isnull=False).distinct()
        self.fields["organizer"].choices = [("", "Any"), *organizers.values_list("slug", "name")]
        self.person: Person | None = None

    def clean_person(self) -> str:
        slug = self.cleaned_data["person"]
        if slug:
            self.person = Person.objects.filter(slug=slug).first()
            if self.person is None:
                raise forms.ValidationError("There is nobody by that name in the archive.")
        return slug

    def params(self) -> dict[str, object]:
        """The valid filters, in a fixed order."""
        self.is_valid()
        data = self.cleaned_data
        return {name: data.get(name, "") for name in ("organizer", "kind", "person")}

    def messages(self) -> list[str]:
        return [
            f"{self.fields[name].label}: {error} It was left out."
            for name, errors in self.errors.items()
            for error in errors
        ]


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
            link=_link(reverse("briefings:briefing-year", args=[year]), params),
            months=[
                (
                    month,
                    calendar.month_name[month],
                    total,
                    _link(reverse("briefings:briefing-month", args=[year, month]), params),
                )
                for month, total in sorted(months.items(), reverse=True)
            ],
        )
        for year, months in sorted(by_year.items(), reverse=True)
    ]


def _count_exchanges(conferences: list[Conference]) -> None:
    """`exchange_total` on each, counted for these briefings only (as the home page does)."""
    totals = dict(
        Exchange.objects.filter(conference__in=conferences)
        .values_list("conference")
        .annotate(total=Count("id"))
    )
    for conference in conferences:
        conference.exchange_total = totals.get(conference.pk, 0)


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
    paginator = Paginator(
        in_period.select_related("organizer").order_by(*newest_briefing_first()),
        BRIEFINGS_PER_PAGE,
    )
    page = _page(paginator, request.GET.get("page"))
    conferences = list(page.object_list)
    _count_exchanges(conferences)
    years = _year_counts(matching, params)
    if wants_json(request):
        return json_response(
            {
                "period": {
                    "year": year,
                    "month": month,
                    "label": period_label or "All briefings",
                },
                "filters": {key: value for key, value in params.items() if value},
                "messages": form.messages(),
                **_page_json(request, path, params, page),
                "years": [
                    {
                        "year": item.year,
                        "total": item.total,
                        "url": request.build_absolute_uri(item.link),
                        "months": [
                            {
                                "month": month_number,
                                "total": total,
                                "url": request.build_absolute_uri(link),
                            }
                            for month_number, _name, total, link in item.months
                        ],
                    }
                    for item in years
                ],
                "results": [_briefing_record(request, conference) for conference in conferences],
            }
        )
    filtered = any(params.values())
    return render(
        request,
        "briefings/briefing_list.html",
        {
            "form": form,
            "person": form.person,
            "filtered": filtered,
            "messages": form.messages(),
            "page": page,
            "groups": _group_by_month(conferences),
            "pages": _pager(path, params, page),
            "years": years,
            "year": year,
            "month": month,
            "period_label": period_label,
            "clear_link": path,
            "everything_link": _link(reverse("briefings:briefing-list"), params),
            "year_link": _link(reverse("briefings:briefing-year", args=[year]), params)
            if year
            else "",
            "json_link": _link(path, {**params, "format": "json"}, page=page.number),
            "without_person": _link(path, {**params, "person": ""}),
        },
    )


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
        return views.conference_detail(request, slug)
    return views.exchange_detail(request, slug, month)


def _briefing_record(request: HttpRequest, conference: Conference) -> dict[str, object]:
    organizer = conference.organizer
    return {
        "title": conference.title,
        "url": request.build_absolute_uri(conference.get_absolute_url()),
        "held_on": _date(conference.held_on),
        "kind": conference.kind,
        "kind_label": conference.get_kind_display(),
        "organizer": _organization_record(request, organizer) if organizer else None,
        "location": conference.location,
        "exchanges": conference.exchange_total,
    }


def _organization_record(request: HttpRequest, organization: Organization) -> dict[str, object]:
    return {
        "name": organization.name,
        "url": request.build_absolute_uri(organization.get_absolute_url()),
    }


# People.


def person_list(request: HttpRequest) -> HttpResponse:
    """Everyone in the archive, alphabetically, with how many briefings they attended and
    how many answers and statements they gave."""
    if refused := refuse_format(request):
        return refused
    page = _page(
        Paginator(Person.objects.order_by(Lower("name"), "id"), PEOPLE_PER_PAGE),
        request.GET.get("page"),
    )
    people = list(page.object_list)
    attended = dict(
        Participant.objects.filter(person__in=people)
        .values_list("person")
        .annotate(total=Count("conference", distinct=True))
    )
    answered = dict(
        Turn.objects.by_officials()
        .filter(person__in=people)
        .values_list("person")
        .annotate(total=Count("id"))
    )
    for person in people:
        person.briefing_total = attended.get(person.pk, 0)
        person.answer_total = answered.get(person.pk, 0)
    path = reverse("briefings:person-list")
    if wants_json(request):
        return json_response(
            {
                **_page_json(request, path, {}, page),
                "results": [
                    {
                        "name": person.name,
                        "url": request.build_absolute_uri(person.get_absolute_url()),
                        "briefings": person.briefing_total,
                        "answers": person.answer_total,
                    }
                    for person in people
                ],
            }
        )
    return render(
        request,
        "briefings/person_list.html",
        {
            "page": page,
            "people": people,
            "pages": _pager(path, {}, page),
            "json_link": _link(path, {"format": "json"}, page=page.number),
        },
    )


@dataclass
class TitleUse:
    """One title a person was given, and the briefings where it was printed. The title and
    organization read as printed at the latest of them."""

    title: str
    organization: str = ""
    conferences: dict[int, tuple[dt.date | None, str]] = field(default_factory=dict)

    def add(
        self, title: str, organization: str, conference_id: int, held_on: dt.date | None, slug: str
    ) -> None:
        latest = self.last
        if latest is None or (held_on is not None and held_on > latest[0]):
            self.title = title
            self.organization = organization or self.organization
        elif not self.organization:
            self.organization = organization
        self.conferences[conference_id] = (held_on, slug)

    @property
    def briefing_total(self) -> int:
        return len(self.conferences)

    def _dated(self) -> list[tuple[dt.date, str]]:
        return sorted((held, slug) for held, slug in self.conferences.values() if held)

    @property
    def first(self) -> tuple[dt.date, str] | None:
        dated = self._dated()
        return dated[0] if dated else None

    @property
    def last(self) -> tuple[dt.date, str] | None:
        dated = self._dated()
        return dated[-1] if dated else None


def _titles(person: Person) -> tuple[list[TitleUse], list[int]]:
    """The titles `person` was printed with (as a participant or beside a turn), newest use
    first, and every briefing they attended, newest first: one UNION query. Titles that
    differ only in case or spacing count as one."""
    # Ordering is not allowed inside a compound query: both sides are unordered.
    listed = (
        Participant.objects.filter(person=person)
        .order_by()
        .values_list(
            "title",
            "organization__name",
            "conference_id",
            "conference__held_on",
            "conference__slug",
        )
    )
    spoken = (
        Turn.objects.filter(person=person)
        .order_by()
        .values_list(
            "speaker_title",
            "outlet__name",
            "exchange__conference_id",
            "exchange__conference__held_on",
            "exchange__conference__slug",
        )
    )
    uses: dict[str, TitleUse] = {}
    attended: dict[int, dt.date | None] = {}
    for title, organization, conference_id, held_on, slug in listed.union(spoken):
        attended[conference_id] = held_on
        title = " ".join(title.split())
        if not title:
            continue
        uses.setdefault(title.casefold(), TitleUse(title)).add(
            title, organization or "", conference_id, held_on, slug
        )
    titles = sorted(uses.values(), key=lambda use: (use.last or (dt.date.min, ""))[0], reverse=True)
    newest = sorted(attended, key=lambda pk: (attended[pk] or dt.date.min, pk), reverse=True)
    return titles, newest


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A person: their titles over time, the briefings they attended, their answers and
    statements (one page at a time) and a link to their commitments."""
    if refused := refuse_format(request):
        return refused
    person = get_object_or_404(Person, slug=slug)
    titles, attended_ids = _titles(person)
    latest = Conference.objects.filter(pk__in=attended_ids[:LATEST_ATTENDED]).select_related(
        "organizer"
    )
    latest = sorted(latest, key=lambda c: attended_ids.index(c.pk))
    answers = with_opening(
        Turn.objects.by_officials()
        .filter(person=person)
        .select_related("exchange__conference", "person")
    ).order_by(*newest_briefing_first("exchange__conference__"), "exchange__position", "position")
    page = _page(Paginator(answers, TURNS_PER_PAGE), request.GET.get("page"))
    commitment_total = Commitment.objects.shown().filter(turn__person=person).count()
    path = person.get_absolute_url()
    links = {
        "briefings": _link(reverse("briefings:briefing-list"), {"person": person.slug}),
        "commitments": _link(reverse("briefings:commitment-list"), {"speaker": person.slug})
        if commitment_total
        else "",
        "search": _link(reverse("search:search"), {"speaker": person.slug}),
        "feed": reverse("briefings:person-feed", args=[person.slug]),
    }
    if wants_json(request):
        return json_response(
            {
                "name": person.name,
                "url": request.build_absolute_uri(path),
                "aliases": person.aliases,
                "titles": [_title_record(request, use) for use in titles],
                "briefing_total": len(attended_ids),
                "briefings_url": request.build_absolute_uri(links["briefings"]),
                "latest_briefings": [
                    {
                        "title": conference.title,
                        "url": request.build_absolute_uri(conference.get_absolute_url()),
                        "held_on": _date(conference.held_on),
                    }
                    for conference in latest
                ],
                "commitment_total": commitment_total,
                "commitments_url": request.build_absolute_uri(links["commitments"])
                if links["commitments"]
                else None,
                "feed_url": request.build_absolute_uri(links["feed"]),
                "answers": {
                    **_page_json(request, path, {}, page),
                    "results": [_turn_record(request, turn) for turn in page.object_list],
                },
            }
        )
    return render(
        request,
        "briefings/person_detail.html",
        {
            "person": person,
            "titles": titles,
            "briefing_total": len(attended_ids),
            "latest": latest,
            "page": page,
            "answers": [(turn, opening_words(turn.opening_text)) for turn in page.object_list],
            "pages": _pager(path, {}, page),
            "commitment_total": commitment_total,
            "links": links,
            "json_link": _link(path, {"format": "json"}, page=page.number),
        },
    )


def _title_record(request: HttpRequest, use: TitleUse) -> dict[str, object]:
    def briefing(end: tuple[dt.date, str] | None) -> dict[str, object] | None:
        if end is None:
            return None
        held_on, slug = end
        url = reverse("briefings:conference-detail", args=[slug])
        return {"held_on": held_on.isoformat(), "url": request.build_absolute_uri(url)}

    return {
        "title": use.title,
        "organization": use.organization or None,
        "briefings": use.briefing_total,
        "first": briefing(use.first),
        "last": briefing(use.last),
    }


def _turn_record(request: HttpRequest, turn: Turn) -> dict[str, object]:
    exchange = turn.exchange
    conference = exchange.conference
    return {
        "url": request.build_absolute_uri(exchange.get_absolute_url()),
        "briefing": conference.title,
        "briefing_url": request.build_absolute_uri(conference.get_absolute_url()),
        "held_on": _date(conference.held_on),
        "exchange": exchange.position,
        "speaker": turn.speaker_name,
        "speaker_url": request.build_absolute_uri(turn.person.get_absolute_url())
        if turn.person
        else None,
        "speaker_title": turn.speaker_title,
        "role": turn.role,
        "opening": opening_words(turn.opening_text),
    }


# Outlets: the organizations whose reporters ask.


def _questions() -> QuerySet[Turn]:
    return Turn.objects.filter(role=Turn.Role.QUESTION)


def outlet_list(request: HttpRequest) -> HttpResponse:
    """Every organization whose reporters asked a question, alphabetically, with how many
    questions and at how many briefings."""
    if refused := refuse_format(request):
        return refused
    outlets = Organization.objects.filter(
        pk__in=_questions().filter(outlet__isnull=False).values("outlet_id")
    ).order_by(Lower("name"), "id")
    page = _page(Paginator(outlets, OUTLETS_PER_PAGE), request.GET.get("page"))
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
    if wants_json(request):
        return json_response(
            {
                **_page_json(request, path, {}, page),
                "results": [
                    {
                        **_organization_record(request, outlet),
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
            "pages": _pager(path, {}, page),
            "json_link": _link(path, {"format": "json"}, page=page.number),
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
    questions = with_opening(asked.select_related("exchange__conference", "person")).order_by(
        *newest_briefing_first("exchange__conference__"), "exchange__position", "position"
    )
    page = _page(Paginator(questions, TURNS_PER_PAGE), request.GET.get("page"))
    briefing_total = asked.values("exchange__conference").distinct().count()
    organized_total = outlet.conferences.count()
    path = outlet.get_absolute_url()
    links = {
        "organized": _link(reverse("briefings:briefing-list"), {"organizer": outlet.slug})
        if organized_total
        else "",
        "search": _link(reverse("search:search"), {"outlet": outlet.slug}),
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
                    **_page_json(request, path, {}, page),
                    "results": [_turn_record(request, turn) for turn in page.object_list],
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
            "pages": _pager(path, {}, page),
            "briefing_total": briefing_total,
            "organized_total": organized_total,
            "links": links,
            "json_link": _link(path, {"format": "json"}, page=page.number),
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
