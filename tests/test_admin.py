"""The admin as an admin uses it: upload with preview, confirm or cancel, merge, the log."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from briefings import upload
from briefings.models import Conference, IngestRun, Person, Turn

pytestmark = pytest.mark.django_db

WH_DEMO = Path(__file__).resolve().parent.parent / "demo" / "white-house"
UPLOAD = reverse("admin:briefings_conference_upload")
CONFIRM = reverse("admin:briefings_conference_upload_confirm")


@pytest.fixture
def admin_client_with_data_dir(admin_client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return admin_client


def demo_file(pattern: str = "2022-*.md") -> SimpleUploadedFile:
    path = next(WH_DEMO.glob(pattern))
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/markdown")


def test_it_shows_a_preview_and_saves_nothing_until_confirmed(admin_client_with_data_dir):
    client = admin_client_with_data_dir

    preview = client.post(UPLOAD, {"files": [demo_file()]})

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Check the transcripts before saving" in page
    assert "Press Gaggle by Press Secretary Karine" in page
    assert "MS. JEAN-PIERRE" in page
    assert Conference.objects.count() == 0

    token = preview.context["confirm"].initial["token"]
    saved = client.post(CONFIRM, {"token": token, "save": "1"})

    assert saved.status_code == 302
    conference = Conference.objects.get()
    assert saved["Location"] == reverse("admin:briefings_conference_change", args=[conference.pk])
    assert IngestRun.objects.get().via == IngestRun.Via.UPLOAD
    assert upload.stashed_files(token) is None


def test_cancel_saves_nothing_and_forgets_the_files(admin_client_with_data_dir):
    client = admin_client_with_data_dir
    preview = client.post(UPLOAD, {"files": [demo_file()]})
    token = preview.context["confirm"].initial["token"]

    client.post(CONFIRM, {"token": token, "cancel": "1"})

    assert Conference.objects.count() == 0
    assert upload.stashed_files(token) is None
    again = client.post(CONFIRM, {"token": token, "save": "1"}, follow=True)
    assert "no longer waiting" in again.content.decode()
    assert Conference.objects.count() == 0


def test_a_broken_file_is_named_in_the_preview_and_the_good_one_still_saves(
    admin_client_with_data_dir,
):
    client = admin_client_with_data_dir
    broken = SimpleUploadedFile("scan.txt", b"\x00\x01binary")

    preview = client.post(UPLOAD, {"files": [demo_file(), broken]})

    page = preview.content.decode()
    assert "scan.txt" in page
    assert "not a text file" in page
    assert "1 file could not be read" in page
    token = preview.context["confirm"].initial["token"]
    client.post(CONFIRM, {"token": token, "save": "1"})
    assert Conference.objects.count() == 1
    run = IngestRun.objects.get()
    assert run.status == IngestRun.Status.PARTIAL
    assert "scan.txt" in run.error_text


def test_an_oversized_upload_is_refused_with_a_message(admin_client_with_data_dir, settings):
    settings.INGEST_MAX_BYTES = 1000

    response = admin_client_with_data_dir.post(UPLOAD, {"files": [demo_file()]})

    assert response.status_code == 200
    assert "is too large" in response.content.decode()
    assert Conference.objects.count() == 0


def test_a_tampered_token_is_refused(admin_client_with_data_dir):
    response = admin_client_with_data_dir.post(
        CONFIRM, {"token": "../../etc/passwd", "save": "1"}, follow=True
    )

    assert "no longer waiting" in response.content.decode()


def test_the_upload_page_needs_a_login(client):
    response = client.get(UPLOAD)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_merging_two_people_from_the_list(admin_client_with_data_dir):
    client = admin_client_with_data_dir
    preview = client.post(UPLOAD, {"files": [demo_file()]})
    client.post(CONFIRM, {"token": preview.context["confirm"].initial["token"], "save": "1"})
    keep = Person.objects.get(name__icontains="Jean-Pierre")
    other = Person.objects.create(name="Karine Jean Pierre", slug="karine-jean-pierre-2")
    moved = Turn.objects.filter(person=keep).first()
    moved.person = other
    moved.save()
    changelist = reverse("admin:briefings_person_changelist")

    confirm_page = client.post(
        changelist, {"action": "merge_people", "_selected_action": [keep.pk, other.pk]}
    )
    assert "Merge people" in confirm_page.content.decode()
    client.post(
        changelist,
        {
            "action": "merge_people",
            "_selected_action": [keep.pk, other.pk],
            "keep": keep.pk,
            "apply": "1",
        },
    )

    assert not Person.objects.filter(pk=other.pk).exists()
    assert Turn.objects.get(pk=moved.pk).person == keep


@pytest.mark.parametrize(
    "name",
    [
        "organization",
        "person",
        "conference",
        "exchange",
        "turn",
        "participant",
        "source",
        "ingestrun",
    ],
)
def test_every_admin_list_and_edit_page_opens(admin_client_with_data_dir, name):
    client = admin_client_with_data_dir
    preview = client.post(UPLOAD, {"files": [demo_file()]})
    client.post(CONFIRM, {"token": preview.context["confirm"].initial["token"], "save": "1"})

    changelist = client.get(reverse(f"admin:briefings_{name}_changelist"), {"q": "press"})
    assert changelist.status_code == 200
    model = changelist.context["cl"].model
    first = model.objects.first()
    change = client.get(reverse(f"admin:briefings_{name}_change", args=[first.pk]))
    assert change.status_code == 200


def test_upload_with_no_file_says_so(admin_client_with_data_dir):
    response = admin_client_with_data_dir.post(UPLOAD, {})

    assert response.status_code == 200
    assert "Choose at least one file to upload." in response.content.decode()
    assert Conference.objects.count() == 0


def test_the_preview_says_what_saving_would_do(admin_client_with_data_dir):
    client = admin_client_with_data_dir
    assert "New: will be added" in client.post(UPLOAD, {"files": [demo_file()]}).content.decode()
    preview = client.post(UPLOAD, {"files": [demo_file()]})
    client.post(CONFIRM, {"token": preview.context["confirm"].initial["token"], "save": "1"})

    again = client.post(UPLOAD, {"files": [demo_file()]})

    assert "Already in the archive: saving changes nothing" in again.content.decode()


def test_the_log_links_the_briefings_and_the_source_keeps_only_the_file_name(
    admin_client_with_data_dir,
):
    client = admin_client_with_data_dir
    preview = client.post(UPLOAD, {"files": [demo_file()]})
    client.post(CONFIRM, {"token": preview.context["confirm"].initial["token"], "save": "1"})
    run = IngestRun.objects.get()
    conference = Conference.objects.get()

    page = client.get(reverse("admin:briefings_ingestrun_change", args=[run.pk])).content.decode()

    assert reverse("admin:briefings_conference_change", args=[conference.pk]) in page
    assert "/" not in conference.sources.get().filename


def test_aliases_are_edited_one_per_line(admin_client_with_data_dir):
    person = Person.objects.create(name="Jeff Zients", slug="jeff-zients")

    admin_client_with_data_dir.post(
        reverse("admin:briefings_person_change", args=[person.pk]),
        {
            "name": "Jeff Zients",
            "slug": "jeff-zients",
            "kind": "person",
            "aliases": "Zients\r\nMR. ZIENTS\r\n\r\n",
        },
    )

    person.refresh_from_db()
    assert person.aliases == ["Zients", "MR. ZIENTS"]


def test_a_file_of_no_known_format_points_to_the_forms_format_choice(admin_client_with_data_dir):
    client = admin_client_with_data_dir
    notes = SimpleUploadedFile(
        "notes.txt",
        b"Notes from the press room.\n\nThe briefing started late and covered the budget.\n",
    )

    page = client.post(UPLOAD, {"files": [notes]}).content.decode()

    assert "unknown format" in page
    assert "choose it: Format in the upload form" in page
    assert "--format" in page  # the command line's way, named as such
    form = client.get(UPLOAD).content.decode()
    assert '<select name="format"' in form
    assert Conference.objects.count() == 0
