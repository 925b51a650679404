"""What crawlers read: the sitemap (an index of sections, exchanges paginated) and robots.txt.

The exchange section holds 57,000+ addresses on the full corpus, so it is read as plain
values one sitemap page at a time (Django's paginator slices the queryset) and its newest
date comes from one aggregate query: no section ever loads every row.

Even so, a page of it cost 1.3-2.3 s, anonymous and unlimited: four clients looping on it
raised the home page's p50 from 0.02 s to 3.9 s (security review, issue 15). So the
sitemaps are files, written ahead into DATA_DIR/sitemaps whenever the archive changed
(`write_files`, by `manage.py archive_file --watch` beside the web server, as the archive
download is) and handed out as they are, with Last-Modified and an ETag that answer a
conditional GET with 304. A request never writes a set, and reads no table: at ten times
the archive writing them takes minutes, longer than a worker may take (it only keeps a
copy of a page at its own host's address beside the set, for at most _ORIGINS_KEPT
hosts: `_at_origin`). Until the first set is written, the sitemaps answer 503 with
Retry-After.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Count, Max, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.html import escape
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from .archive_file import replace_json, sole_writer
from .models import (
    Conference,
    ConferenceSlug,
    Exchange,
    Organization,
    OrganizationSlug,
    Person,
    PersonSlug,
    Turn,
)
from .paging import page_number
from .views.downloads import being_written


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


# The files: written ahead, per archive change.

# The files are written without a request, so without the address the site is reached
# at: each <loc> starts with this stand-in, replaced by the request's own scheme and host
# as the file is handed out (what Django's views put there: RequestSite).
_STAND_IN = "sitemap-origin.invalid"
_STAND_IN_LOC = f"<loc>http://{_STAND_IN}".encode()
INDEX_FILE = "index.xml"


class _StandInSite:
    domain = _STAND_IN
    name = _STAND_IN


@dataclass(frozen=True)
class SitemapFiles:
    folder: Path
    stamp: str
    written_at: dt.datetime
    pages: dict[str, int]
    addresses: int

    def page_path(self, section: str, page: int) -> Path:
        return self.folder / f"{section}-{page}.xml"


def folder() -> Path:
    return Path(settings.DATA_DIR) / "sitemaps"


def _about_path() -> Path:
    return folder() / "current.json"


def archive_stamp() -> str:
    """What the sitemaps list, summed up in aggregate queries: the briefings (an ingest, a
    re-parse or an edit moves their newest update time) and their exchanges, people and
    outlets (added or merged away), and the old-slug tables (a rename adds a row). An edit
    none of these see (a turn's outlet alone) reaches the files at the next change."""
    parts = [
        Conference.objects.aggregate(n=Count("id"), last=Max("id"), updated=Max("updated_at")),
        Exchange.objects.aggregate(n=Count("id"), last=Max("id")),
        ConferenceSlug.objects.aggregate(last=Max("id")),
        Person.objects.aggregate(n=Count("id"), last=Max("id")),
        PersonSlug.objects.aggregate(last=Max("id")),
        Organization.objects.aggregate(n=Count("id"), last=Max("id")),
        OrganizationSlug.objects.aggregate(last=Max("id")),
    ]
    return json.dumps(parts, default=str, sort_keys=True)


def current_files() -> SitemapFiles | None:
    """The files written last, or None when there are none yet."""
    try:
        about = json.loads(_about_path().read_text(encoding="utf-8"))
        return SitemapFiles(
            folder=folder() / about["folder"],
            stamp=about["stamp"],
            written_at=dt.datetime.fromisoformat(about["written_at"]),
            pages=about["pages"],
            addresses=about["addresses"],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_sections(target: Path) -> tuple[dict[str, int], int]:
    """Every section's pages and the index into `target`: what Django's sitemap views
    render, at the stand-in address."""
    pages: dict[str, int] = {}
    addresses = 0
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        pages[section] = sitemap.paginator.num_pages
        for page in range(1, pages[section] + 1):
            urls = sitemap.get_urls(page=page, site=_StandInSite(), protocol="http")
            addresses += len(urls)
            xml = render_to_string("sitemap.xml", {"urlset": urls})
            (target / f"{section}-{page}.xml").write_text(xml, encoding="utf-8")
        location = f"http://{_STAND_IN}{reverse('sitemap-section', args=[section])}"
        last_mod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(location, last_mod))
        entries.extend(
            SitemapIndexItem(f"{location}?p={page}", last_mod)
            for page in range(2, pages[section] + 1)
        )
    xml = render_to_string("sitemap_index.xml", {"sitemaps": entries})
    (target / INDEX_FILE).write_text(xml, encoding="utf-8")
    return pages, addresses


def write_files(*, force: bool = False) -> SitemapFiles | None:
    """Write the sitemaps when the archive changed since they were written (or with
    `force`); None when they are up to date, or when another process is writing them.
    Each writing goes to a folder of its own, named in current.json once whole: a request
    never reads half a set. The stamp is taken first, so a change made while they are
    written makes the next call write them again."""
    with sole_writer(folder()) as alone:
        if not alone:
            return None
        stamp = archive_stamp()
        existing = current_files()
        if existing is not None and existing.stamp == stamp and not force:
            return None
        target = Path(tempfile.mkdtemp(dir=folder(), prefix="written-"))
        try:
            pages, addresses = _write_sections(target)
            os.chmod(target, 0o755)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        # Whole seconds, as Last-Modified says it, and later than the set before: a client
        # holding that set's date must not get a 304 for this one.
        written_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
        if existing is not None and written_at <= existing.written_at:
            written_at = existing.written_at + dt.timedelta(seconds=1)
        about = {
            "folder": target.name,
            "stamp": stamp,
            "written_at": written_at.isoformat(),
            "pages": pages,
            "addresses": addresses,
        }
        replace_json(_about_path(), about)
        # The set before stays a while: a request may have read current.json just before.
        keep = {target.name, existing.folder.name if existing else ""}
        for old in folder().glob("written-*"):
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)
    return current_files()


def _serve(request: HttpRequest, files: SitemapFiles, path: Path) -> HttpResponseBase:
    origin = f"{request.scheme}://{request.get_host()}"
    last_modified = int(files.written_at.timestamp())
    tag = hashlib.sha256(f"{files.stamp}|{files.written_at}|{origin}".encode()).hexdigest()
    headers = {
        "Last-Modified": http_date(last_modified),
        "ETag": quote_etag(tag[:32]),
        "X-Robots-Tag": "noindex, noodp, noarchive",
    }
    conditional = get_conditional_response(
        request,
        etag=headers["ETag"],
        last_modified=last_modified,
        response=HttpResponse(headers=headers),
    )
    if conditional.status_code != 200:
        return conditional  # 304 Not Modified (or 412 for If-Match)
    try:
        served = _at_origin(path, origin)
        if isinstance(served, bytes):
            return HttpResponse(served, content_type="application/xml", headers=headers)
        response = FileResponse(served.open("rb"), content_type="application/xml", headers=headers)
        del response["Content-Disposition"]  # a page, not a download named after our file
        return response
    except FileNotFoundError:
        return _being_written()  # removed by two writings in a row since it was named


# Hosts a set is kept for, as files: ALLOWED_HOSTS bounds them, by scheme; past this many
# (ALLOWED_HOSTS=*) the others get the address put in for each request.
_ORIGINS_KEPT = 8


def _at_origin(path: Path, origin: str) -> Path | bytes:
    """The file at `path` with `origin` in its addresses: a file beside it, written at the
    first request from that origin and sent by the web server itself from then on (a page
    of exchanges is 4.6 MB: copied and rewritten per request, it took twice as long under
    four looping clients); the bytes when too many origins have asked."""
    origins = path.parent / "origins"
    kept = origins / hashlib.sha256(origin.encode()).hexdigest()[:16]
    target = kept / path.name
    if target.exists():
        return target
    data = path.read_bytes().replace(_STAND_IN_LOC, f"<loc>{escape(origin)}".encode())
    if not kept.exists() and origins.exists() and len(list(origins.iterdir())) >= _ORIGINS_KEPT:
        return data
    kept.mkdir(mode=0o755, parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=kept, suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(partial, 0o644)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return target


def _being_written() -> HttpResponse:
    return being_written("The sitemap", seconds=60)


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponseBase:
    files = current_files()
    if files is None:
        return _being_written()
    return _serve(request, files, files.folder / INDEX_FILE)


@require_safe
def sitemap_section(request: HttpRequest, section: str) -> HttpResponseBase:
    if section not in SITEMAPS:
        raise Http404(f"No sitemap section {section!r}")
    page = page_number(request.GET.get("p"))  # a 404 for "²"; never int() of 5,000 digits
    files = current_files()
    if files is None:
        return _being_written()
    if page > files.pages.get(section, 0):
        raise Http404(f"Page {page} empty")
    return _serve(request, files, files.page_path(section, page))


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
