"""The search's exports on a real index: rows/s and peak memory of a 5,000-row CSV and JSON.

    .venv/bin/python bench/export_bench.py [--data-dir DIR] [--corpus ../shared/corpus]
        [--query president] [--output bench/results/exports.json]

With --data-dir, measures the archive already there (a DATA_DIR with its database and
index); else ingests the White House briefings into a throw-away one and rebuilds the
index first (as bench/search_bench.py does). Each measurement runs in a fresh process, so
its peak RSS is its own: the process opens the index and runs one small search first,
then asks the export through the Django test client and reads the response a chunk at a
time, as a server sends it, keeping none. Reported: rows, seconds, rows/s, bytes, the
Python heap's peak during the export and the peak of the sending alone, above what was
held when the response was returned (tracemalloc, in a second run, as it slows the first),
and how far the process's peak RSS grew. Also the database read alone (`Export.rows`) at
several chunk sizes. Not a test: numbers go in the notes, never into assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search_bench import peak_rss_mb  # noqa: E402  (this folder is on the path: run as a script)


def setup_django(data_dir: str) -> None:
    os.environ.update(
        DATA_DIR=data_dir,
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="config.settings",
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def build(corpus: Path, data_dir: str) -> None:
    setup_django(data_dir)
    from django.core.management import call_command

    from briefings.ingest.files import collect_paths
    from briefings.ingest.run import ingest_paths
    from search import indexing
    from search.models import IndexQueue

    call_command("migrate", verbosity=0)
    paths, _missing = collect_paths([str(corpus / "wh-briefings")])
    started = time.perf_counter()
    ingest_paths([str(path) for path in paths])
    print(f"ingested {len(paths)} files in {time.perf_counter() - started:.0f} s", flush=True)
    IndexQueue.objects.all().delete()
    rebuilt = indexing.rebuild()
    print(f"indexed {rebuilt.documents} exchanges in {rebuilt.seconds:.0f} s", flush=True)


def one(kind: str, query: str, data_dir: str, *, traced: bool) -> dict:
    """One export in this process: `kind` is csv, json or rows-N (the database read alone,
    N exchanges at a time)."""
    setup_django(data_dir)
    from django.test import Client

    client = Client()
    client.get("/search/", {"q": query})  # the index opened, its searcher warm
    before = peak_rss_mb()
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    if kind.startswith("rows-"):
        from search.searching import SearchInput, export_results

        export = export_results(SearchInput(q=query))
        found = time.perf_counter() - started
        held = _reset_peak(traced)
        for _row in export.rows(chunk=int(kind.split("-")[1])):
            pass
        size = 0  # nothing written: the database read and the rows alone
    else:
        response = client.get(f"/search/export.{kind}", {"q": query})
        found = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        held = _reset_peak(traced)
        size = 0
        # Read as a server sends it, keeping nothing (an older export was one body).
        chunks = getattr(response, "streaming_content", None) or [response.content]
        for chunk in chunks:
            size += len(chunk)
        response.close()
    seconds = time.perf_counter() - started
    result = {"kind": kind, "query": query, "seconds": round(seconds, 3), "bytes": size}
    if traced:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result["python_peak_mb"] = round(max(peak, held[1]) / 1_048_576, 1)
        # Above what was held when the response was returned: the sending alone.
        result["sending_peak_mb"] = round((peak - held[0]) / 1_048_576, 1)
    else:
        result["until_response_s"] = round(found, 3)
        result["rss_before_mb"] = before
        result["rss_growth_mb"] = round(peak_rss_mb() - before, 1)
    return result


def _reset_peak(traced: bool) -> tuple[int, int]:
    """(memory held, peak so far) when the index has answered; the peak starts again."""
    if not traced:
        return 0, 0
    held = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    return held


def measure(kind: str, query: str, data_dir: str, *, traced: bool) -> dict:
    command = [sys.executable, __file__, "--one", kind, "--query", query, "--data-dir", data_dir]
    if traced:
        command.append("--traced")
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def exported_rows(query: str, data_dir: str) -> tuple[int, int]:
    setup_django(data_dir)
    from search.searching import SearchInput, export_results

    export = export_results(SearchInput(q=query))
    # Before the exports were streamed (commit 113b8e8), `rows` was a list of excerpts.
    held = export.matches if hasattr(export, "matches") else export.rows
    return len(held), export.total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--query", default="president")
    parser.add_argument("--kinds", default="csv,json,rows-50,rows-200,rows-1000")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "exports.json"))
    parser.add_argument("--one", default="", help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.query, args.data_dir, traced=args.traced)))
        return 0
    data_dir = args.data_dir
    if not data_dir:
        corpus = Path(args.corpus)
        if not (corpus / "wh-briefings").is_dir():
            print(f"no corpus at {corpus}; nothing measured")
            return 0
        data_dir = tempfile.mkdtemp(prefix="bench-exports-")
        build(corpus, data_dir)
    rows, total = exported_rows(args.query, data_dir)
    print(f"{args.query!r}: {total} matches, {rows} exported", flush=True)
    results = []
    for kind in args.kinds.split(","):
        timed = measure(kind, args.query, data_dir, traced=False)
        traced = measure(kind, args.query, data_dir, traced=True)
        timed["python_peak_mb"] = traced["python_peak_mb"]
        timed["sending_peak_mb"] = traced["sending_peak_mb"]
        timed["rows"] = rows
        timed["rows_per_second"] = round(rows / timed["seconds"])
        results.append(timed)
        print(
            f"{kind:10} {rows} rows in {timed['seconds']:6.2f} s = {timed['rows_per_second']:5} "
            f"rows/s; {timed['bytes'] / 1_048_576:6.1f} MB out; python peak "
            f"{timed['python_peak_mb']:5.1f} MB, sending {timed['sending_peak_mb']:4.1f} MB; "
            f"RSS +{timed['rss_growth_mb']} MB "
            f"(from {timed['rss_before_mb']})",
            flush=True,
        )
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps({"query": args.query, "results": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
