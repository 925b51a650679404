"""Filters for the settings' LOGGING."""

from __future__ import annotations

import logging


class OneLineWarning(logging.Filter):
    """A request refused for what its sender got wrong (a Host header not in ALLOWED_HOSTS,
    from scanners every day) as one WARNING line: Django logs it as an ERROR with the
    traceback of where it was found, which says nothing and buries real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True
