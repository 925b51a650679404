from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from briefings.sitemaps import robots_txt, sitemap_index, sitemap_section
from config.health import healthz


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers and feed readers ask for /favicon.ico whatever the pages link to. The
    address is looked up per request: collectstatic's manifest may not exist at import."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


# Every 404 says why where the site knows, and keeps the reader's search.
handler404 = "briefings.views.errors.not_found"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("favicon.ico", favicon),
    # Written ahead per archive change (briefings/sitemaps.py), answering conditional GETs.
    path("sitemap.xml", sitemap_index, name="sitemap-index"),
    path("sitemap-<section>.xml", sitemap_section, name="sitemap-section"),
    path("search/", include("search.urls")),
    path("", include("briefings.urls")),
]
