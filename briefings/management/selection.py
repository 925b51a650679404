"""Shared by the commands that take briefing slugs."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db.models import QuerySet

from briefings.models import Conference


def select_conferences(slugs: list[str]) -> QuerySet:
    """The briefings named by slug, or all of them; an unknown slug is an error."""
    conferences = Conference.objects.all()
    if not slugs:
        return conferences
    conferences = conferences.filter(slug__in=slugs)
    unknown = set(slugs) - set(conferences.values_list("slug", flat=True))
    if unknown:
        raise CommandError(f"no briefing with slug {', '.join(sorted(unknown))}")
    return conferences
