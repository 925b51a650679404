from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefings.ingest.run import FAILED, Outcome, ingest_paths
from briefings.management.options import (
    add_format_and_replace,
    apply_index_queue,
    given_date,
    option_date,
)
from briefings.text import counted


class Command(BaseCommand):
    help = (
        "Ingest transcripts: files, folders (recursively) and globs. Pages of one SCIO "
        "briefing given together become one briefing. Re-ingesting the same files changes "
        "nothing, and so does another copy of a stored briefing. Exits non-zero when any "
        "file failed; the others are still saved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        add_format_and_replace(parser)
        parser.add_argument(
            "--date",
            type=given_date,
            metavar="YYYY-MM-DD",
            help="The date of transcripts that name none (else a date in the file name is "
            "used); a stored undated briefing given again takes it.",
        )

    def handle(self, *args: object, **options: object) -> None:
        def start(files: int) -> None:
            if files > 1:
                self.stdout.write(f"Reading {files} files...")

        def show(number: int, outcome: Outcome) -> None:
            line = f"[{number}] {outcome.line()}"
            if outcome.status == FAILED:
                self.stderr.write(self.style.ERROR(line))
                return
            self.stdout.write(line)
            for warning in outcome.warnings:
                self.stdout.write(self.style.WARNING(f"    warning: {warning}"))

        report = ingest_paths(
            options["paths"],
            format_name=options["format"],
            replace=options["replace"],
            held_on=option_date(options["date"]),
            on_start=start,
            on_outcome=show,
        )
        apply_index_queue(self)
        summary = f"Ingest finished: {report.summary()}"
        if report.ok:
            self.stdout.write(self.style.SUCCESS(summary))
            return
        self.stderr.write(self.style.ERROR(summary))
        raise CommandError(f"{counted(report.count(FAILED), 'file')} failed; see the lines above")
