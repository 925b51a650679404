"""Ingest rate on the real corpus: transcripts/s and exchanges/s, into a fresh database.

    .venv/bin/python bench/ingest_corpus.py [--corpus ../shared/corpus] [--limit N]

Parses and loads every White House Markdown briefing and the SCIO page into a throw-away
SQLite database (the production settings: WAL, IMMEDIATE), then ingests them all again
(every file should come back `unchanged`). Writes bench/results/ingest.json and prints a
table. Not a test: numbers go in the notes, never into assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"no corpus at {corpus}; nothing measured")
        return 0

    data_dir = tempfile.mkdtemp(prefix="bench-ingest-")
    os.environ.update(DATA_DIR=data_dir, DEBUG="1", DJANGO_SETTINGS_MODULE="config.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from briefings.ingest.files import collect_paths
    from briefings.ingest.run import ingest_paths
    from briefings.models import Exchange, Turn

    call_command("migrate", verbosity=0)
    paths, _missing = collect_paths([str(corpus / "wh-briefings"), str(corpus / "scio")])
    if args.limit:
        paths = paths[: args.limit]
    files = [str(path) for path in paths]

    started = time.perf_counter()
    report = ingest_paths(files)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = ingest_paths(files)
    second = time.perf_counter() - started

    exchanges, turns = Exchange.objects.count(), Turn.objects.count()
    result = {
        "files": len(files),
        "created": report.count("created"),
        "failed": report.count("failed"),
        "failures": [o.line() for o in report.outcomes if o.status == "failed"][:20],
        "exchanges": exchanges,
        "turns": turns,
        "seconds": round(first, 2),
        "transcripts_per_second": round(len(files) / first, 1),
        "exchanges_per_second": round(exchanges / first, 1),
        "reingest_seconds": round(second, 2),
        "reingest_unchanged": again.count("unchanged"),
        "database_mb": round(Path(data_dir, "db.sqlite3").stat().st_size / 1_048_576, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ingest.json").write_text(json.dumps(result, indent=2) + "\n")
    width = max(map(len, result))
    for key, value in result.items():
        if key != "failures":
            print(f"{key:<{width}}  {value}")
    for line in result["failures"]:
        print("  ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
