from __future__ import annotations

import argparse
import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefings.ingest.dating import parse_given_date
from briefings.ingest.formats import format_names
from briefings.ingest.records import ParseError
from briefings.ingest.run import FAILED, Outcome, ingest_paths
from search.indexing import drain


class Command(BaseCommand):
    help = (
        "Ingest transcripts: files, folders (recursively) and globs. Pages of one SCIO "
        "briefing given together become one briefing. Re-ingesting the same files changes "
        "nothing, and so does another copy of a stored briefing. Exits non-zero when any "
        "file failed; the others are still saved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--format", choices=format_names(), help="Skip detection and read as this format."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Update stored briefings whose transcript changed (old URLs keep working).",
        )
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
        summary = f"Ingest finished: {report.summary()}"
        if report.ok:
            self.stdout.write(self.style.SUCCESS(summary))
            return
        self.stderr.write(self.style.ERROR(summary))
        raise CommandError(f"{report.count(FAILED)} file(s) failed; see the lines above")


def option_date(value: dt.date | str | None) -> dt.date | None:
    """--date as call_command passes it too (a keyword argument is not run through argparse)."""
    if isinstance(value, str):
        try:
            return parse_given_date(value)
        except ParseError as error:
            raise CommandError(str(error)) from error
    return value


def given_date(text: str) -> dt.date:
    """--date as argparse reads it: a bad date is an error that says how to write one."""
    try:
        return parse_given_date(text)
    except ParseError as error:
        raise argparse.ArgumentTypeError(str(error)) from error
