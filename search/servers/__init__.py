"""The search-servers wing (SEARCH_URL, docs/scaling.md): the portable reader and store
through haystack's generic API, and the Elasticsearch 7 and Solr backends that keep the
exact fields exact.

It imports the pure modules of search/ (language, fields, results), highlight and
filters, never the seam (search/engines.py) or the Whoosh wing.
"""
