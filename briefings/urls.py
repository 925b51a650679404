from django.urls import path

from . import views

app_name = "briefings"

urlpatterns = [
    path("", views.home, name="home"),
    path("briefings/<slug:slug>/", views.conference_detail, name="conference-detail"),
    path("commitments/", views.commitment_list, name="commitment-list"),
    path("commitments/export.csv", views.commitment_export_csv, name="commitment-export-csv"),
    path("commitments/export.json", views.commitment_export_json, name="commitment-export-json"),
    path(
        "briefings/<slug:slug>/<int:position>/",
        views.exchange_detail,
        name="exchange-detail",
    ),
]
