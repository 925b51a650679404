"""SEARCH_URL: the settings it makes, the messages it gives, and the requests the search
server path would send.

No Elasticsearch or Solr server runs here. The tests on the `server` fixture build the
exact request bodies and schemas with haystack's own Elasticsearch 7 and Solr backends,
without sending them; they need the client libraries of requirements-scale.txt (not a
server) and are skipped where those are not installed, as in `make test`. Whether a
real server answers those requests as expected is not tested: docs/scaling.md says what
is and is not.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import haystack
import pytest
from django.core.exceptions import ImproperlyConfigured

from briefings.models import Organization
from config.settings import require_search_client, search_from_url
from search.filters import resolve_filters
from search.searching import FACET_FIELDS, SearchInput
from search.servers.portable import QuerySetReader

ROOT = Path(__file__).resolve().parent.parent


def test_it_reads_an_elasticsearch_url():
    connection = search_from_url("elasticsearch7://search.internal:9200/briefings")

    assert connection["ENGINE"] == "search.servers.elasticsearch7.ArchiveElasticsearch7Engine"
    assert connection["URL"] == "http://search.internal:9200/"
    assert connection["INDEX_NAME"] == "briefings"
    assert connection["SILENTLY_FAIL"] is False


def test_it_reads_https_and_credentials():
    connection = search_from_url("elasticsearch7+https://archive:s3cret@es.example:9243/live")

    assert connection["URL"] == "https://archive:s3cret@es.example:9243/"
    assert connection["INDEX_NAME"] == "live"


def test_it_reads_a_solr_url():
    connection = search_from_url("solr://localhost:8983/solr/briefings")
    secure = search_from_url("solr+https://solr.example/solr/briefings/")

    assert connection["ENGINE"] == "search.servers.solr.ArchiveSolrEngine"
    assert connection["URL"] == "http://localhost:8983/solr/briefings"
    assert secure["URL"] == "https://solr.example/solr/briefings"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("elasticsearch://localhost:9200/x", "scheme 'elasticsearch' is not supported"),
        ("http://localhost:9200/x", "scheme 'http' is not supported"),
        ("elasticsearch7+ftp://localhost/x", "scheme 'elasticsearch7\\+ftp' is not supported"),
        ("whoosh:///var/index", "scheme 'whoosh' is not supported"),
        ("localhost:9200", "scheme 'localhost' is not supported"),
        ("elasticsearch7://localhost:9200/", "needs one lowercase index name"),
        ("elasticsearch7://localhost:9200/Briefings", "needs one lowercase index name"),
        ("elasticsearch7://localhost:9200/a/b", "needs one lowercase index name"),
        ("elasticsearch7://localhost:port/x", "has a bad port"),
        ("elasticsearch7:///briefings", "names no host"),
        ("solr://localhost:8983", "names no Solr core"),
        ("solr://localhost:8983/solr/core?wt=json", "no \\?options"),
    ],
)
def test_it_refuses_a_search_url_it_cannot_use(url, message):
    with pytest.raises(ImproperlyConfigured, match=f"SEARCH_URL.*{message}"):
        search_from_url(url)


def test_a_refusal_never_shows_the_password():
    with pytest.raises(ImproperlyConfigured) as refused:
        search_from_url("elasticsearch7://archive:s3cret@localhost:9200/")

    assert "s3cret" not in str(refused.value)


@pytest.mark.parametrize(
    ("url", "package"),
    [
        ("elasticsearch7://localhost:9200/briefings", "elasticsearch>=7,<8"),
        ("solr://localhost:8983/solr/briefings", "pysolr"),
    ],
)
def test_a_missing_client_library_is_named_at_start_up(url, package):
    # The client is taken away (whether or not it is installed here) before the real
    # settings module is imported in a fresh interpreter, as `manage.py` would.
    module = package.split(">")[0]
    code = f"import sys; sys.modules[{module!r}] = None; import config.settings"
    environment = {**os.environ, "SEARCH_URL": url, "DEBUG": "1"}
    finished = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert finished.returncode != 0
    last_line = finished.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: SEARCH_URL needs")
    assert repr(package) in last_line
    assert "pip install -r requirements-scale.txt" in last_line


def test_the_embedded_index_needs_no_client():
    require_search_client({"ENGINE": "search.whoosh.backend.ArchiveWhooshEngine", "PATH": "/x"})


# The requests a search server would get. Built by haystack's own backends, not sent.


@pytest.fixture
def server(request, settings, monkeypatch):
    """A haystack connection "server" for SEARCH_URL `request.param`; nothing listens."""
    url = request.param
    client = "elasticsearch" if url.startswith("elasticsearch") else "pysolr"
    pytest.importorskip(client, reason=f"needs {client} (pip install -r requirements-scale.txt)")
    connection = search_from_url(url)
    connections = {**settings.HAYSTACK_CONNECTIONS, "server": connection}
    settings.HAYSTACK_CONNECTIONS = connections
    monkeypatch.setattr(haystack.connections, "connections_info", connections)
    haystack.connections.reload("server")
    yield haystack.connections["server"]
    monkeypatch.undo()


def built(q: str, *, sort_by: tuple[str, ...] = ()) -> tuple:
    parsed = SearchInput(q=q).parse()
    reader = QuerySetReader("server")
    compiled = reader.compile(parsed, resolve_filters(parsed))
    found = reader.queryset(compiled, sort_by=sort_by, facets=FACET_FIELDS)
    query = found.query
    # What SearchQuery.run() hands the backend's search(), which builds its request so.
    kwargs = query.backend.build_search_kwargs(query.build_query(), **query.build_params())
    return query.build_query(), kwargs


ELASTICSEARCH = "elasticsearch7://localhost:9200/briefings"
SOLR = "solr://localhost:8983/solr/briefings"


@pytest.mark.django_db
@pytest.mark.parametrize("server", [ELASTICSEARCH], indirect=True)
def test_the_elasticsearch_request_filters_exactly_and_facets_on_keywords(server):
    Organization.objects.create(name="CNN", slug="cnn", kind=Organization.Kind.MEDIA)
    query_string, body = built(
        'vaccine "supply chain" -mask outlet:cnn from:2021', sort_by=("-held_on",)
    )

    assert query_string == '(("vaccine") AND ("supply chain"))'
    must = body["query"]["bool"]["must"]["query_string"]
    assert (must["default_field"], must["query"]) == ("text", query_string)
    filters = body["query"]["bool"]["filter"]["bool"]["must"]
    assert {"terms": {"django_ct": ["briefings.exchange"]}} in filters
    narrowed = [each["query_string"]["query"] for each in filters if "query_string" in each]
    assert narrowed == [
        '(NOT (text:("mask")) AND outlets:("cnn") AND held_on:(["2021-01-01T00:00:00" TO *]))'
    ]
    assert body["aggs"]["speakers"]["terms"] == {"field": "speakers", "size": 10}
    assert body["aggs"]["held_on"]["date_histogram"]["interval"] == "year"
    assert body["sort"] == [
        {"held_on": {"order": "desc"}},
        {"conference": {"order": "asc"}},
        {"position": {"order": "asc"}},
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("server", [ELASTICSEARCH], indirect=True)
def test_the_elasticsearch_mapping_keeps_slugs_exact(server):
    unified = server.get_unified_index()
    content_field, mapping = server.get_backend().build_schema(unified.all_searchfields())

    assert content_field == "text"
    assert mapping["text"] == {"type": "text", "analyzer": "snowball"}
    for name in ("speakers", "outlets", "organizations", "conference", "kind"):
        assert mapping[name] == {"type": "keyword"}
    assert mapping["held_on"] == {"type": "date"}
    assert mapping["django_id"] == {"type": "keyword"}


@pytest.mark.django_db
@pytest.mark.parametrize("server", [SOLR], indirect=True)
def test_the_solr_request_narrows_with_filter_queries(server):
    Organization.objects.create(name="CNN", slug="cnn", kind=Organization.Kind.MEDIA)
    query_string, params = built("vaccine -outlet:cnn", sort_by=("held_on",))

    assert (query_string, params["df"]) == ('("vaccine")', "text")
    # Filters go in as filter queries: cached by Solr, and not scored.
    assert set(params["fq"]) == {
        '(django_ct:("briefings.exchange") AND NOT (outlets:("cnn")))',
        "django_ct:(briefings.exchange)",
    }
    assert params["sort"] == "held_on asc, conference asc, position asc"
    assert list(params["facet.field"]) == ["speakers", "outlets", "organizations"]
    assert params["f.held_on.facet.range.gap"] == "+1YEAR/YEAR"


@pytest.mark.django_db
@pytest.mark.parametrize("server", [SOLR], indirect=True)
def test_the_solr_schema_keeps_slugs_exact(server):
    unified = server.get_unified_index()
    _content, fields = server.get_backend().build_schema(unified.all_searchfields())
    types = {field["field_name"]: field["type"] for field in fields}

    assert types["text"] == "text_en"
    assert {types[name] for name in ("speakers", "outlets", "conference", "kind")} == {"string"}
    assert types["held_on"] == "date"


@pytest.mark.django_db
@pytest.mark.parametrize("server", [ELASTICSEARCH], indirect=True)
def test_elasticsearch_ranks_content_free_exchanges_last_and_stems_every_text_field(server):
    _query, body = built("vaccine")
    unified = server.get_unified_index()
    _content, mapping = server.get_backend().build_schema(unified.all_searchfields())

    assert body["sort"] == [{"substance": {"order": "asc"}}, {"_score": {"order": "desc"}}]
    assert mapping["substance"] == {"type": "keyword"}
    assert mapping["title"]["analyzer"] == mapping["names"]["analyzer"] == "snowball"


@pytest.mark.django_db
@pytest.mark.parametrize("server", [SOLR], indirect=True)
def test_solr_ranks_content_free_exchanges_last_and_stems_every_text_field(server):
    _query, params = built("vaccine")
    unified = server.get_unified_index()
    _content, fields = server.get_backend().build_schema(unified.all_searchfields())
    types = {field["field_name"]: field["type"] for field in fields}

    assert params["sort"] == "substance asc, score desc"
    assert types["substance"] == "string"
    assert types["title"] == types["names"] == "text_en"
