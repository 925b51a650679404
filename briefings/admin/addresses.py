"""Admin for old addresses: the slugs and positions that redirect (briefings/renumbering.py,
and the renames and merges of people and outlets), and the pairs marked not the same."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from ..models import (
    ConferenceSlug,
    ExchangeRedirect,
    NotDuplicate,
    Organization,
    OrganizationSlug,
    Person,
    PersonSlug,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the archive writes itself (renames, re-ingests, merges): read, or deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class OldAddressAdmin(ReadOnlyAdmin):
    """Old addresses are written by renames and re-ingests (briefings/renumbering.py): an
    admin reads them here, and changes a briefing's slug on the briefing itself."""

    list_select_related = ["conference"]
    search_fields = ["slug", "conference__title", "conference__slug"]


@admin.register(ConferenceSlug)
class ConferenceSlugAdmin(OldAddressAdmin):
    list_display = ["slug", "conference", "retired_at"]


@admin.register(ExchangeRedirect)
class ExchangeRedirectAdmin(OldAddressAdmin):
    list_display = ["slug", "old_position", "new_position", "exact", "conference", "created_at"]
    list_filter = ["exact"]


@admin.register(PersonSlug)
class PersonSlugAdmin(ReadOnlyAdmin):
    """Written by a rename (Person.save) or a merge (Person.absorb)."""

    list_display = ["slug", "person", "retired_at"]
    list_select_related = ["person"]
    search_fields = ["slug", "person__name"]


@admin.register(OrganizationSlug)
class OrganizationSlugAdmin(ReadOnlyAdmin):
    """Written by a rename (Organization.save) or a merge (Organization.absorb)."""

    list_display = ["slug", "organization", "retired_at"]
    list_select_related = ["organization"]
    search_fields = ["slug", "organization__name"]


@admin.register(NotDuplicate)
class NotDuplicateAdmin(ReadOnlyAdmin):
    """Dismissed on the Possible duplicates page; deleting a row offers the pair again."""

    list_display = ["kind", "first", "second", "dismissed_by", "dismissed_at"]
    list_filter = ["kind"]

    @admin.display(description="one")
    def first(self, pair: NotDuplicate) -> str:
        return _record_name(pair.kind, pair.first_id)

    @admin.display(description="the other")
    def second(self, pair: NotDuplicate) -> str:
        return _record_name(pair.kind, pair.second_id)


def _record_name(kind: str, pk: int) -> str:
    """The record's name (the list is short: a query a cell is fine), or its id when it was
    merged away since."""
    model = Person if kind == NotDuplicate.Kind.PERSON else Organization
    name = model.objects.filter(pk=pk).values_list("name", flat=True).first()
    return name or f"#{pk} (merged away)"
