"""The search document's fields by name: what the index definition (search_indexes.py),
both engine wings and the pages agree on. Pure: no Django, no engine.
"""

from __future__ import annotations

TEXT_FIELD = "text"  # the document: every word said, what is searched and scored
TITLE_FIELD = "title"  # the briefing's title: adds a little to a match, never matches alone
NAMES_FIELD = "names"  # who spoke: names, printed labels, titles and outlets; matches, lightly
# Whether an exchange says anything (SUBSTANCE_FIELD, search/substance.py): a content-free
# one ("Sure.", "On Ukraine --", the chair's lines) ranks below every exchange with content.
SUBSTANCE_FIELD = "substance"
CONTENT, CONTENT_FREE = "content", "empty"  # its two values; "content" sorts first
# How many words officials say in the exchange (answers and statements): an exchange whose
# answer is a few words ranks below one that answers at length (search/substance.py).
ANSWER_WORDS_FIELD = "answer_words"
# Query-time weights beside the spoken text's 1.0: a name or title word counts for less.
NAMES_WEIGHT = 0.3
TITLE_WEIGHT = 0.2
DATE_FIELD = "held_on"
YEAR = "year"  # a facet computed from the date, not an index field
MONTH = "month"  # the same, by month: "2021-03"

# A filter's kind (search/language.py) -> the index field holding its exact values.
INDEX_FIELDS = {"speaker": "speakers", "outlet": "outlets", "organization": "organizations"}

# Fields holding exact values (slugs, kinds), filtered on and counted as they are: every
# engine must index them unanalysed. The multi-valued ones (speakers, outlets,
# organizations, roles) are already Whoosh KEYWORD fields in haystack's schema, so our
# Whoosh backend has only the character fields among them (conference, kind, substance)
# to make IDs; the search servers' backends map every one of them to an exact type.
EXACT_FIELDS = frozenset(
    {"conference", "kind", "speakers", "outlets", "organizations", "roles", SUBSTANCE_FIELD}
)
