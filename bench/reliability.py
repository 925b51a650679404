"""Reliability under load and faults, on the real corpus (issue #6). A script, not a test.
Long because it is one script of six scenarios sharing one server, corpus and report.

    .venv/bin/python bench/reliability.py [--only load,ingest,reindex,abuse,crash,overlap]
        [--corpus ../shared/corpus] [--limit N] [--data-dir DIR [--as-is]] [--seed 6]
        [--clients 20] [--duration 60] [--crash-rounds 20]
        [--output bench/results/reliability.json]

Everything runs on 127.0.0.1, each scenario bounded in time; every process started here
(gunicorn and its index writer, ingests, reindexes) runs in its own process group and is
killed as a group at the end, whatever happens.

Load scenarios (one gunicorn with gunicorn.conf.py and production settings: DEBUG off, a
generated SECRET_KEY, SECURE_COOKIES=0, ALLOWED_HOSTS=127.0.0.1, its index writer on), over
a DATA_DIR holding the corpus less every 4th White House briefing (held out for `ingest`):

- load: --clients keep-alive clients (threads, http.client) for --duration s over home,
  briefing, exchange and search pages (words and phrases of the corpus);
- ingest: the same load while `manage.py ingest` loads the held-out briefings;
- reindex: the same load while `manage.py reindex` runs; each search's count is compared
  with the count the same search had before (a sequential pass with no load);
- abuse: the same load plus 3 clients looping on abusive searches (long phrases of common
  words, huge OR lists, long strings, wildcard/fuzzy/range syntax, deep pages);
- abuse-export: the same, the 3 clients asking for the search exports (5,000 rows each);
- sitemap-flood: one client timing the home page for --duration s alone, then for --duration
  s beside 4 clients looping on /sitemap-exchanges.xml (its pages in turn), after one
  conditional GET of it (issue 15: four such clients raised the home page's p50 from
  0.02 s to 3.9 s, when every sitemap request ran its queries).

Fault scenarios, each in a fresh DATA_DIR of its own:

- crash: `manage.py ingest` of overlapping chunks of briefings, kill -9 at a seeded random
  moment, --crash-rounds times; then PRAGMA integrity_check, every briefing stored whole
  (its exchanges and turns exactly as its file parses) or not at all, every briefing the
  killed ingests acknowledged present, one `index --drain`, `reconcile`: 0 missing, 0 extra;
- overlap: two `manage.py ingest` at once over overlapping file sets (both starting on the
  same files); then no duplicate, every file's briefing exactly once, exit codes as the
  files warrant, drain + reconcile.

Writes bench/results/reliability.json and prints a table of every figure with its target.
--data-dir keeps the load scenarios' DATA_DIR for another run (the ingest is then quick:
every file is `unchanged`; the held-out briefings are deleted again before `ingest`);
with --as-is, the archive already in it is used as it is (migrated, nothing ingested).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search_bench import (  # noqa: E402  (bench/ is the script's folder)
    RUN,
    STOPWORDS,
    content_words,
    free_port,
    machine,
    percentile,
)

SCENARIOS = (
    "load",
    "ingest",
    "reindex",
    "abuse",
    "abuse-export",
    "sitemap-flood",
    "crash",
    "overlap",
)
LOAD_SCENARIOS = ("load", "ingest", "reindex", "abuse", "abuse-export", "sitemap-flood")
SITEMAP_CLIENTS = 4
SITEMAP_HOME_P50_LIMIT_MS = 200
PYTHON = sys.executable
HOST = "127.0.0.1"
ABUSIVE_CLIENTS = 3
NORMAL_P95_LIMIT_MS = 2000
PAGE_TOTAL = re.compile(r'id="results-heading">\s*(About )?([\d,]+) result|(No results)')
LOG_PROBLEMS = {
    "database_locked": re.compile(r"database is locked"),
    "traceback": re.compile(r"^Traceback"),
    "worker_timeout": re.compile(r"WORKER TIMEOUT"),
    "worker_killed": re.compile(r"Worker \(pid:\d+\) was sent SIG(KILL|ABRT)"),
    "server_error": re.compile(r"Internal Server Error"),
    "gunicorn_error": re.compile(r"\[ERROR\]"),
}

# Process groups started here; all are killed on the way out.
GROUPS: set[int] = set()


def step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def loadavg() -> list[float]:
    return [float(value) for value in Path("/proc/loadavg").read_text().split()[:3]]


# Processes.


def server_env(data_dir: Path, secret: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "DEBUG": "0",
        "SECRET_KEY": secret,
        "SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": HOST,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONUNBUFFERED": "1",  # output written before a kill -9 is output seen
    }
    env.pop("DATABASE_URL", None)
    return env


def spawn(command: list[str], env: dict[str, str], **kwargs) -> subprocess.Popen:
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, **kwargs)
    GROUPS.add(process.pid)
    return process


def kill_group(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)
    if sig == signal.SIGKILL:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        GROUPS.discard(process.pid)


def kill_all_groups() -> None:
    for pgid in list(GROUPS):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
        GROUPS.discard(pgid)


def manage(env: dict[str, str], *arguments: str, timeout: float = 900) -> tuple[int, str]:
    """A management command to completion, bounded in time; (exit code, output)."""
    process = spawn(
        [PYTHON, "manage.py", *arguments],
        env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process)
        return -9, f"killed after {timeout} s"
    GROUPS.discard(process.pid)
    return process.returncode, output


class Lines:
    """A process's output, line by line, with the moment each arrived."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.lines: list[tuple[float, str]] = []
        self.thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self.thread.start()

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def text(self) -> list[str]:
        self.thread.join(timeout=5)
        return [line for _moment, line in self.lines]


def child_task(env: dict[str, str], task: str, files: list[str], timeout: float = 900) -> dict:
    """Run one of this script's Django-side checks in a child (the DATA_DIR is per child)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(files))
    try:
        process = spawn(
            [PYTHON, __file__, "--task", task, "--files-from", listing.name],
            env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            output, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(process)
            return {"error": f"{task}: killed after {timeout} s"}
        GROUPS.discard(process.pid)
        if process.returncode != 0:
            return {"error": f"{task} exited {process.returncode}: {errors[-2000:]}"}
        return json.loads(output.strip().splitlines()[-1])
    finally:
        os.unlink(listing.name)


# The corpus.


def corpus_files(corpus: Path, limit: int) -> list[Path]:
    """The White House Markdown briefings (one file each) and the SCIO page."""
    files = sorted((corpus / "wh-briefings").rglob("*.md")) + sorted((corpus / "scio").glob("*"))
    files = [path for path in files if path.is_file() and not path.name.startswith(".")]
    return files[:limit] if limit else files


def briefing_files(files: list[Path]) -> list[Path]:
    """One file, one briefing: ingest prints their outcomes in file order."""
    return [path for path in files if path.suffix == ".md"]


# Load.


@dataclass
class Sample:
    group: str  # "normal" or "abuse"
    kind: str
    path: str
    started: float  # time.monotonic()
    ms: float
    status: int  # 0: no response
    error: str = ""
    total: int | None = None
    estimated: bool = False
    timed_out: bool = False


def read_total(body: str) -> tuple[int | None, bool, bool]:
    match = PAGE_TOTAL.search(body)
    timed_out = "in the time allowed" in body or "&ge; " in body
    if not match:
        return None, False, timed_out
    total = 0 if match.group(3) else int(match.group(2).replace(",", ""))
    return total, bool(match.group(1)), timed_out


class Load:
    """Client threads, each on its own keep-alive connection, going through its plan of
    (kind, path) in a loop until stopped."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.samples: list[Sample] = []
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []
        self.started = 0.0
        self.stopped = 0.0
        self.loads: list[list[float]] = []

    def add(self, group: str, plan: list[tuple[str, str]]) -> None:
        thread = threading.Thread(target=self._client, args=(group, plan), daemon=True)
        self.threads.append(thread)

    def start(self) -> None:
        self.started = time.monotonic()
        for thread in self.threads:
            thread.start()
        threading.Thread(target=self._watch_load, daemon=True).start()

    def stop(self) -> None:
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout=90)
        self.stopped = time.monotonic()

    def _watch_load(self) -> None:
        while not self.stop_event.wait(2.0):
            self.loads.append(loadavg())

    def _client(self, group: str, plan: list[tuple[str, str]]) -> None:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        number = 0
        while not self.stop_event.is_set():
            kind, path = plan[number % len(plan)]
            number += 1
            started = time.monotonic()
            sample = Sample(group, kind, path, started, 0.0, 0)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
                sample.status = response.status
                if kind.startswith("search") and response.status == 200:
                    total, sample.estimated, sample.timed_out = read_total(
                        body.decode("utf-8", "replace")
                    )
                    sample.total = total
            except (OSError, http.client.HTTPException) as error:
                sample.error = repr(error)[:300]
                connection.close()
            sample.ms = (time.monotonic() - started) * 1000
            self.samples.append(sample)
        connection.close()


def normal_plan(rng: random.Random, site: dict, size: int = 3000) -> list[tuple[str, str]]:
    """Home 10 %, briefing 25 %, exchange 25 %, search 40 % (words and phrases)."""
    plan = []
    for _ in range(size):
        roll = rng.random()
        if roll < 0.10:
            plan.append(("home", "/"))
        elif roll < 0.35:
            plan.append(("briefing", f"/briefings/{rng.choice(site['slugs'])}/"))
        elif roll < 0.60:
            slug, position = rng.choice(site["exchanges"])
            plan.append(("exchange", f"/briefings/{slug}/{position}/"))
        else:
            query = rng.choice(site["queries"])
            plan.append(("search", search_path(query)))
    return plan


def search_path(query: str, **extra: str) -> str:
    return "/search/?" + urllib.parse.urlencode({"q": query, **extra})


def site_sample(database: Path, seed: int) -> dict:
    """Addresses and searches from what the database holds: briefing slugs, exchanges,
    and words, word pairs and phrases said in a seeded sample of turns."""
    rng = random.Random(seed)
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    slugs = [row[0] for row in db.execute("SELECT slug FROM briefings_conference ORDER BY id")]
    exchanges = db.execute(
        "SELECT c.slug, e.position FROM briefings_exchange e "
        "JOIN briefings_conference c ON c.id = e.conference_id ORDER BY e.id"
    ).fetchall()
    top = db.execute("SELECT max(id) FROM briefings_turn").fetchone()[0] or 0
    ids = rng.sample(range(1, top + 1), min(top, 600))
    texts = [
        row[0]
        for row in db.execute(
            f"SELECT text FROM briefings_turn WHERE id IN ({','.join(map(str, ids))})"
        )
    ]
    db.close()
    words: Counter[str] = Counter()
    queries: list[str] = []
    phrases: list[str] = []
    for text in texts:
        found = content_words(text)
        words.update(found)
        if found:
            queries.append(rng.choice(found))
        if len(set(found)) >= 2:
            queries.append(" ".join(rng.sample(sorted(set(found)), 2)))
        for run in RUN.findall(text):
            run_words = run.lower().split()
            for start in range(len(run_words) - 1):
                window = run_words[start : start + rng.choice((2, 3))]
                if len(window) > 1 and all(len(w) >= 3 and w not in STOPWORDS for w in window):
                    phrases.append(f'"{" ".join(window)}"')
    rng.shuffle(phrases)
    queries = list(dict.fromkeys(queries[:160] + phrases[:80]))
    return {
        "slugs": slugs,
        "exchanges": exchanges,
        "queries": queries,
        "common_words": [word for word, _count in words.most_common(60)],
    }


def abusive_plan(site: dict, export: bool) -> list[tuple[str, str]]:
    common = site["common_words"]
    long_phrase = " ".join(common[:8])
    if export:
        return [
            ("export-json", "/search/export.json?" + urllib.parse.urlencode({"q": common[0]})),
            ("export-csv", "/search/export.csv?" + urllib.parse.urlencode({"q": common[1]})),
            ("export-json", "/search/export.json?" + urllib.parse.urlencode({"q": common[2]})),
            ("export-csv", "/search/export.csv?" + urllib.parse.urlencode({"q": "president"})),
        ]
    ors = " OR ".join(common * 6)  # 360 alternatives: the query is cut at 20
    huge_or = " OR ".join((common * 20)[:1000])  # past gunicorn's 4,094-byte request line
    return [
        ("search-long-phrase", search_path(f'"{long_phrase}" "{" ".join(common[8:16])}"')),
        ("search-long-phrase", search_path(f'"{long_phrase} {long_phrase}"')),
        ("search-or-list", search_path(ors[:3000])),
        ("search-or-list", search_path(huge_or)),
        ("search-long-string", search_path("x" * 3500)),
        ("search-long-string", search_path(" ".join(common * 10)[:3500])),
        ("search-syntax", search_path("a* b* c* president~5 [a TO z] {a TO z} the^100")),
        ("search-syntax", search_path("\x00\x07 " * 200)),
        ("search-deep", search_path(common[0], page="50", sort="oldest")),
        ("search-deep", search_path(common[1], page="999")),
    ]


def summarize(samples: list[Sample], seconds: float) -> dict:
    times = [sample.ms for sample in samples]
    errors = [s for s in samples if s.status != 200]
    statuses = Counter(str(s.status) for s in samples)
    return {
        "requests": len(samples),
        "requests_per_second": round(len(samples) / seconds, 1) if seconds else None,
        "errors": len(errors),
        "statuses": dict(sorted(statuses.items())),
        "p50_ms": round(percentile(times, 0.50), 1) if times else None,
        "p95_ms": round(percentile(times, 0.95), 1) if times else None,
        "p99_ms": round(percentile(times, 0.99), 1) if times else None,
        "max_ms": round(max(times), 1) if times else None,
        "timed_out_searches": sum(1 for s in samples if s.timed_out),
        "error_examples": sorted({f"{s.status} {s.kind} {s.path[:80]} {s.error}" for s in errors})[
            :5
        ],
    }


def load_report(load: Load, samples: list[Sample] | None = None) -> dict:
    samples = load.samples if samples is None else samples
    seconds = load.stopped - load.started
    report: dict = {"seconds": round(seconds, 1)}
    for group in ("normal", "abuse"):
        chosen = [s for s in samples if s.group == group]
        if not chosen:
            continue
        entry = summarize(chosen, seconds)
        entry["by_kind"] = {
            kind: summarize([s for s in chosen if s.kind == kind], seconds)
            for kind in sorted({s.kind for s in chosen})
        }
        report[group] = entry
    loads = load.loads or [loadavg()]
    report["load_average_1min"] = {
        "mean": round(sum(v[0] for v in loads) / len(loads), 2),
        "max": max(v[0] for v in loads),
    }
    return report


# gunicorn.


class Server:
    def __init__(self, data_dir: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.log_path = data_dir / "gunicorn-reliability.log"
        self.env = {**env, "BIND": f"{HOST}:{self.port}"}
        self.process: subprocess.Popen | None = None

    def start(self, budget: float = 90) -> None:
        # As `make serve` runs it: gunicorn, the index writer and the archive file's writer.
        command = [PYTHON, "-m", "config.serve"]
        with self.log_path.open("wb") as log:
            self.process = spawn(command, self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + budget
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                connection = http.client.HTTPConnection(HOST, self.port, timeout=10)
                connection.request("GET", "/")
                status = connection.getresponse().status
                connection.close()
                if status == 200:
                    return
                raise RuntimeError(f"gunicorn answers / with {status}; see {self.log_path}")
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer within {budget} s")

    def log_offset(self) -> int:
        return self.log_path.stat().st_size

    def problems(self, since: int) -> dict:
        with self.log_path.open("rb") as log:
            log.seek(since)
            text = log.read().decode("utf-8", "replace")
        lines = text.splitlines()
        found = {
            name: sum(1 for line in lines if rx.search(line)) for name, rx in LOG_PROBLEMS.items()
        }
        found["workers_booted"] = sum(1 for line in lines if "Booting worker" in line)
        examples = [line for line in lines if any(rx.search(line) for rx in LOG_PROBLEMS.values())]
        found["examples"] = examples[:5]
        return found

    def stop(self) -> None:
        if self.process is None:
            return
        kill_group(self.process, signal.SIGTERM)  # the master stops its index writer
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=20)
        time.sleep(1)
        kill_group(self.process)  # anything left in the group


def queue_length(database: Path) -> int:
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=20)
    try:
        return db.execute("SELECT count(*) FROM search_indexqueue").fetchone()[0]
    finally:
        db.close()


def wait_for_empty_queue(database: Path, budget: float) -> float | None:
    """Seconds until the index writer has applied every queued change; None if not."""
    started = time.monotonic()
    while time.monotonic() - started < budget:
        if queue_length(database) == 0:
            return round(time.monotonic() - started, 1)
        time.sleep(0.5)
    return None


# The load scenarios.


def run_load(
    server: Server,
    site: dict,
    args: argparse.Namespace,
    *,
    abusive: str = "",
    during: list[str] | None = None,
) -> tuple[Load, dict]:
    """--clients normal clients for --duration s (at least as long as `during`, a
    management command started 3 s in, plus 3 s); with `abusive`, 3 more clients."""
    load = Load(server.port)
    for number in range(args.clients):
        load.add("normal", normal_plan(random.Random(args.seed * 1000 + number), site))
    if abusive:
        plan = abusive_plan(site, export=abusive == "export")
        for number in range(ABUSIVE_CLIENTS):
            load.add("abuse", plan[number:] + plan[:number])
    offset = server.log_offset()
    extra: dict = {"load_average_before": loadavg()}
    load.start()
    deadline = load.started + args.duration
    if during:
        time.sleep(3)
        started = time.monotonic()
        process = spawn(
            [PYTHON, "manage.py", *during],
            server.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines = Lines(process)
        try:
            process.wait(timeout=args.command_budget)
        except subprocess.TimeoutExpired:
            kill_group(process)
            extra["command_killed_after_s"] = args.command_budget
        GROUPS.discard(process.pid)
        finished = time.monotonic()
        extra["command"] = {
            "argv": [during[0], f"({len(during) - 1} arguments)"],
            "exit_code": process.returncode,
            "seconds": round(finished - started, 1),
            "started_at_s": round(started - load.started, 1),
            "output_tail": lines.text()[-4:],
            "output": lines.text(),
        }
        extra["window"] = (started, finished)
        deadline = max(deadline, finished + 3)
    while time.monotonic() < deadline:
        time.sleep(0.2)
    load.stop()
    report = load_report(load)
    report["load_average_before"] = extra.pop("load_average_before")
    report["server_log"] = server.problems(offset)
    report.update(extra)
    return load, report


def scenario_load(server: Server, site: dict, args: argparse.Namespace) -> dict:
    step(f"load: {args.clients} clients for {args.duration} s")
    _load, report = run_load(server, site, args)
    return report


def scenario_ingest(
    server: Server, site: dict, args: argparse.Namespace, held_out: list[Path]
) -> dict:
    database = Path(server.env["DATA_DIR"]) / "db.sqlite3"
    wait_for_empty_queue(database, 120)
    step(f"ingest: load while `manage.py ingest` loads {len(held_out)} briefings")
    _load, report = run_load(
        server, site, args, during=["ingest", *(str(path) for path in held_out)]
    )
    command = report["command"]
    output = command.pop("output")
    failed = [line for line in output if "FAILED" in line]
    command["created"] = sum(1 for line in output if re.match(r"\[\d+\] created", line))
    command["failed_lines"] = failed[:5]
    command["store_failures"] = sum(1 for line in failed if "could not be stored" in line)
    command["database_locked"] = sum(1 for line in output if "database is locked" in line)
    command["exit_code_sensible"] = (
        command["exit_code"] == (1 if failed else 0) and not (command["store_failures"])
    )
    report.pop("window", None)
    report["index_queue_empty_after_s"] = wait_for_empty_queue(database, 300)
    return report


def count_pass(port: int, queries: list[str]) -> dict[str, tuple[int | None, bool, bool]]:
    """Each query once, one at a time, no other load: the reference counts."""
    counts = {}
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    for query in queries:
        for _attempt in range(3):  # a timed-out search is asked again
            connection.request("GET", search_path(query))
            response = connection.getresponse()
            counts[query] = read_total(response.read().decode("utf-8", "replace"))
            if not counts[query][2]:
                break
    connection.close()
    return counts


def scenario_reindex(server: Server, site: dict, args: argparse.Namespace) -> dict:
    database = Path(server.env["DATA_DIR"]) / "db.sqlite3"
    wait_for_empty_queue(database, 300)
    step(f"reindex: reference counts for {len(site['queries'])} searches")
    before = count_pass(server.port, site["queries"])
    step("reindex: load while `manage.py reindex` runs")
    load, report = run_load(server, site, args, during=["reindex"])
    report["command"].pop("output")
    started, finished = report.pop("window")
    during = [
        s
        for s in load.samples
        if s.kind == "search" and s.status == 200 and started <= s.started <= finished
    ]
    verdicts: Counter[str] = Counter()
    examples: list[str] = []
    for sample in during:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(sample.path).query)["q"][0]
        reference, reference_estimated, reference_timed_out = before[query]
        if sample.timed_out or reference_timed_out:
            verdicts["timed out (partial by design, not comparable)"] += 1
        elif sample.estimated or reference_estimated:
            same = sample.total == reference
            verdicts[f"estimated, {'same' if same else 'different'} estimate"] += 1
        elif sample.total == reference:
            verdicts["same count"] += 1
        else:
            verdicts["different count"] += 1
            if len(examples) < 5:
                examples.append(f"{query!r}: {sample.total} during, {reference} before")
        if not sample.timed_out and reference and not sample.total:
            verdicts["zero hits where there were some"] += 1
    report["searches_during_reindex"] = {
        "searches": len(during),
        "verdicts": dict(verdicts),
        "different_examples": examples,
        "reference_timed_out": sum(1 for value in before.values() if value[2]),
        "reference_estimated": sum(1 for value in before.values() if value[1]),
    }
    comparable = [s for s in during if not s.timed_out]
    report["during_reindex"] = summarize(
        [s for s in load.samples if started <= s.started <= finished], finished - started
    )
    report["searches_during_reindex"]["comparable"] = len(comparable)
    return report


def scenario_abuse(server: Server, site: dict, args: argparse.Namespace, kind: str) -> dict:
    step(
        f"{'abuse-export' if kind == 'export' else 'abuse'}: {args.clients} normal clients "
        f"and {ABUSIVE_CLIENTS} abusive ones for {args.duration} s"
    )
    _load, report = run_load(server, site, args, abusive=kind)
    return report


def wait_for_archive_writer(data_dir: Path, port: int, budget: float) -> float | None:
    """Seconds until the archive file's writer (started by config.serve) has written the
    archive file, and the sitemaps answer: both cost CPU the figures should not carry."""
    started = time.monotonic()
    about = data_dir / "exports" / "briefing-archive.jsonl.about.json"
    while not about.exists():
        if time.monotonic() - started > budget:
            return None
        time.sleep(1)
    connection = http.client.HTTPConnection(HOST, port, timeout=budget)
    for path in ("/sitemap.xml", "/sitemap-exchanges.xml"):
        connection.request("GET", path)
        connection.getresponse().read()
    connection.close()
    return round(time.monotonic() - started, 1)


def sitemap_pages(port: int) -> list[str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    connection.request("GET", "/sitemap.xml")
    index = connection.getresponse().read().decode("utf-8", "replace")
    connection.close()
    pages = re.findall(r"<loc>https?://[^/<]+(/sitemap-exchanges\.xml[^<]*)</loc>", index)
    return [page.replace("&amp;", "&") for page in pages] or ["/sitemap-exchanges.xml"]


def sitemap_alone(port: int, pages: list[str], rounds: int = 5) -> dict:
    """Each page of the exchanges' sitemap `rounds` times, one request at a time."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    times = []
    for _round in range(rounds):
        for page in pages:
            started = time.monotonic()
            connection.request("GET", page)
            connection.getresponse().read()
            times.append((time.monotonic() - started) * 1000)
    connection.close()
    return {
        "requests": len(times),
        "p50_ms": round(percentile(times, 0.50), 1),
        "max_ms": round(max(times), 1),
    }


def conditional_get(port: int, path: str) -> dict:
    """The page once, then again with its Last-Modified as If-Modified-Since."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    started = time.monotonic()
    connection.request("GET", path)
    response = connection.getresponse()
    size = len(response.read())
    first_ms = (time.monotonic() - started) * 1000
    last_modified = response.getheader("Last-Modified")
    result = {"status": response.status, "bytes": size, "ms": round(first_ms, 1)}
    result["last_modified"] = last_modified
    if last_modified:
        started = time.monotonic()
        connection.request("GET", path, headers={"If-Modified-Since": last_modified})
        again = connection.getresponse()
        again.read()
        result["conditional_status"] = again.status
        result["conditional_ms"] = round((time.monotonic() - started) * 1000, 1)
    connection.close()
    return result


def scenario_sitemap_flood(server: Server, args: argparse.Namespace) -> dict:
    data_dir = Path(server.env["DATA_DIR"])
    report: dict = {
        "writers_settled_after_s": wait_for_archive_writer(data_dir, server.port, 900),
    }
    pages = sitemap_pages(server.port)
    report["sitemap_pages"] = pages
    report["conditional_get"] = conditional_get(server.port, pages[0])
    report["sitemap_alone_ms"] = sitemap_alone(server.port, pages)
    for phase, flood in (("alone", False), ("beside_sitemap_clients", True)):
        step(
            f"sitemap-flood: the home page for {args.duration} s"
            + (f" beside {SITEMAP_CLIENTS} clients looping on the sitemap" if flood else "")
        )
        load = Load(server.port)
        load.add("normal", [("home", "/")])
        if flood:
            for number in range(SITEMAP_CLIENTS):
                plan = [("sitemap", page) for page in pages[number:] + pages[:number]]
                load.add("abuse", plan)
        offset = server.log_offset()
        load.start()
        time.sleep(args.duration)
        load.stop()
        entry = load_report(load)
        entry["server_log"] = server.problems(offset)
        report[phase] = entry
    return report


# The fault scenarios.


def fresh_data_dir(root: Path, name: str, secret: str) -> tuple[Path, dict[str, str]]:
    data_dir = root / name
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    env = server_env(data_dir, secret)
    code, output = manage(env, "migrate", "--noinput", "--verbosity", "0", timeout=300)
    if code != 0:
        raise RuntimeError(f"migrate failed: {output[-2000:]}")
    return data_dir, env


def integrity(database: Path) -> dict:
    db = sqlite3.connect(database, timeout=30)
    try:
        return {
            "integrity_check": [row[0] for row in db.execute("PRAGMA integrity_check")],
            "foreign_key_violations": len(db.execute("PRAGMA foreign_key_check").fetchall()),
            # A killed ingest never finishes its log entry: the admin's ingest log says so.
            "ingest_runs_left_running": db.execute(
                "SELECT count(*) FROM briefings_ingestrun WHERE status = 'running'"
            ).fetchone()[0],
        }
    finally:
        db.close()


def drain_and_reconcile(env: dict[str, str]) -> dict:
    started = time.monotonic()
    drain_code, drain_output = manage(env, "index", "--drain", timeout=600)
    drained = time.monotonic()
    code, output = manage(env, "reconcile", timeout=600)
    match = re.search(r"(\d+) missing, (\d+) extra", output)
    return {
        "drain_exit_code": drain_code,
        "drain": drain_output.strip().splitlines()[-1:] if drain_output.strip() else [],
        "drain_seconds": round(drained - started, 1),
        "reconcile_exit_code": code,
        "missing": int(match.group(1)) if match else None,
        "extra": int(match.group(2)) if match else None,
        "recovery_seconds": round(time.monotonic() - started, 1),
    }


def scenario_crash(root: Path, files: list[Path], args: argparse.Namespace, secret: str) -> dict:
    data_dir, env = fresh_data_dir(root, "crash", secret)
    rng = random.Random(args.seed)
    pool = briefing_files(files)
    chunk, stride = 30, 20  # each chunk starts on the last 10 files of the one before
    step(f"crash: {args.crash_rounds} rounds of `ingest` of {chunk} briefings, kill -9 at random")
    rounds = []
    given: list[str] = []
    acknowledged: list[str] = []
    for number in range(args.crash_rounds):
        start = (number * stride) % max(1, len(pool) - chunk)
        files_now = [str(path) for path in pool[start : start + chunk]]
        given += files_now
        delay = rng.uniform(0.3, 6.0)
        process = spawn(
            [PYTHON, "manage.py", "ingest", *files_now],
            env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines = Lines(process)
        try:
            process.wait(timeout=delay)
            killed = False
        except subprocess.TimeoutExpired:
            kill_group(process)
            killed = True
        GROUPS.discard(process.pid)
        output = lines.text()
        outcomes = [re.match(r"\[(\d+)\] (\w+)", line) for line in output]
        done = [m for m in outcomes if m]
        for match in done:
            if match.group(2) in {"created", "unchanged"}:
                acknowledged.append(files_now[int(match.group(1)) - 1])
        if not killed:
            stage = f"finished (exit {process.returncode})"
        elif any(line.startswith("Search index:") for line in output):
            stage = "after the index drain"
        elif len(done) == len(files_now):
            stage = "during the index drain"
        elif done:
            stage = f"storing briefing {len(done) + 1} of {len(files_now)}"
        else:
            stage = "starting up or reading the first file"
        rounds.append(
            {"delay_s": round(delay, 2), "killed": killed, "stage": stage, "outcomes": len(done)}
        )
    database = data_dir / "db.sqlite3"
    result: dict = {
        "rounds": rounds,
        "kills": sum(1 for r in rounds if r["killed"]),
        "stages": dict(Counter(r["stage"].split(" (")[0].split(" briefing")[0] for r in rounds)),
        "queued_before_drain": queue_length(database),
    }
    step("crash: integrity check, whole-or-nothing check, drain, reconcile")
    result.update(integrity(database))
    checked = child_task(env, "check", sorted(set(given)))
    acked = set(acknowledged)
    result["stored"] = checked
    result["acknowledged"] = len(acked)
    result["acknowledged_missing"] = sorted(set(checked.get("absent", [])) & acked)[:10]
    result["acknowledged_missing_count"] = len(set(checked.get("absent", [])) & acked)
    result["index"] = drain_and_reconcile(env)
    return result


def scenario_overlap(root: Path, files: list[Path], args: argparse.Namespace, secret: str) -> dict:
    data_dir, env = fresh_data_dir(root, "overlap", secret)
    pool = briefing_files(files)[: args.overlap_files]
    third = len(pool) // 3
    first = [str(path) for path in pool[: 2 * third]]
    second = [str(path) for path in pool[:third] + pool[2 * third :]]
    step(
        f"overlap: two ingests at once, {len(first)} and {len(second)} briefings, "
        f"{third} in common (both start on them)"
    )
    processes = []
    for files_now in (first, second):
        process = spawn(
            [PYTHON, "manage.py", "ingest", *files_now],
            env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        processes.append((process, Lines(process), files_now))
    started = time.monotonic()
    runs = []
    for process, lines, files_now in processes:
        remaining = max(1.0, args.command_budget - (time.monotonic() - started))
        try:
            process.wait(timeout=remaining)
        except subprocess.TimeoutExpired:
            kill_group(process)
        GROUPS.discard(process.pid)
        output = lines.text()
        statuses = Counter(
            m.group(1) for m in (re.match(r"\[\d+\] (\w+)", line) for line in output) if m
        )
        store_failures = sum(1 for line in output if "could not be stored" in line)
        runs.append(
            {
                "files": len(files_now),
                "given": files_now,
                "exit_code": process.returncode,
                "outcomes": dict(statuses),
                "store_failures": store_failures,
                "database_locked": sum(1 for line in output if "database is locked" in line),
                "summary": [line for line in output if line.startswith("Ingest finished")],
                "failed_lines": [line for line in output if "FAILED" in line][:4],
            }
        )
    seconds = round(time.monotonic() - started, 1)
    database = data_dir / "db.sqlite3"
    result: dict = {"runs": runs, "seconds": seconds, "pool": len(pool), "in_common": third}
    result.update(integrity(database))
    step("overlap: exactly-once check, drain, reconcile")
    result["stored"] = child_task(env, "check", [str(path) for path in pool])
    unparseable = set(result["stored"].get("unparseable", []))
    for run in runs:  # a file that does not parse fails its ingest: exit code 1
        run["expected_exit_code"] = 1 if unparseable & set(run.pop("given")) else 0
    result["index"] = drain_and_reconcile(env)
    return result


# Django-side checks, run in a child process with the scenario's DATA_DIR.


def task_main(task: str, files: list[str]) -> int:
    import django

    django.setup()
    from django.db.models import Count

    from briefings.ingest.load import content_hash
    from briefings.ingest.run import iter_documents
    from briefings.models import Conference, Exchange
    from search.indexing import drain

    documents = list(iter_documents((name, Path(name).read_bytes()) for name in files))
    if task == "drop":
        hashes = [content_hash(d.sources) for d in documents if d.parsed is not None]
        found = Conference.objects.filter(content_hash__in=hashes)
        count = found.count()
        found.delete()  # the exchanges' deletes are queued by the signal handlers
        drain(block=True)
        print(json.dumps({"deleted": count}))
        return 0
    # check: each file's briefing is stored whole, or not at all; nothing twice.
    absent, whole, partial, unparseable = [], 0, [], []
    expected_hashes = set()
    for document in documents:
        name = document.sources[0].filename
        if document.parsed is None:
            unparseable.append(name)
            continue
        digest = content_hash(document.sources)
        expected_hashes.add(digest)
        stored = list(Conference.objects.filter(content_hash=digest))
        if not stored:
            absent.append(name)
            continue
        conference = stored[0]
        turns = list(
            Exchange.objects.filter(conference=conference)
            .order_by("position")
            .annotate(turn_count=Count("turns"))
            .values_list("turn_count", flat=True)
        )
        wanted = [len(exchange.turns) for exchange in document.parsed.exchanges]
        if turns == wanted and conference.sources.count() == len(document.sources):
            whole += 1
        else:
            partial.append(f"{name}: {len(turns)} exchanges stored of {len(wanted)}")
    by_url = Counter(Conference.objects.exclude(source_url="").values_list("source_url", flat=True))
    by_title = Counter(Conference.objects.filter(source_url="").values_list("title", "held_on"))
    stored_hashes = set(Conference.objects.values_list("content_hash", flat=True))
    print(
        json.dumps(
            {
                "files": len(files),
                "conferences": Conference.objects.count(),
                "whole": whole,
                "partial": partial,
                "absent": absent,
                "unparseable": unparseable,
                "duplicate_source_urls": sum(1 for n in by_url.values() if n > 1),
                "duplicate_title_dates": sum(1 for n in by_title.values() if n > 1),
                "unexpected_conferences": len(stored_hashes - expected_hashes),
            }
        )
    )
    return 0


# The targets and the table.


def targets(results: dict) -> list[dict]:
    rows: list[dict] = []

    def row(scenario: str, figure: str, value: object, target: str, met: bool | None) -> None:
        rows.append(
            {"scenario": scenario, "figure": figure, "value": value, "target": target, "met": met}
        )

    for name in ("load", "ingest", "reindex", "abuse", "abuse-export"):
        report = results.get(name)
        if not report:
            continue
        if "error" in report:
            row(name, "ran", report["error"], "runs", False)
            continue
        normal = report["normal"]
        row(name, "normal requests", normal["requests"], "", None)
        row(
            name,
            "normal errors (non-200 or no answer)",
            normal["errors"],
            "0",
            normal["errors"] == 0,
        )
        row(name, "normal req/s", normal["requests_per_second"], "report", None)
        row(name, "normal p95 ms (all pages)", normal["p95_ms"], "report", None)
        for kind, entry in normal["by_kind"].items():
            row(
                name,
                f"  {kind} p50 / p95 / p99 ms",
                f"{entry['p50_ms']} / {entry['p95_ms']} / {entry['p99_ms']}",
                "report",
                None,
            )
        searches = normal["by_kind"].get("search", {})
        row(
            name,
            "  searches cut by the 1 s time limit",
            searches.get("timed_out_searches"),
            "report",
            None,
        )
        log = report["server_log"]
        bad = {k: v for k, v in log.items() if k not in {"examples", "workers_booted"} and v}
        row(name, "server log: errors, tracebacks, timeouts, locks", bad or 0, "0", not bad)
        row(
            name,
            "load average 1 min (before; mean / max during)",
            f"{report['load_average_before'][0]}; {report['load_average_1min']['mean']} / "
            f"{report['load_average_1min']['max']}",
            "report",
            None,
        )
        if name == "ingest":
            command = report["command"]
            row(name, "briefings ingested during the load", command["created"], "report", None)
            row(name, "ingest seconds under load", command["seconds"], "report", None)
            row(
                name,
                "ingest store failures / database locked",
                f"{command['store_failures']} / {command['database_locked']}",
                "0 / 0",
                command["store_failures"] == 0 and command["database_locked"] == 0,
            )
            row(
                name,
                "ingest exit code",
                command["exit_code"],
                "0, or 1 for unparseable files",
                command["exit_code_sensible"],
            )
            row(
                name,
                "index queue empty after ingest, s",
                report["index_queue_empty_after_s"],
                "report",
                report["index_queue_empty_after_s"] is not None,
            )
        if name == "reindex":
            command = report["command"]
            row(
                name,
                "reindex seconds under load (exit code)",
                f"{command['seconds']} ({command['exit_code']})",
                "exit 0",
                command["exit_code"] == 0,
            )
            during = report["searches_during_reindex"]
            verdicts = during["verdicts"]
            worse = verdicts.get("different count", 0) + verdicts.get(
                "zero hits where there were some", 0
            )
            row(name, "searches during the reindex", during["searches"], "report", None)
            row(
                name,
                "  same count as before",
                verdicts.get("same count", 0),
                "all comparable",
                None,
            )
            row(name, "  different count / zero hits", worse, "0", worse == 0)
            estimated = {k: v for k, v in verdicts.items() if k.startswith("estimated")}
            row(name, "  estimated counts (same / different)", estimated or 0, "report", None)
            timed = verdicts.get("timed out (partial by design, not comparable)", 0)
            row(name, "  timed out (not comparable)", timed, "report", None)
            row(
                name,
                "normal errors during the reindex window",
                report["during_reindex"]["errors"],
                "0",
                report["during_reindex"]["errors"] == 0,
            )
        if name.startswith("abuse"):
            abuse = report["abuse"]
            p95 = normal["p95_ms"]
            row(
                name,
                "normal users' p95 ms",
                p95,
                f"< {NORMAL_P95_LIMIT_MS}",
                p95 is not None and p95 < NORMAL_P95_LIMIT_MS,
            )
            row(
                name,
                "abusive requests (statuses)",
                f"{abuse['requests']} {abuse['statuses']}",
                "2xx or 4xx, never 5xx",
                not any(s.startswith("5") or s == "0" for s in abuse["statuses"]),
            )
            for kind, entry in abuse["by_kind"].items():
                row(
                    name,
                    f"  abusive {kind} p50 / p95 ms",
                    f"{entry['p50_ms']} / {entry['p95_ms']}",
                    "report",
                    None,
                )
    flood = results.get("sitemap-flood")
    if flood and "error" in flood:
        row("sitemap-flood", "ran", flood["error"], "runs", False)
    elif flood:
        alone = flood["alone"]["normal"]
        beside = flood["beside_sitemap_clients"]["normal"]
        sitemap = flood["beside_sitemap_clients"].get("abuse", {})
        row(
            "sitemap-flood",
            "home p50 / p95 ms alone",
            f"{alone['p50_ms']} / {alone['p95_ms']}",
            "report",
            None,
        )
        p50 = beside["p50_ms"]
        row(
            "sitemap-flood",
            f"home p50 / p95 ms beside {SITEMAP_CLIENTS} sitemap clients",
            f"{p50} / {beside['p95_ms']}",
            f"p50 < {SITEMAP_HOME_P50_LIMIT_MS}",
            p50 is not None and p50 < SITEMAP_HOME_P50_LIMIT_MS,
        )
        row(
            "sitemap-flood",
            "home errors beside the sitemap clients",
            beside["errors"],
            "0",
            beside["errors"] == 0,
        )
        row(
            "sitemap-flood",
            "sitemap requests (statuses), p50 / p95 ms",
            f"{sitemap.get('requests')} {sitemap.get('statuses')}, "
            f"{sitemap.get('p50_ms')} / {sitemap.get('p95_ms')}",
            "report",
            None,
        )
        alone_ms = flood["sitemap_alone_ms"]
        row(
            "sitemap-flood",
            "a sitemap page alone, p50 / max ms",
            f"{alone_ms['p50_ms']} / {alone_ms['max_ms']}",
            "report",
            None,
        )
        conditional = flood["conditional_get"].get("conditional_status")
        row(
            "sitemap-flood",
            "sitemap conditional GET (If-Modified-Since)",
            conditional,
            "304",
            conditional == 304,
        )
    crash = results.get("crash")
    if crash and "error" not in crash:
        stored = crash["stored"]
        row("crash", "kill -9 delivered", crash["kills"], f"{len(crash['rounds'])} rounds", None)
        row("crash", "stages killed in", crash["stages"], "report", None)
        row(
            "crash",
            "PRAGMA integrity_check",
            crash["integrity_check"],
            "['ok']",
            crash["integrity_check"] == ["ok"],
        )
        row(
            "crash",
            "foreign key violations",
            crash["foreign_key_violations"],
            "0",
            crash["foreign_key_violations"] == 0,
        )
        row(
            "crash",
            "briefings stored whole / absent",
            f"{stored.get('whole')} / {len(stored.get('absent', []))}",
            "report",
            None,
        )
        row(
            "crash",
            "half-saved briefings",
            len(stored.get("partial", [])),
            "0",
            not stored.get("partial") and "error" not in stored,
        )
        row(
            "crash",
            "acknowledged then lost",
            crash["acknowledged_missing_count"],
            f"0 of {crash['acknowledged']}",
            crash["acknowledged_missing_count"] == 0,
        )
        row(
            "crash",
            "ingest log entries left 'running'",
            crash["ingest_runs_left_running"],
            "report",
            None,
        )
        row(
            "crash",
            "queued index changes before the drain",
            crash["queued_before_drain"],
            "report",
            None,
        )
        index = crash["index"]
        row(
            "crash",
            "after one drain: missing / extra",
            f"{index['missing']} / {index['extra']}",
            "0 / 0",
            index["missing"] == 0 and index["extra"] == 0,
        )
        row("crash", "recovery (drain + reconcile) s", index["recovery_seconds"], "report", None)
    elif crash:
        row("crash", "ran", crash["error"], "runs", False)
    overlap = results.get("overlap")
    if overlap and "error" not in overlap:
        stored = overlap["stored"]
        duplicates = stored.get("duplicate_source_urls", 0) + stored.get("duplicate_title_dates", 0)
        row("overlap", "seconds for both", overlap["seconds"], "report", None)
        for number, run in enumerate(overlap["runs"], start=1):
            row(
                "overlap",
                f"ingest {number}: exit code (expected)",
                f"{run['exit_code']} ({run['expected_exit_code']}); {run['outcomes']}",
                "as expected, no store failure",
                run["exit_code"] == run["expected_exit_code"] and run["store_failures"] == 0,
            )
        row("overlap", "duplicate briefings", duplicates, "0", duplicates == 0)
        parseable = stored.get("files", 0) - len(stored.get("unparseable", []))
        lost = len(stored.get("absent", [])) + len(stored.get("partial", []))
        row(
            "overlap",
            "briefings stored whole / files that parse",
            f"{stored.get('whole')} / {parseable}",
            "equal",
            stored.get("whole") == parseable,
        )
        row("overlap", "lost (absent or partial)", lost, "0", lost == 0)
        row(
            "overlap",
            "PRAGMA integrity_check",
            overlap["integrity_check"],
            "['ok']",
            overlap["integrity_check"] == ["ok"],
        )
        index = overlap["index"]
        row(
            "overlap",
            "after drain: missing / extra",
            f"{index['missing']} / {index['extra']}",
            "0 / 0",
            index["missing"] == 0 and index["extra"] == 0,
        )
    elif overlap:
        row("overlap", "ran", overlap["error"], "runs", False)
    return rows


def print_table(rows: list[dict]) -> None:
    print(f"\n{'scenario':<13} {'figure':<52} {'value':<40} {'target':<22} met")
    for entry in rows:
        verdict = {True: "yes", False: "NO", None: ""}[entry["met"]]
        value = str(entry["value"])
        print(
            f"{entry['scenario']:<13} {entry['figure']:<52} {value:<40} "
            f"{entry['target']:<22} {verdict}"
        )


# The run.


def prepare(data_dir: Path, env: dict[str, str], base: list[Path], *, as_is: bool = False) -> dict:
    started = time.monotonic()
    for arguments in (
        ["migrate", "--noinput", "--verbosity", "0"],
        ["collectstatic", "--noinput", "--verbosity", "0"],
    ):
        code, output = manage(env, *arguments, timeout=600)
        if code != 0:
            raise RuntimeError(f"{arguments[0]} failed: {output[-2000:]}")
    if as_is:
        return {"ingest": "none: the archive in --data-dir as it is", "seconds": 0}
    step(f"setup: ingesting {len(base)} files into {data_dir}")
    code, output = manage(env, "ingest", *map(str, base), timeout=1800)
    summary = [line for line in output.splitlines() if line.startswith("Ingest finished")]
    if code not in (0, 1) or not summary:
        raise RuntimeError(f"setup ingest failed ({code}): {output[-2000:]}")
    return {"ingest": summary[0], "seconds": round(time.monotonic() - started, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SCENARIOS), help="comma-separated scenarios")
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--limit", type=int, default=0, help="only the first N corpus files")
    parser.add_argument("--data-dir", help="DATA_DIR for the load scenarios, kept and reused")
    parser.add_argument(
        "--as-is",
        action="store_true",
        help="with --data-dir: use the archive in it as it is (no ingest; not with `ingest`)",
    )
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of each load")
    parser.add_argument(
        "--command-budget",
        type=float,
        default=900.0,
        help="seconds an ingest or reindex under load may take before it is killed",
    )
    parser.add_argument("--crash-rounds", type=int, default=20)
    parser.add_argument("--overlap-files", type=int, default=450)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "reliability.json"))
    parser.add_argument("--task", help=argparse.SUPPRESS)
    parser.add_argument("--files-from", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.task:
        files = [line for line in Path(args.files_from).read_text().splitlines() if line]
        return task_main(args.task, files)

    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(chosen) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios {sorted(unknown)}; choose from {', '.join(SCENARIOS)}")
    if args.as_is and (not args.data_dir or "ingest" in chosen):
        parser.error("--as-is needs --data-dir, and leaves out the ingest scenario")
    corpus = Path(args.corpus)
    files = corpus_files(corpus, args.limit)
    if not files:
        print(f"no corpus at {corpus}; nothing measured")
        return 0

    root = Path(tempfile.mkdtemp(prefix="bench-reliability-"))
    secret = secrets.token_urlsafe(50)
    result: dict = {
        "machine": machine(),
        "seed": args.seed,
        "clients": args.clients,
        "duration_s": args.duration,
        "corpus_files": len(files),
        "limit": args.limit or None,
        "scenarios": chosen,
        "load_average_at_start": loadavg(),
        "results": {},
    }

    def stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    server = None
    try:
        if set(chosen) & set(LOAD_SCENARIOS):
            data_dir = Path(args.data_dir).resolve() if args.data_dir else root / "site"
            data_dir.mkdir(parents=True, exist_ok=True)
            env = server_env(data_dir, secret)
            briefings = briefing_files(files)
            held_out = briefings[3::4] if "ingest" in chosen else []
            base = [path for path in files if path not in set(held_out)]
            result["setup"] = prepare(data_dir, env, base, as_is=args.as_is)
            result["setup"]["held_out"] = len(held_out)
            if held_out:  # a reused DATA_DIR may hold them from an earlier run
                result["setup"]["held_out_dropped"] = child_task(
                    env, "drop", [str(path) for path in held_out]
                )
            site = site_sample(data_dir / "db.sqlite3", args.seed)
            result["site"] = {
                "briefings": len(site["slugs"]),
                "exchanges": len(site["exchanges"]),
                "queries": len(site["queries"]),
                "query_examples": site["queries"][:5] + site["queries"][-5:],
                "common_words": site["common_words"][:16],
            }
            server = Server(data_dir, env)
            step(f"gunicorn on {HOST}:{server.port} (gunicorn.conf.py, DEBUG off)")
            server.start()
            for name in LOAD_SCENARIOS:
                if name not in chosen:
                    continue
                try:
                    if name == "sitemap-flood":
                        report = scenario_sitemap_flood(server, args)
                    elif name == "load":
                        report = scenario_load(server, site, args)
                    elif name == "ingest":
                        report = scenario_ingest(server, site, args, held_out)
                    elif name == "reindex":
                        report = scenario_reindex(server, site, args)
                    else:
                        kind = "export" if name == "abuse-export" else "search"
                        report = scenario_abuse(server, site, args, kind)
                except Exception as error:  # report it, go on with the others
                    report = {"error": repr(error)}
                result["results"][name] = report
            server.stop()
            server = None
        for name in ("crash", "overlap"):
            if name not in chosen:
                continue
            try:
                if name == "crash":
                    report = scenario_crash(root, files, args, secret)
                else:
                    report = scenario_overlap(root, files, args, secret)
            except Exception as error:
                report = {"error": repr(error)}
            result["results"][name] = report
    finally:
        if server is not None:
            server.stop()
        kill_all_groups()
        shutil.rmtree(root, ignore_errors=True)
    result["load_average_at_end"] = loadavg()
    result["targets"] = targets(result["results"])
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print_table(result["targets"])
    print(
        f"\nload average at start {result['load_average_at_start']}, "
        f"at end {result['load_average_at_end']} ({result['machine']['nproc']} CPUs)"
    )
    print(f"written: {output}")
    return 0 if all(entry["met"] is not False for entry in result["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
