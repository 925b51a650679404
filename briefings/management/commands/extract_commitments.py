from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from briefings.commitments import EXTRACTOR_VERSION
from briefings.ingest.extraction import reextract
from briefings.management.selection import select_conferences


class Command(BaseCommand):
    help = (
        "Re-run the current commitment extractor over stored turns. Machine-found "
        "commitments found again keep their ids and take the new values, those no longer "
        "found are retired; those an admin confirmed, edited or rejected are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*", help="Only these briefings (default: all).")

    def handle(self, *args: object, **options: object) -> None:
        conferences = select_conferences(options["slugs"])
        report = reextract(conferences)
        self.stdout.write(
            f"Extractor {EXTRACTOR_VERSION} over {report.conferences} briefings: "
            f"{report.found} new machine-found commitments, {report.updated} updated, "
            f"{report.retired} retired; {report.kept_reviewed} reviewed commitments kept as "
            "they were."
        )
