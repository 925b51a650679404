"""The whole archive as one download; one briefing as a plain-text or Markdown transcript."""

from __future__ import annotations

import re
from pathlib import Path

from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header, http_date

from briefings import archive_file
from briefings.models import Conference, Turn
from briefings.text import is_web_address


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


# One briefing as a transcript to read or quote elsewhere: plain text or Markdown, in
# reading order, each turn under its speaker.


def transcript_text(request: HttpRequest, slug: str) -> HttpResponse:
    return _transcript(request, slug, markdown=False)


def transcript_markdown(request: HttpRequest, slug: str) -> HttpResponse:
    return _transcript(request, slug, markdown=True)


def _transcript(request: HttpRequest, slug: str, *, markdown: bool) -> HttpResponse:
    conference = get_object_or_404(Conference.objects.select_related("organizer"), slug=slug)
    exchanges = conference.exchanges.order_by("position").prefetch_related(
        Prefetch("turns", queryset=Turn.objects.select_related("person", "outlet"))
    )
    page_url = request.build_absolute_uri(conference.get_absolute_url())
    lines = _heading(conference, page_url, markdown=markdown)
    for exchange in exchanges:
        if markdown:
            lines += [f"## {exchange.get_kind_display()} {exchange.position}", ""]
        else:
            lines += [f"[{exchange.get_kind_display()} {exchange.position}]", ""]
        for turn in exchange.turns.all():
            paragraphs = _paragraphs(turn.text)
            if markdown:
                # A blank line after each: Markdown joins lines that follow each other.
                paragraphs = [part for text in paragraphs for part in (_markdown_escape(text), "")]
                lines += [_speaker_line(turn, markdown=True), "", *paragraphs]
            else:
                lines += [_speaker_line(turn, markdown=False), *paragraphs, ""]
    extension, media_type = ("md", "text/markdown") if markdown else ("txt", "text/plain")
    response = HttpResponse("\n".join(lines), content_type=f"{media_type}; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=f"{conference.slug[:150]}.{extension}"
    )
    return response


def _heading(conference: Conference, page_url: str, *, markdown: bool) -> list[str]:
    held_on = conference.held_on.isoformat() if conference.held_on else "undated"
    facts = [held_on]
    if conference.location:
        facts.append(conference.location)
    if conference.organizer:
        facts.append(conference.organizer.name)
    original = conference.source_url if is_web_address(conference.source_url) else ""
    about = [f"In Briefing Archive: {page_url}"]
    if original:
        about.append(f"Published at: {original}")
    if markdown:
        title = _markdown_escape(conference.title)
        return [f"# {title}", "", " · ".join(facts), "", *(f"- {line}" for line in about), ""]
    rule = "=" * min(len(conference.title), 78)
    return [conference.title, rule, " · ".join(facts), *about, ""]


def _speaker_line(turn: Turn, *, markdown: bool) -> str:
    described = [
        part for part in (turn.speaker_title, turn.outlet.name if turn.outlet else "") if part
    ]
    name = turn.speaker_name
    if markdown:
        name = f"**{_markdown_escape(name)}**"
        described = [_markdown_escape(part) for part in described]
    return f"{name} ({', '.join(described)}):" if described else f"{name}:"


def _paragraphs(text: str) -> list[str]:
    return [" ".join(part.split()) for part in text.split("\n") if part.strip()]


MARKDOWN_SIGNS = re.compile(r"([\\`*_\[\]<>|~&])")
MARKDOWN_LINE_START = re.compile(r"^(#|[-+=]|>)")
MARKDOWN_NUMBERED = re.compile(r"^(\d+)([.)])")


def _markdown_escape(text: str) -> str:
    """Spoken words as Markdown shows them, not as markup: emphasis, strikethrough,
    links, HTML, entities and tables escaped, and a line that would start a heading, a
    list, a quote or a rule ("1. ", "- ", "---"): CommonMark reads a backslash before any
    ASCII punctuation as that character."""
    escaped = MARKDOWN_SIGNS.sub(r"\\\1", text)
    escaped = MARKDOWN_NUMBERED.sub(r"\1\\\2", escaped)
    return MARKDOWN_LINE_START.sub(r"\\\1", escaped)
