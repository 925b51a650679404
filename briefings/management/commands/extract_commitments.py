from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefings.commitments import EXTRACTOR_VERSION
from briefings.ingest.extraction import reextract
from briefings.models import Conference


class Command(BaseCommand):
    help = (
        "Re-run the current commitment extractor over stored turns. Machine-found "
        "commitments are replaced; those an admin confirmed, edited or rejected are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*", help="Only these briefings (default: all).")

    def handle(self, *args: object, **options: object) -> None:
        conferences = Conference.objects.all()
        if options["slugs"]:
            conferences = conferences.filter(slug__in=options["slugs"])
            unknown = set(options["slugs"]) - set(conferences.values_list("slug", flat=True))
            if unknown:
                raise CommandError(f"no briefing with slug {', '.join(sorted(unknown))}")
        report = reextract(conferences)
        self.stdout.write(
            f"Extractor {EXTRACTOR_VERSION} over {report.conferences} briefings: "
            f"{report.removed} machine-found commitments replaced by {report.found}; "
            f"{report.kept_reviewed} reviewed commitments kept as they were."
        )
