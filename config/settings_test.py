"""Test settings: the real settings with a throw-away data folder."""

import os
import tempfile

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="briefing-archive-test-"))

from .settings import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise warns when it is missing

# A file, not SQLite's in-memory default, so the test database runs as production does
# (WAL, IMMEDIATE) and concurrency tests are real.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test_db.sqlite3")}  # noqa: F405
