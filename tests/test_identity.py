"""One briefing however many copies arrive: the page and its text, another URL, title or
date, other spacing. Real files (the demo transcripts) through the real loader."""

from __future__ import annotations

import re
from http import HTTPStatus
from pathlib import Path

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from briefings.ingest.load import UNCHANGED
from briefings.ingest.run import ingest_paths
from briefings.models import Conference, ConferenceSlug
from briefings.text import spoken_fingerprint, spoken_words
from tests.test_ingest_command import ingest

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parent.parent / "demo"
WH_FILE = (
    DEMO
    / "white-house"
    / "2021-02-01-press-briefing-by-press-secretary-jen-psaki-february-1-2021.md"
)
SCIO_PAGE = DEMO / "scio" / "2024-01-19-scio-press-conference-industry-2023.html"


def resaved(text: str) -> str:
    """The same file saved again by another editor: CRLF, single spaces, no trailing ones."""
    lines = [re.sub(r"[ \u00a0]+", " ", line).rstrip() for line in text.split("\n")]
    return "\r\n".join(lines)


def republished(text: str, *, day: str, title: str) -> str:
    """The same transcript published again under another URL, title and date."""
    text = re.sub(r"(?m)^date: .*$", f"date: '{day}'", text)
    text = re.sub(r"(?m)^source_url: (.*)/$", r"source_url: \1-2/", text)
    return re.sub(r'(?ms)^title: ".*?"\n(?=\w+:|---)', f'title: "{title}"\n', text)


def test_the_fingerprint_keeps_the_words_and_drops_spacing_case_notes_and_punctuation():
    said = "We will — as I said — build 5G factories. (Laughter.) It’s “done.”\n\n" * 10
    copy = 'we will -- as i said -- build 5g factories. it\'s "done."  ' * 10

    assert spoken_words([said])[:8] == ["we", "will", "as", "i", "said", "build", "5g", "factories"]
    assert spoken_fingerprint([said]) == spoken_fingerprint([copy])
    assert spoken_fingerprint([said]) != spoken_fingerprint([said.replace("5G", "6G")])
    assert spoken_fingerprint(["Thank you."]) == ""  # too few words to name a briefing


def test_a_copy_re_saved_with_other_spacing_is_unchanged(tmp_path):
    ingest(WH_FILE)
    copy = tmp_path / "psaki-copy.md"
    copy.write_bytes(resaved(WH_FILE.read_text()).encode())
    assert copy.read_bytes() != WH_FILE.read_bytes()

    out, err, error = ingest(copy)

    assert error is None, err
    assert Conference.objects.count() == 1
    assert "0 created, 0 replaced, 1 unchanged" in out


def test_the_same_transcript_under_another_url_title_and_date_is_one_briefing(client, tmp_path):
    ingest(WH_FILE)
    kept = Conference.objects.get()
    copy = tmp_path / "republished.md"
    copy.write_text(
        republished(WH_FILE.read_text(), day="2021-02-02", title="Briefing by Jen Psaki")
    )

    out, err, error = ingest(copy)

    assert error is None, err
    assert Conference.objects.count() == 1
    assert "1 unchanged" in out
    assert "the same briefing, known by its spoken words (republished.md)" in out
    old = ConferenceSlug.objects.get(conference=kept)
    assert old.slug == "2021-02-02-briefing-by-jen-psaki"
    response = client.get(f"/briefings/{old.slug}/")
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == kept.get_absolute_url()
    exchange = client.get(f"/briefings/{old.slug}/3/")
    assert exchange["Location"] == reverse("briefings:exchange-detail", args=[kept.slug, 3])


def test_ingesting_the_copy_again_changes_nothing_and_replace_keeps_the_first(tmp_path):
    ingest(WH_FILE)
    kept = Conference.objects.get()
    copy = tmp_path / "republished.md"
    copy.write_text(republished(WH_FILE.read_text(), day="2021-02-02", title="Another title"))
    ingest(copy)

    for options in ({}, {"replace": True}):
        _out, err, error = ingest(WH_FILE, copy, **options)
        assert error is None, err

    stored = Conference.objects.get()
    assert (stored.pk, stored.title, stored.held_on) == (kept.pk, kept.title, kept.held_on)


def test_a_changed_copy_under_another_url_needs_replace(tmp_path):
    ingest(WH_FILE)
    changed = tmp_path / "changed.md"
    text = republished(WH_FILE.read_text(), day="2021-02-01", title="Corrected: the briefing")
    changed.write_text(text.replace("Happy Monday.", "Good afternoon.", 1))

    _out, err, error = ingest(changed)

    assert error is not None
    assert "known by the same exchanges within a day" in err
    assert "--replace" in err
    assert Conference.objects.count() == 1

    _out, err, error = ingest(changed, replace=True)
    assert error is None, err
    assert Conference.objects.get().title == "Corrected: the briefing"


def page_text(html: str, part: str, *, leave_out: str = "") -> str:
    """The text a reader saves from the page: the text of the part they select."""
    tree = lxml.html.fromstring(html)
    for element in tree.xpath(leave_out) if leave_out else []:
        element.drop_tree()
    return tree.xpath(part)[0].text_content()


def test_the_page_and_its_text_are_one_briefing(tmp_path):
    html = SCIO_PAGE.read_text()
    text = tmp_path / "industry-2023.txt"
    text.write_text(
        page_text(html, "//div[@class='main']", leave_out="//div[@class='share']").replace(
            "\n", "\r\n"
        )
    )

    report = ingest_paths([str(SCIO_PAGE), str(text)])

    assert [outcome.status for outcome in report.outcomes] == ["created", UNCHANGED]
    assert Conference.objects.count() == 1


def test_the_whole_page_saved_as_text_is_a_version_of_the_page(tmp_path):
    """The share buttons ("WeChat Weibo Print") end up in the text copy's last turn, so
    the words differ; the same exchanges on the same day still tell it is the page."""
    html = SCIO_PAGE.read_text()
    text = tmp_path / "industry-2023.txt"
    text.write_text(page_text(html, "//body"))

    report = ingest_paths([str(SCIO_PAGE), str(text)])

    assert report.outcomes[1].status == "failed"
    assert "known by the same exchanges within a day" in report.outcomes[1].error
    assert Conference.objects.count() == 1


def test_the_upload_preview_names_and_links_the_briefing_a_copy_matches(
    admin_client, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    ingest(WH_FILE)
    kept = Conference.objects.get()
    copy = republished(WH_FILE.read_text(), day="2021-02-02", title="Another title")

    preview = admin_client.post(
        reverse("admin:briefings_conference_upload"),
        {"files": [SimpleUploadedFile("copy.md", copy.encode(), content_type="text/markdown")]},
    )

    page = preview.content.decode()
    assert "Already in the archive (known by its spoken words): saving changes nothing" in page
    assert reverse("admin:briefings_conference_change", args=[kept.pk]) in page
    assert kept.get_absolute_url() in page
