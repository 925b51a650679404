from __future__ import annotations

import signal

from django.core.management.base import BaseCommand, CommandParser

from briefings.fetching.watching import visit_due, watch


class Command(BaseCommand):
    help = (
        "Visit the sources to watch (admin: Sources to watch) as each falls due, and "
        "ingest what they list that the archive lacks. --once visits those due now and "
        "exits; otherwise it keeps watching until stopped (config/serve.py runs it)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Visit what is due, then exit.")
        parser.add_argument(
            "--interval", type=float, default=60.0, help="Seconds between looks for due sources."
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["once"]:
            visits = visit_due(say=self.stdout.write)
            for source, report in visits:
                self.stdout.write(f"{source.url}: {report.summary()}")
            self.stdout.write(f"{len(visits)} source(s) visited.")
            return
        stopping: list[bool] = []
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.append(True))
        self.stdout.write("Watching the sources...")
        watch(interval=options["interval"], stop=lambda: bool(stopping), say=self.stdout.write)
