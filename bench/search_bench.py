"""Search on the real corpus: the page, haystack, raw Whoosh and SQLite FTS5, side by side.
Long because it is one script: each baseline is built and timed on the same queries here.

    .venv/bin/python bench/search_bench.py [--corpus ../shared/corpus] [--limit N]
        [--queries 50] [--seed 42] [--gunicorn] [--output bench/results/search.json]

Ingests the White House and SCIO briefings into a throw-away DATA_DIR (one file held out),
then measures:

- a full index rebuild (`search.indexing.rebuild()`, the queue cleared first): documents/s;
- the held-out conference: ingest + `drain()` until a phrase only it contains is found,
  and a drain of one changed exchange;
- index size (the live generation folder), database size, peak RSS;
- one seeded query set taken from the corpus (single word, two words, phrase, word +
  speaker, word + year, zero-hit), each query run through (a) the search page via the
  Django test client, (b) `SearchQuerySet().models(Exchange)` with `.highlight()`, 20 hits
  and the count, (c) raw Whoosh on the same index folder with one reused searcher, the
  filters as unscored clauses, an exact count in the same pass and highlights: the engine
  floor, and (d) SQLite FTS5 built from the same documents, with snippet() and a count;
  also (b) without `.models()`, which skips haystack's narrow query;
- with --gunicorn: the RSS of one gunicorn worker (DEBUG off, no index writer) after ~200
  mixed requests on 127.0.0.1; bounded in time, stopped at the end.

Writes JSON and prints tables with the ratios and the targets. Not a test: numbers go in
the notes, never into assertions. The search page may not exist yet: then (a) is reported
as not available.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import json
import os
import platform
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERY_TYPES = ("single", "two_words", "phrase", "word_speaker", "word_year", "zero_hit")
ENGINES = ("page", "sqs", "sqs_no_models", "whoosh", "fts5")
ENGINE_LABELS = {
    "page": "(a) page",
    "sqs": "(b) SQS",
    "sqs_no_models": "(b') SQS, no .models()",
    "whoosh": "(c) raw Whoosh",
    "fts5": "(d) FTS5",
}
PAGE_SIZE = 20
HELD_OUT_EXCHANGES = 20

# Whoosh's own stop list plus common English function words: query words are content
# words, so every engine (Whoosh drops stopwords, FTS5 does not) sees the same query.
_STOP_TEXT = """
    a about above after again against all also am an and any are aren as at be because been
    before being below between both but by can cannot could couldn did didn do does doesn
    doing don down during each few for from further had hadn has hasn have haven having he
    her here hers herself him himself his how i if in into is isn it its itself just let me
    more most much must my myself no nor not now of off on once only or other our ours
    ourselves out over own really same she should shouldn so some such tbd than that the
    their theirs them themselves then there these they this those through to too under until
    up us very was wasn we were weren what when where which while who whom why will with
    won would wouldn yet you your yours yourself yourselves going gonna okay yeah well
    said says like get got know think thank thanks one two may might shall yes
"""
STOPWORDS = frozenset(_STOP_TEXT.split())
WORD = re.compile(r"[A-Za-z]+")
RUN = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)+")  # words separated by single spaces only


def content_words(text: str, minimum: int = 4) -> list[str]:
    words = (word.lower() for word in WORD.findall(text))
    return [word for word in words if len(word) >= minimum and word not in STOPWORDS]


def percentile(values: list[float], share: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * share
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(milliseconds: list[float]) -> dict:
    return {
        "n": len(milliseconds),
        "p50_ms": round(percentile(milliseconds, 0.50), 2),
        "p95_ms": round(percentile(milliseconds, 0.95), 2),
        "p99_ms": round(percentile(milliseconds, 0.99), 2),
        "mean_ms": round(statistics.fmean(milliseconds), 2) if milliseconds else None,
    }


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def setup_worker_django(data_dir: str | Path, *, tune_gc: bool = True) -> None:
    """Django on `data_dir` as a web worker runs it: DEBUG off (on, it records every query
    and renders templates in debug mode) and, unless `tune_gc` is False, the garbage
    collector set as gunicorn.conf.py sets it in each worker. For page timings."""
    os.environ.update(
        DATA_DIR=str(data_dir),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(32),
        ALLOWED_HOSTS="testserver",
        SECURE_COOKIES="0",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    if tune_gc:
        from config.runtime import tune_gc as tune

        tune()


def folder_mb(folder: Path) -> float:
    total = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
    return round(total / 1_048_576, 1)


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for name in ("Django", "django-haystack", "Whoosh", "gunicorn", "whitenoise"):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    versions["sqlite"] = sqlite3.sqlite_version
    return {
        "git": git_state(),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }


def git_state() -> dict:
    """The commit measured, and whether the working tree differed from it."""

    def git(*arguments: str) -> str:
        try:
            done = subprocess.run(
                ["git", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""

    changed = [line[3:] for line in git("status", "--porcelain").splitlines()]
    return {"commit": git("rev-parse", "HEAD"), "changed_files": changed}


# The query set.


@dataclass
class Query:
    type: str
    words: list[str]
    phrase: str = ""
    speaker: str = ""
    year: int | None = None

    def page_string(self) -> str:
        """The search page's query language."""
        parts = [f'"{self.phrase}"'] if self.phrase else list(self.words)
        if self.speaker:
            parts.insert(0, f"speaker:{self.speaker}")
        if self.year:
            parts += [f"from:{self.year}-01-01", f"to:{self.year}-12-31"]
        return " ".join(parts)


@dataclass
class Doc:
    pk: int
    text: str
    speakers: list[str]
    held_on: dt.date | None


def build_queries(docs: list[Doc], per_type: int, seed: int, known: Callable[[str], bool]):
    """N queries of each type, deterministic for a seed and a corpus.

    Words are a random content word of a random document: frequent words come up more
    often, as in real use, and every query but the zero-hit ones has at least one hit.
    """
    rng = random.Random(seed)
    queries: dict[str, list[Query]] = {kind: [] for kind in QUERY_TYPES}

    def word_of(doc: Doc) -> str | None:
        words = content_words(doc.text)
        return rng.choice(words) if words else None

    def fill(kind: str, make: Callable[[], Query | None]) -> None:
        attempts = 0
        while len(queries[kind]) < per_type and attempts < per_type * 200:
            attempts += 1
            query = make()
            if query is not None:
                queries[kind].append(query)

    def single() -> Query | None:
        word = word_of(rng.choice(docs))
        return Query("single", [word]) if word else None

    def two_words() -> Query | None:
        words = sorted(set(content_words(rng.choice(docs).text)))
        if len(words) < 2:
            return None
        return Query("two_words", rng.sample(words, 2))

    def phrase() -> Query | None:
        length = rng.choice((2, 3))
        windows = []
        for run in RUN.findall(rng.choice(docs).text):
            words = run.lower().split()
            for start in range(len(words) - length + 1):
                window = words[start : start + length]
                if all(len(word) >= 3 and word not in STOPWORDS for word in window):
                    windows.append(window)
        if not windows:
            return None
        window = rng.choice(windows)
        return Query("phrase", window, phrase=" ".join(window))

    with_speakers = [doc for doc in docs if doc.speakers]
    with_dates = [doc for doc in docs if doc.held_on]

    def word_speaker() -> Query | None:
        doc = rng.choice(with_speakers)
        word = word_of(doc)
        return Query("word_speaker", [word], speaker=rng.choice(doc.speakers)) if word else None

    def word_year() -> Query | None:
        doc = rng.choice(with_dates)
        word = word_of(doc)
        return Query("word_year", [word], year=doc.held_on.year) if word else None

    def zero_hit() -> Query | None:
        token = "".join(rng.choice(string.ascii_lowercase) for _ in range(11))
        return None if known(token) else Query("zero_hit", [token])

    fill("single", single)
    fill("two_words", two_words)
    fill("phrase", phrase)
    if with_speakers:
        fill("word_speaker", word_speaker)
    if with_dates:
        fill("word_year", word_year)
    fill("zero_hit", zero_hit)
    return queries


# The engines. Each takes a Query and returns the total hit count (None if unknown).


# The page's heading: "1,234 results", "About 1,234 results" (estimated) or "No results".
PAGE_TOTAL = re.compile(r'id="results-heading">\s*(About )?([\d,]+) result|(No results)')


def page_engine(client, path: str, statuses: dict[str, int]) -> Callable[[Query], int | None]:
    """The hit count is read from the page's heading, when it has the expected shape."""

    def run(query: Query) -> int | None:
        response = client.get(path, {"q": query.page_string()})
        body = response.content.decode("utf-8", "replace")
        key = str(response.status_code)
        match = PAGE_TOTAL.search(body)
        if match and match.group(1):
            key += " estimated"
        if "in the time allowed" in body:
            key += " timed out"
        statuses[key] = statuses.get(key, 0) + 1
        if not match:
            return None
        return 0 if match.group(3) else int(match.group(2).replace(",", ""))

    return run


def sqs_engine(*, models: bool) -> Callable[[Query], int | None]:
    from haystack.inputs import Exact
    from haystack.query import SearchQuerySet

    from briefings.models import Exchange

    def run(query: Query) -> int | None:
        sqs = SearchQuerySet()
        if models:
            sqs = sqs.models(Exchange)
        if query.phrase:
            sqs = sqs.filter(content=Exact(query.phrase))
        else:
            for word in query.words:
                sqs = sqs.filter(content=word)
        if query.speaker:
            sqs = sqs.filter(speakers=query.speaker)
        if query.year:
            sqs = sqs.filter(
                held_on__gte=dt.date(query.year, 1, 1), held_on__lte=dt.date(query.year, 12, 31)
            )
        sqs = sqs.highlight()
        results = list(sqs[:PAGE_SIZE])
        for result in results:
            getattr(result, "highlighted", None)
        return sqs.count()

    return run


class RawWhoosh:
    """The engine floor: one searcher on the live generation folder, reused."""

    def __init__(self, folder: Path) -> None:
        from whoosh import highlight
        from whoosh.index import open_dir
        from whoosh.qparser import QueryParser

        self.index = open_dir(str(folder))
        self.searcher = self.index.searcher()
        self.parser = QueryParser("text", schema=self.index.schema)
        self.formatter = highlight.HtmlFormatter(tagname="em")

    def close(self) -> None:
        self.searcher.close()

    def segments(self) -> list[dict]:
        return [
            {"documents": segment.doc_count_all(), "deleted": segment.deleted_count()}
            for segment in self.index._segments()
        ]

    def known(self, word: str) -> bool:
        return self.searcher.doc_frequency("text", word) > 0

    def __call__(self, query: Query) -> int:
        from whoosh.collectors import TopCollector
        from whoosh.query import And, ConstantScoreQuery, DateRange, Term

        text = f'"{query.phrase}"' if query.phrase else " ".join(query.words)
        parsed = self.parser.parse(text)
        filters = []
        if query.speaker:
            filters.append(Term("speakers", query.speaker))
        if query.year:
            filters.append(
                DateRange(
                    "held_on",
                    dt.datetime(query.year, 1, 1),
                    dt.datetime(query.year, 12, 31, 23, 59, 59),
                )
            )
        if filters:
            # Filters go into the query, unscored. Not `search(filter=...)`: with a filter,
            # Whoosh 2.7.4 counts the hits (len) through FilterCollector.all_ids, which
            # tests the filter bitset's truth (a scan of the whole set) once per hit:
            # 4.4 s for "press" in 2024 (13,894 hits) at 57k documents, against 0.12 s.
            parsed = And([parsed, *(ConstantScoreQuery(f, 0.0) for f in filters)])
        # One pass that ranks the top 20 and counts every match. With the defaults
        # (block-quality skipping, matcher replacement) `len(results)` is computed from
        # the last segment's matcher and came out 1-3 low on a multi-segment index.
        collector = TopCollector(limit=PAGE_SIZE, usequality=False, replace=0)
        self.searcher.search_with_collector(parsed, collector)
        results = collector.results()
        results.formatter = self.formatter
        for hit in results:
            hit.highlights("text")
        return len(results)


class Fts5:
    """SQLite FTS5 on the same documents, in its own file: porter stemming, snippet()."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)

    def build(self, docs: list[Doc]) -> float:
        started = time.perf_counter()
        with self.db:
            self.db.execute(
                "CREATE VIRTUAL TABLE docs USING fts5("
                "text, held_on UNINDEXED, tokenize='porter unicode61')"
            )
            self.db.execute(
                "CREATE TABLE speakers (slug TEXT, doc INTEGER, PRIMARY KEY (slug, doc)) "
                "WITHOUT ROWID"
            )
            self.db.executemany(
                "INSERT INTO docs (rowid, text, held_on) VALUES (?, ?, ?)",
                ((d.pk, d.text, d.held_on.isoformat() if d.held_on else None) for d in docs),
            )
            self.db.executemany(
                "INSERT OR IGNORE INTO speakers (slug, doc) VALUES (?, ?)",
                ((slug, d.pk) for d in docs for slug in d.speakers),
            )
            self.db.execute("INSERT INTO docs (docs) VALUES ('optimize')")
        return time.perf_counter() - started

    def known(self, word: str) -> bool:
        row = self.db.execute("SELECT 1 FROM docs WHERE docs MATCH ? LIMIT 1", (f'"{word}"',))
        return row.fetchone() is not None

    def __call__(self, query: Query) -> int:
        if query.phrase:
            match = f'"{query.phrase}"'
        else:
            match = " ".join(f'"{word}"' for word in query.words)
        where, params = "docs MATCH ?", [match]
        if query.year:
            where += " AND held_on BETWEEN ? AND ?"
            params += [f"{query.year}-01-01", f"{query.year}-12-31"]
        if query.speaker:
            # Correlated: `rowid IN (...)` makes FTS5 run the MATCH once per listed rowid.
            where += " AND EXISTS (SELECT 1 FROM speakers WHERE slug = ? AND doc = docs.rowid)"
            params.append(query.speaker)
        self.db.execute(
            "SELECT rowid, snippet(docs, 0, '<em>', '</em>', '…', 16) FROM docs "
            f"WHERE {where} ORDER BY rank LIMIT {PAGE_SIZE}",
            params,
        ).fetchall()
        return self.db.execute(f"SELECT count(*) FROM docs WHERE {where}", params).fetchone()[0]


def time_engine(run: Callable[[Query], int | None], queries: dict[str, list[Query]], warmup: int):
    for kind in QUERY_TYPES:
        for query in queries[kind][:warmup]:
            run(query)
    measured: dict = {}
    pooled: list[float] = []
    for kind in QUERY_TYPES:
        times, hits = [], []
        for query in queries[kind]:
            started = time.perf_counter()
            count = run(query)
            times.append((time.perf_counter() - started) * 1000)
            hits.append(count)
        entry = summarize(times)
        known = [count for count in hits if count is not None]
        entry["mean_hits"] = round(statistics.fmean(known), 1) if known else None
        entry["hits"] = hits
        measured[kind] = entry
        pooled += times
    measured["all"] = summarize(pooled)
    return measured


def agreement(results: dict, queries: dict[str, list[Query]]) -> list[str]:
    """Warnings where the engines disagree on hit counts."""
    warnings = []
    for kind in QUERY_TYPES:
        whoosh = results["whoosh"][kind]["hits"]
        for name in ("sqs", "sqs_no_models"):
            other = results[name][kind]["hits"]
            differ = [i for i, (a, b) in enumerate(zip(whoosh, other, strict=True)) if a != b]
            if differ:
                i = differ[0]
                warnings.append(
                    f"{kind}: {ENGINE_LABELS[name]} and raw Whoosh disagree on {len(differ)}"
                    f"/{len(whoosh)} queries on the same index, e.g. "
                    f"{queries[kind][i].page_string()!r}: {other[i]} vs {whoosh[i]}"
                )
        if kind == "zero_hit":
            for name in ENGINES:
                if name in results and any(results[name][kind].get("hits") or []):
                    warnings.append(f"zero_hit: {ENGINE_LABELS[name]} found hits")
            continue
        for name in ("page", "fts5"):
            if name not in results or not results[name].get("available", True):
                continue
            pairs = [
                (i, a, b)
                for i, (a, b) in enumerate(zip(whoosh, results[name][kind]["hits"], strict=True))
                if b is not None
            ]
            wild = [
                (i, a, b)
                for i, a, b in pairs
                if max(a, b) > 5 and (min(a, b) == 0 or max(a, b) / min(a, b) > 2)
            ]
            if len(wild) > len(whoosh) // 10:
                i, a, b = wild[0]
                warnings.append(
                    f"{kind}: raw Whoosh and {ENGINE_LABELS[name]} hit counts differ by more "
                    f"than 2x on {len(wild)}/{len(whoosh)} queries, e.g. "
                    f"{queries[kind][i].page_string()!r}: {a} vs {b}"
                )
    return warnings


# Index freshness.


def unique_phrase(parsed, raw_known_phrase: Callable[[str], bool]) -> str | None:
    """Three adjacent content words of the held-out conference that the index lacks."""
    for turn in parsed.turns:
        for run in RUN.findall(turn.text):
            words = run.lower().split()
            for start in range(len(words) - 2):
                window = words[start : start + 3]
                if all(len(word) >= 4 and word not in STOPWORDS for word in window):
                    phrase = " ".join(window)
                    if not raw_known_phrase(phrase):
                        return phrase
    return None


def phrase_hits(phrase: str) -> list[int]:
    from haystack.inputs import Exact
    from haystack.query import SearchQuerySet

    from briefings.models import Exchange

    sqs = SearchQuerySet().models(Exchange).filter(content=Exact(phrase))
    return [int(result.pk) for result in sqs[:PAGE_SIZE]]


# One gunicorn worker's memory.


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def proc_status(pid: int) -> dict[str, float]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        # RssFile is mostly the index's memory-mapped files: page cache, shared by workers.
        if key in {"VmRSS", "VmHWM", "RssAnon", "RssFile"}:
            values[key] = round(int(rest.split()[0]) / 1024, 1)
    return values


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def gunicorn_worker_rss(data_dir: Path, paths: list[str], *, budget: float = 240.0) -> dict:
    """Start gunicorn (1 worker, loopback, DEBUG off, no indexer), send the mixed pages,
    read the worker's VmRSS; always stop it."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # into DATA_DIR/static
    port = free_port()
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "WEB_CONCURRENCY": "1",
        "BIND": f"127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "gunicorn.conf.py"]
    command += ["--workers", "1", "--bind", f"127.0.0.1:{port}"]
    log = (data_dir / "gunicorn.log").open("wb")
    master = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + budget
    base = f"http://127.0.0.1:{port}"
    result: dict = {"port": port, "requests": 0, "errors": 0}
    worker = None
    try:
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(base + "/", timeout=5) as response:
                    response.read()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if master.poll() is not None:
                    raise RuntimeError(f"gunicorn exited with {master.returncode}") from None
                time.sleep(0.25)
        workers = children(master.pid)
        if len(workers) != 1:
            raise RuntimeError(f"expected one worker, found {workers}")
        worker = workers[0]
        result["worker_after_boot_mb"] = proc_status(worker)
        timings: dict[str, list[float]] = {}
        statuses: dict[str, dict[int, int]] = {}
        for number, path in enumerate(paths):
            if time.monotonic() > deadline:
                result["stopped_early"] = f"time budget reached after {number} requests"
                break
            kind = path.split("?")[0].strip("/").split("/")[0] or "home"
            kind = {"briefings": "conference" if path.count("/") == 3 else "exchange"}.get(
                kind, kind
            )
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(base + path, timeout=30) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
                result["errors"] += 1
            except (urllib.error.URLError, TimeoutError) as error:
                status = 0
                result["errors"] += 1
                result.setdefault("error_examples", []).append(f"{path}: {error}")
            timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
            statuses.setdefault(kind, {})
            statuses[kind][status] = statuses[kind].get(status, 0) + 1
            result["requests"] += 1
        result["worker_after_requests_mb"] = proc_status(worker)
        result["pages"] = {
            kind: {**summarize(values), "statuses": statuses[kind]}
            for kind, values in timings.items()
        }
    except Exception as error:
        result["error"] = repr(error)
    finally:
        master.terminate()
        try:
            master.wait(timeout=15)
        except subprocess.TimeoutExpired:
            master.kill()
            master.wait(timeout=5)
        if worker is not None and Path(f"/proc/{worker}").exists():
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGKILL)
        log.close()
    return result


# The run.


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    parser.add_argument("--queries", type=int, default=50, help="queries per type")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up queries per type")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--gunicorn", action="store_true", help="also measure a worker's RSS")
    parser.add_argument("--requests", type=int, default=200, help="requests for --gunicorn")
    parser.add_argument("--keep", action="store_true", help="keep the throw-away DATA_DIR")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "search.json"))
    args = parser.parse_args()
    corpus = Path(args.corpus)
    folders = [corpus / "wh-briefings", corpus / "scio"]
    if not all(folder.is_dir() for folder in folders):
        print(f"no corpus at {corpus} (wh-briefings/ and scio/); nothing measured")
        return 0

    data_dir = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        return run(args, folders, data_dir)
    finally:
        if args.keep:
            print(f"DATA_DIR kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(args: argparse.Namespace, folders: list[Path], data_dir: Path) -> int:
    os.environ.update(
        DATA_DIR=str(data_dir),
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="config.settings",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
    )
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.urls import Resolver404, resolve

    from briefings.ingest.files import collect_paths
    from briefings.ingest.run import ingest_paths, iter_documents
    from briefings.models import Conference, Exchange, Turn
    from search import indexing
    from search.models import IndexQueue
    from search.whoosh.engine import index_link

    result: dict = {"machine": machine(), "seed": args.seed, "queries_per_type": args.queries}
    rss: dict[str, float] = {}

    call_command("migrate", verbosity=0)
    paths, _missing = collect_paths([str(folder) for folder in folders])
    if args.limit:
        paths = paths[: args.limit]
    # The held-out conference, ingested later on its own: the last file that parses into
    # a typical briefing (HELD_OUT_EXCHANGES or more), else the last one that parses.
    held_out, parsed = None, None
    for path in reversed(paths):
        document = next(iter_documents([(str(path), path.read_bytes())]))
        if document.parsed is None or not document.parsed.turns:
            continue
        if held_out is None:
            held_out, parsed = path, document.parsed
        if len(document.parsed.exchanges) >= HELD_OUT_EXCHANGES:
            held_out, parsed = path, document.parsed
            break
    if held_out is None:
        print("no file of the corpus parses; nothing measured")
        return 1
    initial = [str(path) for path in paths if path != held_out]

    step(f"ingesting {len(initial)} files (held out: {held_out.name})")
    started = time.perf_counter()
    report = ingest_paths(initial)
    ingest_seconds = time.perf_counter() - started
    rss["after_ingest"] = peak_rss_mb()

    step(f"rebuilding the index ({Exchange.objects.count()} exchanges)")
    IndexQueue.objects.all().delete()
    rebuilt = indexing.rebuild()
    rss["after_rebuild"] = peak_rss_mb()
    live = index_link().resolve()
    result["rebuild"] = {
        "documents": rebuilt.documents,
        "seconds": round(rebuilt.seconds, 2),
        "documents_per_second": round(rebuilt.rate, 1),
        "index_mb": folder_mb(live),
    }

    step("incremental update: the held-out conference")
    floor = RawWhoosh(live)
    phrase = unique_phrase(parsed, lambda p: floor(Query("phrase", p.split(), phrase=p)) > 0)
    floor.close()
    fresh: dict = {"file": str(held_out), "phrase": phrase}
    started = time.perf_counter()
    added = ingest_paths([str(held_out)])
    fresh["ingest_seconds"] = round(time.perf_counter() - started, 3)
    fresh["queued"] = indexing.pending()
    mark = time.perf_counter()
    drained = indexing.drain()
    fresh["drain_seconds"] = round(time.perf_counter() - mark, 3)
    fresh["drain"] = str(drained)
    mark = time.perf_counter()
    hits = phrase_hits(phrase) if phrase else []
    fresh["search_seconds"] = round(time.perf_counter() - mark, 3)
    fresh["seconds_until_searchable"] = round(time.perf_counter() - started, 3)
    slug = next((o.slug for o in added.outcomes if o.slug), "")
    new_ids = set(Exchange.objects.filter(conference__slug=slug).values_list("pk", flat=True))
    fresh["searchable"] = bool(set(hits) & new_ids)
    fresh["exchanges"] = len(new_ids)
    result["new_conference"] = fresh

    step("incremental update: one changed exchange")
    exchange = Exchange.objects.order_by("pk")[Exchange.objects.count() // 2]
    turn = exchange.turns.order_by("position").first()
    token = "benchedit" + "".join(random.Random(args.seed).choices(string.ascii_lowercase, k=8))
    with transaction.atomic():
        Turn.objects.filter(pk=turn.pk).update(text=f"{turn.text} {token}")
        indexing.enqueue_exchanges([exchange.pk])
    started = time.perf_counter()
    indexing.drain()
    changed = {"drain_seconds": round(time.perf_counter() - started, 3)}
    changed["searchable"] = phrase_hits(token) == [exchange.pk]
    changed["seconds_until_searchable"] = round(time.perf_counter() - started, 3)
    result["changed_exchange"] = changed

    live = index_link().resolve()
    database = data_dir / "db.sqlite3"
    wal = data_dir / "db.sqlite3-wal"
    result["sizes"] = {
        "index_folder": live.name,
        "index_mb": folder_mb(live),
        "database_mb": round(database.stat().st_size / 1_048_576, 1),
        "database_wal_mb": round(wal.stat().st_size / 1_048_576, 1) if wal.exists() else 0.0,
    }
    result["corpus"] = {
        "files": len(paths),
        "held_out": held_out.name,
        "conferences": Conference.objects.count(),
        "exchanges": Exchange.objects.count(),
        "turns": Turn.objects.count(),
        "failed": report.count("failed"),
        "ingest_seconds": round(ingest_seconds, 2),
    }

    step("preparing the index documents for FTS5 (ExchangeIndex.full_prepare)")
    index = indexing.exchange_index()
    ids = list(Exchange.objects.order_by("pk").values_list("pk", flat=True))
    docs: list[Doc] = []
    started = time.perf_counter()
    for start in range(0, len(ids), 500):
        for obj in Exchange.objects.for_search().filter(pk__in=ids[start : start + 500]):
            prepared = index.full_prepare(obj)
            docs.append(
                Doc(obj.pk, prepared["text"], list(prepared["speakers"]), prepared["held_on"])
            )
    prepare_seconds = time.perf_counter() - started
    fts = Fts5(data_dir / "fts5.sqlite3")
    build_seconds = fts.build(docs)
    result["fts5_build"] = {
        "documents": len(docs),
        "prepare_seconds": round(prepare_seconds, 2),
        "prepare_documents_per_second": round(len(docs) / prepare_seconds, 1),
        "build_seconds": round(build_seconds, 2),
        "documents_per_second": round(len(docs) / build_seconds, 1),
        "file_mb": round((data_dir / "fts5.sqlite3").stat().st_size / 1_048_576, 1),
    }
    rss["after_fts5_build"] = peak_rss_mb()

    floor = RawWhoosh(live)
    result["sizes"]["index_segments"] = floor.segments()
    queries = build_queries(
        docs, args.queries, args.seed, lambda word: floor.known(word) or fts.known(word)
    )
    del docs
    result["query_set"] = {kind: [asdict(q) for q in queries[kind]] for kind in QUERY_TYPES}

    results: dict = {}
    page_path, unavailable = None, "/search/ does not resolve (404)"
    try:
        resolve("/search/")
        page_path = "/search/"
    except Resolver404:
        pass
    except Exception as error:  # the URLconf does not import: report it, measure the rest
        unavailable = f"the URLconf failed to load: {error!r}"
    if page_path:
        step("timing (a) the search page")
        statuses: dict[int, int] = {}
        client = Client(raise_request_exception=False)
        results["page"] = time_engine(
            page_engine(client, page_path, statuses), queries, args.warmup
        )
        results["page"]["statuses"] = statuses
        if set(statuses) != {200}:
            print(f"  warning: search page statuses {statuses}")
    else:
        results["page"] = {"available": False, "reason": unavailable}
        print(f"  (a) the search page: not available ({unavailable})")
    step("timing (b) SearchQuerySet().models(Exchange)")
    results["sqs"] = time_engine(sqs_engine(models=True), queries, args.warmup)
    step("timing (b') SearchQuerySet() without .models()")
    results["sqs_no_models"] = time_engine(sqs_engine(models=False), queries, args.warmup)
    step("timing (c) raw Whoosh")
    results["whoosh"] = time_engine(floor, queries, args.warmup)
    step("timing (d) SQLite FTS5")
    results["fts5"] = time_engine(fts, queries, args.warmup)
    floor.close()
    rss["after_queries"] = peak_rss_mb()
    result["latency"] = results
    result["warnings"] = agreement(results, queries)
    result["peak_rss_mb"] = rss

    if args.gunicorn:
        step(f"gunicorn: one worker, {args.requests} mixed requests")
        result["gunicorn"] = gunicorn_worker_rss(
            data_dir, request_mix(queries, args.requests, args.seed, bool(page_path))
        )
    result["targets"] = targets(result)

    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print_report(result)
    print(f"\nwritten: {output}")
    return 0


def request_mix(queries: dict[str, list[Query]], total: int, seed: int, search: bool):
    """Home, briefing, exchange and (when it exists) search pages, in turn."""
    from briefings.models import Conference, Exchange

    rng = random.Random(seed)
    slugs = list(Conference.objects.order_by("pk").values_list("slug", flat=True))
    exchanges = list(
        Exchange.objects.order_by("pk").values_list("conference__slug", "position")[:5000]
    )
    flat = [q for kind in QUERY_TYPES for q in queries[kind]]
    paths = []
    for number in range(total):
        turn = number % (4 if search else 3)
        if turn == 0:
            paths.append("/")
        elif turn == 1:
            paths.append(f"/briefings/{rng.choice(slugs)}/")
        elif turn == 2:
            slug, position = rng.choice(exchanges)
            paths.append(f"/briefings/{slug}/{position}/")
        else:
            q = urllib.parse.urlencode({"q": rng.choice(flat).page_string()})
            paths.append(f"/search/?{q}")
    return paths


def targets(result: dict) -> dict:
    latency = result["latency"]
    checks: dict = {}
    page = latency["page"]
    if page.get("available", True):
        for kind in (*QUERY_TYPES, "all"):
            page_p95 = page[kind]["p95_ms"]
            floor_p95 = latency["whoosh"][kind]["p95_ms"]
            checks[f"page_p95_{kind}"] = {
                "value_ms": page_p95,
                "whoosh_ms": floor_p95,
                "ratio": round(page_p95 / floor_p95, 1) if floor_p95 else None,
                "under_100ms": page_p95 < 100,
                "within_2x": page_p95 <= 2 * floor_p95,
                "met": page_p95 < 100 and page_p95 <= 2 * floor_p95,
            }
    else:
        checks["page_p95"] = {"met": None, "note": "search page not available"}
    rate = result["rebuild"]["documents_per_second"]
    checks["rebuild_docs_per_s"] = {"value": rate, "target": 600, "met": rate >= 600}
    fresh = result["new_conference"]
    checks["new_conference_searchable_s"] = {
        "value": fresh["seconds_until_searchable"],
        "target": 5,
        "met": fresh["searchable"] and fresh["seconds_until_searchable"] <= 5,
    }
    worker = result.get("gunicorn", {}).get("worker_after_requests_mb", {})
    checks["gunicorn_worker_rss_mb"] = {
        "value": worker.get("VmRSS"),
        "anonymous": worker.get("RssAnon"),
        "file_backed": worker.get("RssFile"),
        "target": 300,
        "met": None if worker.get("VmRSS") is None else worker["VmRSS"] < 300,
    }
    return checks


def print_report(result: dict) -> None:
    latency = result["latency"]
    corpus = result["corpus"]
    print(
        f"\ncorpus: {corpus['files']} files, {corpus['conferences']} conferences, "
        f"{corpus['exchanges']} exchanges; seed {result['seed']}, "
        f"{result['queries_per_type']} queries per type; "
        f"{result['machine']['nproc']} CPUs, {result['machine']['cpu_model']}"
    )
    engines = [e for e in ENGINES if latency[e].get("available", True)]
    print("\nLatency, ms (p50 / p95 / p99) and mean hits")
    header = f"{'query':<13}" + "".join(f"{ENGINE_LABELS[e]:>26}" for e in engines)
    print(header)
    for kind in (*QUERY_TYPES, "all"):
        cells = []
        for engine in engines:
            entry = latency[engine][kind]
            cells.append(f"{entry['p50_ms']:.1f}/{entry['p95_ms']:.1f}/{entry['p99_ms']:.1f}")
        print(f"{kind:<13}" + "".join(f"{cell:>26}" for cell in cells))
    print(f"{'mean hits':<13}")
    for kind in QUERY_TYPES:
        cells = [str(latency[e][kind]["mean_hits"]) for e in engines]
        print(f"  {kind:<11}" + "".join(f"{cell:>26}" for cell in cells))
    if not latency["page"].get("available", True):
        print("(a) the search page: not available")

    print("\nRatios of p95")
    print(
        f"{'query':<13}{'page/Whoosh':>14}{'SQS/Whoosh':>14}{'SQS-nm/Whoosh':>15}{'Whoosh/FTS5':>14}"
    )
    for kind in (*QUERY_TYPES, "all"):
        floor = latency["whoosh"][kind]["p95_ms"]

        def ratio(a: float | None, b: float) -> str:
            return f"{a / b:.1f}x" if a is not None and b else "n/a"

        page = latency["page"][kind]["p95_ms"] if "page" in engines else None
        print(
            f"{kind:<13}{ratio(page, floor):>14}"
            f"{ratio(latency['sqs'][kind]['p95_ms'], floor):>14}"
            f"{ratio(latency['sqs_no_models'][kind]['p95_ms'], floor):>15}"
            f"{ratio(floor, latency['fts5'][kind]['p95_ms']):>14}"
        )

    rebuild, fts5 = result["rebuild"], result["fts5_build"]
    fresh, changed, sizes = result["new_conference"], result["changed_exchange"], result["sizes"]
    print(
        f"\nrebuild: {rebuild['documents']} documents in {rebuild['seconds']} s = "
        f"{rebuild['documents_per_second']} docs/s (index {rebuild['index_mb']} MB)"
        f"\nFTS5 build: {fts5['documents_per_second']} docs/s ({fts5['build_seconds']} s, "
        f"{fts5['file_mb']} MB); preparing the documents (template): "
        f"{fts5['prepare_documents_per_second']} docs/s"
        f"\nnew conference ({fresh['exchanges']} exchanges): searchable={fresh['searchable']} "
        f"after {fresh['seconds_until_searchable']} s (ingest {fresh['ingest_seconds']} s, "
        f"drain {fresh['drain_seconds']} s, search {fresh['search_seconds']} s)"
        f"\none changed exchange: drain {changed['drain_seconds']} s, "
        f"searchable={changed['searchable']} after {changed['seconds_until_searchable']} s"
        f"\nsizes: index {sizes['index_mb']} MB, database {sizes['database_mb']} MB "
        f"(+ WAL {sizes['database_wal_mb']} MB); peak RSS {result['peak_rss_mb']}"
    )
    if "gunicorn" in result:
        worker = result["gunicorn"]
        print(
            f"gunicorn worker: boot {worker.get('worker_after_boot_mb')}, after "
            f"{worker['requests']} requests {worker.get('worker_after_requests_mb')} "
            f"({worker['errors']} errors{', ' + worker['error'] if 'error' in worker else ''})"
        )
        for kind, entry in worker.get("pages", {}).items():
            print(
                f"  {kind:<11} p50 {entry['p50_ms']} ms, p95 {entry['p95_ms']} ms, "
                f"statuses {entry['statuses']}"
            )

    print("\nTargets")
    for name, check in result["targets"].items():
        verdict = {True: "met", False: "NOT met", None: "not measured"}[check["met"]]
        shown = {key: value for key, value in check.items() if key != "met"}
        print(f"  {name:<32} {verdict:<13} {shown}")
    for warning in result["warnings"]:
        print(f"warning: {warning}")


if __name__ == "__main__":
    sys.exit(main())
