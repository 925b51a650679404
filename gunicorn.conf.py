"""gunicorn settings, from the environment. The master also runs the search index writer
(`manage.py index --watch`) as a child process, so uploads become searchable within
seconds without any command run by hand, and web workers never write the index."""

import os
import subprocess
import sys

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"

_indexer = None


def post_fork(server, worker):
    from config.runtime import tune_gc

    tune_gc()


def when_ready(server):
    global _indexer
    if os.environ.get("RUN_INDEXER", "1") == "1":
        _indexer = subprocess.Popen(
            [sys.executable, "manage.py", "index", "--watch"],
            cwd=os.path.dirname(os.path.abspath(__file__)),
        )
        server.log.info("index writer started (pid %s)", _indexer.pid)


def on_exit(server):
    if _indexer is not None and _indexer.poll() is None:
        _indexer.terminate()
        try:
            _indexer.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _indexer.kill()
