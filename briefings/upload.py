"""The admin's upload: files parsed into a preview, kept aside until confirmed.

Uploaded bytes wait in DATA_DIR/uploads/<token>/ between the preview and the confirm,
so nothing reaches the database until the admin says so, and a cancelled upload leaves
only a folder that is removed at once (or swept after a day).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings

TOKEN = re.compile(r"^[0-9a-f]{32}$")
STALE_AFTER_SECONDS = 24 * 3600


def uploads_dir() -> Path:
    return Path(settings.DATA_DIR) / "uploads"


def limits_text() -> str:
    """The upload's limits as the form states them."""
    return (
        f"At most {settings.UPLOAD_MAX_FILES} files and {_size(settings.UPLOAD_MAX_BYTES)} "
        "in one upload, so that saving ends well within the server's time limit; larger "
        "ingests go through manage.py ingest."
    )


def over_the_limits(sizes: list[int]) -> str:
    """Why files of these sizes are too many or too large for one upload; "" when they
    fit. Checked before anything is read, so a refused upload costs nothing."""
    total = sum(sizes)
    if len(sizes) > settings.UPLOAD_MAX_FILES:
        return (
            f"{len(sizes)} files are too many for one upload (the limit is "
            f"{settings.UPLOAD_MAX_FILES}). Nothing was saved: upload them in smaller groups."
        )
    if total > settings.UPLOAD_MAX_BYTES:
        return (
            f"These files come to {_size(total)}; one upload is at most "
            f"{_size(settings.UPLOAD_MAX_BYTES)}. Nothing was saved: upload them in "
            "smaller groups, or ingest them with manage.py ingest."
        )
    return ""


def _size(size: int) -> str:
    if size < 1_048_576:
        return f"{size // 1024} KB"
    return f"{size / 1_048_576:.1f} MB"


def stashed_sizes(token: str) -> list[int] | None:
    """The sizes of the files kept under a token, without reading them."""
    if (kept := _manifest(token)) is None:
        return None
    folder, names = kept
    return [(folder / f"{number:03d}.bin").stat().st_size for number in range(1, len(names) + 1)]


def _manifest(token: str) -> tuple[Path, list[str]] | None:
    """The folder of a token's files and their names, or None when the token is unknown
    or malformed."""
    if not TOKEN.fullmatch(token or ""):
        return None
    folder = uploads_dir() / token
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return None
    return folder, json.loads(manifest.read_text())


def stash_files(files: list[tuple[str, bytes]], *, origins: dict[str, dict] | None = None) -> str:
    """Keep the uploaded files until the admin confirms; returns the token naming them.
    `origins` (JSON) says where fetched files came from, by name (stashed_origins)."""
    sweep_stale()
    token = secrets.token_hex(16)
    uploads_dir().mkdir(mode=0o700, parents=True, exist_ok=True)
    folder = uploads_dir() / token
    folder.mkdir(mode=0o700)  # files nobody has confirmed are the service user's alone
    names = []
    for number, (name, data) in enumerate(files, start=1):
        (folder / f"{number:03d}.bin").write_bytes(data)
        names.append(name)
    (folder / "manifest.json").write_text(json.dumps(names))
    if origins:
        (folder / "origins.json").write_text(json.dumps(origins))
    return token


def stashed_origins(token: str) -> dict[str, dict]:
    """Where the files kept under a token were fetched from, by name; empty for uploads."""
    if not TOKEN.fullmatch(token or ""):
        return {}
    path = uploads_dir() / token / "origins.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def stashed_files(token: str) -> list[tuple[str, bytes]] | None:
    """The files kept under a token, or None when the token is unknown or malformed."""
    if (kept := _manifest(token)) is None:
        return None
    folder, names = kept
    return [
        (name, (folder / f"{number:03d}.bin").read_bytes())
        for number, name in enumerate(names, start=1)
    ]


def discard(token: str) -> None:
    if TOKEN.fullmatch(token or ""):
        shutil.rmtree(uploads_dir() / token, ignore_errors=True)


def sweep_stale() -> None:
    """Remove uploads nobody confirmed or cancelled within a day."""
    folder = uploads_dir()
    if not folder.is_dir():
        return
    cutoff = time.time() - STALE_AFTER_SECONDS
    for entry in folder.iterdir():
        if entry.is_dir() and TOKEN.fullmatch(entry.name) and entry.stat().st_mtime < cutoff:
            shutil.rmtree(entry, ignore_errors=True)
