from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefings.ingest.run import FAILED, Outcome, reparse_conferences
from briefings.management.selection import select_conferences


class Command(BaseCommand):
    help = (
        "Re-parse every stored source with the current parsers and rewrite the "
        "transcripts; old briefing and exchange URLs keep working."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*", help="Only these briefings (default: all).")

    def handle(self, *args: object, **options: object) -> None:
        conferences = select_conferences(options["slugs"])

        total = conferences.count()

        def show(number: int, outcome: Outcome) -> None:
            line = f"[{number}/{total}] {outcome.line()}"
            if outcome.status == FAILED:
                self.stderr.write(self.style.ERROR(line))
            else:
                self.stdout.write(line)

        report = reparse_conferences(conferences, on_outcome=show)
        self.stdout.write(f"Re-parse finished: {report.summary()}")
        if not report.ok:
            raise CommandError(f"{report.count(FAILED)} briefing(s) could not be re-parsed")
