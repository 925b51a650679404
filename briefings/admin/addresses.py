"""Admin for old addresses: the slugs and positions that redirect (briefings/renumbering.py)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from ..models import (
    ConferenceSlug,
    ExchangeRedirect,
)


class OldAddressAdmin(admin.ModelAdmin):
    """Old addresses are written by renames and re-ingests (briefings/renumbering.py): an
    admin reads them here, and changes a briefing's slug on the briefing itself."""

    list_select_related = ["conference"]
    search_fields = ["slug", "conference__title", "conference__slug"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ConferenceSlug)
class ConferenceSlugAdmin(OldAddressAdmin):
    list_display = ["slug", "conference", "retired_at"]


@admin.register(ExchangeRedirect)
class ExchangeRedirectAdmin(OldAddressAdmin):
    list_display = ["slug", "old_position", "new_position", "exact", "conference", "created_at"]
    list_filter = ["exact"]
