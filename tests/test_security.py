"""Security through the test client, on a real database and a real Whoosh index (long
because one hostile archive is checked against every page type):

- stored XSS: a transcript whose words, speaker names and titles, outlet and briefing
  title are markup shows that markup as text on every page type, its JSON and Atom forms;
- CSRF: every POST form refuses a request without the token (and takes one with it);
- the admin: every admin address redirects to the login page without a login;
- path traversal: every parameter that names a file refuses `../`, absolute paths, NUL
  bytes and encoded slashes with a 4xx, and reads nothing outside its folder;
- the headers every response carries (CSP, nosniff, frame and referrer policy).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from lxml import html as lxml_html

from briefings import upload
from briefings.ingest.load import load_conference
from briefings.models import Conference, Exchange, Organization, Person, Source
from search import indexing
from tests.conftest import briefing, official, reporter, source_file

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("search_index")]

ROOT = Path(__file__).resolve().parent.parent
WH_DEMO = ROOT / "demo" / "white-house"
ATOM = "{http://www.w3.org/2005/Atom}"

SCRIPT = '<script>alert("xss-script")</script>'
IMAGE = '<img src=x onerror=alert("xss-img")>'
LINK = '<a href="javascript:alert(1)">javascript:alert("xss-link")</a>'
BREAKOUT = '"><svg onload=alert("xss-attr")>'
PAYLOADS = [SCRIPT, IMAGE, LINK, BREAKOUT]
# What each payload leaves in a page's text when it is shown as text.
MARKERS = ["xss-script", "xss-img", "xss-link", "xss-attr"]


def hostile_briefing() -> object:
    """Markup everywhere a transcript puts words: text, labels, names, titles, outlets."""
    spokesperson = {"label": f"MS. {IMAGE}", "title": f"Press Secretary {BREAKOUT}"}
    parsed = briefing(
        f"Press Briefing {SCRIPT} on tariffs",
        dt.date(2024, 5, 6),
        [
            official(f"Jen {SCRIPT} Psaki", f"Good afternoon. {SCRIPT} tariffs", **spokesperson),
            reporter(f"Daily {IMAGE} News", f"What about tariffs? {IMAGE} {LINK}"),
            official(
                f"Jen {SCRIPT} Psaki",
                f"By the end of this year, we will cut tariffs on 100 goods. {BREAKOUT} {LINK}",
                **spokesperson,
            ),
        ],
        organizer=f"The White House {BREAKOUT}",
    )
    parsed.location = f"Washington {IMAGE}"
    parsed.summary = f"A summary {SCRIPT} {LINK}"
    parsed.source_url = "javascript:alert(document.cookie)"
    return parsed


@pytest.fixture
def hostile() -> Conference:
    conference = load_conference(
        hostile_briefing(), [source_file(f"x{SCRIPT}.html", f"page {SCRIPT}")]
    ).conference
    indexing.drain()
    return conference


def reading_pages(conference: Conference) -> list[str]:
    exchange = conference.exchanges.order_by("position").last()
    person = Person.objects.get(turns__exchange__conference=conference, turns__role="answer")
    outlet = Organization.objects.get(questions__exchange__conference=conference)
    held = conference.held_on
    return [
        "/",
        "/briefings/",
        f"/briefings/{held.year}/",
        f"/briefings/{held.year}/{held.month}/",
        conference.get_absolute_url(),
        exchange.get_absolute_url(),
        "/people/",
        person.get_absolute_url(),
        "/outlets/",
        outlet.get_absolute_url(),
        "/commitments/",
        "/search/?q=tariffs",
        "/search/?q=alert",
        "/search/?q=%22xss-script%22",
        "/search/?q=script+img+onerror",
        f"/search/?q=conference:{conference.slug}",
    ]


def feeds(conference: Conference) -> list[str]:
    person = Person.objects.get(turns__exchange__conference=conference, turns__role="answer")
    outlet = Organization.objects.get(questions__exchange__conference=conference)
    return [
        "/briefings/feed.atom",
        reverse("briefings:person-feed", args=[person.slug]),
        reverse("briefings:outlet-feed", args=[outlet.slug]),
        "/search/feed.atom?q=tariffs",
        "/search/feed.atom?q=alert",
    ]


def assert_inert(markup: str, where: str) -> None:
    """No script but our own files, no event handler, no javascript: address, no element
    a payload could have made; and the payloads are on the page, as text."""
    page = lxml_html.document_fromstring(markup)
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "script":
            assert (element.get("src") or "").startswith("/static/"), (
                f"{where}: a script that is not ours: {lxml_html.tostring(element)[:200]!r}"
            )
        assert not (element.tag == "img" and element.get("src") == "x"), f"{where}: <img src=x>"
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"{where}: <{element.tag} {name}=...>"
            assert not value.strip().lower().startswith("javascript:"), (
                f"{where}: <{element.tag} {name}={value!r}>"
            )
    text = page.text_content()
    assert any(marker in text for marker in MARKERS), f"{where}: no payload shown as text"


def test_it_shows_markup_in_a_transcript_as_text_on_every_page(client, hostile):
    for address in reading_pages(hostile):
        response = client.get(address)
        assert response.status_code == 200, address
        assert_inert(response.content.decode(), address)


def test_it_marks_search_matches_without_unescaping_the_text_around_them(client, hostile):
    response = client.get("/search/", {"q": "alert tariffs"})

    page = lxml_html.document_fromstring(response.content.decode())
    snippets = page.xpath('//li[contains(@class, "hit")]//*[contains(@class, "snippet")]')
    assert snippets, "no search result"
    for snippet in snippets:
        assert {child.tag for child in snippet.iter() if child is not snippet} <= {"mark"}
    assert any("alert(" in snippet.text_content() for snippet in snippets)
    assert_inert(response.content.decode(), "search")


def test_it_keeps_markup_as_data_in_the_json_forms(client, hostile):
    addresses = [
        *(address + ("&" if "?" in address else "?") + "format=json" for address in
          reading_pages(hostile)),
        "/search/export.json?q=tariffs",
        "/commitments/export.json",
    ]  # fmt: skip
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        assert response["Content-Type"].startswith("application/json"), address
        assert response["X-Content-Type-Options"] == "nosniff", address
        body = response.getvalue().decode()  # the search's export is streamed
        json.loads(body)
        assert any(marker in body for marker in MARKERS), address


def test_it_escapes_markup_in_the_atom_feeds(client, hostile):
    for address in feeds(hostile):
        response = client.get(address)
        assert response.status_code == 200, address
        root = ET.fromstring(response.content)  # well-formed: nothing broke out of the XML
        entries = root.findall(f"{ATOM}entry")
        assert entries, f"{address}: no entries"
        shown = []
        for entry in entries:
            for field in entry:
                if field.get("type") == "html" and field.text:
                    # A feed reader renders this as HTML: it must hold no live markup.
                    assert_inert(f"<html><body><p>{field.text}</p></body></html>", address)
                shown.append(field.text or "")
        assert any(marker in " ".join(shown) for marker in MARKERS), address


def test_it_never_links_a_javascript_address_given_by_a_transcript(client, hostile):
    response = client.get(hostile.get_absolute_url())

    assert b"javascript:alert(document.cookie)" not in response.content


# CSRF: every POST form, without its token and with it.


def walk(patterns: list, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            found.append((prefix + str(pattern.pattern), pattern))
    return found


def test_no_view_is_exempt_from_csrf_checks():
    exempt = [
        route
        for route, pattern in walk(get_resolver().url_patterns)
        if getattr(pattern.callback, "csrf_exempt", False)
    ]

    assert exempt == []


@pytest.fixture
def csrf_admin(admin_user, settings, tmp_path) -> Client:
    """An admin logged in, whose requests get the CSRF checks a browser's get."""
    settings.DATA_DIR = tmp_path
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    return client


def csrf_token(client: Client, address: str) -> str:
    page = client.get(address)
    assert page.status_code == 200, address
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]


def demo_file() -> SimpleUploadedFile:
    path = next(WH_DEMO.glob("2022-*.md"))
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/markdown")


def post_forms(client: Client, token: str | None) -> dict[str, int]:
    """Every POST form of the site, each sent once; the status of each."""
    extra = {"csrfmiddlewaretoken": token} if token else {}
    upload_page = reverse("admin:briefings_conference_upload")
    preview = client.post(upload_page, {"files": [demo_file()], **extra})
    statuses = {"upload": preview.status_code}
    stash = upload.stash_files([(demo_file().name, demo_file().read())])
    confirm = reverse("admin:briefings_conference_upload_confirm")
    statuses["confirm"] = client.post(confirm, {"token": stash, "save": "1", **extra}).status_code
    conference = Conference.objects.first()
    if conference is None:  # the confirm was refused: the same briefing, loaded directly
        load_conference(hostile_briefing(), [source_file()])
        conference = Conference.objects.get()
    people = list(Person.objects.order_by("pk")[:2])
    statuses["merge"] = client.post(
        reverse("admin:briefings_person_changelist"),
        {
            "action": "merge_people",
            "_selected_action": [str(person.pk) for person in people],
            "apply": "1",
            "keep": str(people[0].pk),
            **extra,
        },
    ).status_code
    statuses["change"] = client.post(
        reverse("admin:briefings_conference_change", args=[conference.pk]), extra
    ).status_code
    exchange = Exchange.objects.filter(conference=conference).first()
    statuses["delete"] = client.post(
        reverse("admin:briefings_exchange_delete", args=[exchange.pk]), {"post": "yes", **extra}
    ).status_code
    statuses["password"] = client.post(
        reverse("admin:password_change"),
        {"old_password": "x", "new_password1": "y", "new_password2": "y", **extra},
    ).status_code
    statuses["search"] = client.post("/search/", {"q": "tariffs", **extra}).status_code
    statuses["logout"] = client.post(reverse("admin:logout"), extra).status_code
    return statuses


def test_every_post_form_refuses_a_request_without_its_csrf_token(csrf_admin):
    statuses = post_forms(csrf_admin, token=None)

    assert statuses == dict.fromkeys(statuses, 403)
    assert Conference.objects.count() <= 1  # only the one this test loaded itself


def test_every_post_form_takes_a_request_with_its_csrf_token(csrf_admin):
    token = csrf_token(csrf_admin, reverse("admin:briefings_conference_upload"))

    statuses = post_forms(csrf_admin, token=token)

    assert statuses == {
        "upload": 200,  # the preview
        "confirm": 302,  # saved, on to the briefing
        "merge": 302,  # merged, back to the list
        "change": 200,  # the form again, with what is missing
        "delete": 302,
        "password": 200,  # the form again: the old password is wrong
        "search": 200,  # a GET form; a POST shows the empty search page
        "logout": 200,
    }


def test_the_admin_login_refuses_a_post_without_its_csrf_token(admin_user):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("admin:login"), {"username": "admin", "password": "password"})

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


# The admin without a login.


def admin_addresses() -> list[str]:
    """Every address of the admin, object ids filled in with an existing object's."""
    conference = load_conference(hostile_briefing(), [source_file()]).conference
    values = {
        "object_id": str(conference.pk),
        "id": "1",
        "app_label": "briefings",
        "content_type_id": "1",
        "url": "no-such-page/",
    }
    addresses = []
    for route, pattern in walk(admin.site.get_urls()):
        if pattern.name in {"login", "logout"}:
            continue
        filled = re.sub(
            r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)",
            lambda match: values[match[1] or match[2]],
            route,
        )
        addresses.append("/" + settings.ADMIN_URL + filled.lstrip("^").rstrip("$"))
    return addresses


def test_every_admin_address_sends_a_visitor_without_a_login_to_the_login_page(client):
    login = reverse("admin:login")
    addresses = admin_addresses()
    assert reverse("admin:briefings_conference_upload") in addresses
    assert reverse("admin:briefings_person_changelist") in addresses

    for address in addresses:
        for method in (client.get, client.post):
            response = method(address)
            assert response.status_code == 302, f"{method.__name__} {address}"
            assert urlsplit(response["Location"]).path == login, address
    assert Conference.objects.count() == 1


def test_a_logged_in_user_who_is_not_staff_cannot_upload(
    client, django_user_model, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    reader = django_user_model.objects.create_user("reader", password="a-long-password-1")
    client.force_login(reader)

    response = client.post(reverse("admin:briefings_conference_upload"), {"files": [demo_file()]})

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("admin:login")
    assert not upload.uploads_dir().exists()


# Path traversal: every parameter that names a file.

TRAVERSALS = [
    "../../../../etc/passwd",
    "..%2F..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..%252F..%252Fetc%252Fpasswd",
    "/etc/passwd",
    "%2Fetc%2Fpasswd",
    "..\\..\\etc\\passwd",
    "passwd%00.txt",
    "1%00",
    "....//....//etc/passwd",
]


def test_a_source_download_address_naming_another_file_is_refused(client, hostile):
    source = Source.objects.get(conference=hostile)
    base = f"/briefings/{hostile.slug}/sources/"
    assert client.get(f"{base}{source.pk}/").status_code == 200

    for attempt in TRAVERSALS:
        response = client.get(f"{base}{attempt}/")
        assert 400 <= response.status_code < 500, attempt
        assert b"root:" not in response.content, attempt
    for attempt in TRAVERSALS:
        response = client.get(f"/briefings/{attempt}/sources/{source.pk}/")
        assert 400 <= response.status_code < 500, attempt


def test_an_upload_token_naming_a_path_is_refused_and_nothing_is_read(
    admin_client, settings, tmp_path
):
    settings.DATA_DIR = tmp_path / "data"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "manifest.json").write_text(json.dumps(["stolen.md"]))
    (outside / "001.bin").write_bytes(next(WH_DEMO.glob("2022-*.md")).read_bytes())
    upload.uploads_dir().mkdir(parents=True)
    confirm = reverse("admin:briefings_conference_upload_confirm")
    attempts = [
        "../../outside",
        "../outside",
        str(outside),
        "..%2F..%2Foutside",
        "0" * 32 + "/../../../outside",
        "0" * 31 + "\x00",
        "0" * 32 + "\n",
        "..\\..\\outside",
    ]

    for attempt in attempts:
        for button in ("save", "cancel"):
            response = admin_client.post(confirm, {"token": attempt, button: "1"})
            assert response.status_code == 400, (attempt, button)
            assert "no longer waiting" in response.content.decode()

    assert Conference.objects.count() == 0
    assert sorted(path.name for path in outside.iterdir()) == ["001.bin", "manifest.json"]


def test_no_address_reads_a_file_named_in_its_query_string(client, hostile):
    names = [quote(attempt, safe="%") for attempt in ("../../../../etc/passwd", "/etc/passwd")]
    for address in reading_pages(hostile) + feeds(hostile):
        for name in names:
            joined = address + ("&" if "?" in address else "?")
            for parameter in ("file", "path", "name", "template", "page"):
                response = client.get(f"{joined}{parameter}={name}")
                assert response.status_code < 500, address
                assert b"root:x:0:0" not in response.content, address


def test_a_static_address_climbing_out_of_the_static_folder_is_refused(client):
    for attempt in ("../config/settings.py", "..%2Fconfig%2Fsettings.py", "%2e%2e/manage.py"):
        response = client.get(f"/static/{attempt}")
        assert 400 <= response.status_code < 500, attempt
        assert b"SECRET_KEY" not in b"".join(getattr(response, "streaming_content", [b""]))
        assert b"SECRET_KEY" not in getattr(response, "content", b"")


# Headers.


def test_every_page_sends_the_security_headers(client, hostile):
    for address in [*reading_pages(hostile), "/healthz", "/no-such-page/"]:
        response = client.get(address)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy, address
        assert "script-src 'self'" in policy, address
        assert "unsafe-inline" not in policy, address
        assert "frame-ancestors 'none'" in policy, address
        assert "object-src 'none'" in policy, address
        assert response["X-Content-Type-Options"] == "nosniff", address
        assert response["X-Frame-Options"] == "DENY", address
        assert response["Referrer-Policy"] == "same-origin", address


def test_a_stored_original_keeps_its_own_stricter_policy(client, hostile):
    source = Source.objects.get(conference=hostile)

    response = client.get(reverse("briefings:source-download", args=[hostile.slug, source.pk]))

    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Type"] in {"text/plain", "application/octet-stream"}


def test_the_error_pages_inline_style_is_the_one_the_policy_allows():
    import base64
    import hashlib

    page = (ROOT / "templates" / "500.html").read_text()
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()

    assert f"'sha256-{digest}'" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"], (
        "templates/500.html's <style> changed: put its new hash in settings.ERROR_PAGE_STYLE"
    )


# Issue 15: sitemaps and link schemes


def test_a_sitemap_answers_a_conditional_get_and_reads_no_exchange_when_nothing_changed(
    client, hostile, settings, tmp_path
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from briefings import sitemaps

    settings.DATA_DIR = tmp_path
    sitemaps.write_files()  # as the archive file's writer does, within a minute of a change
    first = client.get("/sitemap-exchanges.xml")
    assert first.status_code == 200
    body = first.getvalue()  # a file, streamed
    assert hostile.get_absolute_url() in body.decode()

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/sitemap-exchanges.xml", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        by_tag = client.get("/sitemap-exchanges.xml", HTTP_IF_NONE_MATCH=first["ETag"])
        index = client.get("/sitemap.xml", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        whole = client.get("/sitemap-exchanges.xml")

    assert (again.status_code, by_tag.status_code, index.status_code) == (304, 304, 304)
    assert again["Last-Modified"] == first["Last-Modified"]
    assert whole.status_code == 200
    assert whole.getvalue() == body
    read = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in read if "briefings_exchange" in sql]
    assert read == []  # no table at all: the files are read as they are


def test_the_sitemaps_list_a_new_briefing_after_a_change(client, hostile, settings, tmp_path):
    from briefings import sitemaps

    settings.DATA_DIR = tmp_path
    sitemaps.write_files()
    before = client.get("/sitemap-briefings.xml")

    added = load_conference(
        briefing("Press Briefing on ports", dt.date(2024, 5, 7), [official("Jen Psaki", "Hi.")]),
        [source_file("ports.html", "ports")],
    ).conference
    sitemaps.write_files()
    after = client.get("/sitemap-briefings.xml", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])

    assert after.status_code == 200
    assert f"http://testserver{added.get_absolute_url()}" in after.getvalue().decode()
    assert after["Last-Modified"] != before["Last-Modified"]


NOT_WEB = [
    "javascript:alert(document.cookie)",
    " JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]


def reviewed_with_evidence(conference: Conference, address: str) -> str:
    """The conference's export with its commitment confirmed and `address` as evidence."""
    import io

    from briefings.export import write_jsonl
    from briefings.models import Commitment

    commitment = Commitment.objects.get(conference=conference)
    commitment.review = Commitment.Review.CONFIRMED
    commitment.status_note = "Checked."
    commitment.save()
    stream = io.StringIO()
    write_jsonl(stream)
    record = json.loads(stream.getvalue())
    for exchange in record["exchanges"]:
        for turn in exchange["turns"]:
            for found in turn["commitments"]:
                found["evidence_url"] = address
    return json.dumps(record)


@pytest.mark.parametrize("address", NOT_WEB)
def test_an_imported_evidence_address_that_is_not_http_is_refused_and_nothing_else_lost(
    client, hostile, tmp_path, address
):
    from briefings.ingest.run import ingest_paths
    from briefings.models import Commitment

    export = tmp_path / "archive.jsonl"
    export.write_text(reviewed_with_evidence(hostile, address))
    hostile.delete()

    report = ingest_paths([str(export)])

    (outcome,) = report.outcomes
    assert outcome.status == "created"
    (warning,) = [line for line in outcome.warnings if "evidence_url" in line]
    assert "exchange 2, turn 2" in warning
    assert "only http:// and https://" in warning
    commitment = Commitment.objects.get()
    assert commitment.review == Commitment.Review.CONFIRMED
    assert commitment.status_note == "Checked."
    assert commitment.evidence_url == ""


@pytest.mark.parametrize("address", [*NOT_WEB, "ftp://example.org/report.pdf"])
def test_the_admin_refuses_an_evidence_address_that_is_not_http(admin_client, hostile, address):
    from briefings.models import Commitment

    commitment = Commitment.objects.get(conference=hostile)
    url = reverse("admin:briefings_commitment_change", args=[commitment.pk])
    opened = admin_client.get(url).context
    form = opened["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    for inline in opened["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({f"{inline.formset.prefix}-{k}": v for k, v in management.initial.items()})
    data["evidence_url"] = address

    response = admin_client.post(url, data)

    assert response.status_code == 200  # the form again, with its error
    assert response.context["adminform"].form.errors["evidence_url"]
    commitment.refresh_from_db()
    assert commitment.evidence_url == ""


@pytest.mark.parametrize("address", NOT_WEB)
def test_a_stored_evidence_address_that_is_not_http_is_shown_as_text_never_as_a_link(
    client, hostile, address
):
    from briefings.models import Commitment

    commitment = Commitment.objects.get(conference=hostile)
    Commitment.objects.filter(pk=commitment.pk).update(evidence_url=address)  # stored before
    page = client.get(commitment.turn.exchange.get_absolute_url()).content.decode()
    tree = lxml_html.fromstring(page)

    hrefs = [element.get("href", "") for element in tree.iter("a")]
    assert not [href for href in hrefs if href.strip().lower().startswith(NOT_WEB_SCHEMES)]
    assert "evidence: " in tree.text_content()

    Commitment.objects.filter(pk=commitment.pk).update(evidence_url="https://example.org/r")
    page = client.get(commitment.turn.exchange.get_absolute_url()).content.decode()
    assert '<a href="https://example.org/r" rel="nofollow">evidence</a>' in page


NOT_WEB_SCHEMES = ("javascript:", "data:", "vbscript:")
