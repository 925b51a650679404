"""What the people and outlets directories share: their order (by name, or the most
active first) and the name filter, read from the query string one way."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponseBadRequest
from django.utils.text import Truncator

SORTS = {"name": "Alphabetically", "activity": "Most active first"}
FILTER_CHARS = 100  # a name is shorter; a longer filter is cut to this


@dataclass(frozen=True)
class Listing:
    sort: str
    name: str  # the filter: part of a name, any case; "" for everyone

    @property
    def sort_label(self) -> str:
        return SORTS[self.sort]

    def params(self) -> dict[str, object]:
        """For the pager's links and the JSON form: the default sort left out."""
        return {"q": self.name, "sort": "" if self.sort == "name" else self.sort}


def listing(request: HttpRequest) -> Listing | HttpResponseBadRequest:
    sort = request.GET.get("sort", "") or "name"
    if sort not in SORTS:
        return HttpResponseBadRequest(
            f"Unknown sort {Truncator(sort).chars(40)!r}: use sort=name (alphabetically) or "
            "sort=activity (the most active first).",
            content_type="text/plain; charset=utf-8",
        )
    # Control characters (a NUL among them, which PostgreSQL refuses) are never in a name.
    typed = "".join(ch if ch.isprintable() else " " for ch in request.GET.get("q", ""))
    return Listing(sort=sort, name=" ".join(typed.split())[:FILTER_CHARS])
