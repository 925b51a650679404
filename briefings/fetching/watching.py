"""Sources to watch: each enabled WatchedSource visited when its time has come, what it lists
that the archive lacks fetched and stored (`manage.py watch`, run beside the web server by
config/serve.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

from django.utils import timezone

from ..models import IngestRun, WatchedSource
from .client import PoliteClient
from .run import FetchReport, fetch_urls

logger = logging.getLogger(__name__)


def due_sources(now: dt.datetime | None = None) -> list[WatchedSource]:
    now = now or timezone.now()
    return [
        source
        for source in WatchedSource.objects.filter(enabled=True)
        if source.due_at() is None or source.due_at() <= now
    ]


def visit_source(
    source: WatchedSource,
    *,
    client: PoliteClient | None = None,
    say: Callable[[str], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> FetchReport:
    """Fetch what a watched source lists that the archive lacks; note the visit on it."""
    report = fetch_urls(
        [source.url],
        client=client,
        format_name=source.format or None,
        via=IngestRun.Via.WATCH,
        watched=source,
        say=say,
        stop=stop,
    )
    source.last_visited_at = timezone.now()
    if report.ok:
        source.last_status = "ok"
    else:
        source.last_status = "partial" if report.fetched or report.not_modified else "failed"
    source.last_result = report.summary()
    source.save(update_fields=["last_visited_at", "last_status", "last_result"])
    return report


def visit_due(
    *,
    client: PoliteClient | None = None,
    say: Callable[[str], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> list[tuple[WatchedSource, FetchReport]]:
    """Visit every enabled source whose time has come, one after the other."""
    visits = []
    for source in due_sources():
        if stop is not None and stop():
            break
        if say is not None:
            say(f"Visiting {source.url}")
        visits.append((source, visit_source(source, client=client, say=say, stop=stop)))
    return visits


def watch(
    *,
    stop: Callable[[], bool],
    interval: float = 60.0,
    say: Callable[[str], None] | None = None,
) -> None:
    """Visit the sources as they fall due, until `stop()`; checks every `interval` s."""
    while not stop():
        try:
            visit_due(say=say, stop=stop)
        except Exception:  # the database was away, say: try again at the next check
            logger.exception("visiting the watched sources failed")
        waited = 0.0
        while waited < interval and not stop():
            time.sleep(min(1.0, interval - waited))
            waited += 1.0
