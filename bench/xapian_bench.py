"""The search page on Xapian beside the embedded Whoosh index, on an archive already built
(a DATA_DIR with db.sqlite3 and its whoosh_index, e.g. a copy of bench/relevance.py's).

    .venv/bin/python bench/xapian_bench.py --data /tmp/xapian-1x --engine whoosh
    .venv/bin/python bench/xapian_bench.py --data /tmp/xapian-1x --engine xapian --build
    .venv/bin/python bench/xapian_bench.py --data /tmp/xapian-1x --engine xapian-tcp
    .venv/bin/python bench/xapian_bench.py --data /tmp/scale-10x --engine fts5 \
        --scale-queries --seed 15 --queries 20      # as bench/scale.py's run there
    .venv/bin/python bench/xapian_bench.py --data /tmp/scale-10x --engine xapian --replicate

- `--build` (xapian): `indexing.rebuild()` into an empty DATA_DIR/xapian (documents/s,
  CPU seconds),
  its size, and its size after `xapian-compact` (written to a temporary folder, removed);
- the search page through the Django test client, DEBUG off, as a web worker renders it:
  p50/p95 per query type of bench/search_bench.py (single, two words, phrase, word +
  speaker, word + year, zero hit), the same seeded queries for every engine;
- a few broad queries (a common word, a speaker alone), where exact counts cost most;
- `xapian` reads the database folder in the process, `xapian-tcp` through a read-only
  `xapian-tcpsrv` on a loopback port started and stopped here; `fts5` is not a page but
  bench/search_bench.py's SQLite FTS5 over DATA_DIR/fts5.sqlite3 (bench/scale.py builds
  it), on the same queries: the yardstick of issue 15's page target;
- `--scale-queries`: the queries bench/scale.py draws (from every document of the Whoosh
  index, not a sample of the database), so its runs and these share one query set;
- `--replicate` (xapian), instead of the page: a first whole copy by `xapian-replicate`
  from a `xapian-replicate-server` on a loopback port, then a catch-up after a few
  exchanges are written again with XAPIAN_MAX_CHANGESETS set (docs/scaling.md: Serving it).

Run one engine per process (the settings are read once). Not a test: numbers go in the
notes (docs/scaling.md), never into assertions.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scale import CpuTimed  # noqa: E402
from search_bench import (  # noqa: E402  (this folder is on the path: run as a script)
    QUERY_TYPES,
    Doc,
    Fts5,
    Query,
    RawWhoosh,
    build_queries,
    folder_mb,
    page_engine,
    peak_rss_mb,
    setup_worker_django,
    time_engine,
)

SAMPLE = 3000  # exchanges the queries are drawn from
BROAD_WORDS = ("president", "people", "think")
REWRITTEN = 20  # exchanges written again before a replica's catch-up


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(program: str, *arguments: str) -> tuple[subprocess.Popen, int]:
    """One of Xapian's servers on a free loopback port, once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [program, "--port", str(port), "--interface", "127.0.0.1", *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(200):
        if server.poll() is not None:  # it stopped (no database there, a port taken)
            break
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return server, port
        except OSError:
            time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, 15)  # not left running when it does not answer
    server.wait(10)
    raise RuntimeError(f"{program} did not start on {arguments[-1]}")


def serve_read_only(database: Path) -> tuple[subprocess.Popen, int]:
    return serve("xapian-tcpsrv", str(database))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument(
        "--engine", choices=("whoosh", "xapian", "xapian-tcp", "fts5"), required=True
    )
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--scale-queries", action="store_true")
    parser.add_argument("--replicate", action="store_true")
    parser.add_argument("--queries", type=int, default=30, help="per query type")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    data = args.data.resolve()
    database = data / "xapian"
    server = None
    if args.engine == "xapian":
        os.environ["SEARCH_URL"] = f"xapian://{database}"
    elif args.engine == "xapian-tcp":
        server, port = serve_read_only(database)
        os.environ["SEARCH_URL"] = f"xapian+tcp://127.0.0.1:{port}"
    try:
        result = run(args, data, database)
    finally:
        if server is not None:
            os.killpg(server.pid, 15)
            server.wait(10)
    text = json.dumps(result, indent=1)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n")
    print(json.dumps({k: v for k, v in result.items() if k not in ("page", "query_set")}, indent=1))
    for kind in (*QUERY_TYPES, "all") if "page" in result else ():
        entry = result["page"][kind]
        print(f"{kind:14} p50 {entry['p50_ms']:8.1f} ms  p95 {entry['p95_ms']:8.1f} ms")
    for query, entry in result.get("broad", {}).items():
        print(f"{query:30} p50 {entry['p50_ms']:8.1f} ms  {entry['hits']} hits")


def run(args: argparse.Namespace, data: Path, database: Path) -> dict:
    setup_worker_django(data)
    from django.test import Client

    from briefings.models import Exchange
    from search import indexing
    from search.models import IndexQueue

    result: dict = {"engine": args.engine, "data": str(data), "load": os.getloadavg()}
    result["exchanges"] = Exchange.objects.count()
    if (args.build or args.replicate) and args.engine != "xapian":
        raise SystemExit("--build and --replicate are for --engine xapian")
    if args.build:
        shutil.rmtree(database, ignore_errors=True)
        IndexQueue.objects.all().delete()
        cpu_before = cpu_seconds()
        rebuilt = indexing.rebuild()
        result["rebuild"] = {
            "documents": rebuilt.documents,
            "seconds": round(rebuilt.seconds, 1),
            "documents_per_second": round(rebuilt.rate, 1),
            "cpu_seconds": round(cpu_seconds() - cpu_before, 1),
            "database_mb": folder_mb(database),
            "peak_rss_mb": peak_rss_mb(),
        }
        with tempfile.TemporaryDirectory(dir=data) as scratch:
            compacted = Path(scratch) / "compact"
            started = time.perf_counter()
            subprocess.run(
                ["xapian-compact", str(database), str(compacted)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            result["rebuild"]["compact_seconds"] = round(time.perf_counter() - started, 1)
            result["rebuild"]["compacted_mb"] = folder_mb(compacted)
    if (data / "whoosh_index").exists():
        result["whoosh_index_mb"] = folder_mb((data / "whoosh_index").resolve())
    if database.exists():
        result["xapian_database_mb"] = folder_mb(database)
    if args.replicate:
        result["replication"] = replicate(data, database)
        result["load_after"] = os.getloadavg()
        return result

    if args.scale_queries:
        queries = scale_queries(data, args.queries, args.seed)
    else:
        queries = sample_queries(args.queries, args.seed)
    result["query_set"] = {kind: [q.page_string() for q in queries[kind]] for kind in QUERY_TYPES}
    statuses: dict[str, int] = {}
    if args.engine == "fts5":
        engine = CpuTimed(Fts5(data / "fts5.sqlite3"))
        broad = [Query("broad", [word]) for word in BROAD_WORDS]  # no speaker-only in Fts5
    else:
        engine = CpuTimed(page_engine(Client(), "/search/", statuses))
        broad = broad_query_set()
    page = time_engine(engine, queries, warmup=3)
    for entry in page.values():
        entry.pop("hits", None)
    page["cpu"] = engine.summary(3)
    result["page"] = page
    result["broad"] = broad_queries(engine, broad)
    result["statuses"] = statuses
    result["peak_rss_mb"] = peak_rss_mb()
    result["load_after"] = os.getloadavg()
    return result


def cpu_seconds() -> float:
    """User + system time of this process and its finished children."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )


def sample_queries(per_type: int, seed: int) -> dict[str, list[Query]]:
    """The queries of a seeded sample of SAMPLE exchanges, as the search index holds them."""
    from briefings.models import Exchange
    from search import indexing

    index = indexing.exchange_index()
    ids = list(Exchange.objects.values_list("pk", flat=True))
    sample = sorted(random.Random(seed).sample(ids, min(SAMPLE, len(ids))))
    docs = []
    for exchange in Exchange.objects.for_search().filter(pk__in=sample).order_by("pk"):
        prepared = index.full_prepare(exchange)
        docs.append(
            Doc(exchange.pk, prepared["text"], prepared["speakers"], prepared.get("held_on"))
        )
    return build_queries(docs, per_type, seed, lambda word: False)


def scale_queries(data: Path, per_type: int, seed: int) -> dict[str, list[Query]]:
    """The queries bench/scale.py times: drawn from every stored document of the live
    Whoosh index, a zero-hit token refused if Whoosh or the FTS5 file knows it."""
    floor = RawWhoosh((data / "whoosh_index").resolve())
    fts = Fts5(data / "fts5.sqlite3")
    docs = []
    for _docnum, fields in floor.searcher.reader().iter_docs():
        held = fields.get("held_on")
        speakers = [s for s in re.split(r"[,\s]+", fields.get("speakers") or "") if s]
        docs.append(
            Doc(int(fields["django_id"]), fields.get("text") or "", speakers, held and held.date())
        )
    try:
        return build_queries(
            docs, per_type, seed, lambda word: floor.known(word) or fts.known(word)
        )
    finally:
        floor.close()


def broad_query_set() -> list[Query]:
    from django.db.models import Count

    from briefings.models import Person

    busiest = Person.objects.annotate(n=Count("turns")).order_by("-n").first()
    broad = [Query("broad", [word]) for word in BROAD_WORDS]
    broad.append(Query("broad", [], speaker=busiest.slug))
    return broad


def broad_queries(run, broad: list[Query]) -> dict:
    """Queries that match a large share of the archive, where counting every match for
    exact totals and facets costs most: the median of 5 runs each, and the total shown."""
    from search_bench import percentile

    answer = {}
    for query in broad:
        run(query)  # warm
        times, total = [], None
        for _ in range(5):
            started = time.perf_counter()
            total = run(query)
            times.append((time.perf_counter() - started) * 1000)
        answer[query.page_string()] = {"p50_ms": round(percentile(times, 0.5), 1), "hits": total}
    return answer


def replicate(data: Path, database: Path) -> dict:
    """A replica's first whole copy of the built database, then its catch-up after
    REWRITTEN exchanges are written again by the queue, with changesets kept."""
    import xapian

    from briefings.models import Exchange
    from search import indexing

    server, port = serve("xapian-replicate-server", str(data))
    answer: dict = {}
    try:
        with tempfile.TemporaryDirectory(dir=data) as scratch:
            replica = Path(scratch) / "replica"

            command = ["xapian-replicate", "--host=127.0.0.1", f"--port={port}", "--one-shot"]
            command += ["--reader-time=0", f"--master={database.name}", str(replica)]

            def copy(step: str) -> None:
                cpu_before, started = cpu_seconds(), time.perf_counter()
                subprocess.run(command, check=True, capture_output=True)
                answer[step] = {
                    "seconds": round(time.perf_counter() - started, 1),
                    "client_cpu_seconds": round(cpu_seconds() - cpu_before, 1),
                    "replica_documents": xapian.Database(str(replica)).get_doccount(),
                    "replica_revision": xapian.Database(str(replica)).get_revision(),
                    "master_revision": xapian.Database(str(database)).get_revision(),
                }

            copy("first_copy")
            answer["first_copy"]["replica_mb"] = folder_mb(replica)
            os.environ["XAPIAN_MAX_CHANGESETS"] = "10"  # read by the writer when it opens
            ids = list(Exchange.objects.order_by("pk").values_list("pk", flat=True))
            rewritten = random.Random(REWRITTEN).sample(ids, REWRITTEN)
            indexing.enqueue_exchanges(rewritten)
            revision = xapian.Database(str(database)).get_revision()
            started = time.perf_counter()
            indexing.drain()
            answer["rewrite_seconds"] = round(time.perf_counter() - started, 2)
            answer["rewritten_exchanges"] = REWRITTEN
            changeset = database / f"changes{revision}"  # what the catch-up is sent
            answer["changeset_mb"] = round(changeset.stat().st_size / 1_048_576, 1)
            copy("catch_up")
    finally:
        os.killpg(server.pid, 15)
        server.wait(10)
    return answer


if __name__ == "__main__":
    main()
