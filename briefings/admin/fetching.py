"""Admin for fetching: the sources to watch, and the fetch log (read-only, kept)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from ..forms import format_choices
from ..models import Fetch, WatchedSource
from .permissions import ActionsCheckedAdmin


class WatchedSourceForm(forms.ModelForm):
    format = forms.ChoiceField(choices=format_choices, required=False)

    class Meta:
        model = WatchedSource
        fields = ["url", "format", "every_minutes", "enabled"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Only http and https addresses are fetched.")
        return url


@admin.register(WatchedSource)
class WatchedSourceAdmin(ActionsCheckedAdmin):
    """What `manage.py watch` visits: a list page, how often, on or off."""

    form = WatchedSourceForm
    list_display = ["url", "format", "every_minutes", "enabled", "last_visited_at", "last_status"]
    list_filter = ["enabled", "last_status"]
    search_fields = ["url", "last_result"]
    readonly_fields = ["last_visited_at", "last_status", "last_result"]
    actions = ["visit_soon"]

    @admin.action(
        description="Visit at the watcher's next look (within a minute)", permissions=["change"]
    )
    def visit_soon(self, request: HttpRequest, queryset: QuerySet) -> None:
        # Not here and now: a list page's new transcripts take a second each, more than a
        # web request may last. The watcher (config/serve.py) takes it up.
        count = queryset.update(last_visited_at=None)
        self.message_user(
            request, f"{count} source(s) will be visited at the next look.", messages.SUCCESS
        )


@admin.register(Fetch)
class FetchAdmin(admin.ModelAdmin):
    """The fetch log: every address asked of a site, and what came of it."""

    list_display = ["fetched_at", "result", "http_status", "kind", "url", "short_message"]
    list_filter = ["result", "kind", "watched"]
    search_fields = ["url", "final_url", "message"]
    date_hierarchy = "fetched_at"
    list_select_related = ["watched", "run"]
    readonly_fields = [
        "url",
        "final_url",
        "fetched_at",
        "result",
        "http_status",
        "kind",
        "size",
        "sha256",
        "etag",
        "last_modified",
        "message",
        "watched",
        "run",
    ]
    fields = readonly_fields

    @admin.display(description="message")
    def short_message(self, fetch: Fetch) -> str:
        return fetch.message[:120]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
