from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser

from briefings.audit import KINDS, as_dict, audit, counts, table


class Command(BaseCommand):
    help = (
        "Report the records of the whole archive a person would call wrong, per kind and "
        "source, with a link to each (briefings/audit.py says what each kind means). "
        "Changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--limit", type=int, default=5, help="Examples shown per kind (text; default 5)."
        )
        parser.add_argument("--kind", choices=list(KINDS), action="append", help="Only these.")

    def handle(self, *args: object, **options: object) -> None:
        kinds = [kind for kind in KINDS if not options["kind"] or kind in options["kind"]]
        findings = [finding for finding in audit() if finding.kind in kinds]
        if options["format"] == "json":
            by_kind = counts(findings)
            document = {
                "counts": {kind: dict(by_kind[kind]) for kind in kinds},
                "findings": [as_dict(f) for f in findings],
            }
            self.stdout.write(json.dumps(document, indent=1, ensure_ascii=False))
            return
        sources, rows = table(findings, kinds)
        width = max(len(kind) for kind in kinds)
        header = f"{'kind':<{width}}  " + "  ".join(f"{s:>11}" for s in sources) + "      total"
        self.stdout.write(header)
        for row in rows:
            cells = "  ".join(f"{count:>11}" for count in row.counts)
            self.stdout.write(f"{row.kind:<{width}}  {cells}  {row.total:>9}")
        self.stdout.write(f"\n{len(findings)} findings.")
        limit = max(options["limit"], 0)
        for kind in kinds:
            found = [f for f in findings if f.kind == kind]
            if not found or not limit:
                continue
            self.stdout.write(f"\n{kind}: {KINDS[kind]} ({len(found)})")
            for finding in found[:limit]:
                self.stdout.write(f"  [{finding.source}] {finding.url}  {finding.detail}")
