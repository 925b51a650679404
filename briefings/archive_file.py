"""The whole archive as one JSON Lines file, written ahead of time and handed out whole.

Writing it takes a minute or more on the full White House corpus (1,151 briefings, 66 MB
of JSON). Streamed from a web worker, the download outlived gunicorn's 30 s worker timeout
and arrived cut short, with a 200 and whole lines: a researcher could not tell (found in
review). So a background process, `manage.py archive_file --watch` (run beside the
web server and the index writer: config/serve.py), writes it into DATA_DIR/exports whenever the
archive has changed, beside a small JSON file saying what it holds, and the download
page serves the finished file. It is written gzip-compressed as well
(`briefing-archive.jsonl.gz`, the same lines), compressed from the finished file before
either is put in place, so the two always hold the same archive.

"Changed" is a fingerprint of the tables the export reads: counts and the newest ids and
update times of briefings, commitments, people and ingest runs. An ingest, a re-parse, a
review of a commitment or a merge of two people changes it; an admin edit that touches
none of those (a person's name alone) reaches the file at the next change, or by running
the command.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import gzip
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max

from .export import write_jsonl
from .models import Commitment, CommitmentChange, Conference, IngestRun, Person

FILE_NAME = "briefing-archive.jsonl"
GZIP_NAME = FILE_NAME + ".gz"
GZIP_LEVEL = 6  # 1x: 16.0 MB in 5.0 s; level 9 0.9% smaller, as slow; level 1 23% larger, 1.6 s


@dataclass(frozen=True)
class ArchiveFile:
    path: Path
    fingerprint: str
    written_at: dt.datetime
    briefings: int
    size: int
    gzip_size: int | None = None  # None: written by a version without the .gz

    @property
    def gzip_path(self) -> Path:
        return self.path.with_name(GZIP_NAME)


def folder() -> Path:
    return Path(settings.DATA_DIR) / "exports"


def _about_path() -> Path:
    return folder() / (FILE_NAME + ".about.json")


def fingerprint() -> str:
    """What the export would read, summed up in a few aggregate queries."""
    parts = [
        Conference.objects.aggregate(n=Count("id"), last=Max("id"), updated=Max("updated_at")),
        Commitment.objects.aggregate(n=Count("id"), updated=Max("updated_at")),
        CommitmentChange.objects.aggregate(last=Max("id")),
        Person.objects.aggregate(n=Count("id"), last=Max("id")),
        IngestRun.objects.aggregate(last=Max("id")),
    ]
    return json.dumps(parts, default=str, sort_keys=True)


def current() -> ArchiveFile | None:
    """The file written last, or None when there is none yet."""
    path = folder() / FILE_NAME
    try:
        about = json.loads(_about_path().read_text(encoding="utf-8"))
        size = path.stat().st_size
    except (OSError, ValueError):
        return None
    try:
        gzip_size: int | None = path.with_name(GZIP_NAME).stat().st_size
    except OSError:
        gzip_size = None
    return ArchiveFile(
        path=path,
        fingerprint=about["fingerprint"],
        written_at=dt.datetime.fromisoformat(about["written_at"]),
        briefings=about["briefings"],
        size=size,
        gzip_size=gzip_size,
    )


def write(
    *, force: bool = False, progress: Callable[[int], None] | None = None
) -> ArchiveFile | None:
    """Write the file when the archive changed since it was written (or with `force`);
    None when it is up to date, or when another process is writing it right now. The
    fingerprint is taken first, so a change made while the file is being written makes
    the next call write it again."""
    with sole_writer(folder()) as alone:
        if not alone:
            return None
        before = fingerprint()
        existing = current()
        if (
            existing is not None
            and existing.gzip_size is not None  # else written before the .gz was
            and existing.fingerprint == before
            and not force
        ):
            return None
        # Written beside the target and renamed: a download never sees half a file.
        handle, partial = tempfile.mkstemp(dir=folder(), prefix=FILE_NAME, suffix=".partial")
        gzip_partial = partial + ".gz"
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                briefings = write_jsonl(stream, progress=progress)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(partial, 0o644)
            compress(Path(partial), Path(gzip_partial))
            written_at = dt.datetime.now(dt.UTC)
            about = {
                "fingerprint": before,
                "written_at": written_at.isoformat(),
                "briefings": briefings,
            }
            os.replace(gzip_partial, folder() / GZIP_NAME)
            os.replace(partial, folder() / FILE_NAME)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            Path(gzip_partial).unlink(missing_ok=True)
            raise
        replace_json(_about_path(), about)
    return current()


@contextmanager
def sole_writer(where: Path) -> Iterator[bool]:
    """Whether this process is the only one writing into `where` (created if need be):
    the watcher beside gunicorn, or a command by hand. A second one gets False at once
    and should leave."""
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    with (where / ".writer.lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True


def replace_json(path: Path, value: object) -> None:
    """`value` as JSON at `path`, written beside it and renamed: a reader sees the old
    file or the new one, never half of one."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(value), encoding="utf-8")
    partial.replace(path)


def compress(source: Path, target: Path) -> None:
    """`source` gzip-compressed into `target`, named FILE_NAME inside (what `gunzip -N`
    restores), readable by the web server like the plain file."""
    with source.open("rb") as plain, target.open("wb") as raw:
        with gzip.GzipFile(FILE_NAME, "wb", GZIP_LEVEL, raw) as packed:
            shutil.copyfileobj(plain, packed, 1 << 20)
        raw.flush()
        os.fsync(raw.fileno())
    os.chmod(target, 0o644)
