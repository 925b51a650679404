"""The whole archive as one download."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.http import http_date

from briefings import archive_file


def archive_jsonl(request: HttpRequest) -> HttpResponse:
    """The whole archive as JSON Lines, the `export` command's lines, from the file the
    background writer keeps (briefings/archive_file.py): written in a worker, the full
    archive outlived the worker's timeout and arrived cut short."""
    written = archive_file.current()
    if written is None:
        response = HttpResponse(
            "The archive file is being written. Try again in a few minutes.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "120"
        return response
    response = FileResponse(
        written.path.open("rb"),
        as_attachment=True,
        filename=archive_file.FILE_NAME,
        content_type="application/x-ndjson",
    )
    response["Last-Modified"] = http_date(written.written_at.timestamp())
    return response
