"""The real site for the browser tests: the demo archive served as `make serve` serves it
(`python -m config.serve`: gunicorn with the project's gunicorn.conf.py, the index writer
and the archive file's writer), driven by Debian's headless Chromium through Playwright.

One server for the whole session. Every page a test opens is watched: a console error, a
failed request, an HTTP error status or a request to any host but the server's fails the
test. Without /usr/bin/chromium the browser tests are skipped, unless REQUIRE_BROWSER=1
(set by .ci/run), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
HOST = "127.0.0.1"
# Not the default "admin/", so a link that assumes /admin/ shows up as a failure.
ADMIN_PATH = "editors/"
EDITOR = "e2e-editor"

# The Makefile's `demo` target, in its order, then a login for the admin test.
SETUP_COMMANDS = [
    ["migrate", "--noinput"],
    ["ingest", "demo/"],
    ["reconcile", "--fix"],
    ["index", "--drain"],
    ["collectstatic", "--noinput", "--verbosity", "0"],
    ["createsuperuser", "--noinput", "--username", EDITOR, "--email", "e2e@example.org"],
]

# The flags the machine notes give for Chromium on a closed network: without the
# background-networking ones it keeps trying to reach Google's hosts.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class LiveSite:
    url: str  # http://127.0.0.1:PORT, no trailing slash
    admin_url: str  # the admin's path, with its slashes
    username: str
    password: str
    serve_pid: int  # `python -m config.serve`, the parent of gunicorn and both writers


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return (
            f"{CHROMIUM} is not installed (Debian: apt-get install chromium); "
            "set REQUIRE_BROWSER=1 to make this a failure"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    return None


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium; skips the test when it is absent, or fails it in CI."""
    reason = missing_browser()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return CHROMIUM


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def server_environment(data_dir: Path, port: int, password: str) -> dict[str, str]:
    """Production settings over plain HTTP on loopback, as `make serve` runs them."""
    env = {
        key: value
        for key, value in os.environ.items()
        # pytest-django points the test process at config.settings_test; the server must
        # read the real settings, and its own database: SQLite in the temporary folder, or
        # on PostgreSQL the one `server_database_url` makes for it.
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATA_DIR=str(data_dir),
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="0",
        SECURE_COOKIES="0",
        ALLOWED_HOSTS=f"{HOST},localhost",
        ADMIN_URL=ADMIN_PATH,
        BIND=f"{HOST}:{port}",
        WEB_CONCURRENCY="2",
        DJANGO_SUPERUSER_PASSWORD=password,
        PYTHONUNBUFFERED="1",
    )
    return env


def run_manage(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}",
            pytrace=False,
        )


def wait_until_answering(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited {server.returncode}:\n{log.read_text()}", pytrace=False)
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer {url}/ within 30 s:\n{log.read_text()}", pytrace=False)


def group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def stop_group(server: subprocess.Popen) -> None:
    """SIGTERM to the whole process group (config.serve, gunicorn and the writers), then
    SIGKILL for anything still there after 20 s."""
    group = server.pid  # start_new_session: the master leads its own group
    if group_alive(group):
        os.killpg(group, signal.SIGTERM)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.poll() is not None and not group_alive(group):
            return
        time.sleep(0.1)
    warnings.warn("gunicorn's process group outlived SIGTERM by 20 s; killed", stacklevel=1)
    if group_alive(group):
        os.killpg(group, signal.SIGKILL)
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def server_database_url() -> Iterator[str | None]:
    """When the tests run on PostgreSQL (DATABASE_URL), the server runs on it too, in an
    empty database of its own beside pytest's test database, dropped afterwards. None
    on SQLite: the server keeps its database in its DATA_DIR."""
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in {"postgres", "postgresql", "pgsql"}:
        yield None
        return
    import psycopg
    from psycopg import sql

    from config.settings import database_from_url

    params = database_from_url(url)
    name = f"test_{params['NAME']}_browser"[:63]
    maintenance = {
        "dbname": "postgres",
        "user": params["USER"] or None,
        "password": params["PASSWORD"] or None,
        "host": params["HOST"] or None,
        "port": params["PORT"] or None,
    }

    def run(statement: str) -> None:
        with psycopg.connect(**maintenance, autocommit=True) as server:
            server.execute(sql.SQL(statement).format(sql.Identifier(name)))

    run("DROP DATABASE IF EXISTS {} WITH (FORCE)")
    run("CREATE DATABASE {}")
    try:
        yield urlunsplit(urlsplit(url)._replace(path="/" + name))
    finally:
        run("DROP DATABASE IF EXISTS {} WITH (FORCE)")


@pytest.fixture(scope="session")
def site(chromium: Path, server_database_url: str | None) -> Iterator[LiveSite]:
    """The demo archive in a temporary DATA_DIR, served by gunicorn on a free port."""
    data_dir = Path(tempfile.mkdtemp(prefix="briefing-archive-browser-"))
    log = data_dir / "server.log"
    port = free_port()
    password = secrets.token_urlsafe(16)
    env = server_environment(data_dir, port, password)
    if server_database_url:
        env["DATABASE_URL"] = server_database_url
    server = None
    try:
        for args in SETUP_COMMANDS:
            run_manage(args, env)
        with log.open("wb") as output:
            server = subprocess.Popen(
                [sys.executable, "-m", "config.serve"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        url = f"http://{HOST}:{port}"
        wait_until_answering(url, server, log)
        yield LiveSite(
            url=url,
            admin_url="/" + ADMIN_PATH,
            username=EDITOR,
            password=password,
            serve_pid=server.pid,
        )
    finally:
        if server is not None:
            stop_group(server)
        if log.exists():
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(log, ARTIFACTS / "server.log")
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def watch(context: BrowserContext, problems: list[str]) -> None:
    """Record, for every page of `context`, what no page of the site should ever do."""

    def on_console(message) -> None:
        if message.type == "error":
            where = message.page.url if message.page else "?"
            source = message.location.get("url") or "?"
            problems.append(f"console error on {where} (from {source}): {message.text}")
            if source.endswith("/favicon.ico"):
                problems.append("  (a page without <link rel=icon> makes Chromium ask for it)")

    def on_request(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname != HOST:
            problems.append(f"request to another host: {request.url}")

    def on_response(response) -> None:
        if response.status >= 400:
            problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def on_failed(request) -> None:
        # Cancelled by the test's own next navigation (a late icon, say); a missing file
        # is a 404 response, a refused one a connection error, and both are still caught.
        if request.failure == "net::ERR_ABORTED":
            return
        problems.append(f"request failed ({request.failure}): {request.method} {request.url}")

    def on_page_error(error) -> None:
        problems.append(f"uncaught exception on {error.page.url if error.page else '?'}: {error}")

    context.on("console", on_console)
    context.on("request", on_request)
    context.on("response", on_response)
    context.on("requestfailed", on_failed)
    context.on("weberror", on_page_error)


@pytest.fixture
def new_context(browser: Browser, site: LiveSite) -> Iterator[Callable[..., BrowserContext]]:
    """Makes watched browser contexts (desktop size unless told otherwise); at the end of
    the test, every problem any of their pages met fails it."""
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def make(**options: object) -> BrowserContext:
        options.setdefault("viewport", {"width": 1280, "height": 800})
        context = browser.new_context(base_url=site.url, **options)
        context.set_default_timeout(10_000)
        watch(context, problems)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not problems, "the pages met problems:\n" + "\n".join(problems)


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()


@pytest.fixture(scope="session")
def screenshot() -> Callable[[Page, str], Path]:
    """Saves a full-page PNG under test-artifacts/screenshots/, to be looked at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take
