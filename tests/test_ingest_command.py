"""`manage.py ingest` and `export` as an admin uses them: real files, clear errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from os import getpid
from pathlib import Path
from socket import gethostname

import pytest
from django.core.management import CommandError, call_command

from briefings.export import write_jsonl
from briefings.ingest.files import collect_paths
from briefings.ingest.load import load_conference
from briefings.models import Commitment, Conference, Exchange, IngestRun, Turn
from tests.conftest import miit_briefing, ministry_list_page, ministry_page, source_file

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parent.parent / "demo"
WH_DEMO = DEMO / "white-house"


def ingest(*paths: object, **options: object) -> tuple[str, str, CommandError | None]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", *map(str, paths), stdout=out, stderr=err, **options)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def snapshot() -> tuple[int, int, int]:
    return Conference.objects.count(), Exchange.objects.count(), Turn.objects.count()


def test_it_ingests_a_folder_and_prints_a_line_per_briefing():
    out, err, error = ingest(WH_DEMO)

    assert error is None, err
    files = sorted(WH_DEMO.glob("*.md"))
    assert Conference.objects.count() == len(files)
    assert sum(line.startswith("[") and " created " in line for line in out.splitlines()) == len(
        files
    )
    assert "Ingest finished: 5 created, 0 replaced, 0 unchanged, 0 failed" in out
    run = IngestRun.objects.get()
    assert run.status == IngestRun.Status.OK
    assert run.created == len(files)


def test_it_says_so_when_the_same_files_come_again():
    ingest(WH_DEMO)
    before = snapshot()

    out, _err, error = ingest(WH_DEMO)

    assert error is None
    assert snapshot() == before
    assert "0 created, 0 replaced, 5 unchanged" in out


def test_it_takes_globs(tmp_path):
    out, _err, error = ingest(str(WH_DEMO / "2022-*.md"))

    assert error is None
    assert Conference.objects.count() == 1
    assert "1 created" in out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.md", b"  \n\n  ", "file is empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        ("utf16.txt", "Q: hello?".encode("utf-16"), "not a text file"),
        ("broken.txt", b"Tian Yulong:\n\nWe will \x81\x8d build.\n", "undecodable bytes"),
        (
            "prose.txt",
            b"This is an essay about policy.\n\nIt has no speakers at all.\n",
            "unknown format",
        ),
        ("notes.json", b'{"not": "an export"}', "unknown format"),
    ],
)
def test_it_refuses_a_bad_file_by_name_and_still_ingests_the_others(
    tmp_path, name, content, message
):
    bad = tmp_path / name
    bad.write_bytes(content)
    good = next(WH_DEMO.glob("2022-*.md"))

    out, err, error = ingest(bad, good)

    assert error is not None, "the exit code must be non-zero"
    failure = [line for line in err.splitlines() if "FAILED" in line]
    assert len(failure) == 1
    assert name in failure[0]
    assert message in failure[0]
    assert Conference.objects.count() == 1
    assert "1 created" in out + err


def test_it_refuses_a_huge_file_without_reading_it(tmp_path, settings):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)

    _out, err, error = ingest(huge)

    assert error is not None
    assert "huge.txt: file is too large (50.0 MB; the limit is 10 MB)" in err
    assert snapshot() == (0, 0, 0)


def test_a_folder_walk_takes_files_by_content_whatever_their_extension(tmp_path):
    title = "Foreign Ministry Spokesperson Zhao Lijian's Regular Press Conference on April 8, 2020"
    body = "<P>Q: Any news today?</P><P>A: None today.</P>"
    (tmp_path / "t1000001.shtml").write_text(ministry_page(title, body))
    (tmp_path / "default.shtml").write_text(ministry_list_page([title]))
    mfa_text = Path(__file__).parent / "data" / "mfa_2020-02-06_daily_briefing_online.txt"
    (tmp_path / "transcript").write_bytes(mfa_text.read_bytes())
    (tmp_path / "README").write_text("Saved pages of the Ministry.\n")
    (tmp_path / ".hidden.txt").write_text("Q: hidden?\n\nA: Yes.\n")
    (tmp_path / "W020200408123456789012.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")

    paths, missing = collect_paths([str(tmp_path)])
    out, err, error = ingest(tmp_path)

    assert missing == []
    assert sorted(path.name for path in paths) == ["default.shtml", "t1000001.shtml", "transcript"]
    assert error is not None  # the list page
    assert "2 created" in out + err
    [failure] = [line for line in err.splitlines() if "FAILED" in line]
    assert "default.shtml: this is a list of transcripts" in failure
    assert "not a transcript" in failure
    assert Conference.objects.filter(format="mfa").count() == 2


def test_it_names_a_missing_path():
    _out, err, error = ingest("/no/such/folder/at/all")

    assert error is not None
    assert "/no/such/folder/at/all: no such file or folder" in err


def test_a_folder_of_broken_files_loses_nothing(tmp_path):
    ingest(WH_DEMO)
    before = snapshot()
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "a.txt").write_bytes(b"")
    (broken / "b.md").write_bytes(b"\x00\x01\x02")
    (broken / "c.html").write_text("<html><body><p>No speakers here.</p></body></html>")
    (broken / "d.txt").write_bytes(b"\xff\xfe\x81")

    _out, err, error = ingest(broken)

    assert error is not None
    assert err.count("FAILED") == 4
    assert snapshot() == before
    assert IngestRun.objects.latest("started_at").status == IngestRun.Status.FAILED


def test_export_writes_one_json_object_per_briefing_and_ingest_reads_it_back(tmp_path):
    load_conference(miit_briefing(), [source_file()])
    original = Conference.objects.get()
    exported = tmp_path / "archive.jsonl"
    call_command("export", "--format", "jsonl", "--output", str(exported), stdout=io.StringIO())
    record = json.loads(exported.read_text().splitlines()[0])
    assert record["schema"] == "briefing-archive/1"
    assert record["title"] == original.title
    assert record["exchanges"][2]["turns"][0]["outlet"] == "Science and Technology Daily"

    Conference.objects.all().delete()
    _out, err, error = ingest(exported)

    assert error is None, err
    restored = json.loads(_export_string().splitlines()[0])
    for key in ("title", "held_on", "participants", "exchanges", "organizer", "location"):
        assert restored[key] == record[key], key


def test_reviewed_commitments_come_back_with_an_imported_export(tmp_path):
    load_conference(miit_briefing(), [source_file()])
    found = list(Commitment.objects.order_by("pk"))
    assert len(found) >= 2
    confirmed, rejected = found[0], found[1]
    confirmed.review, confirmed.status = Commitment.Review.EDITED, Commitment.Status.FULFILLED
    confirmed.actor, confirmed.status_note = "MIIT (checked)", "Reported done in March."
    confirmed.save()
    rejected.review = Commitment.Review.REJECTED
    rejected.save()
    exported = tmp_path / "archive.jsonl"
    call_command("export", "--output", str(exported), stdout=io.StringIO())

    Conference.objects.all().delete()
    _out, err, error = ingest(exported)

    assert error is None, err
    back = {c.sentence: c for c in Commitment.objects.all()}
    edited = back[confirmed.sentence]
    assert (edited.review, edited.status) == (Commitment.Review.EDITED, Commitment.Status.FULFILLED)
    assert (edited.actor, edited.status_note) == ("MIIT (checked)", "Reported done in March.")
    assert back[rejected.sentence].review == Commitment.Review.REJECTED
    assert len(back) == len(found)  # nothing found twice


def _export_string() -> str:
    stream = io.StringIO()
    write_jsonl(stream)
    return stream.getvalue()


def test_export_to_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export", "--output", str(tmp_path / "nope" / "out.jsonl"))


def test_reparse_keeps_slugs_and_rebuilds_the_transcript():
    ingest(WH_DEMO)
    slugs = set(Conference.objects.values_list("slug", flat=True))
    turns = Turn.objects.count()
    Turn.objects.all().delete()

    call_command("reparse", stdout=io.StringIO())

    assert set(Conference.objects.values_list("slug", flat=True)) == slugs
    assert Turn.objects.count() == turns


def test_replace_updates_a_changed_transcript_in_place(tmp_path):
    original = next(WH_DEMO.glob("2022-*.md"))
    ingest(original)
    conference = Conference.objects.get()
    changed = tmp_path / original.name
    changed.write_text(original.read_text().replace("Dover", "Wilmington"))

    _out, err, error = ingest(changed)
    assert error is not None
    assert "--replace" in err

    _out, err, error = ingest(changed, replace=True)
    assert error is None, err
    assert Conference.objects.get().pk == conference.pk
    assert Conference.objects.get().slug == conference.slug
    assert Turn.objects.filter(text__contains="Wilmington").exists()


def test_a_killed_ingest_shows_as_interrupted_in_the_log_not_running(admin_client):
    """An ingest killed with -9 never finishes its log entry; the next ingest, or a look
    at the log, marks it interrupted."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process id that no longer runs
    killed = IngestRun.objects.create(via=IngestRun.Via.COMMAND, host=gethostname(), pid=gone.pid)
    alive = IngestRun.objects.create(via=IngestRun.Via.COMMAND, host=gethostname(), pid=getpid())
    elsewhere = IngestRun.objects.create(via=IngestRun.Via.COMMAND, host="other", pid=gone.pid)

    log = admin_client.get("/admin/briefings/ingestrun/")

    assert log.status_code == 200
    killed.refresh_from_db()
    assert killed.status == IngestRun.Status.INTERRUPTED
    assert f"pid {gone.pid}" in killed.report
    assert killed.finished_at is not None
    assert IngestRun.objects.get(pk=alive.pk).status == IngestRun.Status.RUNNING
    assert IngestRun.objects.get(pk=elsewhere.pk).status == IngestRun.Status.RUNNING
    call_command("ingest", str(WH_DEMO), stdout=io.StringIO())
    newest = IngestRun.objects.first()
    assert (newest.host, newest.pid) == (gethostname(), getpid())
