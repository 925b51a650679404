"""A real web server on 127.0.0.1 for the fetching tests: serves a folder (the Ministry's
mirror in ../shared) with ETag and Last-Modified and answers conditional requests with
304, serves a robots.txt the test sets, and hands chosen paths to handlers the test writes
(slow, silent, huge, failing, redirecting). It records every request it receives.

Bounded: its threads are daemons, each connection times out, and the fixture stops it.
"""

from __future__ import annotations

import email.utils
import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    at: float  # by the site's clock: the test's counting clock, when it sets one


@dataclass
class LocalSite:
    host: str
    root: Path | None = None
    robots: str | None = None  # None: /robots.txt is 404
    validators: bool = True  # send ETag / Last-Modified, answer 304
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    clock: Callable[[], float] = time.monotonic
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def asked(self, path: str) -> list[Request]:
        return [request for request in self.requests if request.path == path]

    def paths(self) -> list[str]:
        return [request.path for request in self.requests]


def _handler_for(site: LocalSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = 10  # a connection the client left open ends by itself

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            site.requests.append(Request(path, dict(self.headers.items()), site.clock()))
            if path in site.routes:
                site.routes[path](self)
            elif path == "/robots.txt":
                self._robots()
            else:
                self._file(path)

        def _robots(self) -> None:
            if site.robots is None:
                self.send_error(404)
                return
            self._send(200, site.robots.encode(), "text/plain")

        def _file(self, path: str) -> None:
            if site.root is None:
                self.send_error(404)
                return
            target = (site.root / unquote(path).lstrip("/")).resolve()
            if site.root.resolve() not in target.parents or not target.is_file():
                self.send_error(404)
                return
            content = target.read_bytes()
            etag = '"' + hashlib.sha1(content).hexdigest() + '"'
            modified = email.utils.formatdate(target.stat().st_mtime, usegmt=True)
            if site.validators and (
                self.headers.get("If-None-Match") == etag
                or self.headers.get("If-Modified-Since") == modified
            ):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            extra = {"ETag": etag, "Last-Modified": modified} if site.validators else {}
            self._send(200, content, "text/html; charset=utf-8", extra)

        def _send(
            self, status: int, content: bytes, kind: str, extra: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(content)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(content)

    return Handler


@contextmanager
def serving(site: LocalSite) -> Iterator[LocalSite]:
    server = ThreadingHTTPServer((site.host, 0), _handler_for(site))
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# Handlers for the misbehaving server.


def drip(handler: BaseHTTPRequestHandler) -> None:
    """A page that arrives a few bytes at a time, for up to ten seconds."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    for _ in range(200):
        try:
            handler.wfile.write(b"<p>more</p>\n")
            handler.wfile.flush()
        except OSError:  # the client hung up: done
            return
        time.sleep(0.05)


def silent(handler: BaseHTTPRequestHandler) -> None:
    """Headers, then nothing for two seconds."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    handler.wfile.flush()
    time.sleep(2)


def endless(handler: BaseHTTPRequestHandler) -> None:
    """A body without a length that goes on for 8 MB."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    chunk = b"<p>" + b"x" * 65_000 + b"</p>\n"
    for _ in range(128):
        try:
            handler.wfile.write(chunk)
        except OSError:
            return


def declared_huge(handler: BaseHTTPRequestHandler) -> None:
    """A Content-Length of 50 MB, and a little of it."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", str(50 * 1024 * 1024))
    handler.end_headers()
    try:
        handler.wfile.write(b"<p>x</p>" * 100)
    except OSError:
        return


def answer(status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> Handler:
    def handle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return handle


def in_turn(*handlers: Handler) -> Handler:
    """The first handler for the first request, the next for the next; the last repeats."""
    calls: list[int] = []

    def handle(handler: BaseHTTPRequestHandler) -> None:
        calls.append(1)
        handlers[min(len(calls), len(handlers)) - 1](handler)

    return handle
