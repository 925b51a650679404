"""Print a transcript's official sentences, numbered and keyed, for labelling commitments."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefings.ingest.records import ParseError
from briefings.ingest.sentences import official_sentences, read_transcript


class Command(BaseCommand):
    help = (
        "The officials' sentences of one transcript file, as the commitment extractor reads "
        "them: number, key (tests/data/commitments/whole/ names sentences by it), speaker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a transcript file in any format ingest reads")

    def handle(self, *args: object, path: str, **options: object) -> None:
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            parsed = read_transcript(file)
        except ParseError as error:
            raise CommandError(f"{path}: {error}") from error
        self.stdout.write(f"# {parsed.title}")
        self.stdout.write(f"# date: {parsed.held_on or parsed.published_on or 'unknown'}")
        for sentence in official_sentences(parsed):
            self.stdout.write(
                f"{sentence.number}\t{sentence.key}\t{sentence.speaker}\t{sentence.text}"
            )
