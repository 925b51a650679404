"""Ten times the archive (issue 15): every figure at 1x, 3x and 10x the White House corpus.

    nice -n 5 .venv/bin/python bench/scale.py --size 3 [--base /tmp/scale-1x]
        [--work /tmp/scale-3x] [--queries 20] [--seed 15] [--sample 100]
        [--load-seconds 30] [--output bench/results/scale-3x.json]

--base is a DATA_DIR holding the whole White House corpus ingested and indexed by this
code (db.sqlite3, whoosh_index); it is copied into --work, never written. At --size N the
copy's briefings are cloned N-1 times in the database, each clone a distinct briefing:
its own ids, slug (`-xK`), date (K*5 years earlier), URLs (host `xK.`), content hash and
spoken-words fingerprint; text, speakers and commitments kept (people and outlets are
shared: a person's page grows with the archive, the worst case). Ingesting 11,500 files
one by one takes over an hour here; cloning takes a minute. Then, in this order:

- ingest: a fixed sample of --sample real files, each renamed into a new briefing (date
  100 years back, its own URL, one marker word in its first turn so that the identity
  check does not take it for the briefing it was copied from), ingested into the archive
  of that size: transcripts/s at that size;
- rebuild: `manage.py reindex` (search/indexing.py; on this 2-core machine the Whoosh
  writer runs procs=2 from 5,000 exchanges up: search/whoosh/engine.py), docs/s;
- sizes: the live index folder and the database;
- search: the search page (Django test client, DEBUG off) beside raw Whoosh and SQLite
  FTS5 on the same queries, by query type (bench/search_bench.py's engines and query
  set; FTS5 is built from the index's own stored documents);
- the sitemaps written ahead (`sitemaps.write_files`, as `archive_file --watch` does):
  seconds, CPU seconds, size, and the change check it makes each time it looks;
- pages: home, briefing, person, commitments, the sitemaps (read from those files),
  /healthz;
- the archive file: `archive_file.write()` (the .jsonl and its .gz), sizes and seconds;
- one gunicorn worker's RSS after 200 mixed requests (search_bench.gunicorn_worker_rss);
- load: `config.serve` as `make serve` runs it (3 gunicorn workers, the index writer;
  the archiver and watcher left out) under 20, then 50 keep-alive clients of mixed
  traffic for --load-seconds each (bench/reliability.py's client and plan), and each
  worker's RSS after.

`--built` measures an archive a run already built in --work (no copy, no cloning), e.g.
after a change to the pages: `--built --work /tmp/scale-10x --skip ingest,rebuild`.

Loopback only; every process started here is stopped at the end. The JSON is written
after every step, so a run stopped early keeps what it measured.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import reliability  # noqa: E402  (bench/ is the script's folder)
from search_bench import (  # noqa: E402
    QUERY_TYPES,
    Doc,
    Fts5,
    RawWhoosh,
    build_queries,
    folder_mb,
    gunicorn_worker_rss,
    machine,
    page_engine,
    proc_status,
    request_mix,
    setup_worker_django,
    summarize,
    time_engine,
)

YEARS_PER_CLONE = 5  # the corpus spans 2021-2025: clone K is dated K*5 years earlier
SAMPLE_YEARS_BACK = 100
T = TypeVar("T")
RATE = re.compile(r"Indexed (\d+) exchanges in ([\d.]+) s \((\d+)/s\)")
FIRST_TURN = re.compile(r"^((?:MR|MS|MRS|DR)\. [^:\n]{1,60}|THE PRESIDENT|Q):", re.MULTILINE)


LOADS: list[dict] = []  # the machine's load average at each step: it is shared


def step(message: str) -> None:
    load = Path("/proc/loadavg").read_text().split()[:3]
    LOADS.append({"at": time.strftime("%H:%M:%S"), "step": message, "loadavg": load})
    print(f"[{time.strftime('%H:%M:%S')}] {message} (load {' '.join(load)})", flush=True)


# The archive at N times its size, cloned in the database.


def clone(database: Path, copies: int) -> dict:
    """Add `copies` distinct clones of every briefing (and its exchanges, turns, sources,
    participants and commitments) with ids offset past the originals'."""
    db = sqlite3.connect(database)
    db.execute("PRAGMA foreign_keys = OFF")
    top = {
        table: db.execute(f"SELECT max(id) FROM briefings_{table}").fetchone()[0] or 0
        for table in (
            "conference",
            "exchange",
            "turn",
            "participant",
            "source",
            "commitment",
            "ingestrun_conferences",
        )
    }

    def columns(table: str) -> list[str]:
        return [row[1] for row in db.execute(f"PRAGMA table_info(briefings_{table})")]

    def copy(table: str, k: int, changed: dict[str, str]) -> None:
        names = columns(table)
        chosen = [changed.get(name, f'"{name}"') for name in names]
        quoted = ", ".join(f'"{name}"' for name in names)
        db.execute(
            f"INSERT INTO briefings_{table} ({quoted}) SELECT {', '.join(chosen)} "
            f"FROM briefings_{table} WHERE id <= {top[table]}"
        )

    started = time.perf_counter()
    with db:
        for k in range(1, copies + 1):
            back = f"'-{YEARS_PER_CLONE * k} years'"
            conference = f"conference_id + {k * top['conference']}"
            exchange = f"exchange_id + {k * top['exchange']}"
            turn = f"turn_id + {k * top['turn']}"
            host = f"replace(url_column, '://', '://x{k}.')"
            copy(
                "conference",
                k,
                {
                    "id": f"id + {k * top['conference']}",
                    "slug": f"substr(slug, 1, 112) || '-x{k}'",
                    "held_on": f"date(held_on, {back})",
                    "published_on": f"date(published_on, {back})",
                    "source_url": host.replace("url_column", "source_url"),
                    "content_hash": f"substr(content_hash, 1, 56) || printf('x%07d', {k})",
                    "fingerprint": "CASE fingerprint WHEN '' THEN '' ELSE "
                    f"substr(fingerprint, 1, 56) || printf('x%07d', {k}) END",
                },
            )
            copy("exchange", k, {"id": f"id + {k * top['exchange']}", "conference_id": conference})
            copy("turn", k, {"id": f"id + {k * top['turn']}", "exchange_id": exchange})
            copy(
                "participant",
                k,
                {"id": f"id + {k * top['participant']}", "conference_id": conference},
            )
            copy(
                "source",
                k,
                {
                    "id": f"id + {k * top['source']}",
                    "conference_id": conference,
                    "url": host.replace("url_column", "url"),
                },
            )
            copy(
                "commitment",
                k,
                {
                    "id": f"id + {k * top['commitment']}",
                    "conference_id": conference,
                    "turn_id": turn,
                },
            )
            copy(
                "ingestrun_conferences",
                k,
                {"id": f"id + {k * top['ingestrun_conferences']}", "conference_id": conference},
            )
    seconds = time.perf_counter() - started
    counts = {
        table: db.execute(f"SELECT count(*) FROM briefings_{table}").fetchone()[0]
        for table in ("conference", "exchange", "turn", "commitment", "person")
    }
    problems = db.execute("PRAGMA foreign_key_check").fetchmany(5)
    db.close()
    return {
        "copies_added": copies,
        "seconds": round(seconds, 1),
        "rows": counts,
        "foreign_key_problems": [list(row) for row in problems],
    }


# The ingest sample.


def sample_files(corpus: Path, count: int, seed: int, size: int, into: Path) -> list[str]:
    """`count` White House files, the same ones at every size, each rewritten into a new
    briefing: dated 100 years back, its own URL, a marker word in its first turn."""
    files = sorted((corpus / "wh-briefings").rglob("*.md"))
    chosen = random.Random(seed).sample(files, min(count, len(files)))
    written = []
    for number, path in enumerate(chosen):
        text = path.read_text(encoding="utf-8")
        # Every year in the file (front matter and body): a background call is dated by
        # the day its text names, and would be taken for the original within a day.
        text = re.sub(
            r"(?<![\d/])(20[12]\d)(?![\d/])",
            lambda m: f"{int(m.group(1)) - SAMPLE_YEARS_BACK:04d}",
            text,
        )
        text = text.replace("source_url: https://", f"source_url: https://sample{size}x.", 1)
        marker = f"Scalemarker{number:03d}."
        text, found = FIRST_TURN.subn(rf"\g<0> {marker}", text, count=1)
        if not found:
            text += f"\n\nMR. SAMPLE:  {marker}\n"
        target = into / f"sample-{number:03d}-{path.name}"
        target.write_text(text, encoding="utf-8")
        written.append(str(target))
    return written


# The pages.


def time_paths(client, paths: list[str]) -> dict:
    client.get(paths[0])  # warm: the first request of a kind builds its caches
    times, cpu, statuses, sizes = [], [], {}, []
    for path in paths:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1
        sizes.append(len(body))
    return {
        **summarize(times),
        "cpu": cpu_summary(cpu),
        "statuses": statuses,
        "max_kb": round(max(sizes) / 1024, 1),
    }


def timed(call: Callable[[], T]) -> tuple[T, float, float]:
    """`call()`, its wall seconds and this process's CPU seconds."""
    started, cpu_started = time.perf_counter(), time.process_time()
    value = call()
    return value, time.perf_counter() - started, time.process_time() - cpu_started


def cpu_summary(milliseconds: list[float]) -> dict:
    """This process's CPU time per request: what a request costs whatever else the shared
    machine runs (wall times here are taken beside other sessions' tests)."""
    entry = summarize(milliseconds)
    return {key: entry[key] for key in ("p50_ms", "p95_ms", "mean_ms")}


class CpuTimed:
    """An engine of search_bench, its CPU time per query kept by query type."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.by_type: dict[str, list[float]] = {}

    def __call__(self, query):
        started = time.process_time()
        count = self.engine(query)
        self.by_type.setdefault(query.type, []).append((time.process_time() - started) * 1000)
        return count

    def summary(self, warmup: int) -> dict:
        kept = {kind: times[warmup:] for kind, times in self.by_type.items()}
        summary = {kind: cpu_summary(times) for kind, times in kept.items()}
        summary["all"] = cpu_summary([t for times in kept.values() for t in times])
        return summary


def page_paths(seed: int) -> dict[str, list[str]]:
    from django.db.models import Count

    from briefings.models import Conference, Exchange, Person

    rng = random.Random(seed)
    slugs = list(Conference.objects.values_list("slug", flat=True))
    people = list(
        Person.objects.annotate(n=Count("turns")).order_by("-n").values_list("slug", flat=True)
    )
    exchanges = Exchange.objects.count()
    sitemap_pages = max(1, -(-exchanges // 20_000))
    return {
        "home": ["/"] * 10,
        "briefing": [f"/briefings/{slug}/" for slug in rng.sample(slugs, 25)],
        "briefing_list": ["/briefings/", "/briefings/?page=2", "/briefings/?page=40"] * 3,
        "person": [f"/people/{slug}/" for slug in people[:10] + rng.sample(people, 10)],
        "person_page_5": [f"/people/{slug}/?page=5" for slug in people[:5]],
        "commitments": [
            "/commitments/",
            "/commitments/?status=open",
            "/commitments/?status=unreviewed",
            "/commitments/?page=5",
            "/commitments/?due=soon",
        ]
        * 3,
        "sitemap_index": ["/sitemap.xml"] * 5,
        "sitemap_briefings": ["/sitemap-briefings.xml"] * 3,
        "sitemap_exchanges": [
            f"/sitemap-exchanges.xml?p={rng.randint(1, sitemap_pages)}" for _ in range(3)
        ],
        "sitemap_people": ["/sitemap-people.xml"] * 3,
        "healthz": ["/healthz"] * 30,
    }


# The load.


def workers_rss(server: reliability.Server) -> list[dict]:
    from search_bench import children

    found, todo = [], [server.process.pid]
    while todo:
        current = todo.pop()
        for child in children(current):
            todo.append(child)
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
                found.append({"pid": child, "command": command.decode()[:80], **proc_status(child)})
            except OSError:
                continue
    return found


def load(data_dir: Path, seed: int, seconds: float, clients: list[int]) -> dict:
    env = reliability.server_env(data_dir, secrets.token_urlsafe(50))
    env.update(RUN_ARCHIVER="0", RUN_WATCHER="0", LOG_LEVEL="WARNING")
    server = reliability.Server(data_dir, env)
    report: dict = {}
    try:
        server.start(budget=240)
        site = reliability.site_sample(data_dir / "db.sqlite3", seed)
        # Fresh workers open the index and build its facet maps on their first searches
        # (seconds at 10x): 10 s of 3 clients first, reported apart, not in the figures.
        warm = argparse.Namespace(clients=3, seed=seed + 1, duration=10.0, command_budget=0)
        _load, entry = reliability.run_load(server, site, warm)
        report["warmup"] = {"normal": entry.get("normal", {}).get("p95_ms")}
        for count in clients:
            step(f"load: {count} clients for {seconds:.0f} s")
            args = argparse.Namespace(clients=count, seed=seed, duration=seconds, command_budget=0)
            _load, entry = reliability.run_load(server, site, args)
            entry["workers_after"] = workers_rss(server)
            report[f"clients_{count}"] = entry
    except Exception as error:
        report["error"] = repr(error)
    finally:
        server.stop()
        reliability.kill_all_groups()
    return report


# The run.


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--base", default="/tmp/scale-1x")
    parser.add_argument("--work", default="")
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--queries", type=int, default=20, help="per query type")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--sample", type=int, default=100, help="files in the ingest sample")
    parser.add_argument("--load-seconds", type=float, default=30.0)
    parser.add_argument("--skip", default="", help="steps to leave out, comma-separated")
    parser.add_argument(
        "--built",
        action="store_true",
        help="measure the archive a run already built in --work: no copy, no cloning",
    )
    parser.add_argument("--output", default="")
    args = parser.parse_args()
    base = Path(args.base)
    work = Path(args.work or f"/tmp/scale-{args.size}x")
    output = Path(args.output or ROOT / "bench" / "results" / f"scale-{args.size}x.json")
    skip = set(filter(None, args.skip.split(",")))
    if work.resolve() == base.resolve():
        print("--work must not be --base: the base archive is never written")
        return 2
    output.parent.mkdir(parents=True, exist_ok=True)
    result: dict = {"size": args.size, "machine": machine(), "started": time.strftime("%F %T")}

    result["load_average_by_step"] = LOADS

    def save() -> None:
        output.write_text(json.dumps(result, indent=2, default=str) + "\n")

    if args.built:
        if not (work / "db.sqlite3").is_file():
            print(f"--built: no archive in {work}")
            return 2
        result["built"] = f"measured as built in {work}: not copied from --base, not cloned"
    else:
        step(f"copying {base} to {work}")
        if work.exists():
            shutil.rmtree(work)
        shutil.copytree(base, work, symlinks=True)
        for stale in work.glob("exports"):
            shutil.rmtree(stale)
    if args.size > 1 and not args.built:
        step(f"cloning the briefings {args.size - 1} times")
        result["clone"] = clone(work / "db.sqlite3", args.size - 1)
        save()

    setup_worker_django(work)
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from briefings import archive_file, sitemaps
    from briefings.ingest.run import ingest_paths
    from briefings.models import Conference, Exchange
    from search.whoosh.engine import index_link

    call_command("migrate", verbosity=0)
    corpus = Path(args.corpus)
    if "ingest" not in skip:
        with tempfile.TemporaryDirectory(prefix="scale-sample-") as folder:
            files = sample_files(corpus, args.sample, args.seed, args.size, Path(folder))
            before = Exchange.objects.count()
            step(
                f"ingesting {len(files)} renamed files into {Conference.objects.count()} briefings"
            )
            report, seconds, cpu_seconds = timed(lambda: ingest_paths(files))
        result["ingest"] = {
            "files": len(files),
            "created": report.count("created"),
            "failed": report.count("failed"),
            "other": sorted({o.status for o in report.outcomes} - {"created", "failed"}),
            "exchanges_added": Exchange.objects.count() - before,
            "seconds": round(seconds, 1),
            "transcripts_per_second": round(len(files) / seconds, 2),
            "cpu_seconds": round(cpu_seconds, 1),
            "transcripts_per_cpu_second": round(len(files) / cpu_seconds, 2),
            "exchanges_per_second": round((Exchange.objects.count() - before) / seconds, 1),
        }
        save()
    result["archive"] = {
        "briefings": Conference.objects.count(),
        "exchanges": Exchange.objects.count(),
    }

    if "rebuild" not in skip:
        step(f"manage.py reindex ({result['archive']['exchanges']} exchanges)")
        env = dict(os.environ)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "manage.py", "reindex"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=4 * 3600,
        )
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_seconds = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        found = RATE.search(done.stdout)
        result["rebuild"] = {
            "exit_code": done.returncode,
            "wall_seconds": round(seconds, 1),
            "documents": int(found.group(1)) if found else None,
            "seconds": float(found.group(2)) if found else None,
            "documents_per_second": int(found.group(3)) if found else None,
            "cpu_seconds_all_processes": round(cpu_seconds, 1),
            "documents_per_cpu_second": round(int(found.group(1)) / cpu_seconds, 1)
            if found and cpu_seconds
            else None,
            "procs": "2 (Whoosh's multiprocessing writer: search/whoosh/engine.py, "
            "PARALLEL_FROM = 5,000 exchanges, min(cpu_count, 2))",
            "peak_rss_mb_children": round(
                resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
            ),
            "output_tail": done.stdout.strip().splitlines()[-2:]
            + done.stderr.strip()[-500:].splitlines(),
        }
        save()

    # With SEARCH_URL set (a Xapian database, say) the pages and the load run on that
    # engine; the search step compares with raw Whoosh and needs the Whoosh index.
    on_whoosh = "PATH" in settings.HAYSTACK_CONNECTIONS["default"]
    result["search_url"] = os.environ.get("SEARCH_URL", "")
    live = index_link().resolve() if on_whoosh else None
    database = work / "db.sqlite3"
    result["sizes"] = {
        "index_mb": folder_mb(live) if live else None,
        "database_mb": round(database.stat().st_size / 1_048_576, 1),
    }
    save()

    queries = None
    if "search" not in skip and not on_whoosh:
        print("the search step times raw Whoosh beside the page: left out with SEARCH_URL")
    elif "search" not in skip:
        step("reading the index's documents for FTS5")
        floor = RawWhoosh(live)
        docs = []
        started = time.perf_counter()
        for _docnum, fields in floor.searcher.reader().iter_docs():
            held = fields.get("held_on")
            docs.append(
                Doc(
                    int(fields["django_id"]),
                    fields.get("text") or "",
                    [s for s in re.split(r"[,\s]+", fields.get("speakers") or "") if s],
                    held.date() if held else None,
                )
            )
        read_seconds = time.perf_counter() - started
        fts_path = work / "fts5.sqlite3"
        fts_path.unlink(missing_ok=True)
        fts = Fts5(fts_path)
        build_seconds = fts.build(docs)
        result["fts5_build"] = {
            "documents": len(docs),
            "read_seconds": round(read_seconds, 1),
            "build_seconds": round(build_seconds, 1),
            "documents_per_second": round(len(docs) / build_seconds, 1),
            "file_mb": round(fts_path.stat().st_size / 1_048_576, 1),
        }
        queries = build_queries(
            docs, args.queries, args.seed, lambda word: floor.known(word) or fts.known(word)
        )
        del docs
        result["query_set"] = {
            kind: [q.page_string() for q in queries[kind]] for kind in QUERY_TYPES
        }
        statuses: dict = {}
        latency = {}
        step("timing the search page")
        engines = {
            "page": CpuTimed(page_engine(Client(), "/search/", statuses)),
            "whoosh": CpuTimed(floor),
            "fts5": CpuTimed(fts),
        }
        for name, engine in engines.items():
            step(f"timing {name}")
            latency[name] = time_engine(engine, queries, 3)
            latency[name]["cpu"] = engine.summary(3)
        latency["page"]["statuses"] = statuses
        floor.close()
        for entry in latency.values():
            for kind in QUERY_TYPES:
                entry[kind].pop("hits", None)
        result["search"] = latency
        save()

    if "sitemaps" not in skip:
        # Written ahead by `archive_file --watch` beside gunicorn: what a writing costs
        # there, and the check it makes each time it looks for a change.
        step("writing the sitemaps")
        maps, seconds, cpu_seconds = timed(lambda: sitemaps.write_files(force=True))
        stamps = []
        for _ in range(5):
            stamp_started = time.perf_counter()
            sitemaps.archive_stamp()
            stamps.append((time.perf_counter() - stamp_started) * 1000)
        result["sitemaps"] = {
            "pages": maps.pages,
            "addresses": maps.addresses,
            "mb": folder_mb(maps.folder),
            "write_seconds": round(seconds, 1),
            "write_cpu_seconds": round(cpu_seconds, 1),
            "change_check_ms": summarize(stamps),
        }
        save()

    if "pages" not in skip:
        step("timing the pages")
        client = Client()
        result["pages"] = {
            kind: time_paths(client, paths) for kind, paths in page_paths(args.seed).items()
        }
        save()

    if "archive" not in skip:
        step("writing the archive file")
        written, seconds, cpu_seconds = timed(lambda: archive_file.write(force=True))
        gz_started = time.perf_counter()
        with tempfile.TemporaryDirectory(dir=work) as folder:
            archive_file.compress(written.path, Path(folder) / "again.gz")
        result["archive_file"] = {
            "briefings": written.briefings,
            "jsonl_mb": round(written.size / 1_048_576, 1),
            "gzip_mb": round(written.gzip_size / 1_048_576, 1),
            "write_seconds": round(seconds, 1),
            "write_cpu_seconds": round(cpu_seconds, 1),
            "gzip_alone_seconds": round(time.perf_counter() - gz_started, 1),
        }
        save()

    if "rss" not in skip and queries is not None:
        step("one gunicorn worker after 200 mixed requests")
        result["worker_rss"] = gunicorn_worker_rss(work, request_mix(queries, 200, args.seed, True))
        save()

    if "load" not in skip:
        result["load"] = load(work, args.seed, args.load_seconds, [20, 50])
        save()

    result["finished"] = time.strftime("%F %T")
    save()
    step(f"written: {output}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        reliability.kill_all_groups()
