"""What crawlers read: the sitemap (an index of sections, exchanges paginated) and robots.txt.

The exchange section holds 57,000+ addresses on the full corpus, so it is read as plain
values one sitemap page at a time (Django's paginator slices the queryset) and its newest
date comes from one aggregate query: no section ever loads every row.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from .models import Conference, Exchange, Organization, Person, Turn


class BriefingSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self) -> QuerySet[Conference]:
        return Conference.objects.order_by("pk").only("slug", "updated_at")

    def lastmod(self, conference: Conference) -> dt.datetime:
        return conference.updated_at

    def get_latest_lastmod(self) -> dt.datetime | None:
        return Conference.objects.aggregate(latest=Max("updated_at"))["latest"]


class ExchangeSitemap(Sitemap):
    """One address per exchange. Its rows are rewritten when its briefing is, so the
    briefing's updated time is the exchange's."""

    changefreq = "monthly"
    priority = 0.6
    limit = 20_000  # below the protocol's 50,000, and a page is a few MB of XML

    def items(self) -> QuerySet:
        return Exchange.objects.order_by("conference_id", "position").values_list(
            "conference__slug", "position", "conference__updated_at", named=True
        )

    def location(self, item: tuple[str, int, dt.datetime]) -> str:
        return reverse("briefings:exchange-detail", args=[item.conference__slug, item.position])

    def lastmod(self, item: tuple[str, int, dt.datetime]) -> dt.datetime:
        return item.conference__updated_at

    def get_latest_lastmod(self) -> dt.datetime | None:
        return Conference.objects.filter(exchanges__isnull=False).aggregate(
            latest=Max("updated_at")
        )["latest"]


class PersonSitemap(Sitemap):
    """Everyone with a page: people have no updated time of their own, so no lastmod."""

    changefreq = "monthly"
    priority = 0.5

    def items(self) -> QuerySet[Person]:
        return Person.objects.order_by("pk").only("slug")


class OutletSitemap(Sitemap):
    """Organizations with something on their page: questions asked, or briefings held."""

    changefreq = "monthly"
    priority = 0.5

    def items(self) -> QuerySet[Organization]:
        asked = Turn.objects.filter(outlet__isnull=False).values("outlet_id")
        held = Conference.objects.filter(organizer__isnull=False).values("organizer_id")
        return (
            Organization.objects.filter(Q(pk__in=asked) | Q(pk__in=held))
            .order_by("pk")
            .only("slug")
        )


SITEMAPS = {
    "briefings": BriefingSitemap,
    "exchanges": ExchangeSitemap,
    "people": PersonSitemap,
    "outlets": OutletSitemap,
}


def disallowed_paths() -> list[str]:
    """What crawlers are asked to leave alone: search results (endless combinations, and
    their CSV/JSON/Atom forms live under the search path), exports, and the admin.

    The admin is listed only at its default address: a deployment that moved it (ADMIN_URL)
    did so to keep scanners away, and robots.txt is the first file they read. The admin's
    own pages tell crawlers not to index them either way.
    """
    paths = [
        reverse("search:search"),
        reverse("briefings:commitment-export-csv"),
        reverse("briefings:commitment-export-json"),
        reverse("briefings:archive-jsonl"),
    ]
    if settings.ADMIN_URL == "admin/":
        paths.insert(0, "/admin/")
    return paths


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in disallowed_paths()),
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
