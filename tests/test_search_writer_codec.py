"""The writer's codec (search/whoosh/codec.py) writes what Whoosh's own codec writes: on
real White House briefings, the same terms, postings, field lengths and BM25 scores, and
segments that name Whoosh's own codec, so an index reads without our module."""

from __future__ import annotations

from pathlib import Path

import pytest
from haystack import connections
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import QueryParser

from briefings.ingest.run import ingest_paths
from briefings.models import Exchange
from search.indexing import exchange_index
from search.whoosh.codec import WriterCodec

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_index")]

WORDS = ["vaccine", "president", "infrastructure", "jobs", '"american people"']


@pytest.fixture
def documents(corpus: Path) -> list[dict]:
    files = sorted((corpus / "wh-briefings" / "press-briefings").glob("2021-0[3-4]/*.md"))[:6]
    report = ingest_paths([str(path) for path in files])
    assert report.ok
    backend = connections["default"].get_backend()
    backend.setup()
    index = exchange_index()
    return [backend._prepared(index, exchange) for exchange in Exchange.objects.for_search()]


def build(folder: Path, documents: list[dict], **writer_args: object) -> whoosh_index.Index:
    folder.mkdir()
    built = FileStorage(str(folder)).create_index(connections["default"].get_backend().schema)
    writer = built.writer(**writer_args)
    for document in documents:
        writer.add_document(**document)
    writer.commit()
    return whoosh_index.open_dir(str(folder))


def contents(opened: whoosh_index.Index) -> dict:
    with opened.searcher() as searcher:
        reader = searcher.reader()
        postings = {}
        for field, text in reader.all_terms():
            info = reader.term_info(field, text)  # its lengths come from the writer's lookup
            summary = (info.doc_frequency(), info.min_length(), info.max_length())
            postings[field, text] = (summary, list(reader.postings(field, text).items_as("weight")))
        lengths = {
            (docnum, field): reader.doc_field_length(docnum, field)
            for docnum in reader.all_doc_ids()
            for field in opened.schema.scorable_names()
        }
        parser = QueryParser("text", opened.schema)
        scores = {}
        for words in WORDS:
            hits = searcher.search(parser.parse(words), limit=None)
            scores[words] = [(hit["id"], round(hit.score, 9)) for hit in hits]
    return {"postings": postings, "lengths": lengths, "scores": scores}


@pytest.mark.corpus
def test_the_writers_codec_writes_what_whooshs_own_codec_writes(tmp_path: Path, documents):
    assert len(documents) > 200

    ours = build(tmp_path / "ours", documents, codec=WriterCodec())
    theirs = build(tmp_path / "theirs", documents)

    found = contents(ours)
    assert found == contents(theirs)
    assert all(found["scores"][words] for words in WORDS)
    assert {type(segment.codec()) for segment in ours._segments()} == {W3Codec}


@pytest.mark.corpus
def test_it_writes_the_same_through_whooshs_multiprocessing_writer(tmp_path: Path, documents):
    ours = build(tmp_path / "ours", documents, procs=2, multisegment=True, codec=WriterCodec())
    theirs = build(tmp_path / "theirs", documents, procs=2, multisegment=True)

    # Which sub-process indexes which document varies from run to run, so documents
    # with equal scores may come in another order: the scores are compared by document.
    found = {words: sorted(hits) for words, hits in contents(ours)["scores"].items()}
    assert found == {words: sorted(hits) for words, hits in contents(theirs)["scores"].items()}
    assert all(found[words] for words in WORDS)
    assert {type(segment.codec()) for segment in ours._segments()} == {W3Codec}
