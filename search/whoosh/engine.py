"""The seam's Whoosh side (search/engines.py): `WhooshReader` compiles the public query
language to Whoosh queries (search/whoosh/compiling.py) and runs them on our read path;
`WhooshStore` applies changes in one Whoosh commit, and rebuilds into a new generation
folder swapped in by one rename of the `whoosh_index` symlink, under a lock file beside
it. Everything Whoosh-only (generation folders, the symlink, file paths in DATA_DIR)
stays here.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.conf import settings
from haystack.indexes import SearchIndex
from haystack.utils import get_identifier
from whoosh.index import IndexError as WhooshIndexError

from briefings.models import Exchange

from ..filters import ResolvedFilter
from ..language import Analyzer, ParsedQuery
from ..results import Found
from .backend import ArchiveWhooshBackend
from .compiling import CompiledQuery, compile_query

GENERATIONS_KEPT = 2  # the live one and the one before it, for a quick rollback
PARALLEL_FROM = 5000  # exchanges; a smaller rebuild starts faster in one process


class WhooshReader:
    errors = (OSError, WhooshIndexError)

    def __init__(self, backend: ArchiveWhooshBackend) -> None:
        self.backend = backend

    def compile(self, parsed: ParsedQuery, filters: list[ResolvedFilter]) -> CompiledQuery:
        return compile_query(parsed, filters, self.backend.text_analyzer())

    def find(
        self,
        compiled: CompiledQuery,
        *,
        start: int,
        end: int,
        sort_by: Sequence[str] = (),
        highlight: bool = False,
        facets: Sequence[str] = (),
        last_page: bool = False,
    ) -> Found:
        return self.backend.find(
            compiled.query,
            start=start,
            end=end,
            sort_by=sort_by,
            dates=compiled.dates,
            highlight=compiled.highlight if highlight else None,
            facets=facets,
            last_page=last_page,
        )

    def count_by_month(self, compiled: CompiledQuery, *, time_limit: float) -> Found:
        return self.backend.count_by_month(
            compiled.query, dates=compiled.dates, time_limit=time_limit
        )

    def similar(self, exchange: Exchange, *, end: int) -> Found:
        return self.backend.similar(get_identifier(exchange), end=end)

    def suggest_spelling(self, words: Sequence[str]) -> dict[str, str]:
        return self.backend.suggest_spelling(words)

    def spelling_candidates(self, words: Sequence[str]) -> dict[str, list[str]]:
        return self.backend.spelling_candidates(words)

    def text_analyzer(self) -> Analyzer:
        return self.backend.text_analyzer()


class WhooshStore:
    def __init__(self, backend: ArchiveWhooshBackend) -> None:
        self.backend = backend

    def lock_path(self) -> Path:
        # Beside the index, never inside it: a rebuild swaps the folder.
        link = index_link()
        return link.with_name(link.name + ".lock")

    def apply_changes(
        self, index: SearchIndex, *, updates: Iterable[Exchange], deletes: Iterable[int]
    ) -> None:
        self.backend.apply_changes(index, updates=updates, deletes=deletes)

    def rebuild(
        self, index: SearchIndex, documents: Iterable[Exchange], *, total: int, clear: bool
    ) -> tuple[int, str]:
        """Build the whole index into a new folder with one writer and swap it in: always
        a fresh index, so `clear` changes nothing."""
        link = index_link()
        folder = link.with_name(f"{link.name}.{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
        # Sub-processes pay off only on a large rebuild; small ones start faster alone.
        procs = min(os.cpu_count() or 1, 2) if total >= PARALLEL_FROM else 1
        count = self.backend.build_generation(folder, index, documents, procs=procs)
        swap_generation(folder)
        return count, folder.name

    def indexed_ids(self, index: SearchIndex) -> set[int]:
        return self.backend.indexed_ids(index)


def index_link() -> Path:
    """The path haystack's Whoosh backend reads: a symlink to the live generation folder."""
    return Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])


def swap_generation(folder: Path) -> None:
    """Point the index symlink at `folder` in one rename; keep one older generation."""
    link = index_link()
    if link.exists() and not link.is_symlink():
        # An index folder from before generations: move it aside once.
        link.rename(link.with_name(f"{link.name}.legacy-{int(time.time())}"))
    temporary = link.with_name(link.name + ".swap")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(folder.name, temporary)
    os.replace(temporary, link)
    generations = sorted(
        (path for path in link.parent.glob(link.name + ".*") if path.is_dir()),
        key=lambda path: path.stat().st_mtime,
    )
    for old in generations[:-GENERATIONS_KEPT]:
        if old.resolve() != folder.resolve():
            shutil.rmtree(old, ignore_errors=True)
