"""Our subclass of haystack's Whoosh backend: what haystack gets wrong, mended.

Writes (used only by the single writer in search/indexing.py):
- `apply_changes` applies updates and deletes in one Whoosh writer and one commit,
  with one searcher for all the look-ups by id (Whoosh opens one per document otherwise:
  the cause of haystack's quadratic rebuild, whoosh#531), and raises on failure;
- `build_generation` writes a whole index into a fresh folder with `add_document` only;
- `setup` makes the index path a symlink to a generation folder, so a rebuild can swap it;
- both write with `WriterCodec` (search/whoosh/codec.py): Whoosh's codec, without a disk
  check per posting.

Reads are mixed in: `ReadPath` (search/whoosh/reading.py) searches, and `HaystackSearch`
(search/whoosh/haystack_api.py) answers haystack's `search` and `more_like_this` with it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.utils import get_identifier
from whoosh.fields import ID as WHOOSH_ID
from whoosh.fields import NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.query import Term

from ..analysis import archive_analyzer
from ..fields import ANSWER_WORDS_FIELD, EXACT_FIELDS
from .codec import WriterCodec
from .haystack_api import HaystackSearch
from .open_index import refuse_outdated
from .reading import ReadPath


class ArchiveWhooshBackend(HaystackSearch, ReadPath, WhooshSearchBackend):
    def setup(self) -> None:
        if self.use_file_storage:
            ensure_generation_layout(Path(self.path))
        super().setup()

    def build_schema(self, fields: dict) -> tuple[str, Schema]:
        """haystack's schema, made lean: its text fields are all stored, sortable and
        stemmed, and the document field also feeds a spelling dictionary; measured, that
        doubles build time and index size. Here the text fields are Snowball-stemmed
        (search/analysis.py) with no sort column, stored only when the index says so,
        and only the document field feeds spelling; fields that are only shown are stored
        and not indexed, and the exact character fields (a slug, a kind) are IDs; the
        exact multi-valued fields are haystack's KEYWORD fields already. The answer's
        length, which ranks, is a column read once per generation (search/whoosh/open_index.py),
        neither stored nor searched."""
        content_field_name, schema = super().build_schema(fields)
        by_name = {field.index_fieldname: field for field in fields.values()}
        lean = {}
        for name, field_type in schema.items():
            if name.startswith("spell_"):
                continue  # Schema adds the spelling field for the text field itself
            source = by_name.get(name)
            if name == ANSWER_WORDS_FIELD:
                lean[name] = NUMERIC(numtype=int, bits=32, signed=False, sortable=True)
            elif source is None or not isinstance(field_type, TEXT):
                lean[name] = field_type
            elif not source.indexed:
                lean[name] = STORED()
            elif name in EXACT_FIELDS:
                lean[name] = WHOOSH_ID(stored=True)
            else:
                lean[name] = TEXT(
                    stored=source.stored,
                    analyzer=archive_analyzer(),
                    spelling=name == content_field_name,
                )
        return content_field_name, Schema(**lean)

    def _prepared(self, index: object, obj: object) -> dict:
        document = index.full_prepare(obj)
        document.pop("boost", None)
        return {key: self._from_python(value) for key, value in document.items()}

    def apply_changes(
        self, index: object, *, updates: Iterable[object], deletes: Iterable[int]
    ) -> None:
        """Replace the documents of `updates`, remove those of `deletes`: one commit."""
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        # Documents of this schema in an index of another would mix two analyses: the
        # changes stay queued until `manage.py reindex` writes a new generation.
        refuse_outdated(FileStorage(self.path), self.schema)
        model = index.get_model()
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        writer = self.index.writer(timeout=writer_timeout(), codec=WriterCodec())
        try:
            searcher = writer.searcher()
            try:
                documents = [self._prepared(index, obj) for obj in updates]
                identifiers = [f"{label}.{pk}" for pk in deletes]
                identifiers += [document[ID] for document in documents]
                for identifier in identifiers:
                    writer.delete_by_query(Term(ID, identifier), searcher=searcher)
            finally:
                searcher.close()
            for document in documents:
                writer.add_document(**document)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def build_generation(
        self, folder: Path, index: object, objects: Iterable[object], *, procs: int = 1
    ) -> int:
        """A complete index in a new folder, written with one writer; returns its size.

        With procs > 1, Whoosh's multiprocessing writer indexes in sub-processes and keeps
        their segments as they are (no final merge); measured on 4,000 exchanges here,
        2 processes index 1,900 documents/s against 1,100 with one.
        """
        if not self.setup_complete:
            self.setup()
        folder.mkdir(parents=True)
        fresh = FileStorage(str(folder)).create_index(self.schema)
        if procs > 1:
            writer = fresh.writer(procs=procs, limitmb=128, multisegment=True, codec=WriterCodec())
        else:
            writer = fresh.writer(limitmb=256, codec=WriterCodec())
        count = 0
        try:
            for obj in objects:
                writer.add_document(**self._prepared(index, obj))
                count += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return count

    def indexed_ids(self, index: object) -> set[int]:
        """The primary keys of every live document of the index's model."""
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        model = index.get_model()
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        with self.index.searcher() as searcher:
            return {
                int(fields[DJANGO_ID])
                for fields in searcher.all_stored_fields()
                if fields.get(DJANGO_CT) == label
            }

    def remove(self, obj_or_string: object, commit: bool = True) -> None:
        """Deletes never fail silently: they go through the same writer path."""
        identifier = get_identifier(obj_or_string)
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        writer = self.index.writer(timeout=writer_timeout())
        writer.delete_by_term(ID, identifier)
        writer.commit()


def writer_timeout() -> float:
    """Seconds to wait for Whoosh's own write lock before the write fails (and stays queued)."""
    return float(getattr(settings, "SEARCH_WRITER_TIMEOUT", 30.0))


def ensure_generation_layout(link: Path) -> None:
    """Make `link` a symlink to a generation folder, creating an empty one if needed."""
    if link.is_symlink() or link.is_dir():
        return
    link.parent.mkdir(parents=True, exist_ok=True)
    folder = link.with_name(link.name + ".initial")
    folder.mkdir(exist_ok=True)
    temporary = link.with_name(link.name + ".swap")
    if temporary.is_symlink():
        temporary.unlink()
    os.symlink(folder.name, temporary)
    os.replace(temporary, link)


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
