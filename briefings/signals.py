"""The one way a change to the archive is announced: `exchanges_changed`.

Whatever keeps a copy of exchanges (the search index) listens to this signal and to
nothing else. It is sent inside the transaction that makes the change, so a listener that
writes rows (the index queue) commits or rolls back with it. Who sends it:

- model edits, one row at a time (the admin, a person merge): `briefings/changes.py`
  turns each save or delete into the exchanges it touches;
- the loader, after bulk inserts and deletes that send no model signals;
- the extractor's re-run, whose commitments are part of an exchange's search document.

The archive never imports its listeners: the search app connects to this signal
(search/apps.py), so the models stand below search in the layers.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal

# Sent with `exchange_ids` (a list of Exchange primary keys) and `removed` (True when the
# exchanges are being deleted and should leave every copy).
exchanges_changed = Signal()


def announce_exchanges(exchange_ids: Iterable[int], *, removed: bool = False) -> int:
    """Tell the listeners these exchanges changed (or are going, with `removed`); returns
    how many. A queryset is read here, once, before the caller changes what it selects."""
    ids = list(exchange_ids)
    if ids:
        exchanges_changed.send(sender=announce_exchanges, exchange_ids=ids, removed=removed)
    return len(ids)
