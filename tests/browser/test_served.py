"""The real server (gunicorn with gunicorn.conf.py, as `make serve` runs it) answered over
HTTP without a browser: the health endpoint, the security headers on pages and on static
files the project serves itself, and where a very long address is cut off.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .conftest import LiveSite

pytestmark = pytest.mark.browser


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_health_endpoint_answers_ok_and_starts_no_session(site: LiveSite) -> None:
    status, headers, body = fetch(f"{site.url}/healthz")

    assert status == 200
    assert json.loads(body) == {"status": "ok", "database": "ok", "index": "ok"}
    assert "Set-Cookie" not in headers


def test_pages_and_static_files_carry_the_security_headers(site: LiveSite) -> None:
    for path in ["/", "/search/?q=tariffs", "/static/css/site.css", "/static/js/copy.js"]:
        status, headers, _body = fetch(site.url + path)
        assert status == 200, path
        assert "script-src 'self'" in headers["Content-Security-Policy"], path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
        assert headers["Referrer-Policy"] == "same-origin", path
        # Plain HTTP on loopback, as `make serve`: no HSTS, no redirect to HTTPS.
        assert "Strict-Transport-Security" not in headers, path


def test_a_long_search_reaches_the_page_and_is_cut_with_a_message(site: LiveSite) -> None:
    status, _headers, body = fetch(f"{site.url}/search/?q=" + "tariffs+" * 900)  # 7,200 chars

    assert status == 200
    assert b"cut to its first 200 characters" in body


def test_an_address_past_gunicorns_limit_gets_its_414(site: LiveSite) -> None:
    status, _headers, _body = fetch(f"{site.url}/search/?q=" + "a" * 10_000)

    assert status == 414  # gunicorn's own page: documented in docs/deploy.md
