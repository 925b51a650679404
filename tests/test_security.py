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

import csv
import datetime as dt
import io
import json
import logging
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from lxml import html as lxml_html

from briefings import upload
from briefings.export import csv_cell
from briefings.ingest.decode import decode_with_warnings
from briefings.ingest.detect import detect_format
from briefings.ingest.load import load_conference
from briefings.ingest.run import ingest_paths, load_documents, read_documents
from briefings.models import (
    Commitment,
    Conference,
    Exchange,
    NotDuplicate,
    Organization,
    Person,
    Source,
    Turn,
    WatchedSource,
)
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


# Issue 15: admin permissions per action


PSAKI = WH_DEMO / "2021-02-01-press-briefing-by-press-secretary-jen-psaki-february-1-2021.md"
UPLOAD = "/admin/briefings/conference/upload/"
UPLOAD_URL = "/admin/briefings/conference/upload/url/"
CONFIRM = "/admin/briefings/conference/upload/confirm/"


def staff_with(*codenames: str) -> Client:
    """A client logged in as a staff user holding only these permissions."""
    user = User.objects.create_user(f"staff-{len(codenames)}-{'-'.join(codenames)}"[:150])
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


def run_action(client: Client, model: str, action: str, records: list, **extra: str) -> object:
    """The changelist's action form posted, as the browser posts it."""
    return client.post(
        f"/admin/briefings/{model}/",
        {"action": action, "index": "0", "_selected_action": [r.pk for r in records], **extra},
    )


def stored_psaki() -> Conference:
    report = load_documents(read_documents([(PSAKI.name, PSAKI.read_bytes())]))
    assert report.outcomes[0].status == "created"
    return Conference.objects.get()


@pytest.fixture
def machine_found() -> list[Commitment]:
    stored_psaki()
    found = list(Commitment.objects.filter(review=Commitment.Review.MACHINE))
    assert found  # the real briefing's machine-found commitment
    return found


@pytest.mark.parametrize("action", ["confirm", "reject"])
def test_a_view_only_editor_cannot_confirm_or_reject_commitments(machine_found, action):
    viewer = staff_with("view_commitment")

    response = run_action(viewer, "commitment", action, machine_found)

    assert set(Commitment.objects.values_list("review", flat=True)) == {"machine"}
    assert response.status_code == 403
    assert "permission to change commitments" in response.content.decode()
    listed = viewer.get("/admin/briefings/commitment/").content.decode()
    assert f'value="{action}"' not in listed  # not offered either

    editor = staff_with("view_commitment", "change_commitment")
    assert run_action(editor, "commitment", action, machine_found).status_code == 302
    done = "confirmed" if action == "confirm" else "rejected"
    assert {c.review for c in Commitment.objects.filter(pk__in=[c.pk for c in machine_found])} == {
        done
    }


def two_spellings() -> tuple[Person, Person]:
    stored_psaki()
    [psaki] = Person.objects.filter(name__icontains="Psaki")
    other = Person.objects.create(name="Jen Psakki", slug="jen-psakki")
    # A misspelt speaker label of one of her turns: the Possible duplicates page pairs them.
    Turn.objects.filter(pk=Turn.objects.filter(person=psaki).first().pk).update(person=other)
    return psaki, other


@pytest.mark.parametrize(
    "codenames",
    [("view_person",), ("view_person", "change_person"), ("view_person", "delete_person")],
)
def test_merging_people_needs_both_the_change_and_the_delete_permission(codenames):
    psaki, other = two_spellings()
    people = Person.objects.count()
    refused = staff_with(*codenames)

    for post in (
        {"action": "merge_people", "index": "0"},  # the first step, the confirm page
        {"action": "merge_people", "apply": "1", "keep": psaki.pk},  # the confirm itself
    ):
        response = refused.post(
            "/admin/briefings/person/", {**post, "_selected_action": [psaki.pk, other.pk]}
        )
        assert response.status_code == 403
        assert "permission to change and delete people" in response.content.decode()
    pair = {"kind": "person", "ids": f"{psaki.pk},{other.pk}"}
    merge = reverse("admin:briefings_duplicates_merge")
    assert refused.post(merge, {**pair, "keep": psaki.pk}).status_code == 403
    assert Person.objects.count() == people

    allowed = staff_with("view_person", "change_person", "delete_person")
    response = allowed.post(
        "/admin/briefings/person/",
        {"action": "merge_people", "apply": "1", "keep": psaki.pk,
         "_selected_action": [psaki.pk, other.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    assert not Person.objects.filter(pk=other.pk).exists()


def test_merging_outlets_needs_both_the_change_and_the_delete_permission():
    first = Organization.objects.create(name="Reuters", slug="reuters-a")
    second = Organization.objects.create(name="Reuters News", slug="reuters-b")
    viewer = staff_with("view_organization", "change_organization")

    response = run_action(viewer, "organization", "merge_outlets", [first, second])

    assert Organization.objects.filter(pk__in=[first.pk, second.pk]).count() == 2
    assert response.status_code == 403
    assert "permission to change and delete organizations" in response.content.decode()


def test_a_view_only_editor_cannot_dismiss_a_possible_duplicate():
    psaki, other = two_spellings()
    viewer = staff_with("view_person")
    dismiss = reverse("admin:briefings_duplicates_dismiss")

    page = viewer.get(reverse("admin:briefings_duplicates")).content.decode()
    response = viewer.post(dismiss, {"kind": "person", "ids": f"{psaki.pk},{other.pk}"})

    assert "Jen Psakki" in page
    assert "Not the same" not in page  # the button is not offered
    assert response.status_code == 403
    assert "permission to change people" in response.content.decode()
    assert not NotDuplicate.objects.exists()


def test_a_view_only_editor_cannot_send_the_watcher_to_a_source():
    source = WatchedSource.objects.create(
        url="https://www.whitehouse.gov/briefing-room/", last_visited_at=dt.datetime.now(dt.UTC)
    )
    viewer = staff_with("view_watchedsource")

    response = run_action(viewer, "watchedsource", "visit_soon", [source])

    source.refresh_from_db()
    assert source.last_visited_at is not None
    assert response.status_code == 403
    assert "permission to change sources to watch" in response.content.decode()

    editor = staff_with("view_watchedsource", "change_watchedsource")
    assert run_action(editor, "watchedsource", "visit_soon", [source]).status_code == 302
    source.refresh_from_db()
    assert source.last_visited_at is None


@pytest.fixture
def corrected(settings, tmp_path) -> tuple[Conference, bytes]:
    """The stored Psaki briefing, and a corrected transcript of it (its same address)."""
    settings.DATA_DIR = tmp_path
    stored = stored_psaki()
    return stored, PSAKI.read_text().replace("Happy Monday.", "Good afternoon.", 1).encode()


def a_file(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(PSAKI.name, data, content_type="text/markdown")


def turns_of(conference: Conference) -> list[str]:
    return list(
        Turn.objects.filter(exchange__conference=conference)
        .order_by("exchange__position", "position")
        .values_list("text", flat=True)
    )


def test_an_editor_who_may_only_add_briefings_cannot_replace_one(corrected):
    stored, changed = corrected
    before = (turns_of(stored), stored.content_hash, list(Exchange.objects.values_list("pk")))
    adder = staff_with("view_conference", "add_conference")

    # A confirm posted directly, with replace, is refused and reads nothing.
    token = upload.stash_files([(PSAKI.name, changed)])
    response = adder.post(CONFIRM, {"token": token, "replace": "on", "save": "1"})

    stored.refresh_from_db()
    after = (turns_of(stored), stored.content_hash, list(Exchange.objects.values_list("pk")))
    assert after == before
    assert response.status_code == 403
    assert "permission to change briefings" in response.content.decode()

    # The upload and fetch forms say why on the Replace box, and keep nothing to confirm.
    preview = adder.post(UPLOAD, {"files": [a_file(changed)], "replace": "on"})
    assert preview.status_code == 200
    assert "permission to change briefings and delete their exchanges" in (preview.content.decode())
    assert "confirm" not in preview.context
    fetch = {"fetch-url": "http://127.0.0.1:9/", "fetch-replace": "on"}
    assert "permission to change briefings" in adder.post(UPLOAD_URL, fetch).content.decode()

    # Without Replace the upload is still theirs: the preview says it will be refused.
    preview = adder.post(UPLOAD, {"files": [a_file(changed)]})
    assert "A different version is in the archive" in preview.content.decode()


def test_an_editor_who_may_change_briefings_and_delete_exchanges_can_replace_one(corrected):
    stored, changed = corrected
    changed_only = staff_with("view_conference", "add_conference", "change_conference")
    assert (
        changed_only.post(UPLOAD, {"files": [a_file(changed)], "replace": "on"}).context.get(
            "confirm"
        )
        is None
    )
    editor = staff_with("view_conference", "add_conference", "change_conference", "delete_exchange")

    preview = editor.post(UPLOAD, {"files": [a_file(changed)], "replace": "on"})
    token = preview.context["confirm"].initial["token"]
    saved = editor.post(CONFIRM, {"token": token, "replace": "on", "save": "1"})

    assert saved.status_code == 302
    assert "Good afternoon." in " ".join(turns_of(stored))


# Issue 15: smaller holes: formulas a spreadsheet would still run, files of two encodings,
# format detection that stopped reading, a bad Host header, control characters in a query.


FORMULA_MARKS = ("=", "+", "-", "@")


def spreadsheet_cells(text: str) -> list[str]:
    """The cells a spreadsheet makes of a CSV file where "," splits cells, and where ";"
    does (a German or French locale)."""
    return [
        cell
        for delimiter in (",", ";")
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for cell in row
    ]


def runs_as_formula(cell: str) -> bool:
    # A spreadsheet that trims leading spaces (LibreOffice can) reads "  =1+1" as "=1+1".
    return cell.startswith(("\t", "\r")) or cell.lstrip().startswith(FORMULA_MARKS)


def test_a_formula_after_a_separator_or_leading_spaces_is_neutralised():
    for text in ["Ministry;=1+1", "Ministry, +1+1", "  =1+1", "\t=1+1", "\r\n=1+1", " @SUM(A1)"]:
        cell = csv_cell(text)

        assert not any(runs_as_formula(piece) for piece in spreadsheet_cells(cell)), text
        assert cell.replace("'", "") == text  # apostrophes added, nothing taken
    assert csv_cell("Ministry; the list") == "Ministry; the list"


def load_tariffs_briefing(title: str, *, outlet: str, question: str, answer: str) -> None:
    """A briefing on tariffs, loaded and indexed."""
    parsed = briefing(
        title,
        dt.date(2024, 3, 1),
        [reporter(outlet, question), official("Jen Psaki", answer)],
    )
    load_conference(parsed, [source_file("tariffs.md", title)])
    indexing.drain()


def test_no_csv_the_archive_writes_has_a_cell_a_spreadsheet_would_run(client):
    load_tariffs_briefing(
        "Ministry;=1+1 briefing on tariffs",
        outlet="Ministry;=1+1",
        question="  =1+1 what about the tariffs?",
        answer="\r\n=HYPERLINK(1) We will publish the tariffs by Friday.",
    )
    assert Commitment.objects.update(actor="Ministry;=1+1", sentence="  =1+1 by Friday") == 1

    files = {
        "search": client.get("/search/export.csv", {"q": "tariffs"}).getvalue().decode(),
        "trends": client.get("/search/trends.csv", {"q": "tariffs;=1+1"}).content.decode(),
        "commitments": client.get("/commitments/export.csv").content.decode(),
    }

    for name, text in files.items():
        assert "=1+1" in text, name
        cells = spreadsheet_cells(text)
        assert not [cell for cell in cells if runs_as_formula(cell)], name


def mixed_encoding_file(tmp_path: Path) -> tuple[Path, Path, list[int]]:
    """A real White House transcript saved as UTF-8 with two of its lines in Windows-1252
    (pasted from another file); the UTF-8 original beside it; the numbers of those lines."""
    original = next(WH_DEMO.glob("2022-*.md"))
    lines = original.read_bytes().decode().splitlines(keepends=True)
    accented = [n for n, line in enumerate(lines, start=1) if "’" in line]
    pasted = [accented[1], accented[-1]]
    data = b"".join(
        line.encode("cp1252" if n in pasted else "utf-8") for n, line in enumerate(lines, start=1)
    )
    (tmp_path / "mixed").mkdir()
    (tmp_path / "utf8").mkdir()
    mixed = tmp_path / "mixed" / original.name
    mixed.write_bytes(data)
    utf8 = tmp_path / "utf8" / original.name
    utf8.write_bytes(original.read_bytes())
    return mixed, utf8, pasted


def test_a_file_of_two_encodings_is_read_whole_with_a_warning_naming_the_lines(tmp_path):
    mixed, utf8, pasted = mixed_encoding_file(tmp_path)

    out = io.StringIO()
    call_command("ingest", str(mixed), stdout=out)

    warning = next(line for line in out.getvalue().splitlines() if "Windows-1252" in line)
    assert f"lines {pasted[0]} and {pasted[1]}" in warning
    conference = Conference.objects.get()
    assert any("Windows-1252" in text for text in conference.warnings)
    words = [turn.text for turn in Turn.objects.filter(exchange__conference=conference)]
    conference.delete()
    ingest_paths([str(utf8)])
    assert [turn.text for turn in Turn.objects.all()] == words  # nothing lost or garbled
    assert not any("â€" in text for text in words)


def test_the_upload_preview_warns_of_a_file_of_two_encodings(admin_client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    mixed, _utf8, pasted = mixed_encoding_file(tmp_path)

    upload_file = SimpleUploadedFile(mixed.name, mixed.read_bytes(), content_type="text/markdown")
    preview = admin_client.post(
        reverse("admin:briefings_conference_upload"), {"files": [upload_file]}
    )

    page = " ".join(preview.content.decode().split())
    assert preview.status_code == 200
    assert f"lines {pasted[0]} and {pasted[1]}" in page
    assert "Windows-1252" in page


def test_a_windows_1252_file_with_some_utf8_lines_is_read_whole_naming_those_lines():
    original = next(WH_DEMO.glob("2022-*.md")).read_text()
    lines = original.splitlines(keepends=True)
    accented = [n for n, line in enumerate(lines, start=1) if "’" in line]
    pasted = [accented[0], accented[2]]
    data = b"".join(
        line.encode("utf-8" if n in pasted else "cp1252") for n, line in enumerate(lines, start=1)
    )

    text, warnings = decode_with_warnings(data)

    assert text == original
    assert warnings == [
        f"lines {pasted[0]} and {pasted[1]} are UTF-8 in a file otherwise in Windows-1252: "
        "each line read in its own encoding (check their quotes and accented letters)"
    ]


def test_format_detection_reads_past_the_first_50_kb_of_a_markdown_body(tmp_path):
    original = next(WH_DEMO.glob("2022-*.md")).read_text()
    _, front, body = original.split("---\n", 2)
    # The transcript's own sentences, without a speaker label, as a long statement read
    # before the briefing: the first labels come after 50 KB.
    prose = "\n\n".join(line for line in body.splitlines() if line[:1].islower())
    statement = "\n\n".join([prose] * (60_000 // len(prose) + 1))
    late = tmp_path / "late-labels.md"
    late.write_text(f"---\n{front}---\n{statement}\n\n{body}")

    assert detect_format(late.read_text()) == "wh-markdown"
    report = ingest_paths([str(late)])
    assert report.ok, [outcome.error for outcome in report.outcomes]
    assert Conference.objects.get().format == "wh-markdown"


def test_a_bad_host_header_is_one_warning_line_not_a_traceback(client, settings, caplog):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["briefings.example.org"]

    with caplog.at_level(logging.INFO):
        response = client.get("/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    (record,) = [r for r in caplog.records if "attacker.example" in r.getMessage()]
    assert record.name == "django.security.DisallowedHost"
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    line = logging.Formatter("%(levelname)s %(name)s %(message)s").format(record)
    assert "\n" not in line
    assert "Traceback" not in caplog.text


@pytest.fixture
def tariffs(search_index):
    load_tariffs_briefing(
        "Press Briefing on tariffs",
        outlet="Daily News",
        question="What about the tariffs?",
        answer="The tariffs stay.",
    )


CONTROL_MESSAGE = "control characters"


def test_a_query_with_a_nul_is_searched_without_it_and_says_so(client, tariffs):
    page = client.get("/search/", {"q": "tariffs\x00"})
    data = client.get("/search/", {"q": "tariffs\x00", "format": "json"}).json()

    assert page.status_code == 200
    assert "Press Briefing on tariffs" in page.content.decode()
    assert CONTROL_MESSAGE in " ".join(page.content.decode().split())
    assert data["total"] == 1
    assert any(CONTROL_MESSAGE in message for message in data["messages"])
    # The search as read, in its box and its links: not passed on to every next page.
    assert "\x00" not in page.content.decode()
    assert 'name="q" value="tariffs"' in page.content.decode()
    assert 'href="/search/export.csv?q=tariffs"' in page.content.decode()
    assert data["query"] == "tariffs"


def test_a_nul_in_a_query_is_taken_out_of_the_exports_trends_and_feed(client, tariffs):
    exported = client.get("/search/export.csv", {"q": "tariffs\x00"}).getvalue().decode()
    exported_json = json.loads(
        client.get("/search/export.json", {"q": "tariffs\x00"}).getvalue().decode()
    )
    trends = client.get("/search/trends/", {"q": "tariffs\x00"})
    trends_csv = client.get("/search/trends.csv", {"q": "tariffs\x00"}).content.decode()
    feed = client.get("/search/feed.atom", {"q": "tariffs\x00"})

    assert len(list(csv.DictReader(io.StringIO(exported)))) == 1
    assert exported_json["returned"] == 1
    assert any(CONTROL_MESSAGE in message for message in exported_json["messages"])
    assert trends.status_code == 200
    assert CONTROL_MESSAGE in " ".join(trends.content.decode().split())
    assert "\x00" not in trends.content.decode()
    assert "\x00" not in trends_csv
    assert feed.status_code == 200
    assert b"Press Briefing on tariffs" in feed.content


# Issue 15: uploads and accounts


WH_CORPUS_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def wh_demo_upload(name: str, *, changed: bool = False) -> SimpleUploadedFile:
    """A demo White House transcript; `changed`, the same briefing with a word changed."""
    data = next(WH_DEMO.glob(name)).read_bytes()
    if changed:
        data = data.replace(b"Happy Monday.", b"Happy Monday, everyone.", 1)
    return SimpleUploadedFile(name, data, content_type="text/markdown")


@pytest.fixture
def uploader(admin_client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return admin_client


def preview_token(client: Client, files: list[SimpleUploadedFile]) -> str:
    preview = client.post(UPLOAD, {"files": files})
    return preview.context["confirm"].initial["token"]


def test_an_upload_over_the_stated_limits_is_refused_before_it_is_read(uploader, settings):
    settings.UPLOAD_MAX_BYTES = 50_000
    files = [wh_demo_upload("2021-02-01-*.md"), wh_demo_upload("2021-02-09-*.md")]

    form = uploader.get(UPLOAD).content.decode()
    response = uploader.post(UPLOAD, {"files": files})

    assert "At most 20 files and 48 KB in one upload" in form
    page = response.content.decode()
    assert "one upload is at most 48 KB. Nothing was saved" in page
    assert not upload.uploads_dir().exists()
    assert Conference.objects.count() == 0


def test_a_confirm_over_the_limits_is_refused_with_a_message_and_saves_nothing(uploader, settings):
    token = preview_token(
        uploader, [wh_demo_upload("2021-02-01-*.md"), wh_demo_upload("2021-02-09-*.md")]
    )
    settings.UPLOAD_MAX_BYTES = 50_000  # lowered while the upload waited

    response = uploader.post(CONFIRM, {"token": token, "save": "1"}, follow=True)

    assert "one upload is at most 48 KB. Nothing was saved" in response.content.decode()
    assert Conference.objects.count() == 0
    assert upload.stashed_files(token) is None


def test_a_confirm_whose_third_file_cannot_be_saved_saves_none_of_them(uploader):
    # The third is another version of the first: saved first, the first makes it a
    # changed transcript offered without Replace, which the loader refuses.
    files = [
        wh_demo_upload("2021-02-01-*.md"),
        wh_demo_upload("2021-02-09-*.md"),
        wh_demo_upload("2021-02-01-*.md", changed=True),
    ]
    token = preview_token(uploader, files)

    response = uploader.post(CONFIRM, {"token": token, "save": "1"}, follow=True)

    assert response.status_code == 200
    assert Conference.objects.count() == 0
    assert Exchange.objects.count() == 0
    page = response.content.decode()
    assert "a different version of this briefing is already in the archive" in page
    assert "saved whole or not at all" in page


def concatenated_transcript(corpus: Path, megabytes: float) -> bytes:
    """One White House transcript of `megabytes`: real briefings' words one after another
    under the first one's front matter, as a day's transcripts pasted into one file."""
    files = sorted((corpus / "wh-briefings" / "press-briefings").rglob("*.md"))
    parts = [files[0].read_text()]
    size = len(parts[0].encode())
    for path in files[1:]:
        body = WH_CORPUS_FRONT_MATTER.sub("", path.read_text())
        size += len(body.encode()) + 1
        if size > megabytes * 1_048_576:
            break
        parts.append(body)
    return "\n".join(parts).encode()


@pytest.mark.corpus
def test_a_long_briefing_is_shown_a_page_at_a_time(client, corpus):
    # 1.5 MB, 15 pages: paged as a 10 MB one is (docs/findings.md has the 10 MB figures),
    # at a sixth of the test's time.
    if not (corpus / "wh-briefings").is_dir():
        pytest.skip("../shared/corpus/wh-briefings is not present")
    data = concatenated_transcript(corpus, 1.5)
    report = load_documents(read_documents([("long-briefing.md", data)]))
    assert report.ok, report.summary()
    conference = Conference.objects.get()
    total = conference.exchanges.count()
    assert total > 1_000

    first = client.get(conference.get_absolute_url())
    last = client.get(conference.get_absolute_url(), {"page": "9999"})

    for response in (first, last):
        assert response.status_code == 200
        assert len(response.content) < 600_000  # a whole 10 MB transcript was 24 MB of HTML
    page = lxml_html.fromstring(first.content)
    shown = page.xpath("//section[@class='exchange']/@id")
    assert shown[0] == "exchange-1"
    assert len(shown) < total
    assert f"of {total}" in first.content.decode()
    following = page.xpath("//nav[@class='pages']//a[text()='Next']/@href")[0]
    assert following == f"{conference.get_absolute_url()}?page=2"
    # From an exchange of a later page, "in the whole briefing" leads to its page.
    later = conference.exchanges.order_by("position")[len(shown) * 2]
    exchange_page = client.get(later.get_absolute_url()).content.decode()
    assert f"?page=3#exchange-{later.position}" in exchange_page


def test_a_weak_password_is_refused_when_a_user_is_added(admin_client):
    from django.contrib.auth import get_user_model

    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {"username": "newcomer", "password1": "password1", "password2": "password1"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "This password is too common." in page
    assert "at least 12 characters" in page
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_one_account_guessed_at_from_many_addresses_is_locked_but_not_where_it_logs_in(
    django_user_model,
):
    password = "correct horse battery staple"
    django_user_model.objects.create_superuser("editor", "editor@example.org", password)

    def log_in(secret: str, address: str) -> object:
        client = Client(REMOTE_ADDR=address)
        response = client.post(reverse("admin:login"), {"username": "editor", "password": secret})
        response.logged_in = "_auth_user_id" in client.session
        return response

    assert log_in(password, "198.51.100.20").logged_in  # the editor's usual address
    # Four guesses from each of five addresses: under each address's own limit of five.
    for number in range(5):
        for _ in range(4):
            assert not log_in("wrong guess", f"203.0.113.{number}").logged_in

    elsewhere = log_in(password, "192.0.2.99")
    usual = log_in(password, "198.51.100.20")

    assert not elsewhere.logged_in
    assert elsewhere.status_code == 429
    assert "from several addresses (20 within 0:15:00)" in elsewhere.content.decode()
    assert usual.logged_in


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


# Issue 15: review of the security fixes


UNDATED = b"""Secretary Lane: (00:00)
Good afternoon. We will ship 500 ventilators to the states by Friday.
Speaker 1: (00:40)
When will the rest arrive?
Secretary Lane: (00:45)
We will deliver another 2,000 ventilators by the end of next month.
"""


def test_an_editor_who_may_only_add_briefings_cannot_date_a_stored_one(settings, tmp_path):
    from briefings.models import IngestRun

    settings.DATA_DIR = tmp_path
    load_documents(read_documents([("ventilators.txt", UNDATED)]))
    stored = Conference.objects.get()
    assert stored.held_on is None

    def upload_with_a_date(client: Client) -> object:
        preview = client.post(UPLOAD, {"files": [SimpleUploadedFile("copy.txt", UNDATED)]})
        token = preview.context["confirm"].initial["token"]
        return client.post(CONFIRM, {"token": token, "save": "1", "date_1": "2023-01-10"})

    adder = staff_with("view_conference", "add_conference")
    upload_with_a_date(adder)
    stored.refresh_from_db()
    assert stored.held_on is None
    assert "not given its date" in IngestRun.objects.latest("pk").report

    upload_with_a_date(staff_with("view_conference", "add_conference", "change_conference"))
    stored.refresh_from_db()
    assert stored.held_on == dt.date(2023, 1, 10)
