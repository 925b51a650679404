"""Fetching briefings from the source: addresses in, briefings stored, every request logged.

`fetch_urls` takes transcript pages, pages of a series (the pager's other pages are
fetched too, and the series is one briefing) and list pages (every transcript a list links
to that the archive lacks). What is fetched goes through the ingest workflow
(`ingest/run.py`) as one ingest run; each request is a `Fetch` row, whose ETag and
Last-Modified make the next request for the same list (or stored transcript) conditional.
For each source to watch whose time has come, `watching.py` does it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..ingest.decode import decode_transcript
from ..ingest.detect import detect_format, prepare_text
from ..ingest.formats import FORMATS
from ..ingest.html import looks_like_html
from ..ingest.load import SourceFile
from ..ingest.records import ParseError
from ..ingest.run import FAILED, Document, Outcome, Report, iter_documents, load_documents
from ..models import Conference, Fetch, IngestRun, Source, WatchedSource
from . import pages
from .client import Fetched, FetchError, PoliteClient, Politeness, RobotsRefused

logger = logging.getLogger(__name__)

LIST = "list"
TRANSCRIPT = "transcript"
# What makes a listed link done, so that its list may be asked for conditionally again.
DONE = [Fetch.Result.FETCHED, Fetch.Result.NOT_MODIFIED]
GONE = [404, 410]
MAX_SERIES_PAGES = 60  # a pager longer than this is not followed to the end


def polite_client(**changes: object) -> PoliteClient:
    """A client with the deployment's settings (config/settings.py, FETCH_*), and any
    `changes` to them."""
    politeness = Politeness(
        user_agent=settings.FETCH_USER_AGENT,
        delay=settings.FETCH_DELAY_SECONDS,
        timeout=settings.FETCH_TIMEOUT_SECONDS,
        deadline=settings.FETCH_DEADLINE_SECONDS,
        retries=settings.FETCH_RETRIES,
        backoff=settings.FETCH_BACKOFF_SECONDS,
        max_bytes=settings.INGEST_MAX_BYTES,
    )
    return PoliteClient(dataclasses.replace(politeness, **changes))


@dataclass
class FetchReport:
    """What a fetch did: one line per address, the counts, and the ingest it ended in."""

    lines: list[str] = field(default_factory=list)
    fetched: int = 0
    not_modified: int = 0
    known: int = 0  # linked from a list, already in the archive: not asked for
    refused: int = 0
    failed: int = 0
    ingest: Report | None = None

    @property
    def ok(self) -> bool:
        return self.failed == 0 and (self.ingest is None or self.ingest.ok)

    @property
    def stored(self) -> int:
        if self.ingest is None:
            return 0
        return self.ingest.count("created") + self.ingest.count("replaced")

    def summary(self) -> str:
        ingested = self.ingest.summary() if self.ingest is not None else "nothing to ingest"
        return (
            f"{self.fetched} fetched, {self.not_modified} not modified, {self.known} already "
            f"in the archive, {self.refused} refused by robots.txt, {self.failed} failed to "
            f"fetch; ingest: {ingested}"
        )


@dataclass
class _Page:
    """A transcript page to ingest: fetched already (an address given), or to fetch."""

    url: str
    fetched: Fetched | None = None


class _Fetcher:
    """One fetch run: the client, the report, the log rows, what this run has asked."""

    def __init__(
        self,
        client: PoliteClient,
        *,
        format_name: str | None,
        watched: WatchedSource | None,
        say: Callable[[str], None] | None,
        stop: Callable[[], bool] | None = None,
    ) -> None:
        self.client = client
        self.format_name = format_name
        self.watched = watched
        self.say = say
        self.report = FetchReport()
        self.log_ids: list[int] = []
        self.stop = stop
        self.asked: set[str] = set()  # requested in this run
        self.planned: set[str] = set()  # to be ingested in this run
        self.lists: dict[int, list[str]] = {}  # a list's fetch log row -> the links it gave

    def line(self, text: str) -> None:
        self.report.lines.append(text)
        if self.say is not None:
            self.say(text)

    # One request, logged.

    def get(self, url: str, *, kind: str, conditional: bool) -> Fetched | None:
        self.asked.add(url)
        validators = _validators(url) if conditional else {}
        try:
            fetched = self.client.get(url, **validators)
        except RobotsRefused as error:
            self.report.refused += 1
            self._log(url, Fetch.Result.REFUSED, kind=kind, message=error.reason)
            self.line(f"refused       {url}: {error.reason}")
            return None
        except FetchError as error:
            self.report.failed += 1
            self._log(
                url, Fetch.Result.FAILED, kind=kind, message=error.reason, status=error.status
            )
            self.line(f"failed        {url}: {error.reason}")
            return None
        except Exception as error:  # a bug must not stop the run; the log says what
            logger.exception("fetching %s failed", url)
            self.report.failed += 1
            message = f"could not be fetched (a bug): {error!r}"
            self._log(url, Fetch.Result.FAILED, kind=kind, message=message)
            self.line(f"failed        {url}: {message}")
            return None
        if fetched.not_modified:
            self.report.not_modified += 1
            self._log(url, Fetch.Result.NOT_MODIFIED, kind=kind, fetched=fetched)
            self.line(f"not modified  {url}")
            return fetched
        self.report.fetched += 1
        self._log(url, Fetch.Result.FETCHED, kind=kind, fetched=fetched)
        return fetched

    def _log(
        self,
        url: str,
        result: str,
        *,
        kind: str,
        fetched: Fetched | None = None,
        message: str = "",
        status: int | None = None,
    ) -> None:
        row = Fetch.objects.create(
            url=url[:500],
            final_url=(fetched.final_url if fetched else "")[:500],
            fetched_at=fetched.fetched_at if fetched else timezone.now(),
            result=result,
            http_status=fetched.status if fetched else status,
            kind=kind,
            size=len(fetched.content) if fetched else 0,
            sha256=SourceFile("", fetched.content).sha256 if fetched and fetched.content else "",
            etag=(fetched.etag if fetched else "")[:500],
            last_modified=(fetched.last_modified if fetched else "")[:100],
            message=message,
            watched=self.watched,
        )
        self.log_ids.append(row.pk)

    # Addresses given: a list page gives the transcripts it links to.

    def plan(self, url: str) -> list[_Page]:
        """The transcript pages to ingest for an address given: itself, or what it lists
        that the archive lacks."""
        if url in self.asked or url in self.planned:
            return []
        was_list = _was_list(url)
        fetched = self.get(
            url, kind=LIST if was_list else "", conditional=was_list or _is_known(url)
        )
        if fetched is None or fetched.not_modified:
            return []
        listed = self._listed(fetched)
        if listed is None:
            Fetch.objects.filter(pk=self.log_ids[-1]).update(kind=TRANSCRIPT)
            self.planned.add(url)
            return [_Page(url, fetched)]
        Fetch.objects.filter(pk=self.log_ids[-1]).update(kind=LIST)
        known = _known_urls(listed)
        self.lists[self.log_ids[-1]] = listed
        new = [link for link in listed if link not in known and link not in self.planned]
        self.report.known += len(listed) - len(new)
        self.line(
            f"list          {url}: {len(listed)} transcripts linked, "
            f"{len(listed) - len(new)} already in the archive, {len(new)} to fetch"
        )
        self.planned.update(new)
        return [_Page(link) for link in new]

    def _listed(self, fetched: Fetched) -> list[str] | None:
        try:
            text = decode_transcript(fetched.content, max_bytes=settings.INGEST_MAX_BYTES)
            if not looks_like_html(text):
                return None
            listed = pages.listed_pages(text, fetched.final_url)
        except ParseError:
            return None  # the ingest says what is wrong with it
        return None if listed is None else [link.url for link in listed]

    def forget_unfinished_lists(self) -> None:
        """A list unchanged since its last fetch answers 304, and then none of its links is
        looked at. So a list some of whose links were not fetched this time (the run was
        stopped, a page failed for a while, robots.txt could not be read) keeps no ETag or
        Last-Modified, and the next run reads it in full and tries those links again. A
        link fetched (whether or not it became a briefing) or gone (404, 410) is done."""
        for row, links in self.lists.items():
            known = _known_urls(links)
            done = set(
                Fetch.objects.filter(url__in=set(links) - known)
                .filter(Q(result__in=DONE) | Q(http_status__in=GONE))
                .values_list("url", flat=True)
            )
            if not set(links) <= known | done:
                Fetch.objects.filter(pk=row).update(etag="", last_modified="")

    # Transcript pages: fetched, a series completed, read into documents.

    def documents(self, planned: Iterable[_Page]) -> Iterator[Document]:
        for page in planned:
            if self.stop is not None and self.stop():
                self.line("stopped       before the rest was fetched; the next run fetches it")
                return
            if page.fetched is None and page.url in self.asked:
                continue  # fetched already, as a page of a series
            fetched = page.fetched or self.get(page.url, kind=TRANSCRIPT, conditional=False)
            if fetched is None:
                continue
            files = [fetched, *self._rest_of_series(fetched)]
            contents = [(file.final_url, file.content) for file in files]
            documents = list(iter_documents(contents, format_name=self.format_name))
            apply_origins(documents, origins_of(files))
            yield from documents

    def _rest_of_series(self, fetched: Fetched) -> list[Fetched]:
        """The other pages of a page series (SCIO), from the page's pager."""
        try:
            text = decode_transcript(fetched.content, max_bytes=settings.INGEST_MAX_BYTES)
            name = self.format_name or detect_format(text)
            fmt = FORMATS.get(name)
            if fmt is None or fmt.pages is None or not looks_like_html(text):
                return []
            prepare_text(text, name)  # a page lxml cannot read is not followed
            others = pages.series_pages(text, fetched.final_url)
        except ParseError:
            return []  # the ingest refuses the page with the reason
        if len(others) > MAX_SERIES_PAGES:
            self.line(f"series        {fetched.url}: {len(others)} pages, only the first read")
            others = others[:MAX_SERIES_PAGES]
        rest = []
        for url in others:
            if url in self.asked or url == fetched.final_url:
                continue
            page = self.get(url, kind=TRANSCRIPT, conditional=False)
            if page is not None:
                rest.append(page)
        if rest:
            self.line(f"series        {fetched.url}: {len(rest) + 1} pages, read as one briefing")
        return rest


def fetch_urls(
    urls: Iterable[str],
    *,
    client: PoliteClient | None = None,
    format_name: str | None = None,
    replace: bool = False,
    via: str = IngestRun.Via.FETCH,
    watched: WatchedSource | None = None,
    say: Callable[[str], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> FetchReport:
    """The `fetch` command: addresses in, briefings stored, a report and the log out.

    Transcripts are fetched and stored one at a time (or one series at a time), so what
    was stored stays stored if the run is stopped; `stop()` true ends it between two."""
    own_client = client is None
    client = client or polite_client()
    fetcher = _Fetcher(client, format_name=format_name, watched=watched, say=say, stop=stop)
    try:
        planned = [page for url in dict.fromkeys(urls) for page in fetcher.plan(url.strip())]
        if planned:

            def show(_number: int, outcome: Outcome) -> None:
                fetcher.line(f"{'ingest':<13} {outcome.line()}")
                if outcome.status != FAILED:
                    for warning in outcome.warnings:
                        fetcher.line(f"{'':<13}   warning: {warning}")

            fetcher.report.ingest = load_documents(
                fetcher.documents(planned),
                files=[page.url for page in planned],
                replace=replace,
                via=via,
                on_outcome=show,
            )
            Fetch.objects.filter(pk__in=fetcher.log_ids).update(run=fetcher.report.ingest.run)
        fetcher.forget_unfinished_lists()
    finally:
        if own_client:
            client.close()
    return fetcher.report


def fetch_for_preview(
    url: str, *, client: PoliteClient | None = None, format_name: str | None = None
) -> tuple[list[tuple[str, bytes]], list[Fetched], FetchReport]:
    """The admin's "Add from URL": the page (and the rest of its series) fetched, not
    stored: (name and bytes of each file, what was fetched, the report). A list page
    gives no files: it is for `fetch` or a source to watch, whose pages take minutes."""
    own_client = client is None
    # In a web request: no long pauses, and done well within the worker's timeout.
    client = client or polite_client(retries=1, backoff=1.0, deadline=15.0, timeout=10.0)
    fetcher = _Fetcher(client, format_name=format_name, watched=None, say=None)
    try:
        fetched = fetcher.get(url.strip(), kind="", conditional=False)
        if fetched is None or fetched.not_modified:
            return [], [], fetcher.report
        listed = fetcher._listed(fetched)
        if listed is not None:
            Fetch.objects.filter(pk=fetcher.log_ids[-1]).update(kind=LIST)
            known = _known_urls(listed)
            fetcher.line(
                f"list          {url}: a list page of {len(listed)} transcripts "
                f"({len(listed) - len(known)} not in the archive), not a transcript. Add it "
                "under Sources to watch, or run `manage.py fetch` with its address."
            )
            return [], [], fetcher.report
        Fetch.objects.filter(pk=fetcher.log_ids[-1]).update(kind=TRANSCRIPT)
        files = [fetched, *fetcher._rest_of_series(fetched)]
        return [(file.final_url, file.content) for file in files], files, fetcher.report
    finally:
        if own_client:
            client.close()


@dataclass(frozen=True)
class Origin:
    """Where a fetched file came from, kept with its source."""

    url: str
    fetched_at: dt.datetime
    media_type: str = ""


def origins_of(files: Iterable[Fetched]) -> dict[str, Origin]:
    """Each fetched file's origin, by the name it is ingested under (its address)."""
    return {
        file.final_url: Origin(file.final_url, file.fetched_at, _media_type(file.content_type))
        for file in files
    }


def apply_origins(documents: Iterable[Document], origins: dict[str, Origin]) -> None:
    """Give the sources of fetched files their address, time fetched and media type."""
    for document in documents:
        for source in document.sources:
            origin = origins.get(source.filename.split("#", 1)[0])
            if origin is not None:
                source.url = origin.url[:500]
                source.fetched_at = origin.fetched_at
                source.media_type = origin.media_type or source.media_type


# What the archive has already.


def _is_known(url: str) -> bool:
    return bool(_known_urls([url]))


def _known_urls(urls: list[str]) -> set[str]:
    """The addresses whose transcript is in the archive: stored as a source's address or a
    briefing's, or fetched before from an address that redirected to one."""
    known = set(Source.objects.filter(url__in=urls).values_list("url", flat=True))
    briefings = Conference.objects.filter(source_url__in=urls)
    known |= set(briefings.values_list("source_url", flat=True))
    redirected = dict(
        Fetch.objects.filter(url__in=set(urls) - known, result=Fetch.Result.FETCHED)
        .exclude(final_url="")
        .values_list("final_url", "url")
    )
    if redirected:
        stored = Source.objects.filter(url__in=list(redirected)).values_list("url", flat=True)
        known |= {redirected[final] for final in stored}
    return known


def _was_list(url: str) -> bool:
    return Fetch.objects.filter(url=url, kind=LIST, result=Fetch.Result.FETCHED).exists()


def _validators(url: str) -> dict[str, str]:
    """The ETag and Last-Modified of the last time this address was fetched."""
    last = (
        Fetch.objects.filter(url=url, result=Fetch.Result.FETCHED)
        .exclude(etag="", last_modified="")
        .order_by("-fetched_at", "-id")
        .first()
    )
    if last is None:
        return {}
    return {"etag": last.etag, "last_modified": last.last_modified}


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()[:100]
