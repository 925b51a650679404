"""gunicorn settings, from the environment (the table is in docs/deploy.md). Settings
only: the index writer and the archive file's writer are processes of their own, run
beside gunicorn by `python -m config.serve` (make serve) or by systemd (docs/deploy.md)."""

import os


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a whole number") from None


bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = env_int("WEB_CONCURRENCY", 3)
# More than 1 switches to gunicorn's threaded worker; searches in one process take turns
# on its one shared searcher (search/whoosh/open_index.py), so threads help only with slow clients.
threads = env_int("GUNICORN_THREADS", 1)
timeout = env_int("GUNICORN_TIMEOUT", 30)  # a worker silent this long is killed
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)  # to finish requests on restart
keepalive = env_int("GUNICORN_KEEPALIVE", 5)  # threaded worker only; sync closes at once
# A worker is replaced after this many requests (plus up to the jitter, so they are not
# all replaced at once): whatever a long-running worker accumulates is let go.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# gunicorn's maximum (its default is 4094). A longer request line gets gunicorn's own bare
# "414 Request-URI Too Large" page before Django sees it; up to this, the search page cuts
# a long query to 200 characters and says so.
limit_request_line = env_int("GUNICORN_LIMIT_REQUEST_LINE", 8190)
accesslog = "-"


def post_fork(server, worker):
    from config.runtime import tune_gc

    tune_gc()
