"""The index queue and its single writer: the only code that writes the search index.

Measured, what goes wrong otherwise: haystack's writes inside a request block behind
another writer, its deletes are dropped when the index is locked, and a rebuild in place
empties search for minutes. So:

- changes are queued in `IndexQueue` rows inside the same transaction as the change;
- `drain()` applies them under an exclusive `flock` on a file beside the index folder (a
  process that dies releases it), in one Whoosh commit per batch, and deletes the rows
  only after that commit; a failure leaves the rows queued, counts the attempt, logs it
  loudly and raises;
- `rebuild()` writes a fresh generation folder with one writer and swaps the
  `whoosh_index` symlink atomically, so searches see the old index until the new one is
  whole.

The engine's own steps are behind `search.engines.store()`; the above is our Whoosh
backend's (search/whoosh/engine.py). With a search server (SEARCH_URL) the same queue
and writer apply changes through haystack's update and remove, and a rebuild overwrites
every document in place and then removes the ones the database no longer has
(search/servers/portable.py).
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import close_old_connections, transaction
from django.db.models import F
from haystack import connections
from haystack.indexes import SearchIndex

from briefings.models import Exchange
from briefings.text import counted

from .engines import store
from .models import IndexQueue

logger = logging.getLogger(__name__)


def lock_path() -> Path:
    return store().lock_path()


# Queueing: called inside the transaction that makes the change.


def enqueue_exchanges(exchange_ids: Iterable[int], op: str = IndexQueue.Op.UPDATE) -> int:
    rows = [IndexQueue(exchange_id=exchange_id, op=op) for exchange_id in exchange_ids]
    IndexQueue.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def queue_changed_exchanges(
    sender: object, *, exchange_ids: list[int], removed: bool, **kwargs: object
) -> None:
    """The receiver of briefings' `exchanges_changed`: the archive's one route in here."""
    enqueue_exchanges(exchange_ids, IndexQueue.Op.DELETE if removed else IndexQueue.Op.UPDATE)


def pending() -> int:
    return IndexQueue.objects.count()


# The writer.


@contextmanager
def writer_lock(*, block: bool) -> Iterator[bool]:
    """Hold the index writer's lock; yields False when `block` is off and it is taken."""
    path = lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if block else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)  # releases the lock


def exchange_index() -> SearchIndex:
    return connections["default"].get_unified_index().get_index(Exchange)


@dataclass
class DrainReport:
    updated: int = 0
    deleted: int = 0
    batches: int = 0

    def __str__(self) -> str:
        return f"{self.updated} updated, {self.deleted} deleted in {counted(self.batches, 'batch')}"


def drain(
    *,
    block: bool = True,
    batch: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> DrainReport | None:
    """Apply every queued change; None when another process is the writer right now.

    Rows queued while a drain runs are picked up by its next batch. `progress` is told
    after each batch how many queued changes are applied and how many there are.
    """
    with writer_lock(block=block) as acquired:
        if not acquired:
            return None
        return _drain_locked(batch=batch, progress=progress)


def _drain_locked(*, batch: int, progress: Callable[[int, int], None] | None = None) -> DrainReport:
    report = DrainReport()
    applied = 0
    queued = IndexQueue.objects.count() if progress is not None else 0
    while rows := list(IndexQueue.objects.order_by("id")[:batch]):
        latest: dict[int, str] = {}
        for row in rows:  # the last change to an exchange wins
            latest[row.exchange_id] = row.op
        wanted = [pk for pk, op in latest.items() if op == IndexQueue.Op.UPDATE]
        exchanges = list(Exchange.objects.for_search().filter(pk__in=wanted))
        found = {exchange.pk for exchange in exchanges}
        # An update whose exchange is gone by now is a delete.
        gone = [pk for pk in latest if pk not in found]
        try:
            store().apply_changes(exchange_index(), updates=exchanges, deletes=gone)
        except Exception as error:
            IndexQueue.objects.filter(pk__in=[row.pk for row in rows]).update(
                attempts=F("attempts") + 1, last_error=repr(error)[:2000]
            )
            logger.error("index write failed; %d changes stay queued: %r", len(rows), error)
            raise
        IndexQueue.objects.filter(pk__in=[row.pk for row in rows]).delete()
        report.updated += len(exchanges)
        report.deleted += len(gone)
        report.batches += 1
        if progress is not None:
            applied += len(rows)
            progress(applied, max(queued, applied))  # counted once; changes queued since add on
    return report


def watch(*, interval: float = 1.0, stop: Callable[[], bool] = lambda: False) -> None:
    """The indexer process: drain whenever rows are queued, until `stop()` says so."""
    failures = 0
    while not stop():
        try:
            if IndexQueue.objects.exists():
                report = drain(block=True)
                if report and (report.updated or report.deleted):
                    logger.info("index: %s", report)
            failures = 0
        except Exception:
            failures += 1
            logger.exception("index drain failed (%d in a row); retrying", failures)
            # A PostgreSQL connection lost to a server restart stays broken until closed;
            # closed, the next round opens a new one.
            close_old_connections()
        time.sleep(min(interval * (2**failures), 60))


# Rebuild into a fresh generation, then swap.


@dataclass
class RebuildReport:
    documents: int
    seconds: float
    into: str  # the new generation folder, or the server's index

    @property
    def rate(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


def rebuild(
    *,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 500,
    clear: bool = False,
) -> RebuildReport:
    """Index every exchange again: on Whoosh into a new folder with one writer, swapped
    in; on a search server in place, emptied first only with `clear` (a new mapping)."""
    with writer_lock(block=True):
        started = time.perf_counter()
        # The rows committed before the database is read, by id: on PostgreSQL a transaction
        # still open now can commit later with lower ids than these, and must stay queued.
        queued_before = list(IndexQueue.objects.values_list("id", flat=True))
        ids = list(Exchange.objects.order_by("pk").values_list("pk", flat=True))

        def documents() -> Iterator[Exchange]:
            for start in range(0, len(ids), chunk):
                yield from Exchange.objects.for_search().filter(pk__in=ids[start : start + chunk])
                if progress is not None:
                    progress(min(start + chunk, len(ids)), len(ids))

        count, into = store().rebuild(exchange_index(), documents(), total=len(ids), clear=clear)
        # Changes queued before the rebuild read the database are in the new index.
        for start in range(0, len(queued_before), chunk):
            IndexQueue.objects.filter(id__in=queued_before[start : start + chunk]).delete()
        _drain_locked(batch=500)
        return RebuildReport(count, time.perf_counter() - started, into)


# Reconcile: does the index hold exactly the database's exchanges?


@dataclass
class Reconciliation:
    missing: list[int]
    extra: list[int]

    @property
    def ok(self) -> bool:
        return not self.missing and not self.extra


def reconcile(*, fix: bool = False) -> Reconciliation:
    """Compare exchange ids in the database with those in the index; optionally queue
    the differences for the writer."""
    # The index first: an exchange stored and indexed between the two reads is then
    # "missing" (a harmless re-index), never "extra" (a delete of a live exchange).
    in_index = store().indexed_ids(exchange_index())
    in_database = set(Exchange.objects.values_list("pk", flat=True))
    result = Reconciliation(
        missing=sorted(in_database - in_index), extra=sorted(in_index - in_database)
    )
    if fix and not result.ok:
        with transaction.atomic():
            enqueue_exchanges(result.missing, IndexQueue.Op.UPDATE)
            enqueue_exchanges(result.extra, IndexQueue.Op.DELETE)
    return result
