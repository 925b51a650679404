"""The archive's processes on one machine, kept running: `python -m config.serve`.

Four processes make the archive: the web server (gunicorn with gunicorn.conf.py), the
search index writer (`manage.py index --watch`, the only process that writes the index),
the archive file's writer (`manage.py archive_file --watch`, which rewrites the sitemaps
and the whole-archive download when the archive changed) and the watcher (`manage.py watch`, which
visits the sources to watch when due and ingests what is new). `make serve` runs them
with this script; in production systemd runs each as its own unit with `Restart=always`
(docs/deploy.md).

A writer that exits, whatever the cause, is started again after a pause that doubles with
each quick failure (1 s up to 60 s), so a writer that cannot start does not spin. When the
web server exits, the others are stopped and this script exits with its code: it is the
process a person started. SIGTERM or SIGINT stops them all.

`RUN_INDEXER=0` leaves the index writer out (one writer per deployment, when several
machines serve one search server); `RUN_ARCHIVER=0` leaves the archive file's writer out;
`RUN_WATCHER=0` leaves the watcher out (one per deployment, too: two would fetch twice).

honcho or foreman would start the four from a Procfile, but stop all of them when one
exits; restarting a writer is the point here, and it takes a page of code.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_PAUSE = 1.0
LONGEST_PAUSE = 60.0
HEALTHY_AFTER = 60.0  # a writer that ran this long starts its next pause from the first
STOP_WAIT = 35.0  # gunicorn's graceful timeout is 30 s


@dataclass
class Process:
    name: str
    command: list[str]
    restart: bool  # started again when it exits; else its exit ends the archive's run
    popen: subprocess.Popen | None = None
    started_at: float = 0.0
    pause: float = FIRST_PAUSE
    due_at: float = 0.0  # when a stopped writer is started again


def processes(environ: dict[str, str]) -> list[Process]:
    python = sys.executable
    wanted = [
        Process("web", [python, "-m", "gunicorn", "config.wsgi", "-c", "gunicorn.conf.py"], False)
    ]
    if environ.get("RUN_INDEXER", "1") == "1":
        wanted.append(Process("indexer", [python, "manage.py", "index", "--watch"], True))
    if environ.get("RUN_ARCHIVER", "1") == "1":
        wanted.append(Process("archiver", [python, "manage.py", "archive_file", "--watch"], True))
    if environ.get("RUN_WATCHER", "1") == "1":
        wanted.append(Process("watcher", [python, "manage.py", "watch"], True))
    return wanted


def say(message: str) -> None:
    print(f"[serve] {message}", file=sys.stderr, flush=True)


def start(process: Process) -> None:
    process.popen = subprocess.Popen(process.command, cwd=ROOT)
    process.started_at = time.monotonic()
    say(f"{process.name} started (pid {process.popen.pid}): {' '.join(process.command[1:])}")


def stop_all(running: list[Process]) -> None:
    alive = [p.popen for p in running if p.popen is not None and p.popen.poll() is None]
    for popen in alive:
        popen.terminate()
    deadline = time.monotonic() + STOP_WAIT
    for popen in alive:
        try:
            popen.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            popen.kill()
            popen.wait()


def run(running: list[Process]) -> int:
    """Start every process and keep the writers running; returns the web server's code."""
    stopping: list[int] = []

    def on_signal(number: int, _frame: object) -> None:
        stopping.append(number)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    for process in running:
        start(process)
    try:
        while not stopping:
            now = time.monotonic()
            for process in running:
                assert process.popen is not None
                code = process.popen.poll()
                if code is None:
                    continue
                if not process.restart:
                    say(f"{process.name} exited with code {code}; stopping the others")
                    return code
                if process.due_at == 0.0:  # just found dead: schedule the restart
                    if now - process.started_at >= HEALTHY_AFTER:
                        process.pause = FIRST_PAUSE
                    process.due_at = now + process.pause
                    say(
                        f"{process.name} (pid {process.popen.pid}) exited with code {code}; "
                        f"starting it again in {process.pause:.0f} s"
                    )
                    process.pause = min(process.pause * 2, LONGEST_PAUSE)
                elif now >= process.due_at:
                    process.due_at = 0.0
                    start(process)
            time.sleep(0.2)
        say(f"signal {stopping[0]}: stopping")
        return 0
    finally:
        stop_all(running)


def main() -> int:
    return run(processes(dict(os.environ)))


if __name__ == "__main__":
    sys.exit(main())
