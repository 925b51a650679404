"""The search page's render time on an archive already built (a --data folder of
bench/relevance.py): p50/p95 over the judged set's researcher queries, through the Django
test client, DEBUG off, as a web worker renders it.

    .venv/bin/python bench/search_page_timing.py --data /tmp/relevance-after [--renders 5]

To compare two versions in one run, call it from each checkout in turn on its own folder
(the folders differ in their index), alternating: the figures then share the machine's
load. Not a test: numbers go in the notes, never into assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search_bench import percentile, setup_worker_django  # noqa: E402  (this folder is on the path: run as a script)

QUERIES = ROOT / "tests" / "data" / "relevance" / "queries.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="an archive's DATA_DIR, already indexed")
    parser.add_argument("--renders", type=int, default=5, help="timed renders per query")
    parser.add_argument("--queries", default=str(QUERIES))
    args = parser.parse_args()
    os.environ["LOG_LEVEL"] = "WARNING"
    setup_worker_django(Path(args.data).resolve())
    from django.core.management import call_command
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off reads its manifest
    client = Client()
    loaded = json.loads(Path(args.queries).read_text())
    queries = [query["query"] for query in loaded["queries"]]
    timings = []
    started = time.perf_counter()
    for query in queries:
        assert client.get("/search/", {"q": query}).status_code == 200, query  # warm-up
        for _ in range(args.renders):
            begun = time.perf_counter()
            response = client.get("/search/", {"q": query})
            timings.append(1000 * (time.perf_counter() - begun))
            assert response.status_code == 200, query
    print(
        f"{len(queries)} queries x {args.renders} renders in {time.perf_counter() - started:.0f} s:"
        f" p50 {percentile(timings, 0.5):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms,"
        f" max {max(timings):.1f} ms"
    )


if __name__ == "__main__":
    main()
