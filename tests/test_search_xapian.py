"""SEARCH_URL=xapian: the archive's search through real Xapian servers.

The fixtures start `xapian-tcpsrv` on loopback ports (a writable one for the index writer,
read-only ones for the searches), index real White House briefings through them, and
compare what comes back with our Whoosh read path on the same archive: the query
language, exact filters and facets, snippets, the single writer, a rebuild swapped in
whole, shards combined by a stub file, and a replica made by xapian-replicate.

Skipped, saying why, where Debian's python3-xapian or xapian-tools is not installed
(.ci/run installs both; docs/scaling.md: Xapian).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import haystack
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from briefings.ingest.run import ingest_paths
from briefings.models import Exchange, Person
from config.settings import search_from_url, xapian_from_url
from search import engines, indexing
from search.fields import MONTH
from search.filters import resolve_filters
from search.searching import FACET_FIELDS, SearchInput

MISSING = (
    "Xapian's Python bindings are not importable: apt-get install python3-xapian "
    "and link them into the venv (docs/scaling.md: Xapian)"
)
if os.environ.get("REQUIRE_XAPIAN") == "1":  # CI (.ci/run): fail, do not skip
    import xapian
else:
    xapian = pytest.importorskip("xapian", reason=MISSING)
from search.servers.xapian import (  # noqa: E402 - needs the bindings
    XapianReader,
    XapianStore,
    open_writing,
    write_documents,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        shutil.which("xapian-tcpsrv") is None and os.environ.get("REQUIRE_XAPIAN") != "1",
        reason="xapian-tcpsrv is not installed: apt-get install xapian-tools",
    ),
]

# Eight briefings of March 2021 (about 400 exchanges): several speakers, outlets, dates.
MONTH_FOLDER = "wh-briefings/press-briefings/2021-03"


# Servers.


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_listening(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} stopped: {process.stdout.read()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


@pytest.fixture
def serve() -> Iterator[Callable[..., int]]:
    """Starts a server on a free loopback port; every one is stopped after the test."""
    started: list[subprocess.Popen] = []

    def start(program: str, *arguments: str, env: dict | None = None) -> int:
        port = free_port()
        process = subprocess.Popen(
            [program, "--port", str(port), *arguments],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, **(env or {})},
            start_new_session=True,  # its children (one per connection) go with it
        )
        started.append(process)
        wait_listening(port, process)
        return port

    yield start
    for process in started:  # each one stopped, even if another will not stop
        for stop in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, stop)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(10)
                break
        process.stdout.close()


def tcpsrv(
    serve: Callable[..., int], database: Path, *, writable: bool = False, env: dict | None = None
) -> int:
    """A xapian-tcpsrv on `database` (made empty if there is none), with `env` in its
    environment."""
    if not database.exists():
        xapian.WritableDatabase(str(database), xapian.DB_CREATE).close()
    options = ["--writable"] if writable else []
    return serve("xapian-tcpsrv", "--interface", "127.0.0.1", *options, str(database), env=env)


def remote(port: int) -> str:
    return f"xapian+tcp://127.0.0.1:{port}"


# The archive: real briefings, on Whoosh (the default) and on Xapian behind tcpsrv.


@pytest.fixture
def archive(corpus: Path, search_index: Path) -> None:
    files = sorted((corpus / MONTH_FOLDER).glob("*.md"))[:8]
    report = ingest_paths([str(path) for path in files])
    assert not [outcome for outcome in report.outcomes if outcome.status == "failed"]
    indexing.drain()


def rebuild_into(options: dict) -> int:
    documents = Exchange.objects.for_search().order_by("pk")
    count, _ = XapianStore(options).rebuild(
        indexing.exchange_index(), documents, total=documents.count(), clear=True
    )
    return count


@pytest.fixture
def served(archive: None, tmp_path: Path, serve: Callable[..., int]) -> dict:
    """The archive in a Xapian database: written through a writable xapian-tcpsrv, read
    through a read-only one on the same database."""
    database = tmp_path / "xapian"
    writer = tcpsrv(serve, database, writable=True)
    reader = tcpsrv(serve, database)
    options = xapian_from_url(remote(reader), remote(writer))
    assert rebuild_into(options) == Exchange.objects.count()
    return options


@contextlib.contextmanager
def default_search(connection: dict) -> Iterator[None]:
    """The site's own search connection on `connection`, as SEARCH_URL would make it
    (haystack reads ENGINE from the settings it was imported with, options from now)."""
    with (
        override_settings(HAYSTACK_CONNECTIONS={"default": connection}),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(haystack.connections, "connections_info", {"default": connection})
        haystack.connections.reload("default")
        try:
            yield
        finally:
            patch.undo()
            haystack.connections.reload("default")


def busiest(field: str) -> str:
    if field == "speaker":
        person = max(Person.objects.all(), key=lambda person: person.turns.count())
        return person.slug
    raise ValueError(field)


def everything(reader: object, q: str, *, sort: tuple[str, ...] = ()) -> object:
    parsed = SearchInput(q=q).parse()
    compiled = reader.compile(parsed, resolve_filters(parsed))
    first = reader.find(compiled, start=0, end=1, facets=FACET_FIELDS)
    found = reader.find(compiled, start=0, end=max(first.total, 1), sort_by=sort)
    return parsed, first, found


# The query language, filters and facets, against the Whoosh path.


def queries() -> list[str]:
    psaki = busiest("speaker")
    return [
        "vaccine",
        '"white house"',
        "vaccine OR vaccines OR masks",
        "vaccine -pfizer",
        '-"press secretary" china',
        "covid-19",
        f"speaker:{psaki} economy",
        f"-speaker:{psaki} president",
        "from:2021-03-03 to:2021-03-05 vaccine",
        f"speaker:{psaki}",
        "the vaccine",
    ]


def test_it_finds_what_the_whoosh_path_finds_through_tcpsrv(served: dict):
    whoosh, through_server = engines.reader(), XapianReader(served)

    for q in queries():
        parsed, first, found = everything(through_server, q)
        expected_parsed, expected_first, expected = everything(whoosh, q)

        assert found.total == expected.total > 0, q
        ids = {hit.fields["django_id"] for hit in found.hits}
        assert ids == {hit.fields["django_id"] for hit in expected.hits}, q
        assert first.facets == {
            name: values for name, values in expected_first.facets.items() if name in FACET_FIELDS
        }, q
        assert parsed.messages == expected_parsed.messages, q
        assert not found.estimated


def test_it_sorts_by_date_a_briefing_together_and_in_order(served: dict):
    _, _, found = everything(XapianReader(served), "vaccine", sort=("-held_on",))
    _, _, oldest = everything(XapianReader(served), "vaccine", sort=("held_on",))

    exchanges = Exchange.objects.in_bulk([int(hit.fields["django_id"]) for hit in found.hits])
    order = [exchanges[int(hit.fields["django_id"])] for hit in found.hits]
    keys = [(-e.conference.held_on.toordinal(), e.conference.slug, e.position) for e in order]
    assert keys == sorted(keys)
    assert [hit.score for hit in found.hits] == [None] * len(found.hits)
    assert {hit.fields["django_id"] for hit in oldest.hits} == {
        hit.fields["django_id"] for hit in found.hits
    }
    assert oldest.hits[0].fields["held_on"] < found.hits[0].fields["held_on"]


def test_it_ranks_content_free_exchanges_last(served: dict):
    _, _, found = everything(XapianReader(served), "thank")

    substance = [hit.fields["substance"] for hit in found.hits]
    assert {"content", "empty"} <= set(substance)  # both kinds, so the order is tested
    assert substance == sorted(substance)  # "content" before "empty"
    scores = [hit.score for hit in found.hits if hit.fields["substance"] == "content"]
    assert scores == sorted(scores, reverse=True)


def test_it_counts_months_and_pages_past_the_end(served: dict):
    reader = XapianReader(served)
    parsed = SearchInput(q="vaccine").parse()
    compiled = reader.compile(parsed, resolve_filters(parsed))

    months = reader.count_by_month(compiled, time_limit=1.0)
    last = reader.find(compiled, start=10_000, end=10_020, last_page=True)

    assert dict(months.facets[MONTH]) == {"2021-03": months.total}
    assert last.start == (months.total - 1) // 20 * 20
    assert len(last.hits) == months.total - last.start


def test_it_marks_the_searched_words_in_escaped_snippets(served: dict):
    reader = XapianReader(served)
    parsed = SearchInput(q='"white house" vaccine').parse()
    compiled = reader.compile(parsed, resolve_filters(parsed))

    found = reader.find(compiled, start=0, end=10, highlight=True)

    assert found.hits
    for hit in found.hits:
        assert "<mark>" in hit.snippet
        assert "<script" not in hit.snippet
    assert any("<mark>White</mark> <mark>House</mark>" in hit.snippet for hit in found.hits)


def test_the_search_pages_exports_and_trends_work_through_the_server(served: dict, client):
    psaki = busiest("speaker")
    with default_search(served):
        page = client.get("/search/", {"q": "vaccine", "speaker": psaki})
        newest = client.get("/search/", {"q": "vaccine", "sort": "newest", "page": 2})
        exported = client.get("/search/export.csv", {"q": '"white house"'})
        trends = client.get("/search/trends.csv", {"q": "vaccine"})
        health = client.get("/healthz")
        exchange = Exchange.objects.order_by("pk").last()
        similar = client.get(exchange.get_absolute_url())

    assert page.status_code == 200
    assert b"<mark>" in page.content
    assert newest.status_code == 200
    assert b"<mark>" in newest.content
    rows = b"".join(exported.streaming_content).decode().splitlines()
    assert exported.status_code == 200
    assert len(rows) > 10
    assert trends.status_code == 200
    assert "2021-03" in trends.content.decode()
    assert health.status_code == 200
    assert health.json()["index"] == "ok"
    assert similar.status_code == 200


def test_a_server_that_is_down_is_a_503_not_a_crash(archive: None, client):
    with default_search(xapian_from_url(remote(free_port()))):
        page = client.get("/search/", {"q": "vaccine"})
        health = client.get("/healthz")

    assert page.status_code == 503
    assert health.status_code == 503


# The writer.


def test_the_queue_reaches_the_server_and_a_second_writer_is_refused(served: dict):
    reader = XapianReader(served)
    gone = Exchange.objects.order_by("pk").first()
    holding = open_writing(served)  # the writer's turn, as a running rebuild holds it
    try:
        with pytest.raises(xapian.DatabaseLockError):
            XapianStore(served).apply_changes(
                indexing.exchange_index(), updates=[], deletes=[gone.pk]
            )
    finally:
        holding.close()

    XapianStore(served).apply_changes(indexing.exchange_index(), updates=[], deletes=[gone.pk])

    assert gone.pk not in XapianStore(served).indexed_ids(indexing.exchange_index())
    assert reader.database().get_doccount() == Exchange.objects.count() - 1


def test_the_site_writer_drains_into_the_server(served: dict, corpus: Path):
    more = sorted((corpus / "wh-briefings/press-briefings/2021-04").glob("*.md"))[:1]
    with default_search(served):
        ingest_paths([str(path) for path in more])
        indexing.drain()
        report = indexing.rebuild()

    ids = XapianStore(served).indexed_ids(indexing.exchange_index())
    assert ids == set(Exchange.objects.values_list("pk", flat=True))
    assert report.documents == len(ids)


def test_a_rebuild_is_swapped_in_whole(archive: None, tmp_path: Path, serve: Callable[..., int]):
    """`reindex --clear` on a local database (the master's, served by tcpsrv): a new
    generation folder, swapped in by one rename of the symlink when complete. Searches
    while it runs find every exchange of the old one; after, the new one."""
    live = tmp_path / "briefings"
    options = xapian_from_url(remote(free_port()), f"xapian://{live}")
    rebuild_into(options)  # the first build makes the symlink and its generation
    first = live.resolve()
    port = tcpsrv(serve, live)
    total = Exchange.objects.count()
    seen_during: list[int] = []

    def searched() -> int:  # a new connection, as every request opens
        return XapianReader(xapian_from_url(remote(port))).database().get_doccount()

    def documents() -> Iterator[Exchange]:
        for place, exchange in enumerate(Exchange.objects.for_search().order_by("pk")[5:]):
            if place in (0, total // 2):
                seen_during.append(searched())
            yield exchange

    count, into = XapianStore(options).rebuild(
        indexing.exchange_index(), documents(), total=total - 5, clear=True
    )

    assert seen_during == [total, total]
    assert count == searched() == total - 5
    assert live.resolve() == Path(into) != first
    rebuild_into(options)
    assert searched() == total
    assert not first.exists()  # two generations back: removed


def test_a_rebuild_through_the_server_keeps_finding_everything(served: dict):
    """In place through tcpsrv (plain `reindex`): every exchange written again, a commit
    per batch, the ones gone removed at the end; searches find all of them throughout."""
    reader = XapianReader(served)
    total = Exchange.objects.count()
    seen_during: list[int] = []

    def documents() -> Iterator[Exchange]:
        for place, exchange in enumerate(Exchange.objects.for_search().order_by("pk")[5:]):
            if place in (0, total // 2):
                seen_during.append(reader.database().get_doccount())
            yield exchange

    count, into = XapianStore(served).rebuild(
        indexing.exchange_index(), documents(), total=total - 5, clear=False
    )

    assert seen_during == [total, total]
    assert count == reader.database().get_doccount() == total - 5
    assert into.startswith("xapian-tcpsrv 127.0.0.1:")


def test_a_stub_file_swaps_a_new_database_in_for_new_connections(
    archive: None, tmp_path: Path, serve: Callable[..., int]
):
    """A rebuild beside the live one, swapped in by renaming the stub file the read-only
    server serves: every new connection opens what the stub names then."""
    old, new, stub = tmp_path / "gen1", tmp_path / "gen2", tmp_path / "live.stub"
    rebuild_into({"DATABASE": str(old)})
    (tmp_path / "next.stub").write_text(f"auto {new}\n")
    stub.write_text(f"auto {old}\n")
    port = tcpsrv(serve, stub)
    writer = xapian.WritableDatabase(str(new), xapian.DB_CREATE)
    write_documents(
        writer, indexing.exchange_index(), Exchange.objects.for_search().order_by("pk")[:5]
    )
    writer.close()

    before = XapianReader(xapian_from_url(remote(port))).database().get_doccount()
    os.replace(tmp_path / "next.stub", stub)
    after = XapianReader(xapian_from_url(remote(port))).database().get_doccount()

    assert (before, after) == (Exchange.objects.count(), 5)


# Shards and replicas.


def test_a_stub_file_combines_remote_shards_into_one_search(
    served: dict, tmp_path: Path, serve: Callable[..., int]
):
    index = indexing.exchange_index()
    halves = [tmp_path / "even", tmp_path / "odd"]
    for half, database in enumerate(halves):
        writer = xapian.WritableDatabase(str(database), xapian.DB_CREATE)
        exchanges = [e for e in Exchange.objects.for_search().order_by("pk") if e.pk % 2 == half]
        write_documents(writer, index, exchanges)
        writer.close()
    ports = [tcpsrv(serve, database) for database in halves]
    stub = tmp_path / "shards.stub"
    stub.write_text("".join(f"remote 127.0.0.1:{port}\n" for port in ports))

    shards = XapianReader(search_from_url(f"xapian://{stub}"))
    for q in ("vaccine", f"speaker:{busiest('speaker')} economy", '"white house"'):
        _, first, found = everything(shards, q)
        _, expected_first, expected = everything(XapianReader(served), q)
        assert found.total == expected.total > 0
        assert first.facets == expected_first.facets


def test_a_replica_made_by_xapian_replicate_answers_as_the_master(
    archive: None, tmp_path: Path, serve: Callable[..., int]
):
    master, replica = tmp_path / "master" / "briefings", tmp_path / "replica"
    master.parent.mkdir()
    # The writer keeps changesets, for replicas to catch up from after their first copy.
    writer = tcpsrv(serve, master, writable=True, env={"XAPIAN_MAX_CHANGESETS": "10"})
    options = xapian_from_url(remote(writer))
    rebuild_into(options)
    port = serve("xapian-replicate-server", "--interface", "127.0.0.1", str(master.parent))
    replicate = ["xapian-replicate", "--host=127.0.0.1", f"--port={port}", "--one-shot"]

    def copy() -> None:
        done = subprocess.run(
            [*replicate, "--reader-time=0", "--master=briefings", str(replica)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr

    copy()
    reader = XapianReader(xapian_from_url(remote(tcpsrv(serve, replica))))
    _, first, found = everything(reader, "vaccine")
    _, expected_first, expected = everything(engines.reader(), "vaccine")
    assert found.total == expected.total > 0
    assert first.facets == expected_first.facets

    gone = int(found.hits[0].fields["django_id"])
    XapianStore(options).apply_changes(indexing.exchange_index(), updates=[], deletes=[gone])
    copy()

    _, _, after = everything(reader, "vaccine")
    assert after.total == found.total - 1
    assert gone not in {int(hit.fields["django_id"]) for hit in after.hits}


# SEARCH_URL.


def test_it_reads_xapian_urls():
    local = search_from_url("xapian:///srv/xapian/briefings")
    served_url = xapian_from_url("xapian+tcp://10.0.0.5:33334", "xapian+tcp://10.0.0.4:33333")

    assert local["ENGINE"] == "search.servers.xapian.ArchiveXapianEngine"
    assert local["DATABASE"] == "/srv/xapian/briefings"
    assert served_url["REMOTE"] == ("10.0.0.5", 33334)
    assert served_url["WRITER"] == {"REMOTE": ("10.0.0.4", 33333)}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("xapian://srv/xapian", "needs an absolute path and no host"),
        ("xapian:///", "needs an absolute path"),
        ("xapian:///srv/db?flush=1", "no ?options"),
        ("xapian+tcp://localhost", "needs a host and a port"),
        ("xapian+tcp://localhost:port", "bad port"),
        ("xapian+tcp://localhost:33333/db", "only xapian+tcp://host:port"),
        ("xapian+http://localhost:33333", "not Xapian's"),
    ],
)
def test_it_refuses_bad_xapian_urls(url: str, message: str):
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        search_from_url(url)
