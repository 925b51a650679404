"""Score the commitment extractor on a labelled set; the logic is briefings.commitments.evaluate."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefings.commitments.evaluate import DEFAULT_SET, evaluate_commitments, format_report
from briefings.ingest import evaluate_commitments as whole_set


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
        parser.add_argument(
            "--whole",
            action="store_true",
            help="score on whole labelled transcripts (tests/data/commitments/whole/), per "
            "source, reading them from ../shared/corpus",
        )
        parser.add_argument(
            "--split",
            choices=[*whole_set.OPENED_SPLITS, "opened", "test", "all"],
            default="dev",
            help="with --whole: which transcripts (default dev; test1, test2 and test3 were held "
            "out, then opened for development after they were scored; opened is all four; the "
            "test split is held out: score it only to report, and log each run in the set's "
            "README)",
        )

    def handle(
        self, *args: object, path: str, show_errors: bool, whole: bool, split: str, **options
    ) -> None:
        if whole:
            self._whole(split, show_errors)
            return
        if not Path(path).is_file():
            raise CommandError(f"no such file: {path}")
        try:
            report = evaluate_commitments(path)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(format_report(report, show_errors=show_errors), ending="")

    def _whole(self, split: str, show_errors: bool) -> None:
        transcripts = [t for t in whole_set.load_labels() if _in_split(t.split, split)]
        report = whole_set.evaluate(transcripts)
        if not report.by_source:
            raise CommandError(f"none of the labelled transcripts is in {whole_set.DEFAULT_CORPUS}")
        title = f"whole transcripts, {split} split ({len(transcripts)} labelled)"
        self.stdout.write(whole_set.format_report(report, title=title, show_errors=show_errors))


def _in_split(labelled: str, chosen: str) -> bool:
    opened = chosen == "opened" and labelled in whole_set.OPENED_SPLITS
    return chosen == "all" or labelled == chosen or opened
