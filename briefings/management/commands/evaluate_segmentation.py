"""Score the parsers on the labelled set; the logic is briefings.ingest.evaluate_segmentation."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefings.ingest.evaluate_segmentation import (
    DEFAULT_CORPUS,
    DEFAULT_SET,
    evaluate_set,
    format_report,
)


class Command(BaseCommand):
    help = (
        "Exchange-boundary precision and recall, and speaker accuracy (as parsed, and as "
        "stored after resolution within the briefing), per source."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--set", dest="folder", default=str(DEFAULT_SET))
        parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))

    def handle(self, *args: object, folder: str, corpus: str, **options: object) -> None:
        if not Path(folder).is_dir():
            raise CommandError(f"no such folder: {folder}")
        try:
            report = evaluate_set(Path(folder), Path(corpus))
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(format_report(report), ending="")
