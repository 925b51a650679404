"""Server-side render time of the reading pages on the real corpus: p50/p95 per page.

    .venv/bin/python bench/page_bench.py [--corpus ../shared/corpus] [--limit N]
        [--renders 50] [--no-index] [--data-dir DIR] [--output bench/results/pages.json]

Ingests the White House briefings (corpus/wh-briefings) into a throw-away DATA_DIR, as
bench/ingest_corpus.py does, builds the search index (the exchange page's "more like
this" reads it; --no-index skips it and the list is empty), then renders through the
Django test client, DEBUG off, as a web worker would:

- the briefing pages of the three real briefings with the most exchanges, and of the one
  nearest 150 exchanges (the target: a 150-exchange briefing page under 100 ms); when no
  real one has 150, a briefing of 150 real exchanges is built and measured first;
- the exchange page with the most answers in the largest briefing, and an ordinary one;
- the JSON forms of the largest briefing and that exchange.

The garbage collector is tuned as in a gunicorn worker (config/runtime.py; --default-gc
leaves it). Each page is rendered 3 times to warm up, then --renders times; prints p50/p95
and the number of queries per render. Not a test: numbers go in the notes, never into assertions.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search_bench import percentile, setup_worker_django  # noqa: E402  (this folder is on the path)

TARGET_EXCHANGES = 150
TARGET_MS = 100
SYNTHETIC = "Synthetic briefing"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    parser.add_argument("--renders", type=int, default=50)
    parser.add_argument("--no-index", action="store_true", help="skip building the index")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "pages.json"))
    parser.add_argument(
        "--data-dir", help="a DATA_DIR to keep and reuse: ingested once, measured many times"
    )
    parser.add_argument(
        "--default-gc",
        action="store_true",
        help="keep Python's garbage collector settings instead of a gunicorn worker's",
    )
    args = parser.parse_args()
    corpus = Path(args.corpus) / "wh-briefings"
    if not corpus.is_dir():
        print(f"no corpus at {corpus}; nothing measured")
        return 0

    data_dir = args.data_dir or tempfile.mkdtemp(prefix="bench-pages-")
    setup_worker_django(data_dir, tune_gc=not args.default_gc)
    from django.core.management import call_command
    from django.db.models import Count

    from briefings.ingest.files import collect_paths
    from briefings.ingest.run import ingest_paths
    from briefings.models import Conference, Exchange

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest, as deployed
    paths, _missing = collect_paths([str(corpus)])
    if args.limit:
        paths = paths[: args.limit]
    if not Conference.objects.exists():
        started = time.perf_counter()
        report = ingest_paths([str(path) for path in paths])
        seconds = time.perf_counter() - started
        print(
            f"ingested {report.count('created')} briefings in {seconds:.0f} s into {data_dir}",
            flush=True,
        )

    counted = Conference.objects.annotate(total=Count("exchanges"))
    most = counted.order_by("-total", "id").first()
    if most is None:
        print("nothing ingested; nothing measured")
        return 0
    if most.total < TARGET_EXCHANGES and not counted.filter(title__startswith=SYNTHETIC).exists():
        build_synthetic_briefing(TARGET_EXCHANGES)
    # The largest briefings, and the one nearest the target size from below.
    measured = list(counted.order_by("-total", "id")[:3])
    nearest = counted.filter(total__lte=TARGET_EXCHANGES).order_by("-total", "id").first()
    if nearest is not None and nearest not in measured:
        measured.append(nearest)
    if not args.no_index and not (Path(data_dir) / "whoosh_index").exists():
        from search.indexing import rebuild

        started = time.perf_counter()
        rebuild()
        print(f"index built in {time.perf_counter() - started:.0f} s", flush=True)

    biggest = measured[0]
    by_answers = (
        Exchange.objects.filter(conference=biggest)
        .annotate(turn_total=Count("turns"))
        .order_by("-turn_total", "position")
    )
    busiest = by_answers.first()
    ordinary = Exchange.objects.filter(conference=biggest).order_by("position")[
        min(10, biggest.total - 1)
    ]

    pages = [
        (
            f"briefing, {conference.total} exchanges: {conference.title[:60]}",
            conference.get_absolute_url(),
        )
        for conference in measured
    ]
    pages += [
        (f"exchange, {busiest.turn_total} turns (the most)", busiest.get_absolute_url()),
        (f"exchange #{ordinary.position}", ordinary.get_absolute_url()),
        (f"briefing JSON, {biggest.total} exchanges", biggest.get_absolute_url() + "?format=json"),
        ("exchange JSON", busiest.get_absolute_url() + "?format=json"),
        ("home", "/"),
    ]
    results = [measure(label, url, renders=args.renders) for label, url in pages]
    results.append(measure_similar(busiest, renders=args.renders))

    width = max(len(result["page"]) for result in results)
    print(f"\n{'page':<{width}}  {'p50 ms':>7}  {'p95 ms':>7}  {'queries':>7}  {'KB':>6}")
    for result in results:
        print(
            f"{result['page']:<{width}}  {result['p50_ms']:>7}  {result['p95_ms']:>7}  "
            f"{result['queries']:>7}  {result['kilobytes']:>6}"
        )
    print(f"\ntarget: a {TARGET_EXCHANGES}-exchange briefing page under {TARGET_MS} ms p50")
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "files": len(paths),
                "renders": args.renders,
                "index": not args.no_index,
                "pages": results,
            },
            indent=2,
        )
        + "\n"
    )
    return 0


def measure(label: str, url: str, *, renders: int) -> dict:
    from django.db import connection
    from django.test import Client

    client = Client()
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    timings = []
    for _ in range(renders):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "page": label,
        "url": url,
        "p50_ms": round(percentile(timings, 0.50), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "mean_ms": round(statistics.fmean(timings), 1),
        "queries": len(queries),
        "kilobytes": round(len(response.content) / 1024, 1),
    }


def measure_similar(exchange, *, renders: int) -> dict:  # exchange: Exchange
    """The exchange page's "more like this" alone (search.searching.similar_exchanges):
    its share of the exchange page's time."""
    from search.searching import similar_exchanges

    for _ in range(3):
        similar_exchanges(exchange)
    timings = []
    for _ in range(renders):
        started = time.perf_counter()
        similar_exchanges(exchange)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "page": "  of which more like this (similar_exchanges)",
        "url": exchange.get_absolute_url(),
        "p50_ms": round(percentile(timings, 0.50), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "mean_ms": round(statistics.fmean(timings), 1),
        "queries": "",
        "kilobytes": "",
    }


def build_synthetic_briefing(exchanges: int):  # -> Conference
    """A briefing of `exchanges` real exchanges, taken in order from the largest real
    briefings, loaded by the real loader (so the extractor finds its commitments)."""
    from django.db.models import Count

    from briefings.ingest.load import SourceFile, load_conference
    from briefings.ingest.records import ParsedConference, ParsedExchange, ParsedTurn
    from briefings.models import Conference, Exchange

    taken: list[ParsedExchange] = []
    donors = Conference.objects.annotate(total=Count("exchanges")).order_by("-total", "id")
    for donor in donors.iterator():
        for exchange in Exchange.objects.filter(conference=donor).prefetch_related(
            "turns__person", "turns__outlet"
        ):
            turns = [
                ParsedTurn(
                    speaker_label=turn.speaker_label,
                    role=turn.role,
                    text=turn.text,
                    speaker_name=turn.person.name if turn.person else "",
                    speaker_title=turn.speaker_title,
                    outlet=turn.outlet.name if turn.outlet else "",
                )
                for turn in exchange.turns.all()
            ]
            taken.append(ParsedExchange(kind=exchange.kind, turns=turns))
            if len(taken) == exchanges:
                break
        if len(taken) == exchanges:
            break
    parsed = ParsedConference(
        title=f"{SYNTHETIC} of {exchanges} real exchanges",
        held_on=donors.first().held_on,
        organizer="The White House",
        location="James S. Brady Press Briefing Room",
        exchanges=taken,
        format="archive-json",
    )
    text = "\n\n".join(turn.text for exchange in taken for turn in exchange.turns)
    source = SourceFile(filename="synthetic.md", data=text.encode())
    return load_conference(parsed, [source]).conference


if __name__ == "__main__":
    sys.exit(main())
