"""What the commands that store transcripts share (ingest, fetch, reparse): their options
and the index queue applied at the end, since a command is not a web request."""

from __future__ import annotations

import argparse
import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefings.ingest.dating import parse_given_date
from briefings.ingest.formats import format_names
from briefings.ingest.records import ParseError
from search.indexing import drain

PROGRESS_EVERY = 5.0  # seconds between the index write's progress lines


def add_format_and_replace(parser: CommandParser) -> None:
    parser.add_argument(
        "--format", choices=format_names(), help="Skip detection and read as this format."
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="Update stored briefings whose transcript changed (old URLs keep working).",
    )


def apply_index_queue(command: BaseCommand) -> None:
    """Make what the command stored searchable now; on failure the changes stay queued.
    A long write (minutes for a whole corpus) says how far it is every few seconds."""
    shown = time.monotonic()

    def progress(applied: int, total: int) -> None:
        nonlocal shown
        if time.monotonic() - shown >= PROGRESS_EVERY and applied < total:
            command.stdout.write(f"  {applied} of {total} changes written...")
            shown = time.monotonic()

    command.stdout.write("Writing the search index...")
    try:
        command.stdout.write(f"Search index: {drain(block=True, progress=progress)}")
    except Exception as error:  # the database is saved; the queue keeps the changes
        command.stderr.write(
            command.style.ERROR(
                f"Search index not updated ({error!r}); the changes stay queued for "
                "`manage.py index --drain` or the running indexer."
            )
        )


def option_date(value: dt.date | str | None) -> dt.date | None:
    """--date as call_command passes it too (a keyword argument is not run through argparse)."""
    if isinstance(value, str):
        try:
            return parse_given_date(value)
        except ParseError as error:
            raise CommandError(str(error)) from error
    return value


def given_date(text: str) -> dt.date:
    """--date as argparse reads it: a bad date is an error that says how to write one."""
    try:
        return parse_given_date(text)
    except ParseError as error:
        raise argparse.ArgumentTypeError(str(error)) from error
