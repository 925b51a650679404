from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search.indexing import reconcile


class Command(BaseCommand):
    help = "Report exchanges missing from the search index, or in it but not in the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true", help="Queue the differences.")

    def handle(self, *args: object, **options: object) -> None:
        result = reconcile(fix=options["fix"])
        self.stdout.write(f"{len(result.missing)} missing, {len(result.extra)} extra")
        for label, ids in (("missing", result.missing), ("extra", result.extra)):
            if ids:
                shown = ", ".join(map(str, ids[:20]))
                self.stdout.write(f"  {label}: {shown}{' ...' if len(ids) > 20 else ''}")
        if not result.ok and not options["fix"]:
            raise CommandError("the index does not match the database; run with --fix")
        if not result.ok:
            self.stdout.write("Queued; run `manage.py index --drain` or let the indexer apply.")
