"""The Whoosh wing: the embedded search engine, our haystack backend mended.

backend (schema and writes) · reading (the read path) · haystack_api (haystack's search
API on it) · bulk (evaluation a posting list at a time) · compiling (the query language
to Whoosh queries) · budget (a search's time limit) · open_index (the shared searcher)
· engine (the seam's Whoosh reader and store, generation folders).

It imports the pure modules of search/ (language, fields, results), highlight and
filters, never the seam (search/engines.py) or the servers wing. Named like the library
it wraps: imports are absolute, so `whoosh` inside it is always the library.
"""
