from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser

from briefings.audit import KINDS, SOURCE_ORDER, as_dict, audit, counts


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
        table = counts(findings)
        if options["format"] == "json":
            by_kind = {kind: dict(table[kind]) for kind in kinds}
            document = {"counts": by_kind, "findings": [as_dict(f) for f in findings]}
            self.stdout.write(json.dumps(document, indent=1, ensure_ascii=False))
            return
        sources = [s for s in SOURCE_ORDER if any(table[k][s] for k in kinds)] or ["White House"]
        width = max(len(kind) for kind in kinds)
        header = f"{'kind':<{width}}  " + "  ".join(f"{s:>11}" for s in sources) + "      total"
        self.stdout.write(header)
        for kind in kinds:
            cells = "  ".join(f"{table[kind][s]:>11}" for s in sources)
            self.stdout.write(f"{kind:<{width}}  {cells}  {sum(table[kind].values()):>9}")
        self.stdout.write(f"\n{len(findings)} findings.")
        limit = max(options["limit"], 0)
        for kind in kinds:
            found = [f for f in findings if f.kind == kind]
            if not found or not limit:
                continue
            self.stdout.write(f"\n{kind}: {KINDS[kind]} ({len(found)})")
            for finding in found[:limit]:
                self.stdout.write(f"  [{finding.source}] {finding.url}  {finding.detail}")
