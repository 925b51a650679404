"""A Xapian rebuild on both cores: what would pass 800 exchanges/s (issue 15).

    .venv/bin/python bench/xapian_parallel_rebuild.py --data /tmp/scale-10x [--procs 2]
        [--output bench/results/xapian-parallel-10x.json]

`manage.py reindex --clear` on Xapian writes one database in one process (714 docs/s at
10x, docs/scaling.md). Here --procs processes each prepare and write every N-th chunk of
500 exchanges into a database of their own (search/servers/xapian.py's
`write_documents`, the code the store runs), and `xapian-compact` then merges them into
one database, renumbering the documents (the archive finds a document by its id term,
never by Xapian's number). Timed: the writing, the merge, the whole, and the CPU of the
writing processes; checked: the merged database holds every exchange once.

Not the product's rebuild: a measurement of what a parallel one would do. Everything is
written under a temporary folder in --data and removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search_bench import folder_mb, setup_worker_django  # noqa: E402  (run as a script)

CHUNK = 500


def write_share(share: int, procs: int, ids: list[int], into: Path) -> None:
    """In a forked child: every procs-th chunk of `ids` from `share` on, into `into`."""
    import xapian
    from django.db import connections

    from briefings.models import Exchange
    from search.indexing import exchange_index
    from search.servers.xapian import write_documents

    connections.close_all()  # the parent's connection is not this process's
    index = exchange_index()
    database = xapian.WritableDatabase(str(into), xapian.DB_CREATE)
    for start in range(share * CHUNK, len(ids), procs * CHUNK):
        chunk = ids[start : start + CHUNK]
        write_documents(database, index, Exchange.objects.for_search().filter(pk__in=chunk))
        database.commit()
    database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    setup_worker_django(args.data)
    import xapian
    from django.db import connections

    from briefings.models import Exchange
    from search.servers.xapian import ID_PREFIX

    ids = list(Exchange.objects.order_by("pk").values_list("pk", flat=True))
    connections.close_all()  # not shared with the children
    result: dict = {"exchanges": len(ids), "procs": args.procs, "load": os.getloadavg()}
    with tempfile.TemporaryDirectory(dir=args.data, prefix="xapian-parallel-") as scratch:
        shards = [Path(scratch) / f"shard-{share}" for share in range(args.procs)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        children = []
        for share, shard in enumerate(shards):
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    write_share(share, args.procs, ids, shard)
                except BaseException as error:  # reported by the exit status
                    print(f"share {share}: {error!r}", file=sys.stderr)
                    code = 1
                os._exit(code)
            children.append(pid)
        failed = [pid for pid in children if os.waitpid(pid, 0)[1] != 0]
        written = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if failed:
            raise SystemExit(f"{len(failed)} writing processes failed")
        merged = Path(scratch) / "merged"
        merge_started = time.perf_counter()
        subprocess.run(
            ["xapian-compact", *map(str, shards), str(merged)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        merging = time.perf_counter() - merge_started
        database = xapian.Database(str(merged))
        unique = sum(1 for _ in database.allterms(ID_PREFIX))
        total = written + merging
        result.update(
            written_seconds=round(written, 1),
            writing_cpu_seconds=round(
                (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), 1
            ),
            merge_seconds=round(merging, 1),
            total_seconds=round(total, 1),
            documents_per_second=round(len(ids) / total, 1),
            merged_documents=database.get_doccount(),
            merged_id_terms=unique,
            merged_mb=folder_mb(merged),
            shards_mb=[folder_mb(shard) for shard in shards],
            load_after=os.getloadavg(),
        )
        database.close()
    text = json.dumps(result, indent=1)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
