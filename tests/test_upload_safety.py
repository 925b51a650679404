"""Hostile and mistaken uploads: told apart by their content, refused by name with what
they look like, never expanded, never half-read; nothing of them is saved or kept.

Through the ingest workflow (`read_documents`, which the admin upload, `manage.py
ingest` and `reparse` share) and through the admin's upload page.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from briefings import upload
from briefings.ingest.html import looks_like_html
from briefings.ingest.run import read_documents
from briefings.models import Conference, IngestRun

ROOT = Path(__file__).resolve().parent.parent
WH_DEMO = ROOT / "demo" / "white-house"
UPLOAD = reverse("admin:briefings_conference_upload")
CONFIRM = reverse("admin:briefings_conference_upload_confirm")

# A Ministry of Foreign Affairs transcript: what the hostile wrappers below carry.
MFA = (
    "Foreign Ministry Spokesperson's Regular Press Conference on May 6, 2024\n\n"
    "Q: What is your comment on the tariffs?\n\n"
    "A: We have stated our position many times.\n"
)


def zip_of(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def tar_of(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        member = tarfile.TarInfo(name)
        member.size = len(data)
        archive.addfile(member, io.BytesIO(data))
    return buffer.getvalue()


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE html [\n' + "\n".join(entities) + "\n]>\n"
        "<html><body><p>Q: &lol9;</p><p>A: We have stated our position.</p></body></html>"
    ).encode()


def external_entity() -> bytes:
    return (
        b'<!DOCTYPE html [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        b"<html><body><p>Q: &secret;</p><p>A: We have stated our position.</p></body></html>"
    )


def nested(depth: int) -> bytes:
    words = "<p>Q: What about tariffs?</p><p>A: We have stated our position.</p>"
    return ("<html><body>" + "<div>" * depth + words + "</div>" * depth + "</body></html>").encode()


def read_one(name: str, data: bytes) -> str:
    """The refusal of one file read by the ingest workflow ("" when it was read)."""
    [document] = read_documents([(name, data)])
    return document.error


@pytest.mark.parametrize(
    ("name", "data", "looks_like"),
    [
        ("briefing.zip", zip_of("briefing.txt", MFA.encode()), "a ZIP archive"),
        ("briefing.html", zip_of("briefing.txt", MFA.encode()), "a ZIP archive"),
        ("briefing.txt.gz", gzip.compress(MFA.encode()), "a gzip-compressed file"),
        ("briefing.tar", tar_of("briefing.txt", MFA.encode()), "a tar archive"),
        ("briefing.7z", b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 40, "a 7-Zip archive"),
        ("briefing.rar", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 40, "a RAR archive"),
        ("briefing.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "a PDF document"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        ("photo.html", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "a JPEG image"),
        ("transcript.html", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56, "a Linux program"),
        ("transcript.md", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "a Windows program"),
        ("scan.txt", b"Q: hello\x00\x01\x02binary", "binary data"),
        ("notes.txt", MFA.encode("utf-16"), "UTF-16 text (save it as UTF-8)"),
    ],
)
def test_it_refuses_what_is_not_a_text_file_saying_what_it_looks_like(name, data, looks_like):
    error = read_one(name, data)

    assert error.startswith("not a text file: it looks like "), error
    assert looks_like in error
    if "archive" in looks_like or "compressed" in looks_like:
        assert "archives are not opened: upload the transcript files themselves" in error


@pytest.mark.parametrize("data", [b"", b" \n\t", "\u00a0\u3000\n".encode(), b"\x1c\x1d"])
def test_a_file_of_nothing_but_spaces_is_called_empty(data):
    assert read_one("blank.txt", data).startswith("file is empty")


def test_it_reads_the_same_transcript_as_plain_text():
    assert read_one("briefing.txt", MFA.encode()) == ""


@pytest.mark.parametrize("data", [billion_laughs(), external_entity()], ids=["laughs", "external"])
def test_it_refuses_a_file_that_declares_entities_without_expanding_them(data):
    error = read_one("briefing.html", data)

    assert "declares its own entities" in error
    assert "never expanded" in error


def test_it_refuses_html_nested_too_deep_to_be_read_whole():
    error = read_one("deep.html", nested(10_000))

    assert "HTML could not be read whole" in error
    assert "deeper than 256 levels" in error
    assert "would be lost" in error


def test_it_reads_html_nested_within_the_parsers_limit():
    assert read_one("shallow.html", nested(100)) == ""


@pytest.mark.parametrize(
    "opener",
    [
        "<!-- a note",
        "<script>var x = 1;",
        "<style>p {}",
        "<!-- one --><!-- two",  # not only the last opener
        "<noscript>",
        "<nav><ul><li>Home</li></ul>",
        "<form action='/'>",
        "<div><svg><svg></svg>",
    ],
)
def test_it_refuses_html_whose_rest_an_unclosed_element_would_swallow(opener):
    page = (
        "<html><body><p>Q: What about tariffs?</p>" + opener + "<p>A: We have stated our "
        "position many times.</p><p>Q: And the next?</p></body></html>"
    )

    error = read_one("cut.html", page.encode())

    assert "HTML could not be read whole" in error
    assert "never closed would swallow the rest of the page" in error


def test_a_run_of_comments_before_the_first_tag_is_read_at_once():
    # As a plain repeat, 40 comments could be split 2^39 ways: the parser hung.
    page = "<!--a-->" * 250 + "\nPress briefing\nQ: A question?\nMR. SMITH: An answer."
    assert not looks_like_html(page)
    assert looks_like_html("<!-- c --> <!-- d -->\n<html><body><p>x</p></body></html>")


# Through the admin upload page.


@pytest.fixture
def editor(admin_client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return admin_client


def demo_file() -> SimpleUploadedFile:
    path = next(WH_DEMO.glob("2022-*.md"))
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/markdown")


def test_an_upload_of_nothing_readable_is_refused_in_the_preview_and_nothing_is_kept(editor):
    files = [
        SimpleUploadedFile("pages.zip", zip_of("briefing.txt", MFA.encode())),
        SimpleUploadedFile("laughs.html", billion_laughs()),
        SimpleUploadedFile("deep.html", nested(10_000)),
    ]

    preview = editor.post(UPLOAD, {"files": files})

    page = preview.content.decode()
    assert preview.status_code == 200
    assert "3 files could not be read and will not be saved" in page
    for name, why in [
        ("pages.zip", "it looks like a ZIP archive"),
        ("laughs.html", "declares its own entities"),
        ("deep.html", "could not be read whole"),
    ]:
        assert name in page
        assert why in page
    assert "Save to the archive" not in page
    assert not upload.uploads_dir().exists() or not any(upload.uploads_dir().iterdir())
    assert Conference.objects.count() == 0


def test_a_refused_file_beside_a_good_one_is_named_and_only_the_good_one_is_saved(editor):
    files = [demo_file(), SimpleUploadedFile("pages.zip", zip_of("a.txt", MFA.encode()))]

    preview = editor.post(UPLOAD, {"files": files})
    editor.post(CONFIRM, {"token": preview.context["confirm"].initial["token"], "save": "1"})

    assert Conference.objects.count() == 1
    run = IngestRun.objects.get()
    assert "pages.zip" in run.error_text
    assert "ZIP archive" in run.error_text


def test_an_oversized_file_is_refused_by_name_before_it_is_read(editor, settings):
    settings.INGEST_MAX_BYTES = 1_048_576
    big = SimpleUploadedFile("huge.txt", MFA.encode() * 20_000)

    response = editor.post(UPLOAD, {"files": [big]})

    page = response.content.decode()
    assert "huge.txt is too large" in page
    assert "the limit is 1 MB" in page
    assert "Nothing was saved." in page
    assert not upload.uploads_dir().exists()


def test_waiting_uploads_are_the_service_users_alone(editor):
    preview = editor.post(UPLOAD, {"files": [demo_file()]})
    token = preview.context["confirm"].initial["token"]

    folder = upload.uploads_dir() / token
    assert folder.stat().st_mode & 0o777 == 0o700
    assert upload.uploads_dir().stat().st_mode & 0o777 == 0o700
