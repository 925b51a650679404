"""People: everyone in the archive, alphabetically, and a person's page (their titles over
time, the briefings they attended, their answers and statements a page at a time).
Counts are taken for the rows of the page being shown."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from briefings.models import Commitment, Conference, Organization, Participant, Person, Turn
from briefings.pages import (
    BriefingDate,
    NewestBriefingFirst,
    briefing_dates,
    json_response,
    newest_first_key,
    refuse_format,
    wants_json,
)
from briefings.paging import page_json, page_link, page_links, pager, requested_page
from briefings.text import OFFICIAL_ROLES, opening_words, title_before_name
from search.substance import is_content_free

from ._directory import SORTS, Listing, listing
from ._records import briefing_record, turn_record

PEOPLE_PER_PAGE = 50
TURNS_PER_PAGE = 25
LATEST_ATTENDED = 10


def person_list(request: HttpRequest) -> HttpResponse:
    """Everyone in the archive, alphabetically, with how many briefings they attended and
    how many answers and statements they gave."""
    if refused := refuse_format(request):
        return refused
    chosen = listing(request)
    if not isinstance(chosen, Listing):
        return chosen
    everyone = Person.objects.all()
    if chosen.name:
        everyone = everyone.filter(name__icontains=chosen.name)
    if chosen.sort == "activity":
        everyone = _most_active_first(everyone)
    else:
        everyone = everyone.order_by(Lower("name"), "id")
    page = requested_page(Paginator(everyone, PEOPLE_PER_PAGE), request.GET.get("page"))
    people = list(page.object_list)
    # Briefings attended: listed as a participant, or heard (a reporter is never listed),
    # as the person's own page counts them.
    attended: dict[int, set[int]] = defaultdict(set)
    listed = (
        Participant.objects.filter(person__in=people).values_list("person", "conference").order_by()
    )
    heard = (
        Turn.objects.filter(person__in=people)
        .values_list("person", "exchange__conference")
        .order_by()
        .distinct()
    )
    for person_id, conference_id in listed.union(heard):
        attended[person_id].add(conference_id)
    answered = dict(
        Turn.objects.by_officials()
        .filter(person__in=people)
        .values_list("person")
        .annotate(total=Count("id"))
    )
    for person in people:
        person.briefing_total = len(attended[person.pk])
        person.answer_total = answered.get(person.pk, 0)
    path = reverse("briefings:person-list")
    links = page_links(path, chosen.params())
    if wants_json(request):
        return json_response(
            {
                **page_json(request, page, links),
                "sort": chosen.sort,
                "name_filter": chosen.name or None,
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
            "listing": chosen,
            "sorts": SORTS,
            "pages": pager(page.number, page.paginator.num_pages, links),
            "json_link": page_link(path, {**chosen.params(), "format": "json"}, page=page.number),
        },
    )


def _most_active_first(people: QuerySet[Person]) -> list[Person]:
    """`people` by the answers and statements they gave (the column shown first), then
    every turn (a chair's lines, a named reporter's questions), then by name. The counts
    come from one pass over Turn's index on the person, not a join of every turn to its
    person (10x the White House archive: 74 ms against 0.5 s)."""
    counts = {
        person: (spoke, total)
        for person, spoke, total in Turn.objects.filter(person__isnull=False)
        .order_by()
        .values_list("person")
        .annotate(spoke=Count("pk", filter=Q(role__in=OFFICIAL_ROLES)), total=Count("pk"))
    }

    def rank(person: Person) -> tuple[int, int, str, int]:
        spoke, total = counts.get(person.pk, (0, 0))
        return -spoke, -total, person.name.lower(), person.pk

    return sorted(people, key=rank)


@dataclass
class TitleUse:
    """One title a person was given, and the briefings where it was printed. The title and
    organization read as printed at the latest of them."""

    title: str
    organization: str = ""
    conferences: dict[int, tuple[dt.date | None, str]] = field(default_factory=dict)
    # Only ever read in briefings' titles, never printed beside the person's name.
    from_briefing_titles: bool = False

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


def _titles(person: Person) -> tuple[list[TitleUse], list[int], dict[int, BriefingDate]]:
    """The titles `person` was printed with (as a participant or beside a turn) or given
    by a briefing's title ("Press Briefing by Press Secretary Jen Psaki": most White House
    transcripts print no title beside a name), newest use first, every briefing they
    attended, newest first, and those briefings' dates, slugs and titles
    (`briefing_dates`). Titles that differ only in case or spacing count as one.

    The turns are read distinct by (title, outlet, briefing) from Turn's index on the
    person, and the briefings' dates and outlets' names looked up after: joining them to
    each of a prolific official's turns first cost most of the page at 10x the archive."""
    listed = Participant.objects.filter(person=person).values_list(
        "title", "organization__name", "conference_id"
    )
    spoken = list(
        Turn.objects.filter(person=person)
        .order_by()
        .values_list("speaker_title", "outlet_id", "exchange__conference_id")
        .distinct()
    )
    outlet_ids = {outlet for _, outlet, _ in spoken if outlet is not None}
    outlets = dict(Organization.objects.filter(pk__in=outlet_ids).values_list("pk", "name"))
    rows = [*listed, *((title, outlets.get(outlet), held) for title, outlet, held in spoken)]
    briefings = briefing_dates(conference_id for *_, conference_id in rows)
    uses: dict[str, TitleUse] = {}
    for title, organization, conference_id in rows:
        held_on, slug, _ = briefings[conference_id]
        title = " ".join(title.split())
        if not title:
            continue
        uses.setdefault(title.casefold(), TitleUse(title)).add(
            title, organization or "", conference_id, held_on, slug
        )
    names = [person.name, *person.aliases]
    for conference_id, (held_on, slug, briefing_title) in briefings.items():
        if title := title_before_name(briefing_title, names):
            use = uses.setdefault(title.casefold(), TitleUse(title, from_briefing_titles=True))
            use.add(title, "", conference_id, held_on, slug)
    titles = sorted(uses.values(), key=lambda use: (use.last or (dt.date.min, ""))[0], reverse=True)
    newest = sorted(briefings, key=lambda pk: newest_first_key(briefings[pk][0], pk), reverse=True)
    return titles, newest, briefings


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A person: their titles over time, the briefings they attended, their answers and
    statements (one page at a time) and a link to their commitments."""
    if refused := refuse_format(request):
        return refused
    person = get_object_or_404(Person, slug=slug)
    titles, attended_ids, attended = _titles(person)
    latest = Conference.objects.filter(pk__in=attended_ids[:LATEST_ATTENDED]).select_related(
        "organizer"
    )
    latest = sorted(latest, key=lambda c: attended_ids.index(c.pk))
    answers = NewestBriefingFirst(Turn.objects.by_officials().filter(person=person), dates=attended)
    page = requested_page(Paginator(answers, TURNS_PER_PAGE), request.GET.get("page"))
    if page.number == 1:
        page.object_list = _from_the_first_with_content(list(page.object_list))
    commitment_total = Commitment.objects.shown().filter(turn__person=person).count()
    path = person.get_absolute_url()
    links = {
        "briefings": page_link(reverse("briefings:briefing-list"), {"person": person.slug}),
        "commitments": page_link(reverse("briefings:commitment-list"), {"speaker": person.slug})
        if commitment_total
        else "",
        "search": page_link(reverse("search:search"), {"speaker": person.slug}),
        "feed": reverse("briefings:person-feed", args=[person.slug]),
    }
    if wants_json(request):
        return json_response(
            {
                "name": person.name,
                "url": request.build_absolute_uri(path),
                # "background": officials on background, name withheld; not one person.
                "kind": person.kind,
                "aliases": person.aliases,
                "titles": [_title_record(request, use) for use in titles],
                "briefing_total": len(attended_ids),
                "briefings_url": request.build_absolute_uri(links["briefings"]),
                "latest_briefings": [briefing_record(request, conference) for conference in latest],
                "commitment_total": commitment_total,
                "commitments_url": request.build_absolute_uri(links["commitments"])
                if links["commitments"]
                else None,
                "feed_url": request.build_absolute_uri(links["feed"]),
                "answers": {
                    **page_json(request, page, page_links(path)),
                    "results": [turn_record(request, turn) for turn in page.object_list],
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
            "pages": pager(page.number, page.paginator.num_pages, page_links(path)),
            "commitment_total": commitment_total,
            "links": links,
            "json_link": page_link(path, {"format": "json"}, page=page.number),
        },
    )


def _from_the_first_with_content(turns: list[Turn]) -> list[Turn]:
    """The newest answers from the first whose exchange says something: those before it
    only passed the floor ("Yep." "Go ahead."; search.substance), as the briefing's
    contents open. Read with one query for the exchanges' turns."""
    exchanges = {turn.exchange_id for turn in turns[:TURNS_PER_PAGE]}
    said: dict[int, list[Turn]] = defaultdict(list)
    for turn in Turn.objects.filter(exchange_id__in=exchanges).order_by("position"):
        said[turn.exchange_id].append(turn)
    for at, turn in enumerate(turns):
        if not is_content_free(turn.exchange.kind, said[turn.exchange_id]):
            return turns[at:]
    return turns


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
        # "transcript": printed beside the name; "briefing title": read only in titles.
        "source": "briefing title" if use.from_briefing_titles else "transcript",
        "briefings": use.briefing_total,
        "first": briefing(use.first),
        "last": briefing(use.last),
    }
