"""haystack's Solr engine, with the archive's exact fields kept exact.

haystack's schema makes every character field, slugs included, `text_en` (stemmed):
filters and facets on slugs need `string` fields (EXACT_FIELDS, search/fields.py), as
our Whoosh schema makes them KEYWORD and ID fields. `manage.py build_solr_schema` writes
the schema from this backend, so the core gets the `string` fields too. The text fields
(the spoken text, the title, the names) stay `text_en`: English stemming, as our Whoosh
index's Snowball.

Loaded only when SEARCH_URL names Solr (docs/scaling.md); it needs `pysolr`
(requirements-scale.txt).
"""

from __future__ import annotations

from haystack.backends.solr_backend import SolrEngine, SolrSearchBackend

from ..fields import EXACT_FIELDS, SUBSTANCE_FIELD


class ArchiveSolrBackend(SolrSearchBackend):
    # By relevance (search/servers/portable.py): exchanges with content ("content" sorts
    # before "empty"), then the score, as the Whoosh path ranks.
    RELEVANCE_ORDER = (SUBSTANCE_FIELD, "-score")

    def build_schema(self, fields: dict) -> tuple[str, list[dict]]:
        content_field_name, schema_fields = super().build_schema(fields)
        for field in schema_fields:
            if field["field_name"] in EXACT_FIELDS:
                field["type"] = "string"
        return content_field_name, schema_fields


class ArchiveSolrEngine(SolrEngine):
    backend = ArchiveSolrBackend
