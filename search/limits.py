"""At most a few large search exports at once, across every worker of the server.

An export of a common word reads up to 5,000 results and takes 0.5-1 s of a worker;
three clients looping on them held all three workers, and other readers' p95 went to
3.9 s (bench/reliability.py, "abuse-export"). An export takes one of
settings.EXPORT_CONCURRENCY slots, file locks in DATA_DIR/locks that every worker
process sees; with none free it is answered 429 at once, with Retry-After. An export is
streamed (its exchanges read a chunk at a time as it is sent), and holds its slot until the
last byte is out.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from django.conf import settings


@contextmanager
def export_slot() -> Iterator[bool]:
    """True inside a free slot, held until the block ends; False when all are taken."""
    folder = Path(settings.DATA_DIR) / "locks"
    folder.mkdir(mode=0o700, exist_ok=True)
    for number in range(max(1, settings.EXPORT_CONCURRENCY)):
        handle = (folder / f"export-{number}.lock").open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
        return
    yield False


def claim_export_slot() -> Callable[[], None] | None:
    """Take a free slot and return what gives it back; None when all are taken. For an
    export streamed after its view returns, which holds the slot until it is sent."""
    stack = ExitStack()
    if stack.enter_context(export_slot()):
        return stack.close
    stack.close()
    return None


class HoldingSlot:
    """A streamed export's chunks, holding its slot until the response is closed (sent in
    full, or the client gone): a StreamingHttpResponse calls close() either way, read or
    not, so a slot is never left held by a generator nobody finishes."""

    def __init__(self, chunks: Iterator[str], release: Callable[[], None]) -> None:
        self._chunks = chunks
        self._release = release

    def __iter__(self) -> Iterator[str]:
        return self._chunks

    def close(self) -> None:
        try:
            close = getattr(self._chunks, "close", None)
            if close is not None:
                close()
        finally:
            self._release()
