from django.urls import path

from . import directory, feeds, views

app_name = "briefings"

urlpatterns = [
    path("", views.home, name="home"),
    # The list, its feed and its archives come before the briefing's own URL, which would
    # otherwise take "2023"; briefings.directory keeps an all-digit slug's page working.
    path("briefings/", directory.briefing_list, name="briefing-list"),
    path("briefings/feed.atom", feeds.LatestBriefingsFeed(), name="briefing-feed"),
    path("briefings/<int:year>/", directory.briefing_list, name="briefing-year"),
    path("briefings/<int:year>/<int:month>/", directory.briefing_list, name="briefing-month"),
    path("briefings/<slug:slug>/", views.conference_detail, name="conference-detail"),
    path("people/", directory.person_list, name="person-list"),
    path("people/<slug:slug>/", directory.person_detail, name="person-detail"),
    path("people/<slug:slug>/feed.atom", feeds.PersonAnswersFeed(), name="person-feed"),
    path("outlets/", directory.outlet_list, name="outlet-list"),
    path("outlets/<slug:slug>/", directory.outlet_detail, name="outlet-detail"),
    path("outlets/<slug:slug>/feed.atom", feeds.OutletQuestionsFeed(), name="outlet-feed"),
    path("commitments/", views.commitment_list, name="commitment-list"),
    path("commitments/export.csv", views.commitment_export_csv, name="commitment-export-csv"),
    path("commitments/export.json", views.commitment_export_json, name="commitment-export-json"),
    path(
        "briefings/<slug:slug>/<int:position>/",
        views.exchange_detail,
        name="exchange-detail",
    ),
    path(
        "briefings/<slug:slug>/sources/<int:source_id>/",
        views.source_download,
        name="source-download",
    ),
    path("export/archive.jsonl", views.archive_jsonl, name="archive-jsonl"),
]
