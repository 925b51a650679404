"""haystack's Elasticsearch 7 engine, with the archive's exact fields kept exact.

haystack maps every character field, slugs included, to snowball-analysed text: a filter
on speakers:"jen-psaki" would match "jen" next to "psaki", and counting facets on text
fails in Elasticsearch 7 (no fielddata on text fields). The fields of EXACT_FIELDS
(search/fields.py) become `keyword` fields instead, as our Whoosh schema makes them
KEYWORD and ID fields. The text fields (the spoken text, the title, the names) keep
haystack's snowball analyser: English stemming, as our Whoosh index's Snowball.

Loaded only when SEARCH_URL names Elasticsearch (docs/scaling.md); it needs the
`elasticsearch>=7,<8` client of requirements-scale.txt.
"""

from __future__ import annotations

from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
)

from ..fields import EXACT_FIELDS, SUBSTANCE_FIELD


class ArchiveElasticsearch7Backend(Elasticsearch7SearchBackend):
    # By relevance (search/servers/portable.py): exchanges with content ("content" sorts
    # before "empty"), then the score, as the Whoosh path ranks.
    RELEVANCE_ORDER = (SUBSTANCE_FIELD, "-_score")

    def build_schema(self, fields: dict) -> tuple[str, dict]:
        content_field_name, mapping = super().build_schema(fields)
        for name in EXACT_FIELDS & mapping.keys():
            mapping[name] = {"type": "keyword"}
        return content_field_name, mapping


class ArchiveElasticsearch7Engine(Elasticsearch7SearchEngine):
    backend = ArchiveElasticsearch7Backend
