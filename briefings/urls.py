"""The site's table of contents: every reading-room page, grouped by family. Each page's
view is in the module of briefings/views/ named for its family."""

from django.urls import path

from . import feeds
from .views import briefing, briefing_list, commitments, downloads, home, outlets, people

app_name = "briefings"

urlpatterns = [
    # Home: the latest briefings, the counts, what falls due soon.
    path("", home.home, name="home"),
    # The briefing list, its feed and its year and month archives. They come before the
    # briefing's own URL, which would otherwise take "2023"; the list hands an all-digit
    # slug's URL to the briefing, so its permalinks keep working.
    path("briefings/", briefing_list.briefing_list, name="briefing-list"),
    path("briefings/feed.atom", feeds.LatestBriefingsFeed(), name="briefing-feed"),
    path("briefings/<int:year>/", briefing_list.briefing_list, name="briefing-year"),
    path("briefings/<int:year>/<int:month>/", briefing_list.briefing_list, name="briefing-month"),
    # A briefing, one exchange of it, and the stored originals it was read from.
    path("briefings/<slug:slug>/", briefing.conference_detail, name="conference-detail"),
    path(
        "briefings/<slug:slug>/<int:position>/",
        briefing.exchange_detail,
        name="exchange-detail",
    ),
    path(
        "briefings/<slug:slug>/transcript.txt",
        downloads.transcript_text,
        name="transcript-text",
    ),
    path(
        "briefings/<slug:slug>/transcript.md",
        downloads.transcript_markdown,
        name="transcript-markdown",
    ),
    path(
        "briefings/<slug:slug>/sources/<int:source_id>/",
        briefing.source_download,
        name="source-download",
    ),
    # People: everyone, a person's page and the feed of their answers.
    path("people/", people.person_list, name="person-list"),
    path("people/<slug:slug>/", people.person_detail, name="person-detail"),
    path("people/<slug:slug>/feed.atom", feeds.PersonAnswersFeed(), name="person-feed"),
    # Outlets: every organization whose reporters ask, its questions and their feed.
    path("outlets/", outlets.outlet_list, name="outlet-list"),
    path("outlets/<slug:slug>/", outlets.outlet_detail, name="outlet-detail"),
    path("outlets/<slug:slug>/feed.atom", feeds.OutletQuestionsFeed(), name="outlet-feed"),
    # Commitments: the filtered list, one commitment's permalink, exports of every row.
    path("commitments/", commitments.commitment_list, name="commitment-list"),
    path("commitments/<int:pk>/", commitments.commitment_detail, name="commitment-detail"),
    path("commitments/export.csv", commitments.commitment_export_csv, name="commitment-export-csv"),
    path(
        "commitments/export.json",
        commitments.commitment_export_json,
        name="commitment-export-json",
    ),
    # Downloads: the whole archive as JSON Lines, and gzip-compressed.
    path("export/archive.jsonl", downloads.archive_jsonl, name="archive-jsonl"),
    path("export/archive.jsonl.gz", downloads.archive_jsonl_gz, name="archive-jsonl-gz"),
]
