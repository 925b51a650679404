from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from search.health import index_outdated
from search.indexing import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the whole search index into a new folder and swap it in atomically; "
        "searches keep using the old index until the new one is complete. On a search "
        "server (SEARCH_URL) every document is written again in place."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Search server only: empty the index first (after a schema change); "
            "searches find less until the rebuild ends.",
        )
        parser.add_argument(
            "--if-outdated",
            action="store_true",
            help="Only when the index was built for another schema (a new version's fields "
            "or stemmer); `make serve` runs this, so an upgraded archive searches again.",
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["if_outdated"] and not index_outdated():
            self.stdout.write("The search index is built for this version: nothing to do.")
            return
        last = [0]

        def progress(done: int, total: int) -> None:
            if done - last[0] >= 5000 or done == total:
                self.stdout.write(f"  {done}/{total} exchanges")
                last[0] = done

        report = rebuild(progress=progress, clear=options["clear"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {report.documents} exchanges in {report.seconds:.1f} s "
                f"({report.rate:.0f}/s) into {report.into}"
            )
        )
