"""The archive's processes as `make serve` runs them (config/serve.py): gunicorn, the
two writers and the watcher, each a child of `python -m config.serve`, and a writer (or
the watcher) killed is started again while the site keeps answering."""

from __future__ import annotations

import os
import signal
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .conftest import LiveSite

pytestmark = pytest.mark.browser

INDEXER = "manage.py index --watch"
ARCHIVER = "manage.py archive_file --watch"
WATCHER = "manage.py watch"
WEB = "-m gunicorn config.wsgi"


def children(parent: int) -> dict[int, str]:
    """The processes whose parent is `parent`: pid -> command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:  # gone meanwhile
            continue
        # The fields after the command name, which is in parentheses and may hold spaces.
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            found[int(entry.name)] = command
    return found


def child_running(parent: int, command: str) -> int | None:
    return next((pid for pid, line in children(parent).items() if command in line), None)


def wait_for_new_child(parent: int, command: str, *, other_than: int) -> int | None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        pid = child_running(parent, command)
        if pid is not None and pid != other_than:
            return pid
        time.sleep(0.2)
    return None


def test_serve_runs_gunicorn_both_writers_and_the_watcher_as_its_children(
    site: LiveSite,
) -> None:
    for command in (WEB, INDEXER, ARCHIVER, WATCHER):
        assert child_running(site.serve_pid, command), command


@pytest.mark.parametrize("command", [INDEXER, ARCHIVER, WATCHER])
def test_a_writer_killed_is_started_again_and_the_site_keeps_answering(
    site: LiveSite, command: str
) -> None:
    killed = child_running(site.serve_pid, command)
    assert killed is not None

    os.kill(killed, signal.SIGKILL)
    restarted = wait_for_new_child(site.serve_pid, command, other_than=killed)

    assert restarted is not None, f"{command} was not started again within 20 s"
    with urllib.request.urlopen(f"{site.url}/healthz", timeout=10) as response:
        assert response.status == 200
