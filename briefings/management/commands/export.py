from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefings.export import write_jsonl


class Command(BaseCommand):
    help = (
        "Export the whole archive as JSON Lines, one briefing per line "
        "(schema: docs/export-format.md). `ingest` reads the file back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["jsonl"], default="jsonl")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args: object, **options: object) -> None:
        output = options["output"]
        if not output or output == "-":
            count = write_jsonl(sys.stdout)
            self.stderr.write(f"Exported {count} briefings.")
            return
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"cannot write {path}: folder {path.parent} does not exist")
        # Write beside the target and rename, so a failed export never leaves half a file.
        partial = path.with_name(path.name + ".partial")
        with partial.open("w", encoding="utf-8") as stream:
            count = write_jsonl(stream)
        partial.replace(path)
        self.stdout.write(self.style.SUCCESS(f"Exported {count} briefings to {path}"))
