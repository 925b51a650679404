"""How relevant search's top ten are: the judged set of tests/data/relevance/, measured.

    # run the current checkout's search (and the BM25 baseline, once) on the White House
    # corpus, built into (or reused from) DATA; store the top tens as runs/LABEL.json
    .venv/bin/python bench/relevance.py --data /tmp/relevance-before --label before
    # write the judging sheet: every run's top ten per query, pooled, minus what is judged
    .venv/bin/python bench/relevance.py --pool
    # merge a graded sheet into judgments.json
    .venv/bin/python bench/relevance.py --record bench/results/relevance-to-judge.jsonl
    # print the table (the default when nothing else is asked)
    .venv/bin/python bench/relevance.py
    # --set DIR: another judged set's folder (a trial run that leaves this one alone)

The set (tests/data/relevance/): queries.json (written before any result was seen),
RULE.md (how to judge), runs/NAME.json (one system's top ten per query: item keys),
items.json (each pooled item's URL, briefing and kind, by key), judgments.json (grades);
the items' texts and the sheet (pooled items not yet judged, shuffled, no system names) are
written to bench/results/, outside the repository.

Two kinds of system:

- the current checkout's search: `search.searching.search_archive`, exactly what the search
  page asks, top ten of page one; named by --label so the runs of two checkouts pool;
- `bm25-spoken`: raw Whoosh BM25F over the exchanges' spoken words alone (every turn's
  text without notes; no title, no names), on an index of its own built here, the query's
  speaker and date filters applied as unscored clauses. It reads only the database, so it
  does not change with the archive's ranking.

An item is one exchange as it read when it was returned: its conference slug, position and
a hash of its full text. A re-segmented exchange is a new item and is judged again.

Metrics, per system, over the queries whose top ten are all judged (queries with unjudged
items are counted and listed, never scored as if those items were 0):
nDCG@10 (gain 2^grade - 1, log2 discount, the ideal ranking from every judged item of the
query), P@10 (grade >= 1, a short list counts its missing ranks as not relevant), and
content-free results (grade 0 and either an exchange of kind procedural or marked
content-free by the judge) in the top ten and in the top three.

Not a test: the numbers go in the notes. tests/test_relevance_bench.py checks the arithmetic.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SET = ROOT / "tests" / "data" / "relevance"
BASELINE = "bm25-spoken"
TOP = 10
HEAD = 3
GRADES = (0, 1, 2)
SHEET_SEED = 14


# The arithmetic (pure: tests/test_relevance_bench.py).


def dcg(grades: Iterable[int]) -> float:
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def ndcg(ranked: list[int], judged: Iterable[int], *, depth: int = TOP) -> float | None:
    """nDCG@depth of one ranking's grades against every judged grade of the query; None
    when the query has no relevant item judged at all."""
    ideal = dcg(sorted(judged, reverse=True)[:depth])
    if ideal == 0:
        return None
    return dcg(ranked[:depth]) / ideal


def precision(ranked: list[int], *, depth: int = TOP) -> float:
    return sum(1 for grade in ranked[:depth] if grade >= 1) / depth


def is_content_free(judgment: dict, kind: str) -> bool:
    return judgment["grade"] == 0 and (kind == "procedural" or bool(judgment.get("content_free")))


def score_run(
    run: dict[str, list[str]],
    queries: list[dict],
    judgments: dict[str, dict[str, dict]],
    kinds: dict[str, str],
) -> dict:
    """One system's figures: over all queries and per query kind."""
    per_query = {}
    for query in queries:
        qid = query["id"]
        keys = run.get(qid, [])[:TOP]
        graded = judgments.get(qid, {})
        missing = [key for key in keys if key not in graded]
        row: dict = {"kind": query["kind"], "results": len(keys), "unjudged": len(missing)}
        if not missing:
            grades = [graded[key]["grade"] for key in keys]
            free = [is_content_free(graded[key], kinds.get(key, "")) for key in keys]
            row.update(
                ndcg=ndcg(grades, (j["grade"] for j in graded.values())),
                p10=precision(grades),
                free_top10=sum(free),
                free_top3=sum(free[:HEAD]),
            )
        per_query[qid] = row
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in per_query.values():
        groups["all"].append(row)
        groups[row["kind"]].append(row)
    return {"per_query": per_query, "groups": {name: _sum(rows) for name, rows in groups.items()}}


def _sum(rows: list[dict]) -> dict:
    scored = [row for row in rows if not row["unjudged"]]
    ndcgs = [row["ndcg"] for row in scored if row["ndcg"] is not None]
    return {
        "queries": len(rows),
        "scored": len(scored),
        "unjudged_items": sum(row["unjudged"] for row in rows),
        "ndcg10": sum(ndcgs) / len(ndcgs) if ndcgs else None,
        "no_relevant": len(scored) - len(ndcgs),
        "p10": sum(row["p10"] for row in scored) / len(scored) if scored else None,
        "free_top10": sum(row["free_top10"] for row in scored),
        "free_top3": sum(row["free_top3"] for row in scored),
        "queries_free_top3": sum(1 for row in scored if row["free_top3"]),
    }


def pool(
    runs: dict[str, dict[str, list[str]]],
    queries: list[dict],
    items: dict[str, dict],
    judgments: dict[str, dict[str, dict]],
    *,
    seed: int = SHEET_SEED,
) -> list[dict]:
    """The judging sheet: per query, the union of every run's top ten without the judged
    items, shuffled; each row carries the need and the exchange, never a system's name."""
    rng = random.Random(seed)
    sheet = []
    for query in queries:
        qid = query["id"]
        keys = sorted(
            {key for run in runs.values() for key in run.get(qid, [])[:TOP]}
            - set(judgments.get(qid, {}))
        )
        rng.shuffle(keys)
        for key in keys:
            item = items[key]
            sheet.append(
                {
                    "query_id": qid,
                    "query": query["query"],
                    "need": query["need"],
                    "item": key,
                    "url": item["url"],
                    "briefing": item["briefing"],
                    "held_on": item["held_on"],
                    "text": item["text"],
                    "grade": None,
                    "content_free": None,
                }
            )
    return sheet


def record(sheet: list[dict], judgments: dict[str, dict[str, dict]]) -> tuple[int, list[str]]:
    """Graded sheet rows into judgments; (how many were added, problems)."""
    added, problems = 0, []
    for number, row in enumerate(sheet, 1):
        grade = row.get("grade")
        if grade is None:
            continue
        if grade not in GRADES:
            problems.append(f"line {number}: grade {grade!r} is not one of {GRADES}")
            continue
        entry = {"grade": grade, "content_free": bool(row.get("content_free")) and grade == 0}
        for extra in ("judge", "note"):
            if row.get(extra):
                entry[extra] = row[extra]
        judgments.setdefault(row["query_id"], {})[row["item"]] = entry
        added += 1
    return added, problems


def item_key(slug: str, position: int, text: str) -> str:
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return f"{slug}#{position}:{digest}"


# Files of the set.


def load_json(path: Path, default):
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else default


def save_json(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(value, indent=1, ensure_ascii=False, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")


# The exchanges' words stay out of the repository (a judged item is named by a hash of its
# text): items.json keeps what scoring needs, the texts and the sheet live in bench/results/.
TEXTS = ROOT / "bench" / "results" / "relevance-texts.json"
SHEET = ROOT / "bench" / "results" / "relevance-to-judge.jsonl"


def load_items(*, with_text: bool = False) -> dict[str, dict]:
    items = load_json(SET / "items.json", {})
    if with_text:
        texts = load_json(TEXTS, {})
        for key, item in items.items():
            item["text"] = texts.get(key, "")
    return items


def save_items(items: dict[str, dict]) -> None:
    texts = load_json(TEXTS, {})
    texts.update({key: item["text"] for key, item in items.items() if "text" in item})
    save_json(TEXTS, texts)
    save_json(SET / "items.json", {key: _without_text(item) for key, item in items.items()})


def _without_text(item: dict) -> dict:
    return {name: value for name, value in item.items() if name != "text"}


def load_runs(folder: Path) -> dict[str, dict[str, list[str]]]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))["top"]
        for path in sorted(folder.glob("*.json"))
    }


def archive_code() -> str:
    """The last commit that changed what the archive ingests, indexes or ranks (the bench
    and the judged set may move on without a rebuild)."""
    folders = ["briefings", "search", "templates", "config"]
    done = subprocess.run(
        ["git", "log", "-1", "--format=%h", "--", *folders],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--", *folders], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() + ("+changes" if changed.stdout.strip() else "")


# Building the archive and the baseline (Django from here on).


def setup_django(data: Path) -> None:
    os.environ.update(DATA_DIR=str(data), DEBUG="1", DJANGO_SETTINGS_MODULE="config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("SEARCH_URL", None)
    import django

    django.setup()


def build_archive(data: Path, corpus: Path) -> dict:
    """The White House corpus in DATA's database and Whoosh index, or the ones already
    there when this checkout built them."""
    stamp = data / "relevance-build.json"
    commit = archive_code()
    if stamp.exists():
        built = json.loads(stamp.read_text())
        if built["commit"] != commit:
            raise SystemExit(
                f"{data} was built by {built['commit']}, this checkout is {commit}: "
                "give a new --data folder (the ingest or the index may differ)"
            )
        print(f"reusing {data} (built by {commit}: {built})")
        return built
    data.mkdir(parents=True, exist_ok=True)
    from django.core.management import call_command

    from briefings.ingest.files import collect_paths
    from briefings.ingest.run import ingest_paths
    from briefings.models import Exchange
    from search import indexing
    from search.models import IndexQueue

    call_command("migrate", verbosity=0)
    paths, _missing = collect_paths([str(corpus)])
    started = time.perf_counter()
    report = ingest_paths([str(path) for path in paths])
    ingest_seconds = time.perf_counter() - started
    print(f"ingested {len(paths)} files in {ingest_seconds:.0f} s")
    IndexQueue.objects.all().delete()
    rebuilt = indexing.rebuild()
    built = {
        "commit": commit,
        "files": len(paths),
        "failed": report.count("failed"),
        "exchanges": Exchange.objects.count(),
        "ingest_seconds": round(ingest_seconds, 1),
        "index_seconds": round(rebuilt.seconds, 1),
    }
    print(f"indexed {rebuilt.documents} exchanges in {rebuilt.seconds:.0f} s")
    stamp.write_text(json.dumps(built, indent=1) + "\n")
    return built


def exchange_record(exchange) -> tuple[str, dict]:
    """An exchange's key and what a judge reads: every turn as printed, with who spoke."""
    lines = []
    for turn in exchange.turns.all():
        label = turn.speaker_label
        extra = [
            value
            for value in (
                turn.person.name if turn.person and turn.person.name != label else "",
                turn.outlet.name if turn.outlet else "",
            )
            if value
        ]
        head = f"{label} ({', '.join(extra)})" if extra else label
        lines.append(f"{head}: {turn.text}")
    text = "\n\n".join(lines)
    conference = exchange.conference
    key = item_key(conference.slug, exchange.position, text)
    return key, {
        "url": exchange.get_absolute_url(),
        "briefing": conference.title,
        "held_on": conference.held_on.isoformat() if conference.held_on else None,
        "kind": exchange.kind,
        "text": text,
    }


def _exchanges(ids: list[int]) -> dict:
    from briefings.models import Exchange

    turns_related = ("turns__person", "turns__outlet")
    found = Exchange.objects.select_related("conference").prefetch_related(*turns_related)
    return found.in_bulk(ids)


def run_archive(queries: list[dict]) -> tuple[dict[str, list[str]], dict[str, dict], list[str]]:
    from search.searching import SearchInput, search_archive

    top, items, notes = {}, {}, []
    for query in queries:
        page = search_archive(SearchInput(q=query["query"]))
        exchanges = [hit.exchange for hit in page.hits[:TOP]]
        by_id = _exchanges([exchange.pk for exchange in exchanges])
        top[query["id"]] = []
        for exchange in exchanges:
            key, item = exchange_record(by_id[exchange.pk])
            top[query["id"]].append(key)
            items[key] = item
        notes += [f"{query['id']}: {message}" for message in page.messages]
    return top, items, notes


def build_baseline(data: Path) -> tuple[object, float]:
    """A Whoosh index of every exchange's spoken words, keyed as the items are."""
    from whoosh import fields, index
    from whoosh.analysis import StemmingAnalyzer

    from briefings.models import Exchange

    folder = data / BASELINE
    if index.exists_in(str(folder)):
        return index.open_dir(str(folder)), 0.0
    folder.mkdir(parents=True, exist_ok=True)
    schema = fields.Schema(
        key=fields.ID(stored=True, unique=True),
        text=fields.TEXT(analyzer=StemmingAnalyzer()),
        speakers=fields.KEYWORD(commas=True),
        held_on=fields.DATETIME(),
    )
    started = time.perf_counter()
    made = index.create_in(str(folder), schema)
    writer = made.writer(limitmb=256)
    ids = list(Exchange.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        chunk = _exchanges(ids[start : start + 500])
        for exchange in chunk.values():
            key, _item = exchange_record(exchange)
            turns = list(exchange.turns.all())
            held = exchange.conference.held_on
            writer.add_document(
                key=key,
                text="\n".join(turn.spoken_text for turn in turns),
                speakers=",".join(sorted({t.person.slug for t in turns if t.person})),
                held_on=dt.datetime(held.year, held.month, held.day) if held else None,
            )
    writer.commit()
    return made, time.perf_counter() - started


def run_baseline(made, queries: list[dict]) -> dict[str, list[str]]:
    from whoosh import query as wq
    from whoosh.qparser import QueryParser

    from search.filters import resolve_filters
    from search.language import Phrase, parse_query

    def text_of(clause) -> str:
        return f'"{" ".join(clause.words)}"' if isinstance(clause, Phrase) else clause.text

    parser = QueryParser("text", schema=made.schema)
    top = {}
    with made.searcher() as searcher:
        for query in queries:
            parsed = parse_query(query["query"])
            parts = ["(" + " OR ".join(map(text_of, group)) + ")" for group in parsed.required]
            parts += [f"NOT {text_of(clause)}" for clause in parsed.excluded]
            compiled = parser.parse(" ".join(parts))
            unscored = []
            for resolved in resolve_filters(parsed):
                if resolved.filter.kind != "speaker":
                    raise SystemExit(f"{query['id']}: the baseline has no {resolved.filter}")
                terms = wq.Or([wq.Term("speakers", slug) for slug in resolved.values])
                unscored.append(wq.Not(terms) if resolved.filter.negated else terms)
            if parsed.date_from or parsed.date_to:
                start, end = parsed.date_from, parsed.date_to
                unscored.append(
                    wq.DateRange(
                        "held_on",
                        dt.datetime.combine(start, dt.time()) if start else None,
                        dt.datetime.combine(end, dt.time.max) if end else None,
                    )
                )
            if unscored:
                compiled = wq.And([compiled, *(wq.ConstantScoreQuery(f, 0.0) for f in unscored)])
            hits = searcher.search(compiled, limit=TOP)
            top[query["id"]] = [hit["key"] for hit in hits]
    return top


def run_systems(args: argparse.Namespace, queries: list[dict]) -> None:
    data = Path(args.data).resolve()
    setup_django(data)
    built = build_archive(data, Path(args.corpus))
    items = load_items(with_text=True)
    runs = SET / "runs"
    started = time.perf_counter()
    top, found, notes = run_archive(queries)
    seconds = time.perf_counter() - started
    items.update(found)
    save_json(
        runs / f"{args.label}.json",
        {"system": f"search_archive at {built['commit']}", "build": built, "top": top},
    )
    print(f"{args.label}: {len(queries)} queries in {seconds:.1f} s")
    for note in notes:
        print(f"  {note}")
    if args.baseline or not (runs / f"{BASELINE}.json").exists():
        made, seconds = build_baseline(data)
        print(f"{BASELINE}: spoken-text index built in {seconds:.0f} s")
        baseline = run_baseline(made, queries)
        wanted = {key for keys in baseline.values() for key in keys} - set(items)
        items.update(_records_for(sorted(wanted)))
        save_json(
            runs / f"{BASELINE}.json",
            {
                "system": "Whoosh BM25F over spoken text only (StemmingAnalyzer)",
                "build": {**built, "baseline_index_seconds": round(seconds, 1)},
                "top": baseline,
            },
        )
    save_items(items)


def _records_for(keys: list[str]) -> dict[str, dict]:
    """The items of `keys`: their exchanges fetched together, not one by one."""
    from briefings.models import Exchange

    places = {}
    for key in keys:
        slug, rest = key.split("#", 1)
        places[slug, int(rest.split(":", 1)[0])] = key
    rows = Exchange.objects.filter(conference__slug__in={slug for slug, _ in places})
    rows = rows.values_list("pk", "conference__slug", "position")
    ids = [pk for pk, slug, position in rows if (slug, position) in places]
    found = {}
    for exchange in _exchanges(ids).values():
        made, item = exchange_record(exchange)
        assert made == places[exchange.conference.slug, exchange.position], made
        found[made] = item
    assert len(found) == len(keys), sorted(set(keys) - set(found))
    return found


# The commands without Django.


def write_sheet(queries: list[dict], path: Path) -> None:
    runs = load_runs(SET / "runs")
    items = load_items(with_text=True)
    judgments = load_json(SET / "judgments.json", {})
    sheet = pool(runs, queries, items, judgments)
    with path.open("w", encoding="utf-8") as out:
        for row in sheet:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    per_query = defaultdict(int)
    for row in sheet:
        per_query[row["query_id"]] += 1
    print(
        f"{len(sheet)} items to judge for {len(per_query)} queries "
        f"(runs pooled: {', '.join(runs)}) -> {path}"
    )


def record_sheet(path: Path) -> None:
    sheet = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    judgments = load_json(SET / "judgments.json", {})
    added, problems = record(sheet, judgments)
    for problem in problems:
        print(problem)
    save_json(SET / "judgments.json", judgments)
    left = sum(1 for row in sheet if row.get("grade") is None)
    print(f"{added} grades recorded in judgments.json; {left} rows of the sheet ungraded")


def print_table(queries: list[dict]) -> None:
    runs = load_runs(SET / "runs")
    items = load_items()
    judgments = load_json(SET / "judgments.json", {})
    kinds = {key: item["kind"] for key, item in items.items()}
    if not runs:
        print("no runs yet: run with --data and --label first")
        return
    scores = {name: score_run(run, queries, judgments, kinds) for name, run in runs.items()}
    groups = ["all", *dict.fromkeys(query["kind"] for query in queries)]

    def figure(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    header = (
        f"{'system':<14} {'queries':<18} {'scored':>6} {'unjudged':>8} {'nDCG@10':>8} "
        f"{'P@10':>6} {'free@10':>7} {'free@3':>6} {'q free@3':>8}"
    )
    print(header)
    print("-" * len(header))
    for group in groups:
        for name, score in scores.items():
            row = score["groups"].get(group)
            if row is None:
                continue
            label = f"{group} ({row['queries']})"
            print(
                f"{name:<14} {label:<18} {row['scored']:>6} "
                f"{row['unjudged_items']:>8} {figure(row['ndcg10']):>8} {figure(row['p10']):>6} "
                f"{row['free_top10']:>7} {row['free_top3']:>6} {row['queries_free_top3']:>8}"
            )
    print(
        "scored: queries whose top ten are all judged (only they count); unjudged: items "
        "of the top tens not judged yet; free@10/@3: content-free results in the top "
        "ten/three; q free@3: queries with one in the top three."
    )
    for name, score in scores.items():
        left = [
            f"{qid} ({row['unjudged']})"
            for qid, row in score["per_query"].items()
            if row["unjudged"]
        ]
        if left:
            print(f"{name}: not scored, items unjudged: {', '.join(left)}")
        empty = [qid for qid, row in score["per_query"].items() if row.get("ndcg") is None]
        empty = [qid for qid in empty if not score["per_query"][qid]["unjudged"]]
        if empty:
            print(f"{name}: no relevant item judged (no nDCG): {', '.join(empty)}")


def main() -> int:
    global SET
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder for the database and indexes (built or reused)")
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "wh-briefings"))
    parser.add_argument("--label", help="name of this checkout's run (runs/NAME.json)")
    parser.add_argument("--baseline", action="store_true", help=f"run {BASELINE} again")
    parser.add_argument("--pool", action="store_true", help="write the judging sheet")
    parser.add_argument(
        "--sheet", help="the judging sheet (default: bench/results/relevance-to-judge.jsonl)"
    )
    parser.add_argument("--set", default=str(SET), help="the judged set's folder")
    parser.add_argument("--record", metavar="SHEET", help="merge a graded sheet into judgments")
    args = parser.parse_args()
    SET = Path(args.set).resolve()
    queries = json.loads((SET / "queries.json").read_text(encoding="utf-8"))["queries"]
    if args.data:
        if not args.label:
            parser.error("--data needs --label (the name of this checkout's run)")
        if args.label == BASELINE:
            parser.error(f"{BASELINE} is the baseline's name")
        run_systems(args, queries)
    if args.pool:
        write_sheet(queries, Path(args.sheet or SHEET).resolve())
    if args.record:
        record_sheet(Path(args.record))
    if not (args.pool or args.record):
        print_table(queries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
