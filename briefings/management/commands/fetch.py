from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefings.fetching.run import fetch_urls
from briefings.management.options import add_format_and_replace, apply_index_queue


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
        add_format_and_replace(parser)

    def handle(self, *args: object, **options: object) -> None:
        report = fetch_urls(
            options["urls"],
            format_name=options["format"],
            replace=options["replace"],
            say=self.stdout.write,
        )
        if report.ingest is not None:
            apply_index_queue(self)
        summary = f"Fetch finished: {report.summary()}"
        if report.ok:
            self.stdout.write(self.style.SUCCESS(summary))
            return
        self.stderr.write(self.style.ERROR(summary))
        raise CommandError("some addresses failed; see the lines above and the fetch log")
