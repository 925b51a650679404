from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefings.ingest.run import FAILED, Outcome, reparse_conferences
from briefings.management.options import given_date, option_date
from briefings.management.selection import select_conferences


class Command(BaseCommand):
    help = (
        "Re-parse every stored source with the current parsers and rewrite the "
        "transcripts; old briefing and exchange URLs keep working."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*", help="Only these briefings (default: all).")
        parser.add_argument(
            "--date",
            type=given_date,
            metavar="YYYY-MM-DD",
            help="The date of the briefings whose transcript names none (with their slugs); "
            "their deadlines are resolved against it.",
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["date"] and not options["slugs"]:
            raise CommandError("--date dates the briefings named: give their slugs")
        conferences = select_conferences(options["slugs"])

        total = conferences.count()

        def show(number: int, outcome: Outcome) -> None:
            line = f"[{number}/{total}] {outcome.line()}"
            if outcome.status == FAILED:
                self.stderr.write(self.style.ERROR(line))
            else:
                self.stdout.write(line)

        report = reparse_conferences(
            conferences, held_on=option_date(options["date"]), on_outcome=show
        )
        self.stdout.write(f"Re-parse finished: {report.summary()}")
        if not report.ok:
            raise CommandError(f"{report.count(FAILED)} briefing(s) could not be re-parsed")
