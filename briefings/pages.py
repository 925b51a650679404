"""What every reading-room page shares: its JSON form (`?format=json`), the answer to a
`format` it does not have, the order of briefings and the opening of a turn in a list."""

from __future__ import annotations

from django.db.models import F, OrderBy, QuerySet
from django.db.models.functions import Substr
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.text import Truncator

from .models import Turn

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


def with_opening(turns: QuerySet[Turn]) -> QuerySet[Turn]:
    """Turns with `opening_text`, the start of their text, in place of the whole text."""
    return turns.defer("text").annotate(opening_text=Substr("text", 1, OPENING_CHARS))
