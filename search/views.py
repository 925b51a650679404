"""The search page, its exports (CSV, JSON) and its Atom feed. Function views; the work is
in search/searching.py. Every URL carries the whole search in its query string, in a fixed
order, so a results page, a facet link or an export can be bookmarked and shared."""

from __future__ import annotations

import csv
import datetime as dt
import html
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from briefings.export import csv_cell
from briefings.feeds import ArchiveAtomFeed
from briefings.pages import json_link, json_response, refuse_format, wants_json
from briefings.paging import as_json, page_link, page_number, pager

from .chart import format_share, lay_out_chart
from .forms import SearchForm
from .language import MAX_QUERY_LENGTH, describe
from .limits import export_slot
from .searching import (
    EXPORT_MAX_ROWS,
    FEED_ENTRIES,
    SORT_LABELS,
    Export,
    ExportRow,
    FacetValue,
    SearchInput,
    SearchPage,
    export_results,
    search_archive,
)
from .trends import MAX_LINES, TrendInput, Trends, count_trends, month_label

CSV_COLUMNS = [
    "url",
    "held_on",
    "conference",
    "position",
    "kind",
    "speakers",
    "outlets",
    "score",
    "excerpt",
]
FACET_TITLES = {"speakers": "Speaker", "outlets": "Outlet", "organizations": "Organization"}
FACET_FILTERS = {"speakers": "speaker", "outlets": "outlet", "organizations": "org"}


def search(request: HttpRequest) -> HttpResponse:
    if refused := refuse_format(request):
        return refused
    wanted = SearchForm(request.GET).search_input()
    # Read as every paged page reads it (briefings/paging.py), not as the form does.
    wanted.page = page_number(request.GET.get("page"))
    page = search_archive(wanted)
    if wants_json(request):
        return json_response(_page_record(request, page))
    return render(
        request,
        "search/search.html",
        {
            "form": SearchForm(request.GET),
            "result": page,
            "facets": _facet_groups(page),
            "years": [(value, _year_link(wanted, value)) for value in page.years],
            "sorts": [
                (label, _link(wanted, sort=key, page=None), key == page.sort)
                for key, label in SORT_LABELS.items()
            ],
            "pages": pager(page.page, page.pages, lambda number: _link(wanted, page=number)),
            "suggestion_link": _link(wanted, q=page.suggestion, page=None)
            if page.suggestion
            else "",
            "trends_link": _link(wanted, view="search:trends", page=None, sort=None),
            "exports": {
                "csv": _link(wanted, view="search:export-csv", page=None),
                "json": _link(wanted, view="search:export-json", page=None),
                "atom": _link(wanted, view="search:feed", page=None, sort=None),
            },
            "export_max_rows": EXPORT_MAX_ROWS,
            "within": _within(page),
            "json_link": json_link(request),
        },
    )


def _page_record(request: HttpRequest, page: SearchPage) -> dict[str, object]:
    """The page's JSON form: this page of results with what the page shows beside them.
    Snippets are HTML, escaped, with the matches in <mark>."""
    wanted = page.input

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
                "conference": hit.exchange.conference.title,
                "held_on": (held := hit.exchange.conference.held_on) and held.isoformat(),
                "position": hit.exchange.position,
                "kind": hit.exchange.kind,
                "speakers": [{"name": name, "title": title} for name, title in hit.speakers],
                "outlets": hit.outlets,
                "score": hit.score,
                "snippet_html": str(hit.snippet),
            }
            for hit in page.hits
        ],
        "facets": {
            name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for name, values in page.facets.items()
        },
        "years": [{"year": value.value, "count": value.count} for value in page.years],
        "suggestion": page.suggestion,
    }


def _exports_busy() -> HttpResponse:
    response = HttpResponse(
        "Other large exports are being prepared right now. Try again in a few seconds.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "5"
    return response


def export_csv(request: HttpRequest) -> HttpResponse:
    with export_slot() as free:
        if not free:
            return _exports_busy()
        export = export_results(SearchForm(request.GET).search_input())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="briefing-search.csv"'
    _count_headers(response, export)
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in export.rows:
        record = _record(request, row)
        writer.writerow(
            [
                record["url"],
                record["held_on"] or "",
                csv_cell(row.conference),
                row.position,
                row.kind,
                csv_cell("; ".join(row.speakers)),
                csv_cell("; ".join(row.outlets)),
                "" if row.score is None else f"{row.score:.4f}",
                csv_cell(row.excerpt),
            ]
        )
    return response


def export_json(request: HttpRequest) -> HttpResponse:
    wanted = SearchForm(request.GET).search_input()
    with export_slot() as free:
        if not free:
            return _exports_busy()
        export = export_results(wanted)
    response = JsonResponse(
        {
            "query": wanted.q,
            "understood_as": describe(export.parsed),
            "sort": wanted.sort,
            "total": export.total,
            "total_is_estimate": export.estimated,
            "timed_out": export.timed_out,
            "max_rows": EXPORT_MAX_ROWS,
            "returned": len(export.rows),
            "messages": export.parsed.messages,
            "results": [_record(request, row) for row in export.rows],
        },
        json_dumps_params={"ensure_ascii": False},
    )
    _count_headers(response, export)
    return response


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
    for row in export.rows:
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
        "speaker": wanted.speaker,
        "outlet": wanted.outlet,
        "org": wanted.organization,
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


def _facet_link(wanted: SearchInput, name: str, value: FacetValue) -> str:
    """The same search with this facet's value as one more filter."""
    param = FACET_FILTERS[name]
    current = _params(wanted)
    if not current[param]:
        return _link(wanted, page=None, **{param: value.value})
    # The control holds another value already: add this one to the query instead, in
    # front, so that cutting a long query never drops it.
    return _link(wanted, page=None, q=f"{param}:{value.value} {wanted.q}".strip())


def _year_link(wanted: SearchInput, value: FacetValue) -> str:
    return _link(wanted, page=None, **{"from": value.value, "to": value.value})


def _facet_groups(page: SearchPage) -> list[tuple[str, str, list[tuple[FacetValue, str]]]]:
    groups = []
    for name, title in FACET_TITLES.items():
        values = page.facets.get(name, [])
        if values:
            links = [(value, _facet_link(page.input, name, value)) for value in values]
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


# Exports.


def _record(request: HttpRequest, row: ExportRow) -> dict[str, object]:
    return {
        "url": request.build_absolute_uri(row.url),
        "held_on": row.held_on.isoformat() if row.held_on else None,
        "conference": row.conference,
        "conference_slug": row.conference_slug,
        "position": row.position,
        "kind": row.kind,
        "speakers": row.speakers,
        "outlets": row.outlets,
        "score": row.score,
        "excerpt": row.excerpt,
    }


def _count_headers(response: HttpResponse, export: Export) -> None:
    response["X-Total-Count"] = str(export.total)
    response["X-Total-Is-Estimate"] = "true" if export.estimated else "false"


# Trends: up to three searches by month, as a share of the month's exchanges.

SHARE_DECIMALS = 3  # percent, in the table, the CSV, the JSON and the chart's points


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


def _share(hits: int, exchanges: int) -> float | None:
    return round(100 * hits / exchanges, SHARE_DECIMALS) if exchanges else None


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
            row += [hits, _share(hits, line.denominator.counts.get(month, 0))]
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
            share = _share(hits, exchanges)
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
                "shares": [
                    _share(line.counts.get(month, 0), line.denominator.counts.get(month, 0))
                    for line in result.lines
                ],
            }
            for month in result.months
        ],
        "csv": request.build_absolute_uri(_trends_link(wanted, view="search:trends-csv")),
    }
