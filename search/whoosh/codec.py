"""Whoosh's own codec for the writer, with one lookup it repeats made once.

Writing a segment's postings, Whoosh asks the new segment's per-document reader for the
field length of every posting (`doc_field_length`), and for a field with no lengths column
(the exact fields: speakers, outlets, organizations, roles, ids) that reader checks the
disk for the column each time instead of remembering it is not there: a `stat` call per
posting, 100 per exchange. `WriterCodec` remembers the answer. Only the writer uses it:
the segments it writes name Whoosh's own W3Codec, so an index reads as before and needs
nothing from here.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader, W3Segment


class _PerDocReader(W3PerDocReader):
    def _cached_reader(self, fieldname: str, column: object) -> object:
        if fieldname not in self._readers:
            found = self.has_column(fieldname)
            self._readers[fieldname] = self.column_reader(fieldname, column) if found else None
        return self._readers[fieldname]


class WriterCodec(W3Codec):
    def per_document_reader(self, storage: object, segment: object) -> W3PerDocReader:
        return _PerDocReader(storage, segment)

    def new_segment(self, storage: object, indexname: str) -> W3Segment:
        return W3Segment(W3Codec(), indexname)
