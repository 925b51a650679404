"""Whether the live search index can be read, for the health endpoint (/healthz).

The embedded Whoosh index is checked read-only on purpose: haystack's backend `setup()`
creates an empty index where none is, which would make a lost index look healthy. Here
the live folder is read as it is: one term is looked up through the index this process
already has open for its searches (opened if need be), the cheapest query that goes
through the term dictionary; the schema on disk is compared with the one this code
searches with, since an index built by an older version (other fields, another stemmer) would
answer wrongly: the search page refuses to read it (search/whoosh/open_index.py).
A search server (SEARCH_URL) is asked one search through haystack.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from haystack import connections
from haystack.constants import ID
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, open_dir
from whoosh.query import Term

from .whoosh.open_index import READING, OutdatedIndex, open_live, schema_problem

logger = logging.getLogger(__name__)


OUTDATED = "index schema out of date: rebuild it (manage.py reindex)"


def index_outdated() -> bool:
    """Whether the embedded index was built for another schema than this code's (a new
    version's fields or stemmer): `manage.py reindex --if-outdated` rebuilds it then."""
    connection = settings.HAYSTACK_CONNECTIONS["default"]
    if "PATH" not in connection or not Path(connection["PATH"]).is_dir():
        return False
    try:
        index = open_dir(connection["PATH"])
    except EmptyIndexError:
        return False
    try:
        return schema_problem(index.schema, expected_schema()) is not None
    finally:
        index.close()


def index_problem() -> str | None:
    """None when the index opens and answers a search; else what is wrong, in words that
    name no path (the endpoint is public; the log has the details).

    Cheap enough for a load balancer every second: the search goes through this process's
    open index (search/whoosh/open_index.py, refreshed to the latest commit, opened when
    the live folder changed), not a fresh open of every segment (53 ms at 50,000
    exchanges, 0.1 ms so). The schema is read from the index's table of contents on disk
    each time, so an index replaced in place by an older one is still reported."""
    connection = settings.HAYSTACK_CONNECTIONS["default"]
    if "PATH" not in connection:
        return server_problem()
    folder = Path(connection["PATH"])
    if not folder.is_dir():
        logger.error("health: the search index folder %s is missing", folder)
        return "index folder missing"
    try:
        schema = expected_schema()
        stored = FileStorage(str(folder.resolve()), supports_mmap=False).open_index().schema
        outdated = schema_problem(stored, schema)
        if outdated:
            logger.error("health: %s (in %s)", outdated, folder)
            return OUTDATED
        with READING:
            opened = open_live(connection["PATH"], schema)
            if opened is None:
                raise EmptyIndexError
            opened.searcher.search(Term(ID, "healthz"), limit=1)
    except EmptyIndexError:
        logger.error("health: no search index in %s", folder)
        return "no index in the index folder"
    except OutdatedIndex:  # replaced between the two reads
        return OUTDATED
    except Exception as error:  # any failure to read is the answer, not a crash
        logger.exception("health: the search index in %s cannot be read", folder)
        return f"index unreadable ({type(error).__name__})"
    return None


def expected_schema() -> Schema:
    """The schema this code searches with, built from the index definitions without
    opening or creating any index (haystack's backend `setup()` would create one)."""
    backend = connections["default"].get_backend()
    fields = connections["default"].get_unified_index().all_searchfields()
    return backend.build_schema(fields)[1]


def server_problem() -> str | None:
    """A search server (SEARCH_URL): one search of one document through haystack."""
    try:
        connections["default"].get_backend().search("healthz", end_offset=1)
    except Exception as error:  # a server down or refusing is the answer, not a crash
        logger.exception("health: the search server did not answer")
        return f"search server unreadable ({type(error).__name__})"
    return None
