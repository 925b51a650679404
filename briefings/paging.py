"""Paging, the same on every paged page (the briefing list, people, outlets, a person's
answers, an outlet's questions, commitments, search): how a `page` parameter is read, how
a page's link is written, the pager's items and a page's JSON counts and links.

A page number is read one way everywhere: past the end gives the last page, 0 the first,
and something that is not a whole number is a 404, so a mistyped link says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest

# Digits enough for any real page number; a longer one is past the end, and never handed
# to int() (Python refuses to convert strings of more than 4,300 digits).
PAGE_DIGITS = 9
PAST_THE_END = 10**PAGE_DIGITS


class NotAPageNumber(Http404):
    """A `page` that is not a whole number: the 404 page says so (briefings/views/errors.py)."""

    def __init__(self, raw: str) -> None:
        shown = raw if len(raw) <= 20 else raw[:20] + "…"
        super().__init__(f"“{shown}” is not a page number: a page number is a whole number.")


class PagerItem(NamedTuple):
    """One item of a pager: previous, a page number, an elided run ("…", no link), next."""

    label: str
    link: str
    current: bool


def page_number(raw: str | None) -> int:
    """The page `raw` asks for, at least 1; PAST_THE_END for a number too long for any
    page. A 404 for anything that is not a whole number: "abc", "-1", "1.5", "²"."""
    raw = (raw or "1").strip()
    if not raw.isascii() or not raw.isdigit():
        raise NotAPageNumber(raw)
    if len(raw) > PAGE_DIGITS:
        return PAST_THE_END
    return max(int(raw), 1)


def requested_page(paginator: Paginator, raw: str | None) -> Page:
    """The page of `paginator` that `raw` asks for; past the end, the last."""
    return paginator.page(min(page_number(raw), paginator.num_pages))


def page_link(path: str, params: dict[str, object], *, page: int = 1) -> str:
    """`path` with `params` in their given order, empty values and page 1 left out (one
    question, one URL), then the page. A list or tuple value repeats its key, once for
    each value in its order (`speaker=a&speaker=b`)."""
    query = [
        (key, each)
        for key, value in params.items()
        for each in (value if isinstance(value, list | tuple) else [value])
        if each
    ]
    if page > 1:
        query.append(("page", page))
    return path + (f"?{urlencode(query)}" if query else "")


def page_links(path: str, params: dict[str, object] | None = None) -> Callable[[int], str]:
    """The link to each page of `path` with `params`, for `pager` and `page_json`."""
    return lambda number: page_link(path, params or {}, page=number)


def pager(
    number: int,
    num_pages: int,
    link: Callable[[int], str],
    *,
    previous_label: str = "Previous",
    next_label: str = "Next",
) -> list[PagerItem]:
    """Previous, the page numbers near `number` and at both ends with the gaps elided,
    next; nothing when there is one page. `link` gives a page number's URL."""
    if num_pages <= 1:
        return []
    # A paginator over the page numbers themselves: the search page has no queryset.
    numbers = Paginator(range(num_pages), 1).get_elided_page_range(number)
    items = []
    if number > 1:
        items.append(PagerItem(previous_label, link(number - 1), False))
    for item in numbers:
        if item == Paginator.ELLIPSIS:
            items.append(PagerItem(str(item), "", False))
        else:
            items.append(PagerItem(str(item), link(item), item == number))
    if number < num_pages:
        items.append(PagerItem(next_label, link(number + 1), False))
    return items


def as_json(link: str) -> str:
    """A page's link with format=json: the same page's JSON form."""
    path, _, query = link.partition("?")
    params = [(key, value) for key, value in parse_qsl(query) if key != "format"]
    return f"{path}?{urlencode([*params, ('format', 'json')])}"


def page_json(request: HttpRequest, page: Page, link: Callable[[int], str]) -> dict[str, object]:
    """A page's counts and its neighbours' absolute URLs, for its JSON form: the JSON forms
    of the neighbours, so that a client following them stays in JSON."""

    def absolute(number: int) -> str:
        return request.build_absolute_uri(as_json(link(number)))

    return {
        "total": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "previous": absolute(page.number - 1) if page.has_previous() else None,
        "next": absolute(page.number + 1) if page.has_next() else None,
    }
