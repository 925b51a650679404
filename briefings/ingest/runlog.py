"""The ingest log's entries (IngestRun) and their processes: an entry knows the process that
writes it, so one whose process died shows as interrupted, not running forever.
"""

from __future__ import annotations

import os
import socket

from django.utils import timezone

from ..models import IngestRun


def start_run(**fields: object) -> IngestRun:
    """A new entry in the ingest log, knowing its process; older entries whose process
    is gone are marked interrupted first."""
    mark_interrupted_runs()
    return IngestRun.objects.create(host=socket.gethostname(), pid=os.getpid(), **fields)


def mark_interrupted_runs() -> int:
    """Marks "running" entries of this machine whose process no longer exists (killed,
    or the machine restarted) as interrupted, so the log does not say "running" forever.
    What such a run stored is kept: each briefing is saved in its own transaction."""
    host = socket.gethostname()
    stale = [
        run
        for run in IngestRun.objects.filter(status=IngestRun.Status.RUNNING, host=host)
        if run.pid is not None and not _process_alive(run.pid)
    ]
    for run in stale:
        run.status = IngestRun.Status.INTERRUPTED
        run.finished_at = timezone.now()
        run.report = (
            f"The ingest process (pid {run.pid}) ended before it finished: it was killed, "
            "or the machine stopped. Briefings it had saved are kept; ingesting the same "
            "files again finishes the work (files already saved come out unchanged)."
        )
        run.save(update_fields=["status", "finished_at", "report"])
    return len(stale)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    return True
