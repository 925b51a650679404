"""A polite HTTP client: the one way the archive asks another site for a page.

It introduces itself (User-Agent), obeys the host's robots.txt (read once per host and
client, Crawl-delay included), asks each host at most once per `delay` seconds (robots.txt,
retries and redirects count too), gives up on a silent server (`timeout`) and on a slow one
(`deadline` for the whole response), retries what may pass (a dropped connection, 429,
5xx) with a back-off that doubles, sends conditional requests (If-None-Match,
If-Modified-Since) when it knows the page's validators, follows redirects itself so that
each hop is checked (http and https only; robots.txt of the new host), and stops reading
at `max_bytes`. It knows nothing of Django: the settings come in as a `Politeness`.

httpx, not requests: it follows no redirect unless told (each hop is ours to check) and
streams the body, so the size and time limits cut a response off while it arrives.
"""

from __future__ import annotations

import datetime as dt
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

# Answers worth asking again after a pause: the server is busy or briefly broken.
TRANSIENT_STATUSES = {429, 500, 502, 503, 504}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
LONGEST_PAUSE = 300.0  # the most a Retry-After or Crawl-delay is waited for
# Only the first 512 KiB of a robots.txt is read, and the rest ignored (RFC 9309, 2.5).
ROBOTS_MAX_BYTES = 512 * 1024


class FetchError(Exception):
    """A page that could not be fetched; the message says why, for the fetch log."""

    def __init__(self, url: str, message: str, *, status: int | None = None) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = message
        self.status = status


class RobotsRefused(FetchError):
    """The host's robots.txt asks us not to fetch this address."""


@dataclass(frozen=True)
class Politeness:
    user_agent: str
    delay: float = 1.0  # seconds between two requests to one host
    timeout: float = 30.0  # to connect, or between two reads
    deadline: float = 120.0  # for a whole response
    retries: int = 3
    backoff: float = 5.0  # the first pause before a retry; doubled each time
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5


@dataclass
class Fetched:
    """A page as the site sent it: the raw bytes, or nothing new (304)."""

    url: str  # as asked
    final_url: str  # after redirects
    status: int
    content: bytes
    fetched_at: dt.datetime
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class _Robots:
    parser: urllib.robotparser.RobotFileParser | None  # None: everything allowed
    refuse_all: str = ""  # the reason, when the host cannot be asked at all


@dataclass
class PoliteClient:
    """One client per run; it remembers each host's robots.txt and last request."""

    politeness: Politeness
    # The clock and the pause the rate limit and back-off use; tests pass a counting pair.
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _next_turn: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, _Robots] = field(default_factory=dict)
    _http: httpx.Client | None = None

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def get(self, url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
        """The page at `url`, following redirects; conditional when validators are given.

        Raises FetchError (RobotsRefused when robots.txt says no) with a message to log.
        """
        conditional = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        address = url
        for _hop in range(self.politeness.max_redirects + 1):
            _check_scheme(url, address)
            self._check_robots(address)
            status, headers, content = self._get_with_retries(address, conditional)
            if status in REDIRECT_STATUSES:
                location = headers.get("location", "")
                if not location:
                    raise FetchError(url, f"HTTP {status} without a Location", status=status)
                address = urljoin(address, location)
                continue
            if status == 304 and not conditional:
                raise FetchError(url, "HTTP 304 to a request that was not conditional", status=304)
            if status != 200 and status != 304:
                raise FetchError(url, _status_text(status), status=status)
            return Fetched(
                url=url,
                final_url=address,
                status=status,
                content=content,
                fetched_at=dt.datetime.now(dt.UTC),
                etag=headers.get("etag", ""),
                last_modified=headers.get("last-modified", ""),
                content_type=headers.get("content-type", ""),
            )
        raise FetchError(url, f"more than {self.politeness.max_redirects} redirects")

    # The pieces.

    def _client(self) -> httpx.Client:
        if self._http is None:
            limit = self.politeness.timeout
            self._http = httpx.Client(
                headers={"User-Agent": self.politeness.user_agent},
                timeout=httpx.Timeout(limit, pool=limit),
                follow_redirects=False,
            )
        return self._http

    def _wait_turn(self, address: str) -> None:
        """At most one request per host per delay (robots.txt may ask for a longer one)."""
        host = _host(address)
        robots = self._robots.get(host)
        delay = self.politeness.delay
        if robots is not None and robots.parser is not None:
            asked = robots.parser.crawl_delay(self.politeness.user_agent)
            if asked:
                delay = max(delay, min(float(asked), LONGEST_PAUSE))
        now = self.clock()
        turn = self._next_turn.get(host, now)
        if turn > now:
            self.sleep(turn - now)
        self._next_turn[host] = max(turn, now) + delay

    def _get_with_retries(
        self,
        address: str,
        headers: dict[str, str],
        *,
        max_bytes: int | None = None,
        keep_start: bool = False,
    ) -> tuple[int, httpx.Headers, bytes]:
        retries = self.politeness.retries
        for attempt in range(retries + 1):
            pause = self.politeness.backoff * 2**attempt
            try:
                status, answer, content = self._get_once(
                    address, headers, max_bytes=max_bytes, keep_start=keep_start
                )
            except httpx.InvalidURL as error:
                raise FetchError(address, f"not a valid address ({error})") from None
            except httpx.DecodingError as error:
                raise FetchError(address, f"the response could not be decoded ({error})") from None
            except httpx.TransportError as error:
                problem = _transport_text(error, self.politeness.timeout)
                if attempt == retries:
                    raise FetchError(address, _after(problem, attempt)) from None
            else:
                if status not in TRANSIENT_STATUSES:
                    return status, answer, content
                problem = _status_text(status)
                if attempt == retries:
                    raise FetchError(address, _after(problem, attempt), status=status)
                pause = max(pause, _retry_after(answer.get("retry-after", "")))
            self.sleep(min(pause, LONGEST_PAUSE))
        raise AssertionError("unreachable")  # the loop returns or raises

    def _get_once(
        self,
        address: str,
        headers: dict[str, str],
        *,
        max_bytes: int | None = None,
        keep_start: bool = False,
    ) -> tuple[int, httpx.Headers, bytes]:
        """One request, its body read up to the size and time limits; past the size
        limit, `keep_start` keeps what fits (a robots.txt) where a page is refused."""
        limit = self.politeness.max_bytes if max_bytes is None else max_bytes
        self._wait_turn(address)
        started = time.monotonic()
        with self._client().stream("GET", address, headers=headers) as response:
            if response.status_code != 200:
                return response.status_code, response.headers, b""
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit and not keep_start:
                raise FetchError(
                    address,
                    f"{int(declared):,} bytes, more than the limit of {limit:,} "
                    "(INGEST_MAX_BYTES): not read",
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit and keep_start:
                    chunks.append(chunk[: len(chunk) - (size - limit)])
                    break
                if size > limit:
                    raise FetchError(
                        address,
                        f"cut off at {size:,} bytes: more than the limit of {limit:,} "
                        "(INGEST_MAX_BYTES)",
                    )
                if time.monotonic() - started > self.politeness.deadline:
                    raise FetchError(
                        address,
                        f"cut off after {self.politeness.deadline:g} s: the server sends too "
                        f"slowly ({size:,} bytes so far)",
                    )
                chunks.append(chunk)
            return response.status_code, response.headers, b"".join(chunks)

    def _check_robots(self, address: str) -> None:
        host = _host(address)
        if host not in self._robots:
            self._robots[host] = self._read_robots(address)
        robots = self._robots[host]
        if robots.refuse_all:
            raise RobotsRefused(address, robots.refuse_all)
        if robots.parser is not None and not robots.parser.can_fetch(
            self.politeness.user_agent, address
        ):
            raise RobotsRefused(address, "robots.txt disallows it for this archive")

    def _read_robots(self, address: str) -> _Robots:
        """The host's robots.txt: missing (4xx) allows everything; a server error or no
        answer refuses everything for now (RFC 9309, 2.3.1)."""
        parts = urlsplit(address)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        try:
            status, _headers, content = self._follow(robots_url)
        except FetchError as error:
            return _Robots(None, f"its robots.txt could not be read ({error.reason})")
        if status == 200:
            parser = urllib.robotparser.RobotFileParser(robots_url)
            parser.parse(content.decode("utf-8", "replace").splitlines())
            return _Robots(parser)
        if 400 <= status < 500:
            return _Robots(None)
        return _Robots(None, f"its robots.txt answered {_status_text(status)}")

    def _follow(self, address: str) -> tuple[int, httpx.Headers, bytes]:
        """robots.txt, following redirects (RFC 9309 asks for five hops at least)."""
        for _hop in range(self.politeness.max_redirects + 1):
            _check_scheme(address, address)
            status, headers, content = self._get_with_retries(
                address, {}, max_bytes=ROBOTS_MAX_BYTES, keep_start=True
            )
            if status not in REDIRECT_STATUSES or not headers.get("location"):
                return status, headers, content
            address = urljoin(address, headers["location"])
        raise FetchError(address, f"more than {self.politeness.max_redirects} redirects")


def _host(address: str) -> str:
    return (urlsplit(address).hostname or "").lower()


def _check_scheme(url: str, address: str) -> None:
    scheme = urlsplit(address).scheme.lower()
    if scheme not in {"http", "https"}:
        if address == url:
            raise FetchError(url, f"not an http or https address ({scheme or 'no'} scheme)")
        raise FetchError(url, f"redirected to {address[:200]}: only http and https are followed")


def _status_text(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def _transport_text(error: Exception, timeout: float) -> str:
    if isinstance(error, httpx.ConnectTimeout):
        return f"no connection within {timeout:g} s"
    if isinstance(error, httpx.TimeoutException):
        return f"the server was silent for {timeout:g} s"
    return f"connection failed ({type(error).__name__}: {error})"


def _after(problem: str, attempt: int) -> str:
    return f"{problem}, after {attempt + 1} tries" if attempt else problem


def _retry_after(value: str) -> float:
    """A Retry-After in seconds (a date is read as no hint)."""
    value = value.strip()
    return float(value) if value.isdigit() else 0.0
