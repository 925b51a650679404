"""The page for an address that is not in the archive (404), for every page of the site.

It says why when the site knows (a page number that is not a number) and keeps what the
reader was searching for, with a link to the first page of the same list or search.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from briefings.paging import NotAPageNumber, page_link
from search.language import MAX_QUERY_LENGTH


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context: dict[str, object] = {"query": request.GET.get("q", "")[:MAX_QUERY_LENGTH]}
    if isinstance(exception, NotAPageNumber):
        context["reason"] = exception.args[0]
        params = {key: value for key, value in request.GET.items() if key != "page"}
        context["first_page"] = page_link(request.path, params)
    return render(request, "404.html", context, status=404)
