"""The search page on Xapian beside the embedded Whoosh index, on an archive already built
(a DATA_DIR with db.sqlite3 and its whoosh_index, e.g. a copy of bench/relevance.py's).

    .venv/bin/python bench/xapian_bench.py --data /tmp/xapian-1x --engine whoosh
    .venv/bin/python bench/xapian_bench.py --data /tmp/xapian-1x --engine xapian --build
    .venv/bin/python bench/xapian_bench.py --data /tmp/xapian-1x --engine xapian-tcp

- `--build` (xapian): `indexing.rebuild()` into an empty DATA_DIR/xapian (documents/s),
  its size, and its size after `xapian-compact` (written to a temporary folder, removed);
- the search page through the Django test client, DEBUG off, as a web worker renders it:
  p50/p95 per query type of bench/search_bench.py (single, two words, phrase, word +
  speaker, word + year, zero hit), the same seeded queries for every engine;
- a few broad queries (a common word, a speaker alone), where exact counts cost most;
- `xapian` reads the database folder in the process, `xapian-tcp` through a read-only
  `xapian-tcpsrv` on a loopback port started and stopped here.

Run one engine per process (the settings are read once). Not a test: numbers go in the
notes (docs/scaling.md), never into assertions.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search_bench import (  # noqa: E402  (this folder is on the path: run as a script)
    QUERY_TYPES,
    Doc,
    build_queries,
    folder_mb,
    page_engine,
    peak_rss_mb,
    setup_worker_django,
    time_engine,
)

SAMPLE = 3000  # exchanges the queries are drawn from


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_read_only(database: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        ["xapian-tcpsrv", "--port", str(port), "--interface", "127.0.0.1", str(database)],
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
    raise RuntimeError(f"xapian-tcpsrv did not start on {database}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--engine", choices=("whoosh", "xapian", "xapian-tcp"), required=True)
    parser.add_argument("--build", action="store_true")
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
    print(json.dumps({k: v for k, v in result.items() if k != "page"}, indent=1))
    for kind in (*QUERY_TYPES, "all"):
        entry = result["page"][kind]
        print(f"{kind:14} p50 {entry['p50_ms']:8.1f} ms  p95 {entry['p95_ms']:8.1f} ms")
    for query, entry in result["broad"].items():
        print(f"{query:30} p50 {entry['p50_ms']:8.1f} ms  {entry['hits']} hits")


def run(args: argparse.Namespace, data: Path, database: Path) -> dict:
    setup_worker_django(data)
    from django.test import Client

    from briefings.models import Exchange
    from search import indexing
    from search.models import IndexQueue

    result: dict = {"engine": args.engine, "data": str(data), "load": os.getloadavg()}
    result["exchanges"] = Exchange.objects.count()
    if args.build:
        if args.engine != "xapian":
            raise SystemExit("--build is for --engine xapian")
        shutil.rmtree(database, ignore_errors=True)
        IndexQueue.objects.all().delete()
        rebuilt = indexing.rebuild()
        result["rebuild"] = {
            "documents": rebuilt.documents,
            "seconds": round(rebuilt.seconds, 1),
            "documents_per_second": round(rebuilt.rate, 1),
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

    index = indexing.exchange_index()
    ids = list(Exchange.objects.values_list("pk", flat=True))
    sample = sorted(random.Random(args.seed).sample(ids, min(SAMPLE, len(ids))))
    docs = []
    for exchange in Exchange.objects.for_search().filter(pk__in=sample).order_by("pk"):
        prepared = index.full_prepare(exchange)
        docs.append(
            Doc(exchange.pk, prepared["text"], prepared["speakers"], prepared.get("held_on"))
        )
    queries = build_queries(docs, args.queries, args.seed, lambda word: False)
    statuses: dict[str, int] = {}
    page = time_engine(page_engine(Client(), "/search/", statuses), queries, warmup=3)
    for entry in page.values():
        entry.pop("hits", None)
    result["page"] = page
    result["broad"] = broad_queries(Client(), statuses)
    result["statuses"] = statuses
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def broad_queries(client, statuses: dict[str, int]) -> dict:
    """Queries that match a large share of the archive, where counting every match for
    exact totals and facets costs most: the page's median of 5 renders each, and the
    total it shows."""
    from django.db.models import Count
    from search_bench import Query, percentile

    from briefings.models import Person

    busiest = Person.objects.annotate(n=Count("turns")).order_by("-n").first()
    broad = [Query("broad", [word]) for word in ("president", "people", "think")]
    broad.append(Query("broad", [], speaker=busiest.slug))
    run = page_engine(client, "/search/", statuses)
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


if __name__ == "__main__":
    main()
