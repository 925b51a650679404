from django.urls import path

from . import views

app_name = "briefings"

urlpatterns = [
    path("", views.home, name="home"),
    path("briefings/<slug:slug>/", views.conference_detail, name="conference-detail"),
    path(
        "briefings/<slug:slug>/<int:position>/",
        views.exchange_detail,
        name="exchange-detail",
    ),
]
