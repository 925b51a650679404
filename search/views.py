"""The search page, its exports (CSV, JSON) and its Atom feed. Function views; the work is
in search/searching.py. Every URL carries the whole search in its query string, in a fixed
order, so a results page, a facet link or an export can be bookmarked and shared."""

from __future__ import annotations

import csv
import datetime as dt
import html
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from briefings.export import csv_cell
from briefings.feeds import ArchiveAtomFeed
from briefings.pages import json_link, json_response, refuse_format, wants_json
from briefings.paging import NotAPageNumber, as_json, page_link, page_number, pager

from .cards import Card, CardPart
from .chart import format_share, lay_out_chart
from .engines import SearchUnavailable
from .exports import csv_lines, json_chunks
from .filters import ResolvedFilter
from .forms import SearchForm
from .language import MAX_QUERY_LENGTH, describe, without_filter
from .limits import HoldingSlot, claim_export_slot
from .searching import (
    EXPORT_MAX_ROWS,
    FACET_KINDS,
    FEED_ENTRIES,
    SORT_LABELS,
    Export,
    FacetValue,
    SearchInput,
    SearchPage,
    export_results,
    search_archive,
)
from .trends import MAX_LINES, TrendInput, TrendLine, Trends, count_trends, month_label

FACET_TITLES = {"speakers": "Speaker", "outlets": "Outlet", "organizations": "Organization"}
# A filter's kind -> (its title, its URL parameter, SearchInput's field)
CHOSEN_KINDS = {
    "speaker": ("Speaker", "speaker", "speaker"),
    "outlet": ("Outlet", "outlet", "outlet"),
    "organization": ("Organization", "org", "organization"),
}


def when_searchable(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The view, or a 503 that says why when the index cannot answer (an index built for
    another schema waiting for `manage.py reindex`, a search server down): never a 500."""

    @wraps(view)
    def answer(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except SearchUnavailable:
            return _search_unavailable(request)

    return answer


UNAVAILABLE = (
    "Search is not available for a moment: its index is being rebuilt or cannot be "
    "reached. Try again in a few minutes; every briefing can still be read."
)


def _search_unavailable(request: HttpRequest) -> HttpResponse:
    if wants_json(request):
        response: HttpResponse = JsonResponse({"error": UNAVAILABLE}, status=503)
    else:
        response = render(request, "search/unavailable.html", {"message": UNAVAILABLE}, status=503)
    response["Retry-After"] = "120"
    return response


@when_searchable
def search(request: HttpRequest) -> HttpResponse:
    if refused := refuse_format(request):
        return refused
    wanted = SearchForm(request.GET).search_input()
    # Read as every paged page reads it (briefings/paging.py), not as the form does.
    wanted.page = page_number(request.GET.get("page"))
    page = search_archive(wanted)
    if wants_json(request):
        return json_response(_page_record(request, page))
    shown = replace(wanted, page=page.page)
    return render(
        request,
        "search/search.html",
        {
            "form": SearchForm(request.GET),
            "result": page,
            "facets": _facet_groups(page),
            "chosen": _chosen(page),
            "years": [(value, _year_link(wanted, value)) for value in page.years],
            "sorts": [
                (label, _link(wanted, sort=key, page=None), key == page.sort)
                for key, label in SORT_LABELS.items()
            ],
            "pages": pager(page.page, page.pages, lambda number: _link(wanted, page=number)),
            "suggestion_link": _link(page.suggested, page=None) if page.suggested else "",
            "trends_link": _link(wanted, view="search:trends", page=None, sort=None),
            "exports": {
                "csv": _link(wanted, view="search:export-csv", page=None),
                "json": _link(wanted, view="search:export-json", page=None),
                "atom": _link(wanted, view="search:feed", page=None, sort=None),
            },
            "export_max_rows": EXPORT_MAX_ROWS,
            "within": _within(page),
            "json_link": json_link(request),
            "from_search": _query_string(_link(shown)),
        },
    )


def searched_from(request: HttpRequest) -> SearchInput | None:
    """The search a page was arrived at from (its query string is a results page's:
    the cards link to an exchange with it), or None when it names no search."""
    wanted = SearchForm(request.GET).search_input()
    try:
        wanted.page = page_number(request.GET.get("page"))
    except NotAPageNumber:
        wanted.page = 1
    return wanted if _query_string(_link(wanted, page=None)) else None


def results_link(wanted: SearchInput) -> str:
    """The results page of `wanted`: the same search, the same page."""
    return _link(wanted)


def _query_string(link: str) -> str:
    return link[link.index("?") :] if "?" in link else ""


def _page_record(request: HttpRequest, page: SearchPage) -> dict[str, object]:
    """The page's JSON form: this page of results with what the page shows beside them.
    Snippets are HTML, escaped, with the matches in <mark>."""
    wanted = page.input
    from_search = _query_string(_link(replace(wanted, page=page.page)))

    def absolute(path: str) -> str:
        return request.build_absolute_uri(path)

    return {
        "query": wanted.q,
        "understood_as": describe(page.parsed) if page.searched else "",
        "messages": page.messages,
        "sort": page.sort,
        "total": page.total,
        "total_is_estimate": page.estimated,
        "timed_out": page.timed_out,
        "page": page.page,
        "pages": page.pages,
        "previous": absolute(as_json(_link(wanted, page=page.page - 1))) if page.page > 1 else None,
        "next": absolute(as_json(_link(wanted, page=page.page + 1)))
        if page.page < page.pages
        else None,
        "results": [
            {
                "url": absolute(hit.exchange.get_absolute_url()),
                "url_from_search": absolute(hit.exchange.get_absolute_url() + from_search),
                "conference": hit.exchange.conference.title,
                "held_on": (held := hit.exchange.conference.held_on) and held.isoformat(),
                "position": hit.exchange.position,
                "kind": hit.exchange.kind,
                "speakers": [{"name": name, "title": title} for name, title in hit.speakers],
                "outlets": hit.outlets,
                "score": hit.score,
                "snippet_html": str(hit.snippet),
                **_card_record(hit.card),
            }
            for hit in page.hits
        ],
        "filters": [
            {
                "kind": kind,
                "value": item.filter.value,
                "excluded": item.filter.negated,
                "label": item.label,
                "values": item.values,
                "remove": absolute(as_json(link)),
            }
            for kind, items in _chosen_filters(page).items()
            for item, link in items
        ],
        "facets": {
            name: [
                {
                    "value": v.value,
                    "label": v.label,
                    "count": v.count,
                    "selected": v.selected,
                    "toggle": absolute(as_json(_facet_link(page, name, v))),
                }
                for v in values
            ]
            for name, values in page.facets.items()
        },
        "years": [{"year": value.value, "count": value.count} for value in page.years],
        "suggestion": page.suggestion,
        "suggestion_url": absolute(as_json(_link(page.suggested, page=None)))
        if page.suggested
        else None,
    }


def _card_record(card: Card | None) -> dict[str, object]:
    """A result card's parts (search/cards.py); the excerpts are HTML like the snippet."""

    def part(piece: CardPart | None, *, asker: bool) -> dict[str, object] | None:
        if piece is None:
            return None
        record: dict[str, object] = {
            "name": piece.name,
            "label": piece.label,
            "title": piece.title,
            "turn": piece.position,
            "excerpt_html": piece.excerpt.html,
            "matched": piece.excerpt.matched,
        }
        if asker:
            record["outlet"] = piece.outlet or None
        return record

    if card is None:
        return {"question": None, "answer": None, "matched_in": ""}
    return {
        "question": part(card.question, asker=True),
        "answer": part(card.answer, asker=False),
        "matched_in": card.matched_in,
    }


def _exports_busy() -> HttpResponse:
    response = HttpResponse(
        "Other large exports are being prepared right now. Try again in a few seconds.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "5"
    return response


@when_searchable
def export_csv(request: HttpRequest) -> HttpResponseBase:
    """Every result's whole exchange, one row each (search/exports.py)."""
    return _streamed_export(
        SearchForm(request.GET).search_input(),
        lambda export: csv_lines(export, request.build_absolute_uri),
        content_type="text/csv; charset=utf-8",
        filename="briefing-search.csv",
    )


@when_searchable
def export_json(request: HttpRequest) -> HttpResponseBase:
    """Every result's whole exchange, its turns nested (search/exports.py)."""
    wanted = SearchForm(request.GET).search_input()

    def chunks(export: Export) -> Iterator[str]:
        head = {
            "query": wanted.q,
            "understood_as": describe(export.parsed),
            "sort": wanted.sort,
            "total": export.total,
            "total_is_estimate": export.estimated,
            "timed_out": export.timed_out,
            "max_rows": EXPORT_MAX_ROWS,
            "messages": export.parsed.messages,
            "filters": [
                {"kind": item.kind, "value": item.value, "excluded": item.negated}
                for item in export.parsed.filters
            ],
        }
        return json_chunks(head, export, request.build_absolute_uri)

    return _streamed_export(wanted, chunks, content_type="application/json")


def _streamed_export(
    wanted: SearchInput,
    chunks: Callable[[Export], Iterator[str]],
    *,
    content_type: str,
    filename: str = "",
) -> HttpResponseBase:
    """The index is searched here, in an export slot; the exchanges are read from the
    database as the response is sent, and the slot is held until it is."""
    release = claim_export_slot()
    if release is None:
        return _exports_busy()
    try:
        export = export_results(wanted)
        response = StreamingHttpResponse(
            HoldingSlot(chunks(export), release), content_type=content_type
        )
    except BaseException:
        release()
        raise
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    _count_headers(response, export)
    return response


@when_searchable
def feed(request: HttpRequest) -> HttpResponse:
    """The newest matching exchanges, for a feed reader: subscribe to a search."""
    wanted = SearchForm(request.GET).search_input()
    wanted.sort = "newest"
    export = export_results(wanted, limit=FEED_ENTRIES)
    title = describe(export.parsed) or "everything"
    atom = ArchiveAtomFeed(
        title=f"Briefing Archive: {title}",
        link=request.build_absolute_uri(_link(wanted, page=None, sort=None)),
        description=f"The newest exchanges matching {title}",
        feed_url=request.build_absolute_uri(),
        language="en",
    )
    for row in export.rows():
        url = request.build_absolute_uri(row.url)
        held = dt.datetime.combine(row.held_on, dt.time.min, tzinfo=dt.UTC) if row.held_on else None
        atom.add_item(
            title=f"{row.conference} (#{row.position})",
            link=url,
            unique_id=url,
            # Atom's summary is HTML: the transcript's words are text, so escape them.
            description=html.escape(row.excerpt),
            author_name=", ".join(row.speakers) or None,
            pubdate=held,
            updateddate=held,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    return response


# Links: the search in the query string, in a fixed order, defaults left out.


def _params(wanted: SearchInput) -> dict[str, object]:
    return {
        "q": wanted.q,
        "speaker": list(wanted.speaker),
        "outlet": list(wanted.outlet),
        "org": list(wanted.organization),
        "from": wanted.date_from,
        "to": wanted.date_to,
        "conference": wanted.conference,
        "sort": "" if wanted.sort == "relevance" else wanted.sort,
    }


def _link(wanted: SearchInput, *, view: str = "search:search", **changes: object) -> str:
    number = changes.pop("page", wanted.page) or 1
    params = _params(wanted)
    for key, value in changes.items():
        params[key] = value or ""
    if params.get("sort") == "relevance":
        params["sort"] = ""
    return page_link(reverse(view), params, page=number)


def _facet_link(page: SearchPage, name: str, value: FacetValue) -> str:
    """The same search with this facet value chosen too, or, when it is chosen, without
    it: values of one facet are any of them, so each one chosen widens the search within
    what the other facets allow."""
    wanted = page.input
    _title, param, field = CHOSEN_KINDS[FACET_KINDS[name]]
    values = list(getattr(wanted, field))
    if not value.selected:
        return _link(wanted, page=None, **{param: _in_order([*values, value.value])})
    q = wanted.q
    for item in page.filters:
        if item.filter.kind != FACET_KINDS[name] or item.filter.negated:
            continue
        if value.value not in item.values:
            continue
        # The filter goes, wherever it was given; the others it stood for stay chosen
        # ("smith" was two people: unticking one keeps the other).
        values = [each for each in values if each != item.filter.value]
        q = without_filter(q, item.filter)
        values += [slug for slug in item.values if slug != value.value]
    return _link(wanted, page=None, q=q, **{param: _in_order(values)})


def _in_order(values: list[str]) -> list[str]:
    """One order for the values of a parameter (SearchInput's): the same choice, made in
    any order, is the same URL."""
    return sorted(set(values))


def _without(page: SearchPage, item: ResolvedFilter) -> str:
    """The same search without one filter, from the control or the box."""
    wanted = page.input
    _title, param, field = CHOSEN_KINDS[item.filter.kind]
    values = [each for each in getattr(wanted, field) if each != item.filter.value]
    q = without_filter(wanted.q, item.filter)
    return _link(wanted, page=None, q=q, **{param: values})


def _chosen_filters(page: SearchPage) -> dict[str, list[tuple[ResolvedFilter, str]]]:
    """Speaker, outlet and organization filters by kind, each with its remove link."""
    chosen: dict[str, list[tuple[ResolvedFilter, str]]] = {}
    for item in page.filters:
        if item.filter.kind in CHOSEN_KINDS:
            chosen.setdefault(item.filter.kind, []).append((item, _without(page, item)))
    return chosen


def _chosen(page: SearchPage) -> list[dict[str, object]]:
    """The chosen filters as the page shows them, one line per kind: the values chosen
    (any of them), then the values excluded (none of them)."""
    lines = []
    for kind, items in _chosen_filters(page).items():
        lines.append(
            {
                "kind": kind,
                "title": CHOSEN_KINDS[kind][0],
                "any_of": [pair for pair in items if not pair[0].filter.negated],
                "none_of": [pair for pair in items if pair[0].filter.negated],
            }
        )
    return lines


def _year_link(wanted: SearchInput, value: FacetValue) -> str:
    return _link(wanted, page=None, **{"from": value.value, "to": value.value})


def _facet_groups(page: SearchPage) -> list[tuple[str, str, list[tuple[FacetValue, str]]]]:
    groups = []
    for name, title in FACET_TITLES.items():
        values = page.facets.get(name, [])
        if values:
            links = [(value, _facet_link(page, name, value)) for value in values]
            groups.append((name, title, links))
    return groups


def _within(page: SearchPage) -> tuple[str, str] | None:
    """(briefing title, link without it) when the search is inside one briefing."""
    for item in page.filters:
        if item.filter.kind == "conference" and not item.filter.negated and item.values:
            if page.input.conference:
                return item.label, _link(page.input, conference=None, page=None)
            return item.label, ""
    return None


def _count_headers(response: HttpResponseBase, export: Export) -> None:
    response["X-Total-Count"] = str(export.total)
    response["X-Total-Is-Estimate"] = "true" if export.estimated else "false"


# Trends: up to three searches by month, as a share of the month's exchanges.

SHARE_DECIMALS = 3  # percent, in the table, the CSV, the JSON and the chart's points


@when_searchable
def trends(request: HttpRequest) -> HttpResponse:
    if refused := refuse_format(request):
        return refused
    wanted = _trend_input(request)
    result = count_trends(wanted)
    if wants_json(request):
        return json_response(_trends_record(request, result))
    boxes = [line.query for line in result.lines] or [
        text for text in wanted.queries if text.strip()
    ][:3]
    return render(
        request,
        "search/trends.html",
        {
            "form": SearchForm(request.GET),
            "result": result,
            "boxes": [*boxes, "", "", ""][:MAX_LINES],
            "chart": _trends_chart(result) if result.months else None,
            "table": _shown_table(*_trends_table(result)),
            "search_links": [
                (line, _link(wanted.search(line.query), page=None)) for line in result.lines
            ],
            "csv_link": _trends_link(wanted, view="search:trends-csv"),
            "json_link": json_link(request),
        },
    )


@when_searchable
def trends_csv(request: HttpRequest) -> HttpResponse:
    result = count_trends(_trend_input(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="briefing-trends.csv"'
    writer = csv.writer(response)
    headings, rows = _trends_table(result)
    writer.writerow([csv_cell(heading) for heading in headings])
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return response


def _trend_input(request: HttpRequest) -> TrendInput:
    """The searches (`q`, repeated) and the filters of the search form."""
    return TrendInput(request.GET.getlist("q"), SearchForm(request.GET).search_input())


def _trends_link(wanted: TrendInput, *, view: str) -> str:
    """The trends (or their CSV) for the same searches and filters."""
    params = _params(wanted.search(""))
    params.pop("sort")
    texts = [text[:MAX_QUERY_LENGTH] for text in wanted.queries if text.strip()][:MAX_LINES]
    pairs = [("q", text) for text in texts]
    pairs += [(key, value) for key, value in params.items() if key != "q" and value]
    return f"{reverse(view)}?{urlencode(pairs)}" if pairs else reverse(view)


def _share(line: TrendLine, month: str) -> float | None:
    share = line.share(month)
    return None if share is None else round(share, SHARE_DECIMALS)


def _trends_table(result: Trends) -> tuple[list[str], list[list[object]]]:
    """The numbers under the chart, and in the CSV: a row per month, with the exchanges
    under each set of filters, then each search's hits and share."""
    headings = ["month"]
    for denominator in result.denominators:
        headings.append(f"exchanges ({denominator.label})" if denominator.label else "exchanges")
    for line in result.lines:
        headings += [f"{line.query}: hits", f"{line.query}: share %"]
    rows: list[list[object]] = []
    for month in result.months:
        row: list[object] = [month]
        row += [denominator.counts.get(month, 0) for denominator in result.denominators]
        for line in result.lines:
            hits = line.counts.get(month, 0)
            row += [hits, _share(line, month)]
        rows.append(row)
    return headings, rows


def _shown_table(
    headings: list[str], rows: list[list[object]]
) -> tuple[list[str], list[list[str | None]]]:
    """The table's numbers as the page prints them (formatted here: a template filter on
    each of a few hundred cells cost more than the rest of the page)."""

    def shown(cell: object) -> str | None:
        if isinstance(cell, float):
            return format_share(cell).removesuffix("%")
        return None if cell is None else str(cell)

    return headings, [[shown(cell) for cell in row] for row in rows]


def _trends_chart(result: Trends) -> object:
    series = []
    titles = []
    for line in result.lines:
        shares, texts = [], []
        for month in result.months:
            hits = line.counts.get(month, 0)
            exchanges = line.denominator.counts.get(month, 0)
            share = _share(line, month)
            shares.append(share)
            texts.append(
                f"{month_label(month)}, {line.query}: "
                + (
                    f"{format_share(share)} ({hits:,} of {exchanges:,} exchanges)"
                    if share is not None
                    else "no exchanges"
                )
            )
        series.append((line.query, shares))
        titles.append(texts)
    return lay_out_chart(result.months, series, titles=titles)


def _trends_record(request: HttpRequest, result: Trends) -> dict[str, object]:
    wanted = result.input
    return {
        "queries": [line.query for line in result.lines],
        "messages": result.messages,
        "share_of": "the exchanges of the month that the same filters and dates let through",
        "lines": [
            {
                "query": line.query,
                "understood_as": line.understood_as,
                "total": line.total,
                "counts_are_estimates": line.estimated,
                "timed_out": line.timed_out,
                "exchanges": line.denominator.label or "every exchange",
                "search": request.build_absolute_uri(_link(wanted.search(line.query), page=None)),
            }
            for line in result.lines
        ],
        "months": [
            {
                "month": month,
                "exchanges": {
                    (denominator.label or "every exchange"): denominator.counts.get(month, 0)
                    for denominator in result.denominators
                },
                "hits": [line.counts.get(month, 0) for line in result.lines],
                "shares": [_share(line, month) for line in result.lines],
            }
            for month in result.months
        ],
        "csv": request.build_absolute_uri(_trends_link(wanted, view="search:trends-csv")),
    }
