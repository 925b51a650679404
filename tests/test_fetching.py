"""Fetching from the source, against a real web server on 127.0.0.1 (tests/local_site.py)
over the Ministry's mirror in ../shared/corpus/mfa-fmprc-2020/site/: what is fetched,
stored, skipped and refused, and how politely. Nothing leaves the machine; the politeness
pauses are counted on a clock of the test's, never waited for or timed."""

from __future__ import annotations

import hashlib
import html
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from briefings.fetching import pages
from briefings.fetching.client import FetchError, PoliteClient, Politeness, RobotsRefused
from briefings.fetching.run import fetch_urls
from briefings.fetching.watching import visit_due, watch
from briefings.models import Conference, Fetch, IngestRun, Source, WatchedSource

from .local_site import (
    LocalSite,
    answer,
    declared_huge,
    drip,
    endless,
    in_turn,
    serving,
    silent,
)

pytestmark = pytest.mark.django_db

FOLDER = "/mfa_eng/xwfw_665399/s2510_665401/2511_665403/"
LIST = FOLDER + "default_12.shtml"  # the oldest list page: 20 transcripts, one missing
AGENT = "BriefingArchive/0.1 (tests)"
DEMO = Path(__file__).resolve().parent.parent / "demo" / "scio"


class CountingClock:
    """The client's clock and pause: a pause moves the clock on instead of sleeping."""

    def __init__(self) -> None:
        self.now = 0.0
        self.pauses: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


def client(clock: CountingClock | None = None, **changes: object) -> PoliteClient:
    clock = clock or CountingClock()
    settings = {"user_agent": AGENT, "delay": 1.0, "timeout": 5.0, "retries": 0, **changes}
    return PoliteClient(Politeness(**settings), clock=clock, sleep=clock.sleep)


@pytest.fixture
def mirror(corpus: Path) -> Path:
    root = corpus / "mfa-fmprc-2020" / "site"
    if not root.is_dir():
        pytest.skip("the Ministry's mirror is not in ../shared/corpus")
    return root


@pytest.fixture
def site(mirror: Path) -> Iterator[LocalSite]:
    with serving(LocalSite("127.0.0.1", root=mirror)) as served:
        yield served


@pytest.fixture
def bare_site() -> Iterator[LocalSite]:
    with serving(LocalSite("127.0.0.1")) as served:
        yield served


def linked_from(mirror: Path, list_page: str) -> list[str]:
    text = (mirror / list_page.lstrip("/")).read_text(encoding="utf-8")
    return re.findall(r'href="\./(t\d+\.shtml)"', text)


# A list page.


def test_it_brings_in_exactly_the_transcripts_a_list_page_links_to_that_the_mirror_holds(
    site: LocalSite, mirror: Path
) -> None:
    linked = linked_from(mirror, LIST)
    held = [name for name in linked if (mirror / FOLDER.lstrip("/") / name).is_file()]
    missing = sorted(set(linked) - set(held))
    assert len(linked) == 20
    assert missing

    report = fetch_urls([site.url(LIST)], client=client(clock=CountingClock()))

    stored = set(Source.objects.values_list("url", flat=True))
    assert stored == {site.url(FOLDER + name) for name in held}
    assert Conference.objects.count() == len(held)
    assert (report.fetched, report.stored, report.failed) == (1 + len(held), len(held), 1)
    assert [f"failed        {site.url(FOLDER + name)}: HTTP 404 Not Found" for name in missing] == [
        line for line in report.lines if line.startswith("failed")
    ]
    assert report.ingest is not None
    assert report.ingest.run.via == IngestRun.Via.FETCH
    assert report.ingest.run.conferences.count() == len(held)


def test_a_fetched_page_is_kept_byte_for_byte_with_its_address_and_time(
    site: LocalSite, mirror: Path
) -> None:
    fetch_urls([site.url(LIST)], client=client())

    for source in Source.objects.all():
        path = source.url.removeprefix(site.url(""))
        assert bytes(source.content) == (mirror / path.lstrip("/")).read_bytes()
        assert source.sha256 == hashlib.sha256(bytes(source.content)).hexdigest()
        assert source.fetched_at is not None
        assert source.media_type == "text/html"
        assert source.conference.sources.count() == 1


def test_the_fetch_log_says_what_was_fetched_and_what_failed(site: LocalSite) -> None:
    report = fetch_urls([site.url(LIST)], client=client())

    listed = Fetch.objects.get(url=site.url(LIST))
    assert (listed.kind, listed.result, listed.http_status) == ("list", "fetched", 200)
    assert listed.etag
    assert listed.last_modified
    assert Fetch.objects.filter(kind="transcript", result="fetched").count() == 19
    missing = Fetch.objects.get(result="failed")
    assert (missing.http_status, missing.message) == (404, "HTTP 404 Not Found")
    assert set(Fetch.objects.values_list("run", flat=True)) == {report.ingest.run.pk}


def test_a_second_run_fetches_nothing_new_and_asks_conditionally(site: LocalSite) -> None:
    fetch_urls([site.url(LIST)], client=client())
    before = len(site.requests)

    again = fetch_urls([site.url(LIST)], client=client())

    asked = site.requests[before:]
    assert [request.path for request in asked] == ["/robots.txt", LIST]
    assert asked[1].headers.get("If-None-Match")
    assert asked[1].headers.get("If-Modified-Since")
    assert (again.fetched, again.not_modified, again.ingest) == (0, 1, None)
    assert Fetch.objects.filter(result="not_modified", kind="list").count() == 1
    assert Conference.objects.count() == 19


def test_a_list_that_changed_brings_only_what_the_archive_lacks(site: LocalSite) -> None:
    fetch_urls([site.url(LIST)], client=client())
    site.validators = False  # the server no longer answers 304: the list is read again
    before = len(site.requests)

    again = fetch_urls([site.url(LIST)], client=client())

    transcripts = [p for p in site.paths()[before:] if p not in {"/robots.txt", LIST}]
    assert len(transcripts) == 1  # the missing one is asked for again, nothing else
    assert (again.known, again.failed, again.stored) == (19, 1, 0)
    assert Conference.objects.count() == 19


def test_a_list_page_is_known_by_its_links_and_a_transcript_page_is_not(mirror: Path) -> None:
    folder = mirror / FOLDER.lstrip("/")
    base = "https://www.fmprc.gov.cn" + FOLDER
    lists = sorted(folder.glob("default*.shtml"))
    transcripts = sorted(folder.glob("t*.shtml"))
    assert (len(lists), len(transcripts)) == (13, 490)

    for path in lists:
        listed = pages.listed_pages(path.read_text(encoding="utf-8"), base + path.name)
        assert listed is not None, path.name
        assert [link.url for link in listed] == [
            base + name for name in linked_from(mirror, FOLDER + path.name)
        ]
    for path in transcripts:
        assert pages.listed_pages(path.read_text(encoding="utf-8"), base + path.name) is None


# robots.txt


def test_a_robots_txt_that_disallows_the_transcripts_is_obeyed(site: LocalSite) -> None:
    site.robots = f"User-agent: *\nDisallow: {FOLDER}t\n"

    report = fetch_urls([site.url(LIST)], client=client())

    assert [p for p in site.paths() if p.startswith(FOLDER + "t")] == []
    assert (report.refused, report.stored) == (20, 0)
    assert Fetch.objects.filter(result="refused").count() == 20
    assert Conference.objects.count() == 0


def test_a_robots_txt_past_its_size_limit_is_read_up_to_the_limit(site: LocalSite) -> None:
    # Its rules first, then 600 KB of comments: the rest is ignored, not the whole site.
    site.robots = f"User-agent: *\nDisallow: {FOLDER}t\n" + "# filler\n" * 75_000

    report = fetch_urls([site.url(LIST)], client=client())

    assert report.refused == 20
    assert Fetch.objects.filter(url=site.url(LIST), result="fetched").exists()


def test_a_robots_txt_that_names_the_archive_keeps_it_out_of_the_whole_site(
    site: LocalSite,
) -> None:
    site.robots = "User-agent: Googlebot\nDisallow:\n\nUser-agent: BriefingArchive\nDisallow: /\n"

    with client() as polite, pytest.raises(RobotsRefused, match=r"robots\.txt disallows"):
        polite.get(site.url(LIST))

    assert site.paths() == ["/robots.txt"]


def test_a_robots_txt_that_cannot_be_read_refuses_the_host_for_now(bare_site: LocalSite) -> None:
    bare_site.routes["/robots.txt"] = answer(500)

    with (
        client() as polite,
        pytest.raises(RobotsRefused, match=r"robots.txt could not be read \(HTTP 500"),
    ):
        polite.get(bare_site.url("/page.html"))

    assert bare_site.paths() == ["/robots.txt"]


# Slow, silent and huge answers.


def test_a_slow_response_is_cut_off_with_a_message(bare_site: LocalSite) -> None:
    bare_site.routes["/slow.html"] = drip

    with client(deadline=0.3) as polite, pytest.raises(FetchError) as refused:
        polite.get(bare_site.url("/slow.html"))

    assert "cut off after 0.3 s: the server sends too slowly" in str(refused.value)


def test_a_silent_server_is_given_up_on_after_the_retries(bare_site: LocalSite) -> None:
    bare_site.routes["/silent.html"] = silent
    clock = CountingClock()

    polite = client(clock, timeout=0.2, retries=1, backoff=3.0)
    with polite, pytest.raises(FetchError, match=r"silent for 0\.2 s, after 2 tries"):
        polite.get(bare_site.url("/silent.html"))

    assert len(bare_site.asked("/silent.html")) == 2
    assert 3.0 in clock.pauses


def test_a_huge_response_is_cut_off_at_the_limit(bare_site: LocalSite) -> None:
    bare_site.routes["/huge.html"] = endless

    with client(max_bytes=200_000) as polite, pytest.raises(FetchError) as refused:
        polite.get(bare_site.url("/huge.html"))

    assert "more than the limit of 200,000 (INGEST_MAX_BYTES)" in str(refused.value)
    assert "cut off at" in str(refused.value)


def test_a_response_declared_too_large_is_not_read(bare_site: LocalSite) -> None:
    bare_site.routes["/declared.html"] = declared_huge

    with client(max_bytes=200_000) as polite, pytest.raises(FetchError, match="not read"):
        polite.get(bare_site.url("/declared.html"))


def test_a_refused_response_is_logged_and_stores_nothing(bare_site: LocalSite) -> None:
    bare_site.routes["/huge.html"] = endless

    report = fetch_urls([bare_site.url("/huge.html")], client=client(max_bytes=100_000))

    assert (report.failed, report.ingest) == (1, None)
    logged = Fetch.objects.get()
    assert logged.result == "failed"
    assert "INGEST_MAX_BYTES" in logged.message
    assert Conference.objects.count() == 0


# Politeness: one request a second per host, retries, redirects.


def test_one_host_is_asked_at_most_once_a_second_and_another_host_waits_for_no_one(
    mirror: Path,
) -> None:
    clock = CountingClock()
    one = LocalSite("127.0.0.1", root=mirror, clock=clock)
    other = LocalSite("127.0.0.2", root=mirror, clock=clock)
    names = linked_from(mirror, LIST)[:6]
    with serving(one), serving(other), client(clock, delay=1.0) as polite:
        for name in names:
            polite.get(one.url(FOLDER + name))
        polite.get(other.url(FOLDER + names[0]))

    times = [request.at for request in one.requests]
    assert len(times) == 7  # robots.txt and six pages
    assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(times))
    for start in times:  # no window of one second holds two requests
        assert sum(1 for t in times if start <= t < start + 1.0) == 1
    # The other host's first request did not wait for the first host's turn.
    assert other.requests[0].at == times[-1]


def test_a_robots_txt_crawl_delay_slows_the_client_further(site: LocalSite) -> None:
    site.robots = "User-agent: *\nCrawl-delay: 5\n"
    clock = CountingClock()
    site.clock = clock
    names = linked_from(site.root, LIST)[:3]

    with client(clock, delay=1.0) as polite:
        for name in names:
            polite.get(site.url(FOLDER + name))

    times = [request.at for request in site.requests[1:]]
    assert [later - earlier for earlier, later in itertools.pairwise(times)] == [5, 5]


def test_a_busy_server_is_asked_again_after_a_growing_pause(site: LocalSite) -> None:
    busy = answer(503, {"Retry-After": "7"})
    site.routes["/busy.html"] = in_turn(answer(503), busy, answer(200, {}, b"<p>done</p>"))
    clock = CountingClock()

    with client(clock, retries=3, backoff=2.0, delay=0.0) as polite:
        fetched = polite.get(site.url("/busy.html"))

    assert fetched.content == b"<p>done</p>"
    assert len(site.asked("/busy.html")) == 3
    assert clock.pauses == [2.0, 7.0]  # the back-off, then the server's Retry-After


def test_redirects_are_followed_to_http_only(site: LocalSite) -> None:
    name = linked_from(site.root, LIST)[0]
    site.routes["/moved"] = answer(301, {"Location": FOLDER + name})
    site.routes["/elsewhere"] = answer(302, {"Location": "ftp://127.0.0.1/transcript.txt"})

    with client() as polite:
        fetched = polite.get(site.url("/moved"))
        with pytest.raises(FetchError, match="only http and https are followed"):
            polite.get(site.url("/elsewhere"))

    assert fetched.final_url == site.url(FOLDER + name)
    assert fetched.content == (site.root / FOLDER.lstrip("/") / name).read_bytes()


def test_the_client_introduces_itself(site: LocalSite) -> None:
    with client() as polite:
        polite.get(site.url(LIST))

    assert {request.headers["User-Agent"] for request in site.requests} == {AGENT}


def test_an_address_that_is_not_http_is_refused_without_a_request() -> None:
    report = fetch_urls(["ftp://127.0.0.1/x.txt", "file:///etc/passwd"], client=client())

    assert report.failed == 2
    assert all("not an http or https address" in line for line in report.lines)


# A page series: one briefing.


def scio_page_html(number: int) -> bytes:
    """A demo SCIO page (written for the project) as a web page with a linked pager."""
    text = (DEMO / f"2022-12-29-scio-employment-page-{number}.txt").read_text()
    paragraphs = []
    for block in text.split("\n\n"):
        if block.strip().startswith("<") and block.strip().endswith(">"):
            links = " ".join(
                f'<a href="content_900{"" if n == 1 else f"_{n}"}.htm">{n}</a>' for n in (1, 2, 3)
            )
            paragraphs.append(f"<p>&lt; {links} &gt;</p>")
        else:
            paragraphs.append(f"<p>{html.escape(block.strip())}</p>")
    return f"<html><body>{''.join(paragraphs)}</body></html>".encode()


def test_a_page_of_a_series_brings_the_whole_series_as_one_briefing(
    bare_site: LocalSite,
) -> None:
    folder = "/pressroom/2022-12/29/"
    for number in (1, 2, 3):
        name = "content_900.htm" if number == 1 else f"content_900_{number}.htm"
        bare_site.routes[folder + name] = answer(
            200, {"Content-Type": "text/html"}, scio_page_html(number)
        )

    report = fetch_urls([bare_site.url(folder + "content_900_2.htm")], client=client())

    assert report.fetched == 3
    assert report.stored == 1
    conference = Conference.objects.get()
    assert conference.format == "scio-pages"
    assert [(s.position, s.filename) for s in conference.sources.order_by("position")] == [
        (1, "content_900.htm"),
        (2, "content_900_2.htm"),
        (3, "content_900_3.htm"),
    ]


# Sources to watch, the command.


def test_a_watched_source_is_visited_when_due_and_then_asks_conditionally(
    site: LocalSite, settings: object
) -> None:
    settings.FETCH_DELAY_SECONDS = 0.0
    settings.FETCH_RETRIES = 0
    source = WatchedSource.objects.create(url=site.url(LIST), every_minutes=60)

    first = visit_due()
    source.refresh_from_db()

    assert [visited.url for visited, _report in first] == [source.url]
    assert source.last_visited_at is not None
    assert source.last_status == "partial"  # one transcript it lists is missing
    assert source.last_result.startswith("20 fetched, 0 not modified")
    assert IngestRun.objects.get().via == IngestRun.Via.WATCH
    assert Fetch.objects.filter(watched=source).count() == 21
    assert visit_due() == []  # not due again for an hour

    WatchedSource.objects.update(last_visited_at=None)
    again = visit_due()

    assert again[0][1].not_modified == 1
    assert site.requests[-1].headers.get("If-None-Match")
    source.refresh_from_db()
    assert source.last_status == "ok"


def test_a_source_switched_off_is_not_visited(site: LocalSite) -> None:
    WatchedSource.objects.create(url=site.url(LIST), enabled=False)

    assert visit_due() == []
    assert site.requests == []


def test_the_fetch_command_reports_and_fails_on_a_missing_page(
    site: LocalSite, settings: object, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.FETCH_DELAY_SECONDS = 0.0
    settings.FETCH_RETRIES = 0
    name = linked_from(site.root, LIST)[0]

    call_command("fetch", site.url(FOLDER + name))
    with pytest.raises(CommandError, match="some addresses failed"):
        call_command("fetch", site.url(FOLDER + "t0.shtml"))

    out = capsys.readouterr()
    assert "ingest        created" in out.out
    assert "Fetch finished: 1 fetched" in out.out
    assert f"failed        {site.url(FOLDER + 't0.shtml')}: HTTP 404 Not Found" in out.out
    assert Source.objects.get().url == site.url(FOLDER + name)


# The admin: Add from URL, sources to watch, the fetch log.

UPLOAD = reverse("admin:briefings_conference_upload")
FROM_URL = reverse("admin:briefings_conference_upload_url")
CONFIRM = reverse("admin:briefings_conference_upload_confirm")


@pytest.fixture
def admin(admin_client: Client, settings: object, tmp_path: Path) -> Client:
    settings.DATA_DIR = tmp_path
    settings.FETCH_DELAY_SECONDS = 0.0
    settings.FETCH_RETRIES = 0
    return admin_client


def test_add_from_url_previews_the_fetched_page_and_saves_it_on_confirm(
    admin: Client, site: LocalSite
) -> None:
    name = linked_from(site.root, LIST)[0]
    address = site.url(FOLDER + name)

    preview = admin.post(FROM_URL, {"fetch-url": address})

    assert preview.status_code == 200
    assert "Check the transcripts before saving" in preview.content.decode()
    assert address in preview.content.decode()
    assert Conference.objects.count() == 0
    assert Fetch.objects.get().url == address  # fetched, logged, not stored

    token = preview.context["confirm"].initial["token"]
    saved = admin.post(CONFIRM, {"token": token, "save": "1"})

    assert saved.status_code == 302
    source = Source.objects.get()
    assert (source.url, source.filename, source.media_type) == (address, name, "text/html")
    assert source.fetched_at is not None
    assert bytes(source.content) == (site.root / FOLDER.lstrip("/") / name).read_bytes()


def test_add_from_url_refuses_a_list_page_and_says_where_it_belongs(
    admin: Client, site: LocalSite
) -> None:
    response = admin.post(FROM_URL, {"fetch-url": site.url(LIST)}, follow=True)

    page = response.content.decode()
    assert "a list page of 20 transcripts" in page
    assert "Sources to watch" in page
    assert Conference.objects.count() == 0
    assert [p for p in site.paths() if p.startswith(FOLDER + "t")] == []


def test_add_from_url_says_why_a_page_could_not_be_fetched(admin: Client, site: LocalSite) -> None:
    response = admin.post(FROM_URL, {"fetch-url": site.url(FOLDER + "t0.shtml")})

    assert "HTTP 404 Not Found" in response.content.decode()
    assert Conference.objects.count() == 0


def test_add_from_url_takes_only_web_addresses(admin: Client) -> None:
    response = admin.post(FROM_URL, {"fetch-url": "file:///etc/passwd"})

    assert response.status_code == 200
    assert response.context["fetch_form"].errors["url"]
    assert Fetch.objects.count() == 0


def test_the_upload_page_offers_add_from_url(admin: Client) -> None:
    page = admin.get(UPLOAD).content.decode()

    assert "Add from URL" in page
    assert 'name="fetch-url"' in page


def test_the_sources_to_watch_and_the_fetch_log_open_in_the_admin(
    admin: Client, site: LocalSite
) -> None:
    added = admin.post(
        reverse("admin:briefings_watchedsource_add"),
        {"url": site.url(LIST), "format": "", "every_minutes": "30", "enabled": "on"},
    )
    assert added.status_code == 302
    visit_due()

    for name in ("watchedsource", "fetch"):
        listing = admin.get(reverse(f"admin:briefings_{name}_changelist"))
        assert listing.status_code == 200
        first = listing.context["cl"].model.objects.first()
        assert (
            admin.get(reverse(f"admin:briefings_{name}_change", args=[first.pk])).status_code == 200
        )
    assert (
        "HTTP 404 Not Found"
        in admin.get(reverse("admin:briefings_fetch_changelist")).content.decode()
    )


def test_a_run_told_to_stop_keeps_what_it_stored_and_says_so(site: LocalSite) -> None:
    answers = iter([False, False, True])  # two transcripts, then stop

    report = fetch_urls([site.url(LIST)], client=client(), stop=lambda: next(answers))

    assert Conference.objects.count() == 2
    assert report.lines[-1].startswith("stopped")


def test_a_run_stopped_partway_leaves_its_list_to_be_read_again_in_full(
    site: LocalSite,
) -> None:
    answers = iter([False, False, True])  # two transcripts, then stop
    fetch_urls([site.url(LIST)], client=client(), stop=lambda: next(answers))

    again = fetch_urls([site.url(LIST)], client=client())

    # The list is unchanged, yet read in full: the 17 transcripts the first run did not
    # reach are stored now (one of the 20 links is missing from the mirror).
    assert again.not_modified == 0
    assert Conference.objects.count() == 19
    third = fetch_urls([site.url(LIST)], client=client())
    assert third.not_modified == 1  # everything it lists is done: asked conditionally again


def test_the_watcher_visits_what_is_due_until_it_is_stopped(
    site: LocalSite, settings: object
) -> None:
    settings.FETCH_DELAY_SECONDS = 0.0
    settings.FETCH_RETRIES = 0
    WatchedSource.objects.create(url=site.url(LIST))
    looks: list[int] = []

    def stop() -> bool:
        looks.append(1)
        return len(looks) > 30  # a bounded run: stops after its first visit

    watch(stop=stop, interval=0.01)

    assert Conference.objects.count() == 19
    assert WatchedSource.objects.get().last_visited_at is not None
