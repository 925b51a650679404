"""Score the commitment extractor on a labelled set; the logic is briefings.commitments.evaluate."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefings.commitments.evaluate import DEFAULT_SET, evaluate_commitments, format_report


class Command(BaseCommand):
    help = "Precision, recall, F1 and deadline accuracy of the commitment extractor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--set",
            dest="path",
            default=str(DEFAULT_SET),
            help="a labelled JSONL file (default: tests/data/commitments/evaluation.jsonl)",
        )
        parser.add_argument(
            "--show-errors",
            action="store_true",
            help="list every wrong sentence and every wrong deadline",
        )

    def handle(self, *args: object, path: str, show_errors: bool, **options: object) -> None:
        if not Path(path).is_file():
            raise CommandError(f"no such file: {path}")
        try:
            report = evaluate_commitments(path)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(format_report(report, show_errors=show_errors), ending="")
