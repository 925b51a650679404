from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefings.fetching.run import fetch_urls
from briefings.ingest.formats import format_names
from search.indexing import drain


class Command(BaseCommand):
    help = (
        "Fetch briefings from their site: a transcript page, a page of a series (the "
        "pager's other pages are fetched too: one briefing), or a list page (every "
        "transcript it links to that the archive lacks). Politely: robots.txt, one request "
        "a second per host (FETCH_* settings). Every request is in the fetch log. Exits "
        "non-zero when anything failed; what was fetched is still saved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("urls", nargs="+", metavar="URL")
        parser.add_argument(
            "--format", choices=format_names(), help="Skip detection and read as this format."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Update stored briefings whose transcript changed (old URLs keep working).",
        )

    def handle(self, *args: object, **options: object) -> None:
        report = fetch_urls(
            options["urls"],
            format_name=options["format"],
            replace=options["replace"],
            say=self.stdout.write,
        )
        if report.ingest is not None:
            try:
                indexed = drain(block=True)  # not a web request: apply the index queue now
                self.stdout.write(f"Search index: {indexed}")
            except Exception as error:  # the database is saved; the queue keeps the changes
                self.stderr.write(
                    self.style.ERROR(
                        f"Search index not updated ({error!r}); the changes stay queued for "
                        "`manage.py index --drain` or the running indexer."
                    )
                )
        summary = f"Fetch finished: {report.summary()}"
        if report.ok:
            self.stdout.write(self.style.SUCCESS(summary))
            return
        self.stderr.write(self.style.ERROR(summary))
        raise CommandError("some addresses failed; see the lines above and the fetch log")
