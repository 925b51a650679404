"""haystack's search API on our read path: `search` and `more_like_this` run through
`ReadPath.find` and `ReadPath.similar` (search/whoosh/reading.py), so a SearchQuerySet
gets the shared searcher, the time budget and the exact facets too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.encoding import force_str
from haystack import connections
from haystack.backends import log_query
from haystack.constants import DJANGO_CT, DJANGO_ID
from haystack.models import SearchResult
from haystack.utils import get_identifier, get_model_ct
from haystack.utils.app_loading import haystack_get_model
from whoosh import query as wq

from ..fields import DATE_FIELD, YEAR
from ..highlight import Highlight
from ..results import Hit
from .compiling import Unscored, spoken_words

UNBOUNDED_END = 1000  # haystack asks for "everything" with no end offset; rank this many


class HaystackSearch:
    """haystack's `search` and `more_like_this`, for a backend with `ReadPath` and
    haystack's Whoosh backend behind it in its bases."""

    @log_query
    def search(
        self,
        query_string: str,
        sort_by: Sequence[str] | None = None,
        start_offset: int = 0,
        end_offset: int | None = None,
        fields: str = "",
        highlight: bool = False,
        facets: dict | None = None,
        date_facets: dict | None = None,
        query_facets: list | None = None,
        narrow_queries: set | None = None,
        spelling_query: str | None = None,
        within: object = None,
        dwithin: object = None,
        distance_point: object = None,
        models: Sequence[type] | None = None,
        limit_to_registered_models: bool | None = None,
        result_class: type | None = None,
        **kwargs: object,
    ) -> dict:
        """haystack's search, on our read path. Besides haystack's keys the answer has
        `hits_estimated` and `timed_out`."""
        yearly = _yearly(date_facets)
        if (date_facets and not yearly) or query_facets:
            # Rare, and not on our pages: haystack's own path (a fresh searcher, exact
            # counts) is fine for them.
            return super().search(
                query_string,
                sort_by=sort_by,
                start_offset=start_offset,
                end_offset=end_offset,
                fields=fields,
                highlight=highlight,
                facets=facets,
                date_facets=date_facets,
                query_facets=query_facets,
                narrow_queries=narrow_queries,
                spelling_query=spelling_query,
                models=models,
                limit_to_registered_models=limit_to_registered_models,
                result_class=result_class,
                **kwargs,
            )
        if not self.setup_complete:
            self.setup()
        query_string = force_str(query_string)
        # As haystack: an empty or one-character query finds nothing.
        if not query_string or (len(query_string) <= 1 and query_string != "*"):
            return {"results": [], "hits": 0}
        parsed = self.parser.parse(query_string)
        if parsed is None or parsed is wq.NullQuery:
            return {"results": [], "hits": 0}
        # A word of the document field is looked for as the search page looks for it:
        # in the spoken text, who spoke and the title (search/whoosh/compiling.py).
        parsed = spoken_words(parsed)
        narrowing = [spoken_words(self.parser.parse(force_str(nq))) for nq in narrow_queries or ()]
        if models and not self._every_indexed_model(models):
            cts = sorted(get_model_ct(model) for model in models)
            narrowing.append(wq.Or([wq.Term(DJANGO_CT, ct) for ct in cts]))
        # The haystack query is the highlight source; filters are never marked.
        marks = _highlight_of(parsed, self.content_field_name) if highlight else None
        query = wq.And([parsed, Unscored(wq.And(narrowing))]) if narrowing else parsed
        if end_offset is None:
            end_offset = start_offset + UNBOUNDED_END
        found = self.find(
            query,
            start=start_offset,
            end=max(end_offset, start_offset + 1),
            sort_by=list(sort_by or ()),
            highlight=marks,
            facets=[*(facets or ()), *([YEAR] if yearly else [])],
        )
        results = [self._search_result(hit, result_class, highlight) for hit in found.hits]
        suggestion = None
        if self.include_spelling and found.total == 0:
            words = (spelling_query or query_string).split()
            corrected = self.suggest_spelling(words)
            suggestion = " ".join(corrected.get(word, word) for word in words)
        answer = {
            "results": results,
            "hits": found.total,
            "hits_estimated": found.estimated,
            "timed_out": found.timed_out,
            "spelling_suggestion": suggestion,
        }
        if facets or yearly:
            fields = {name: counts for name, counts in found.facets.items() if name != YEAR}
            dates = {}
            if yearly:
                # As haystack's other engines answer a date facet: each bucket's start.
                low, high = yearly
                dates[DATE_FIELD] = [
                    (start, count)
                    for year, count in found.facets[YEAR]
                    if low <= (start := dt.datetime(int(year), 1, 1)) < high
                ]
            answer["facets"] = {"fields": fields, "dates": dates, "queries": {}}
        return answer

    def _every_indexed_model(self, models: Sequence[type]) -> bool:
        # .models(Exchange) on an index of exchanges narrows nothing, yet its term matches
        # every document and makes each search step through all of them (10 ms at 57,000).
        indexed = connections[self.connection_alias].get_unified_index().get_indexed_models()
        return {get_model_ct(model) for model in indexed} <= {get_model_ct(m) for m in models}

    def more_like_this(
        self,
        model_instance: object,
        additional_query_string: str | None = None,
        start_offset: int = 0,
        end_offset: int | None = None,
        models: Sequence[type] | None = None,
        limit_to_registered_models: bool | None = None,
        result_class: type | None = None,
        **kwargs: object,
    ) -> dict:
        if not self.setup_complete:
            self.setup()
        narrowing = None
        if additional_query_string and additional_query_string != "*":
            narrowing = self.parser.parse(force_str(additional_query_string))
        if end_offset is None:
            end_offset = start_offset + UNBOUNDED_END
        found = self.similar(
            get_identifier(model_instance),
            start=start_offset,
            end=max(end_offset, start_offset + 1),
            narrowing=narrowing,
        )
        results = [self._search_result(hit, result_class, False) for hit in found.hits]
        return {"results": results, "hits": found.total}

    def _search_result(
        self, hit: Hit, result_class: type | None, highlighted: bool
    ) -> SearchResult:
        # As haystack's _process_results: stored values back to Python by the index's fields.
        stored = dict(hit.fields)
        app_label, model_name = stored.pop(DJANGO_CT).split(".")
        pk = stored.pop(DJANGO_ID)
        model = haystack_get_model(app_label, model_name)
        index_fields = (
            connections[self.connection_alias].get_unified_index().get_index(model).fields
        )
        values: dict[str, object] = {}
        for key, value in stored.items():
            index_field = index_fields.get(key)
            if index_field is not None and hasattr(index_field, "convert"):
                if index_field.is_multivalued:
                    values[key] = value.split(",") if value else []
                else:
                    values[key] = index_field.convert(value)
            else:
                values[key] = self._to_python(value)
        if highlighted:
            values["highlighted"] = {self.content_field_name: [hit.snippet]}
        return (result_class or SearchResult)(app_label, model_name, pk, hit.score or 0, **values)


def _yearly(date_facets: dict | None) -> tuple[dt.datetime, dt.datetime] | None:
    """The span of a SearchQuerySet.date_facet by year on the date field, the one date
    facet the read path counts itself (from the column, as the page's years)."""
    if not date_facets or set(date_facets) != {DATE_FIELD}:
        return None
    options = date_facets[DATE_FIELD]
    if options.get("gap_by") != "year" or options.get("gap_amount", 1) != 1:
        return None

    def moment(value: dt.date) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        return dt.datetime.combine(value, dt.time.min)

    return moment(options["start_date"]), moment(options["end_date"])


def _highlight_of(query: wq.Query, fieldname: str) -> Highlight:
    """The words and phrases a (haystack-built) query looks for in `fieldname`, leaving
    out exclusions and filters."""
    terms: set[str] = set()
    phrases: list[tuple[str, ...]] = []

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not | Unscored):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
        elif isinstance(node, wq.Phrase):
            if node.fieldname == fieldname:
                phrases.append(tuple(force_str(word) for word in node.words))
        elif isinstance(node, wq.Term):
            if node.fieldname == fieldname:
                terms.add(force_str(node.text))
        else:
            for child in node.children():
                walk(child)

    walk(query)
    return Highlight(frozenset(terms), tuple(phrases))
