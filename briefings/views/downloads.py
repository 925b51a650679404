"""The whole archive as one download."""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.http import http_date

from briefings import archive_file


def archive_jsonl(request: HttpRequest) -> HttpResponse:
    """The whole archive as JSON Lines, the `export` command's lines, from the file the
    background writer keeps (briefings/archive_file.py): written in a worker, the full
    archive outlived the worker's timeout and arrived cut short."""
    written = archive_file.current()
    if written is None:
        return being_written()
    return whole_file(written, written.path, archive_file.FILE_NAME, "application/x-ndjson")


def archive_jsonl_gz(request: HttpRequest) -> HttpResponse:
    """The same file gzip-compressed, as a file of its own (application/gzip, no
    Content-Encoding: a browser saves it as it came, and `gunzip` gives the .jsonl)."""
    written = archive_file.current()
    if written is None or written.gzip_size is None:
        return being_written()
    return whole_file(written, written.gzip_path, archive_file.GZIP_NAME, "application/gzip")


def being_written(what: str = "The archive file", seconds: int = 120) -> HttpResponse:
    """503 for a file written ahead that is not there yet, with when to ask again."""
    response = HttpResponse(
        f"{what} is being written. Try again in a few minutes.",
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(seconds)
    return response


def whole_file(
    written: archive_file.ArchiveFile, path: Path, filename: str, content_type: str
) -> HttpResponse:
    """`path` as an attachment, with its length (FileResponse reads it from the file)."""
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["Last-Modified"] = http_date(written.written_at.timestamp())
    return response
