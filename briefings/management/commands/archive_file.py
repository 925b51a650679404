from __future__ import annotations

import logging
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from briefings import archive_file, sitemaps

logger = logging.getLogger(__name__)


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
        while True:
            try:
                # The sitemaps first: seconds, where the archive file takes minutes.
                maps = sitemaps.write_files(force=force)
                written = archive_file.write(force=force)
            except Exception:
                if not options["watch"]:
                    raise
                # A database restart, a full disk: say so and try again, never stop.
                logger.exception("writing the archive file failed; trying again in %s s", every)
                close_old_connections()
                time.sleep(every)
                continue
            if written is not None:
                self.stdout.write(
                    f"Wrote {written.briefings} briefings ({written.size:,} bytes) "
                    f"to {written.path}"
                )
            elif not options["watch"]:
                self.stdout.write("The archive file is up to date.")
            if maps is not None:
                self.stdout.write(
                    f"Wrote the sitemaps ({maps.addresses:,} addresses) to {maps.folder}"
                )
            if not options["watch"]:
                return
            force = False
            close_old_connections()
            time.sleep(every)
