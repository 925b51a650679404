"""Which files an ingest reads: the files named, and in folders every file whose first bytes
are text, whatever its extension (a README, LICENSE or SOURCES file and hidden files
left out), in natural order.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Iterable
from pathlib import Path

from .decode import SNIFF_BYTES, binary_kind

# A folder walk takes files by content, whatever their extension (pages saved as ".shtml",
# ".htm" or with none): every text file, and every file named as a transcript, even one
# that turns out broken (it is reported, not passed over). It leaves out other files that
# are not text (pictures saved with a page), hidden files and the notes below; a file
# named explicitly is always tried.
TRANSCRIPT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".shtml", ".json", ".jsonl"}


# Notes that travel with a folder of transcripts but are not transcripts.
NOT_TRANSCRIPTS = re.compile(r"^(readme|license|licence|copying|sources|changelog)\b", re.I)


def collect_paths(arguments: Iterable[str]) -> tuple[list[Path], list[str]]:
    """Files named, found in folders (recursively) or matched by globs; and the misses."""
    paths: list[Path] = []
    missing: list[str] = []
    for argument in arguments:
        matches = [Path(match) for match in sorted(glob.glob(argument, recursive=True))] or [
            Path(argument)
        ]
        for match in matches:
            if match.is_dir():
                paths.extend(
                    path
                    for path in sorted(match.rglob("*"), key=natural_key)
                    if path.is_file()
                    and not NOT_TRANSCRIPTS.match(path.name)
                    and not any(part.startswith(".") for part in path.relative_to(match).parts)
                    and (path.suffix.lower() in TRANSCRIPT_SUFFIXES or is_text_file(path))
                )
            elif match.is_file():
                paths.append(match)
            else:
                missing.append(argument)
    unique = list(dict.fromkeys(path.resolve() for path in paths))
    return unique, missing


def is_text_file(path: Path) -> bool:
    """False for a file whose first bytes show it is no text (an image, an archive, a
    program); a file that cannot be read is kept, so that reading it reports why."""
    try:
        with path.open("rb") as handle:
            return binary_kind(handle.read(SNIFF_BYTES)) is None
    except OSError:
        return True


def natural_key(path: Path | str) -> list[object]:
    """content_9.htm before content_10.htm."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", str(path))]
