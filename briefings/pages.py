"""What every reading-room page shares: its JSON form (`?format=json`), the answer to a
`format` it does not have, the order of briefings and the opening of a turn in a list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cached_property
from typing import NamedTuple

from django.db.models import Count, F, OrderBy, QuerySet
from django.db.models.functions import Substr
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.text import Truncator

from .models import Conference, Exchange, Turn

# How much of a turn's text a listing reads from the database (its opening words are shown):
# a long answer is never fetched whole to show its opening.
OPENING_CHARS = 400


def refuse_format(request: HttpRequest) -> HttpResponse | None:
    """A 400 for a `format` other than json (or html); None when the request is fine."""
    wanted = request.GET.get("format", "")
    if wanted in ("", "html", "json"):
        return None
    return HttpResponseBadRequest(
        f"Unknown format {Truncator(wanted).chars(40)!r}. Use format=json for this page's "
        "data as JSON, or leave format out for the page.",
        content_type="text/plain; charset=utf-8",
    )


def wants_json(request: HttpRequest) -> bool:
    return request.GET.get("format") == "json"


def json_response(data: dict[str, object]) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def json_link(request: HttpRequest) -> str:
    """This page's own query with format=json: the page's JSON form."""
    params = request.GET.copy()
    params["format"] = "json"
    return f"{request.path}?{params.urlencode()}"


def newest_briefing_first(prefix: str = "") -> list[OrderBy | str]:
    """Newest first, undated briefings last on every database (PostgreSQL puts NULLs
    first in a descending order, SQLite last)."""
    return [F(f"{prefix}held_on").desc(nulls_last=True), f"-{prefix}id"]


def newest_first_key(held_on: dt.date | None, pk: int) -> tuple[bool, dt.date, int]:
    """`newest_briefing_first` in Python: sort with this key, reversed."""
    return held_on is not None, held_on or dt.date.min, pk


# Ids a query names at most: SQLite takes 999 parameters in older builds.
IDS_PER_QUERY = 900


class BriefingDate(NamedTuple):
    held_on: dt.date | None
    slug: str
    title: str


def briefing_dates(ids: Iterable[int]) -> dict[int, BriefingDate]:
    """The date, slug and title of each briefing in `ids`, by primary key, a few hundred
    ids a query: cheaper than joining the briefing to each of thousands of rows before
    they are grouped."""
    wanted = sorted(set(ids))
    found: dict[int, BriefingDate] = {}
    for at in range(0, len(wanted), IDS_PER_QUERY):
        chunk = wanted[at : at + IDS_PER_QUERY]
        rows = Conference.objects.filter(pk__in=chunk).values_list("pk", "held_on", "slug", "title")
        found.update((pk, BriefingDate(*fields)) for pk, *fields in rows)
    return found


def with_opening(turns: QuerySet[Turn]) -> QuerySet[Turn]:
    """Turns with `opening_text`, the start of their text, in place of the whole text."""
    return turns.defer("text").annotate(opening_text=Substr("text", 1, OPENING_CHARS))


class NewestBriefingFirst:
    """`turns` newest briefing first and in each briefing in the order `within`, each with
    its opening words (`with_opening`), read a page at a time: a Paginator's object list.

    Ordering every turn by its briefing's date sorts all of them before the first page:
    0.2-0.4 s a page for the most active official at 10x the White House archive, 269,340
    turns (docs/findings.md, "Ten times the archive"). Here the turns are counted per
    briefing, newest first (one grouped query, read from an index when `turns` filters on
    the person: Turn's `turn_person_briefings`), and a page reads only the turns of the
    briefings it spans."""

    def __init__(
        self,
        turns: QuerySet[Turn],
        *,
        related: tuple[str, ...] = ("exchange__conference", "person"),
        within: tuple[str, ...] = ("exchange__position", "position"),
        dates: dict[int, BriefingDate] | None = None,
    ) -> None:
        self.turns = turns
        self.related = related
        self.within = within
        self.dates = dates or {}  # briefing_dates already read by the caller

    @cached_property
    def briefings(self) -> list[tuple[int, int]]:
        """(briefing id, how many of the turns it holds), newest briefing first."""
        totals = dict(
            self.turns.order_by().values_list("exchange__conference_id").annotate(Count("pk"))
        )
        dates = {**self.dates, **briefing_dates(totals.keys() - self.dates.keys())}
        newest = sorted(totals, key=lambda pk: newest_first_key(dates[pk][0], pk), reverse=True)
        return [(pk, totals[pk]) for pk in newest]

    def count(self) -> int:
        return sum(total for _, total in self.briefings)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Turn]:
        if not isinstance(window, slice) or window.step not in (None, 1):
            raise TypeError("NewestBriefingFirst reads a window of turns: [start:stop]")
        start, stop, _ = window.indices(self.count())
        spanned: list[int] = []
        before = 0  # turns in the briefings newer than the first one spanned
        seen = 0
        for briefing, total in self.briefings:
            if seen >= stop:
                break
            if seen + total > start:
                if not spanned:
                    before = seen
                spanned.append(briefing)
            seen += total
        if not spanned:
            return []
        # By the exchanges' ids, not a join to their briefing: so the database reads the
        # turns of these exchanges, not every turn of the person to find them.
        exchanges = Exchange.objects.filter(conference_id__in=spanned).values("pk")
        rows = with_opening(
            self.turns.filter(exchange_id__in=exchanges).select_related(*self.related)
        ).order_by(*newest_briefing_first("exchange__conference__"), *self.within)
        return list(rows[start - before : stop - before])
