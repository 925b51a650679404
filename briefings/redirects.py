"""Following old addresses: a 404 under /briefings/<slug>/ answers 301 where the address
is an old one (a renamed briefing, or an exchange renumbered by a re-ingest: the rows that
briefings/renumbering.py writes); so does one under /people/<slug>/ or /outlets/<slug>/
whose slug a renamed or merged person or outlet went by (PersonSlug, OrganizationSlug).

`OldAddressMiddleware` looks only at 404s, so every page under a briefing's slug
(transcript, exchange, sources, and any page added later) follows, and no view has to know.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse

from .models import (
    Conference,
    ConferenceSlug,
    ExchangeRedirect,
    Organization,
    OrganizationSlug,
    Person,
    PersonSlug,
)

ADDRESS = re.compile(r"(?P<slug>[-a-zA-Z0-9_]+)/(?:(?P<position>[0-9]{1,9})/)?(?P<rest>.*)", re.S)
RECORD_ADDRESS = re.compile(r"(?P<slug>[-a-zA-Z0-9_]+)/(?P<rest>.*)", re.S)

# The pages of a person or an outlet, each with the table of the slugs it went by.
RECORD_PAGES = [
    ("briefings:person-detail", Person, PersonSlug, "person"),
    ("briefings:outlet-detail", Organization, OrganizationSlug, "organization"),
]


def redirect_for(path: str) -> str | None:
    """The current address of an old one, else None."""
    return _briefing_redirect(path) or _record_redirect(path)


def _record_redirect(path: str) -> str | None:
    """/people/<old slug>/... and /outlets/<old slug>/... (the page, its feed) lead to the
    same page of the record that took over the slug: the one merged into, or renamed."""
    for name, model, retired, field in RECORD_PAGES:
        prefix = reverse(name, args=["x"]).removesuffix("x/")
        match = RECORD_ADDRESS.fullmatch(path.removeprefix(prefix))
        if not path.startswith(prefix) or match is None:
            continue
        if model.objects.filter(slug=match["slug"]).exists():
            return None
        old = retired.objects.filter(slug=match["slug"]).select_related(field).first()
        if old is None:
            return None
        return reverse(name, args=[getattr(old, field).slug]) + match["rest"]
    return None


def _briefing_redirect(path: str) -> str | None:
    """The current address of an old one under /briefings/<slug>/, else None.

    An exchange that is gone leads to the briefing's page at the nearest exchange that
    survived (#exchange-N): a journalist following an old link sees where the words were
    and what surrounded them, which serves better than a dead end. A position that never
    existed is not redirected: it stays a 404.
    """
    prefix = reverse("briefings:conference-detail", args=["x"]).removesuffix("x/")
    if not path.startswith(prefix):
        return None
    match = ADDRESS.fullmatch(path.removeprefix(prefix))
    if match is None:
        return None
    slug, rest = match["slug"], match["rest"]
    conference = Conference.objects.filter(slug=slug).only("slug").first()
    if conference is None:
        old = ConferenceSlug.objects.filter(slug=slug).select_related("conference").first()
        if old is None:
            return None
        conference = old.conference
    if match["position"] is None:
        target = reverse("briefings:conference-detail", args=[conference.slug]) + rest
    else:
        position = int(match["position"])
        row = ExchangeRedirect.objects.filter(
            conference=conference, slug=slug, old_position=position
        ).first()
        if row is not None and not row.exact:
            anchor = f"#exchange-{row.new_position}" if row.new_position else ""
            return reverse("briefings:conference-detail", args=[conference.slug]) + anchor
        if row is not None:
            position = row.new_position
        target = reverse("briefings:exchange-detail", args=[conference.slug, position]) + rest
    return None if target == path else target


class OldAddressMiddleware:
    """Turns a 404 at an old briefing, exchange, person or outlet address into a 301 to its
    current one.

    Only 404s are looked at, so pages that exist cost nothing extra.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in {"GET", "HEAD"}:
            return response
        target = redirect_for(request.path)
        if target is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        if query:
            address, hash_mark, fragment = target.partition("#")
            target = f"{address}?{query}{hash_mark}{fragment}"
        return HttpResponsePermanentRedirect(target)
