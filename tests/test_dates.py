"""Briefings without a date: a date given on the command line or in the admin preview, or
read from an unambiguous file name; otherwise stored undated, with commitments whose
relative deadlines resolve once the date is set."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from briefings.ingest.dating import date_from_file_name, parse_given_date
from briefings.ingest.records import ParseError
from briefings.models import Commitment, Conference
from tests.test_ingest_command import ingest

DATA = Path(__file__).resolve().parent / "data"
# Written for the project in the shape of the third-party timestamped transcripts, which
# name no date.
UNDATED_TEXT = """Secretary Lane: (00:00)
Good afternoon. Thank you all for coming. We will ship 500 ventilators to the states by Friday.
Speaker 1: (00:40)
When will the rest arrive?
Secretary Lane: (00:45)
We will deliver another 2,000 ventilators by the end of next month. We will also open 12 new \
testing sites by the end of 2023.
Speaker 1: (01:30)
Thank you.
"""


@pytest.fixture
def undated(tmp_path: Path) -> Path:
    path = tmp_path / "ventilators.txt"
    path.write_text(UNDATED_TEXT)
    return path


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2020-03-16.txt", dt.date(2020, 3, 16)),
        ("briefing_20200316.txt", dt.date(2020, 3, 16)),
        ("march-16-2020.txt", dt.date(2020, 3, 16)),
        ("white_house_briefing_April-09-2020.html", dt.date(2020, 4, 9)),
        ("16 Sept 2020 briefing.txt", dt.date(2020, 9, 16)),
        ("folder/2020_03_16_call.md", dt.date(2020, 3, 16)),
        ("03-04-2020.txt", None),  # March 4 or April 3
        ("4_9.txt", None),  # no year
        ("2020-03-16-to-2020-03-17.txt", None),  # two days
        ("2020-02-30.txt", None),  # no such day
        ("mayday-2020.txt", None),
        ("transcript.txt", None),
    ],
)
def test_a_file_name_gives_a_date_only_when_it_names_one_day(name, expected):
    assert date_from_file_name(name) == expected


def test_a_given_date_is_year_month_day_or_a_clear_error():
    assert parse_given_date("2020-04-09") == dt.date(2020, 4, 9)
    for bad in ("2020-13-01", "09/04/2020", "April 9", ""):
        with pytest.raises(ParseError, match="YYYY-MM-DD"):
            parse_given_date(bad)


@pytest.mark.django_db
def test_a_bad_date_on_the_command_line_is_a_clear_error_and_nothing_is_read(undated):
    _out, _err, error = ingest(undated, "--date=2020-13-01")

    assert error is not None
    assert "'2020-13-01' is not a date: give it as YYYY-MM-DD" in str(error)
    assert Conference.objects.count() == 0


@pytest.mark.django_db
def test_an_undated_transcript_is_stored_undated_with_its_commitments_and_the_summary_says_so(
    undated,
):
    out, err, error = ingest(undated)

    assert error is None, err
    conference = Conference.objects.get()
    assert conference.held_on is None
    assert "1 without a date: ventilators.txt" in out
    assert "--date YYYY-MM-DD" in out
    friday = Commitment.objects.get(deadline_text="by Friday")
    assert friday.deadline_date is None
    assert friday.deadline_precision == "day"
    assert Commitment.objects.get(deadline_text="by the end of next month").deadline_date is None
    # A deadline that names its own date keeps it.
    assert Commitment.objects.get(deadline_text="by the end of 2023").deadline_date == dt.date(
        2023, 12, 31
    )


@pytest.mark.django_db
def test_the_date_given_later_resolves_the_deadlines_and_a_reparse_keeps_it(undated):
    ingest(undated)

    out, err, error = ingest(undated, "--date=2023-01-10")  # a Tuesday

    assert error is None, err
    assert "dated     2023-01-10" in out
    assert "without a date" not in out
    conference = Conference.objects.get()
    assert conference.held_on == dt.date(2023, 1, 10)
    assert Commitment.objects.get(deadline_text="by Friday").deadline_date == dt.date(2023, 1, 13)

    call_command("reparse", conference.slug, stdout=io.StringIO())

    conference.refresh_from_db()
    assert conference.held_on == dt.date(2023, 1, 10)
    assert Commitment.objects.get(deadline_text="by Friday").deadline_date == dt.date(2023, 1, 13)


@pytest.mark.django_db
def test_reparse_with_a_date_dates_the_briefings_named(undated):
    ingest(undated)
    conference = Conference.objects.get()

    call_command("reparse", conference.slug, "--date=2023-01-10", stdout=io.StringIO())

    conference.refresh_from_db()
    assert conference.held_on == dt.date(2023, 1, 10)
    assert Commitment.objects.get(deadline_text="by Friday").deadline_date == dt.date(2023, 1, 13)


@pytest.mark.django_db
def test_a_date_in_the_file_name_dates_it_and_says_where_the_date_came_from(tmp_path, undated):
    named = tmp_path / "flu-update-2023-01-10.txt"
    named.write_bytes(undated.read_bytes())

    out, err, error = ingest(named)

    assert error is None, err
    conference = Conference.objects.get()
    assert conference.held_on == dt.date(2023, 1, 10)
    assert "2023-01-10 is taken from its file name" in out
    assert Commitment.objects.get(deadline_text="by Friday").deadline_date == dt.date(2023, 1, 13)


@pytest.mark.django_db
def test_the_transcripts_own_date_wins_over_the_date_given():
    wh = next((DATA.parent.parent / "demo" / "white-house").glob("2022-*.md"))

    out, err, error = ingest(wh, "--date=2020-01-01")

    assert error is None, err
    assert Conference.objects.get().held_on == dt.date(2022, 10, 21)
    assert "that date is kept, not the date given (2020-01-01)" in out


@pytest.mark.django_db
def test_the_upload_preview_takes_a_date_for_a_transcript_that_names_none(
    admin_client, settings, tmp_path, undated
):
    settings.DATA_DIR = tmp_path
    upload = SimpleUploadedFile("flu.txt", undated.read_bytes(), content_type="text/plain")

    preview = admin_client.post(reverse("admin:briefings_conference_upload"), {"files": [upload]})

    page = preview.content.decode()
    assert 'name="date_1"' in page
    assert 'form="upload-confirm"' in page
    token = preview.context["confirm"].initial["token"]
    confirm = reverse("admin:briefings_conference_upload_confirm")

    refused = admin_client.post(confirm, {"token": token, "save": "1", "date_1": "2023-02-30"})

    assert refused.status_code == 400
    assert "Not a date: give it as YYYY-MM-DD." in refused.content.decode()
    assert Conference.objects.count() == 0

    admin_client.post(confirm, {"token": token, "save": "1", "date_1": "2023-01-10"})

    assert Conference.objects.get().held_on == dt.date(2023, 1, 10)
    assert Commitment.objects.get(deadline_text="by Friday").deadline_date == dt.date(2023, 1, 13)


@pytest.mark.corpus
@pytest.mark.django_db
def test_a_third_party_transcript_without_a_date_gets_its_date_later(corpus):
    """4_9.txt names no date, nor a year in its name: undated, with its commitments."""
    path = corpus / "rev-covid-briefings-txt" / "data" / "4_9.txt"

    out, err, error = ingest(path)

    assert error is None, err
    assert "1 without a date: 4_9.txt" in out
    assert Conference.objects.get().held_on is None
    undated = list(Commitment.objects.exclude(deadline_text=""))
    assert undated
    assert all(commitment.deadline_date is None for commitment in undated)

    ingest(path, "--date=2020-04-09")

    assert Conference.objects.get().held_on == dt.date(2020, 4, 9)
    today = Commitment.objects.get(deadline_text="today")
    assert today.deadline_date == dt.date(2020, 4, 9)


def posted_form(page: str) -> dict[str, str]:
    """What the admin's change form sends back unchanged: every field as rendered."""
    form = lxml.html.fromstring(page).xpath("//form[@id='conference_form']")[0]
    return dict(form.form_values())


@pytest.mark.django_db
def test_setting_the_date_in_the_admin_resolves_the_deadlines(admin_client, undated):
    ingest(undated)
    conference = Conference.objects.get()
    change = reverse("admin:briefings_conference_change", args=[conference.pk])
    data = posted_form(admin_client.get(change).content.decode())

    response = admin_client.post(change, {**data, "held_on": "2023-01-10"})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Conference.objects.get().held_on == dt.date(2023, 1, 10)
    assert Commitment.objects.get(deadline_text="by Friday").deadline_date == dt.date(2023, 1, 13)
