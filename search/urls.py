from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path("export.csv", views.export_csv, name="export-csv"),
    path("export.json", views.export_json, name="export-json"),
    path("feed.atom", views.feed, name="feed"),
    path("trends/", views.trends, name="trends"),
    path("trends.csv", views.trends_csv, name="trends-csv"),
]
