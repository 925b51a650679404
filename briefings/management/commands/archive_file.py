from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from briefings import archive_file, sitemaps
from briefings.text import counted

logger = logging.getLogger(__name__)
T = TypeVar("T")
PROGRESS_EVERY = 5.0  # seconds between progress lines of a write by hand


class Command(BaseCommand):
    help = (
        "Write the whole archive as JSON Lines into DATA_DIR/exports, for the download "
        "page, and the sitemaps into DATA_DIR/sitemaps, when the archive changed since "
        "they were last written. With --watch, keep doing so."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--watch", action="store_true", help="check again every --every s")
        parser.add_argument("--every", type=float, default=60.0, help="seconds between checks")
        parser.add_argument("--force", action="store_true", help="write even if unchanged")

    def handle(self, *args: object, **options: object) -> None:
        force = bool(options["force"])
        every = float(options["every"])
        watch = bool(options["watch"])
        while True:
            # Each writer on its own: one that fails (a bug, a full disk) holds the other
            # back from none of its changes. The sitemaps first: seconds, where the
            # archive file takes minutes.
            failures: list[Exception] = []
            maps = self._attempt("the sitemaps", sitemaps.write_files, force, watch, failures)
            write = archive_file.write if watch else self._write_showing_progress
            written = self._attempt("the archive file", write, force, watch, failures)
            if written is not None:
                self.stdout.write(
                    f"Wrote {counted(written.briefings, 'briefing')} ({written.size:,} bytes) "
                    f"to {written.path}"
                )
            elif not watch and not failures:
                self.stdout.write("The archive file is up to date.")
            if maps is not None:
                self.stdout.write(
                    f"Wrote the sitemaps ({maps.addresses:,} addresses) to {maps.folder}"
                )
            if not watch:
                if failures:
                    raise failures[0]
                return
            force = force and bool(failures)  # a forced write that failed is tried again
            close_old_connections()
            time.sleep(every)

    def _write_showing_progress(self, *, force: bool) -> archive_file.ArchiveFile | None:
        """archive_file.write by hand: minutes for a large archive, so it says how far it
        is every PROGRESS_EVERY seconds (the watcher beside gunicorn writes silently)."""
        shown = time.monotonic()

        def progress(briefings: int) -> None:
            nonlocal shown
            if time.monotonic() - shown >= PROGRESS_EVERY:
                written = counted(briefings, "briefing")
                self.stdout.write(f"  the archive file: {written} written...")
                shown = time.monotonic()

        return archive_file.write(force=force, progress=progress)

    def _attempt(
        self,
        what: str,
        write: Callable[..., T | None],
        force: bool,
        watch: bool,
        failures: list[Exception],
    ) -> T | None:
        """`write(force=force)`, or None with the failure kept: the other writer goes on,
        and a watch tries again at its next look (a database restart, a full disk)."""
        try:
            return write(force=force)
        except Exception as error:
            failures.append(error)
            if watch:
                logger.exception("writing %s failed; trying again at the next look", what)
                close_old_connections()
            return None
