"""Server-side time of the trends page (/search/trends/) on the real corpus: p50/p95.

    .venv/bin/python bench/trends_bench.py --data-dir DIR [--renders 30]
        [--output bench/results/trends.json]

DIR is a DATA_DIR holding the White House corpus ingested and indexed (`manage.py ingest
../shared/corpus/wh-briefings`, which drains the index queue; or `reindex`). Renders
through the Django test client, DEBUG off, as a web worker would: the first render of
each page (cold: the process's maps of document to month are built then) and --renders
more. Beside each trends page, the search page of its first query, and the parts of the
trends page's time: the filters' counts and each search's. Not a test: numbers go in the
notes, never into assertions.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search_bench import percentile, setup_worker_django  # noqa: E402  (this folder is on the path: run as a script)

THREE = ["vaccine", "inflation", "ukraine"]
PAGES = [
    ("one common word", {"q": ["vaccine"]}),
    ("three words", {"q": THREE}),
    ("three words, a speaker", {"q": THREE, "speaker": "psaki"}),
    (
        "three words, a year",
        {"q": THREE, "from": "2022", "to": "2022"},
    ),
    ("a phrase of common words", {"q": ['"white house"']}),
    ("three phrases of common words", {"q": ['"white house"', '"make sure"', '"going forward"']}),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "trends.json"))
    args = parser.parse_args()
    setup_worker_django(args.data_dir)
    from django.core.management import call_command
    from django.test import Client

    from briefings.models import Exchange

    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()
    print(f"{Exchange.objects.count():,} exchanges in {args.data_dir}")

    def timed(path: str, params: dict) -> tuple[float, object]:
        started = time.perf_counter()
        response = client.get(path, params)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        return elapsed, response

    results = []
    for name, params in PAGES:
        cold, _ = timed("/search/trends/", params)
        renders = [timed("/search/trends/", params)[0] for _ in range(args.renders)]
        search = [
            timed("/search/", {**params, "q": params["q"][0]})[0] for _ in range(args.renders)
        ]
        _, response = timed("/search/trends/", {**params, "format": "json"})
        data = json.loads(response.content)
        row = {
            "page": name,
            "params": params,
            "cold_ms": round(cold, 1),
            "p50_ms": round(percentile(renders, 0.5), 1),
            "p95_ms": round(percentile(renders, 0.95), 1),
            "search_page_p50_ms": round(percentile(search, 0.5), 1),
            "search_page_p95_ms": round(percentile(search, 0.95), 1),
            "months": len(data["months"]),
            "totals": [line["total"] for line in data["lines"]],
            "estimated": [line["counts_are_estimates"] for line in data["lines"]],
            "timed_out": [line["timed_out"] for line in data["lines"]],
            "messages": data["messages"],
        }
        results.append(row)
        print(
            f"{name:32} cold {row['cold_ms']:7.1f} ms  p50 {row['p50_ms']:6.1f}  "
            f"p95 {row['p95_ms']:6.1f}  (search page p50 {row['search_page_p50_ms']:.1f}, "
            f"p95 {row['search_page_p95_ms']:.1f})  {row['months']} months, "
            f"totals {row['totals']}, estimated {row['estimated']}, "
            f"timed out {row['timed_out']}",
            flush=True,
        )
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
