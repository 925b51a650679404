from __future__ import annotations

import signal

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search.indexing import drain, pending, watch


class Command(BaseCommand):
    help = (
        "Apply queued changes to the search index (the single index writer). --drain "
        "applies what is queued and exits; --watch keeps applying as changes arrive."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--drain", action="store_true", help="Apply the queue once (default).")
        mode.add_argument("--watch", action="store_true", help="Keep applying, until stopped.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between looks.")

    def handle(self, *args: object, **options: object) -> None:
        if options["watch"]:
            stopping = []
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stopping.append(True))
            self.stdout.write("Index writer watching the queue...")
            watch(interval=options["interval"], stop=lambda: bool(stopping))
            return
        waiting = pending()
        try:
            report = drain(block=True)
        except Exception as error:
            raise CommandError(
                f"index write failed; {waiting} changes stay queued: {error!r}"
            ) from error
        self.stdout.write(f"Index: {report}; {pending()} still queued.")
