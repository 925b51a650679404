"""One settings file. Everything that differs between machines comes from the environment,
read through the typed helpers below, which raise ImproperlyConfigured on bad values."""

from __future__ import annotations

import importlib
import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """A header name such as X-Forwarded-Proto to Django's (META key, "https") pair."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not re.fullmatch(r"[A-Za-z0-9-]+", raw):
        raise ImproperlyConfigured(f"{name}={raw!r} is not a header name, e.g. X-Forwarded-Proto")
    return "HTTP_" + raw.upper().replace("-", "_"), "https"


def without_credentials(url: str) -> str:
    """`url` for an error message: everything up to the last "@" before the path is
    dropped from the raw text, since a password may hold "#", "/" or "?" unescaped,
    where a parsed URL would end its host part early and show the rest."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        return "(a value that is not a URL)"
    return f"{scheme}://{rest.rpartition('@')[2]}" if "@" in rest else url


def database_from_url(url: str) -> dict:
    """postgres://user:password@host:port/name (or sqlite:///path) to a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        if not parsed.path.strip("/"):
            shown = without_credentials(url)
            raise ImproperlyConfigured(f"DATABASE_URL {shown!r} names no database")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
        }
    if parsed.scheme == "sqlite":
        return sqlite_database(Path(unquote(parsed.path)))
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {parsed.scheme!r} is not supported; use postgres:// or sqlite:///"
    )


def sqlite_database(path: Path) -> dict:
    # WAL with DEFERRED transactions fails under concurrent writers; IMMEDIATE with a busy
    # timeout did not fail once (docs/findings.md, "Storage").
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
        },
    }


def search_from_url(url: str) -> dict:
    """SEARCH_URL to a HAYSTACK_CONNECTIONS entry for a search server (docs/scaling.md):
    elasticsearch7://host:9200/INDEX or solr://host:8983/solr/CORE, with +https after
    the engine's name for TLS (elasticsearch7+https://...); user:password@ may precede
    the host."""
    parsed = urlparse(url)
    shown = without_credentials(url)
    engine, _, transport = parsed.scheme.partition("+")
    if engine == "xapian":
        return xapian_from_url(url, env_str("SEARCH_WRITER_URL"))
    if engine not in {"elasticsearch7", "solr"} or transport not in {"", "http", "https"}:
        raise ImproperlyConfigured(
            f"SEARCH_URL scheme {parsed.scheme!r} is not supported; use elasticsearch7://, "
            "solr:// (+https for TLS: elasticsearch7+https://), xapian:///path or "
            "xapian+tcp://host:port, or leave SEARCH_URL unset "
            "for the embedded Whoosh index"
        )
    try:
        parsed.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise ImproperlyConfigured(f"SEARCH_URL {shown!r} has a bad port") from None
    if not parsed.hostname:
        raise ImproperlyConfigured(f"SEARCH_URL {shown!r} names no host")
    if parsed.query or parsed.fragment:
        raise ImproperlyConfigured(f"SEARCH_URL {shown!r}: no ?options or #fragment, please")
    server = f"{transport or 'http'}://{parsed.netloc}"
    path = parsed.path.strip("/")
    connection = {
        # Measured on Whoosh, and haystack's server backends behave alike: with True, a
        # failed write is only logged, so its queue rows would be deleted as if applied.
        "SILENTLY_FAIL": False,
        "INCLUDE_SPELLING": True,  # asked for only when a search finds nothing
        "TIMEOUT": 10,
    }
    if engine == "elasticsearch7":
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", path):
            raise ImproperlyConfigured(
                f"SEARCH_URL {shown!r} needs one lowercase index name after the host, "
                "e.g. elasticsearch7://localhost:9200/briefings"
            )
        return {
            "ENGINE": "search.servers.elasticsearch7.ArchiveElasticsearch7Engine",
            "URL": server + "/",
            "INDEX_NAME": path,
            **connection,
        }
    if not path:
        raise ImproperlyConfigured(
            f"SEARCH_URL {shown!r} names no Solr core, e.g. solr://localhost:8983/solr/briefings"
        )
    return {
        "ENGINE": "search.servers.solr.ArchiveSolrEngine",
        "URL": f"{server}/{path}",
        **connection,
    }


def xapian_database(url: str, name: str) -> dict:
    """xapian:///absolute/path (a database folder, or a stub file, which may combine
    remote shards) or xapian+tcp://host:port (a xapian-tcpsrv) to where it is."""
    parsed = urlparse(url)
    if parsed.scheme == "xapian":
        if parsed.netloc or not parsed.path.startswith("/") or parsed.path == "/":
            raise ImproperlyConfigured(
                f"{name} {url!r} needs an absolute path and no host: xapian:///srv/xapian/db"
            )
        if parsed.query or parsed.fragment:
            raise ImproperlyConfigured(f"{name} {url!r}: no ?options or #fragment, please")
        return {"DATABASE": parsed.path}
    if parsed.scheme != "xapian+tcp":
        raise ImproperlyConfigured(
            f"{name} scheme {parsed.scheme!r} is not Xapian's: use xapian:///path or "
            "xapian+tcp://host:port"
        )
    try:
        port = parsed.port
    except ValueError:
        raise ImproperlyConfigured(f"{name} {url!r} has a bad port") from None
    if not parsed.hostname or not port:
        raise ImproperlyConfigured(
            f"{name} {url!r} needs a host and a port: xapian+tcp://127.0.0.1:33333"
        )
    if parsed.path.strip("/") or parsed.query or parsed.fragment or parsed.username:
        raise ImproperlyConfigured(
            f"{name} {url!r}: only xapian+tcp://host:port (xapian-tcpsrv has no paths, "
            "options or logins)"
        )
    return {"REMOTE": (parsed.hostname, port)}


def xapian_from_url(url: str, writer_url: str = "") -> dict:
    """SEARCH_URL=xapian:... to a HAYSTACK_CONNECTIONS entry; the index writer writes to
    SEARCH_WRITER_URL when set (a master beside read-only replicas), else to SEARCH_URL."""
    connection = {
        "ENGINE": "search.servers.xapian.ArchiveXapianEngine",
        "SILENTLY_FAIL": False,
        **xapian_database(url, "SEARCH_URL"),
    }
    if writer_url:
        connection["WRITER"] = xapian_database(writer_url, "SEARCH_WRITER_URL")
    return connection


def require_search_client(connection: dict) -> None:
    """The client library SEARCH_URL's engine needs (requirements-scale.txt), checked at
    start-up rather than at the first search."""
    engine = connection["ENGINE"]
    if engine.endswith("Elasticsearch7Engine"):
        module, wanted = "elasticsearch", "elasticsearch>=7,<8"
    elif engine.endswith("SolrEngine"):
        module, wanted = "pysolr", "pysolr"
    elif engine.endswith("XapianEngine"):
        try:
            importlib.import_module("xapian")
        except ImportError:
            raise ImproperlyConfigured(
                "SEARCH_URL=xapian... needs the Xapian bindings, which are not importable: "
                "apt-get install python3-xapian xapian-tools, then link them into the venv "
                "(docs/scaling.md: Xapian)"
            ) from None
        return
    else:
        return
    try:
        client = importlib.import_module(module)
    except ImportError:
        raise ImproperlyConfigured(
            f"SEARCH_URL needs the Python package {wanted!r}, which is not installed; "
            "install it with: pip install -r requirements-scale.txt"
        ) from None
    version = getattr(client, "VERSION", None)
    if module == "elasticsearch" and (not version or version[0] != 7):
        raise ImproperlyConfigured(
            f"SEARCH_URL needs {wanted!r} (haystack speaks to Elasticsearch 7 only); "
            f"elasticsearch {'.'.join(map(str, version or ()))} is installed: "
            "pip install -r requirements-scale.txt"
        )


DEBUG = env_bool("DEBUG", False)
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var"))).resolve()
try:
    # 0700: the database, the index, waiting uploads and the secret key are the service
    # user's alone (docs/deploy.md). An existing folder keeps the mode it was given.
    DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
except OSError as error:
    raise ImproperlyConfigured(f"DATA_DIR {DATA_DIR} cannot be created: {error.strerror}") from None

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (for a local try-out, set DEBUG=1)"
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "csp",
    "haystack",
    "briefings",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers a login that axes has locked out with the lockout page.
    "axes.middleware.AxesMiddleware",
    # Last, so it sees a view's 404 first: old briefing addresses answer 301.
    "briefings.redirects.OldAddressMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
DATABASES = {
    "default": database_from_url(DATABASE_URL)
    if DATABASE_URL
    else sqlite_database(DATA_DIR / "db.sqlite3")
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploads: several pages of one briefing at once; each file is checked against
# INGEST_MAX_BYTES by the upload form before parsing.
INGEST_MAX_BYTES = env_int("INGEST_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = 50
# One admin upload (or fetch) is saved in one request, in one transaction, so it must end
# well within the worker's timeout (GUNICORN_TIMEOUT, 30 s): saving took 4.5-5 s a MB here
# (docs/findings.md, "Large uploads"), so 2 MB is about 10 s. The form states these limits
# and refuses more before reading anything; larger ingests go through `manage.py ingest`.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 2 * 1024 * 1024)
UPLOAD_MAX_FILES = env_int("UPLOAD_MAX_FILES", 20)

# Fetching from the governments' sites (briefings/fetching/): how the archive introduces
# itself and how gently it asks. One request a second per host is the floor; a robots.txt
# Crawl-delay may ask for more. Fetched files are held to INGEST_MAX_BYTES as well. A
# deployment should add its own address to the User-Agent, so a site's operator can write.
FETCH_USER_AGENT = env_str(
    "FETCH_USER_AGENT", "BriefingArchive/0.1 (an archive of government press briefings)"
)
FETCH_DELAY_SECONDS = env_float("FETCH_DELAY_SECONDS", 1.0)
FETCH_TIMEOUT_SECONDS = env_float("FETCH_TIMEOUT_SECONDS", 30.0)  # to connect, or between bytes
FETCH_DEADLINE_SECONDS = env_float("FETCH_DEADLINE_SECONDS", 120.0)  # for a whole response
FETCH_RETRIES = env_int("FETCH_RETRIES", 3)
FETCH_BACKOFF_SECONDS = env_float("FETCH_BACKOFF_SECONDS", 5.0)  # doubled at each retry
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The admin at a path of the deployment's choosing (cuts scanner noise; not a control).
ADMIN_URL = env_str("ADMIN_URL", "admin/").strip("/") + "/"

# Search: the Whoosh index is a derived cache of the database, written only by the single
# index writer (search/indexing.py), never inside a web request. PATH is a symlink to the
# live generation, swapped atomically by a rebuild. SEARCH_URL switches to a search
# server, Elasticsearch 7 or Solr (docs/scaling.md).
SEARCH_INDEX_DIR = DATA_DIR / "whoosh_index"
SEARCH_URL = env_str("SEARCH_URL")
HAYSTACK_CONNECTIONS = {
    "default": search_from_url(SEARCH_URL)
    if SEARCH_URL
    else {
        "ENGINE": "search.whoosh.backend.ArchiveWhooshEngine",
        "PATH": str(SEARCH_INDEX_DIR),
        # Measured: with True, a failed delete is logged and the ghost stays in the index.
        "SILENTLY_FAIL": False,
        "INCLUDE_SPELLING": False,
    }
}
require_search_client(HAYSTACK_CONNECTIONS["default"])
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False
HAYSTACK_SEARCH_RESULTS_PER_PAGE = 20
# A search stops collecting after this many seconds and shows what it found, marked partial.
SEARCH_TIME_LIMIT = env_float("SEARCH_TIME_LIMIT", 1.0)
# Search exports (CSV, JSON: up to 5,000 rows) running at once, over every worker; more
# are answered 429 with Retry-After (search/limits.py).
EXPORT_CONCURRENCY = env_int("EXPORT_CONCURRENCY", 1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "filters": {"one_line_warning": {"()": "config.log_filters.OneLineWarning"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # httpx logs every request at INFO; the fetch log (and the fetch command) says more.
        "httpx": {"level": "WARNING"},
        # A bad Host header: one line, not an error with a traceback (its 400 page is sent).
        "django.security.DisallowedHost": {"filters": ["one_line_warning"]},
    },
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

# Security headers (docs/deploy.md). Django 5.2's defaults already send these three;
# they are spelled out so the whole policy reads in one place.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HSTS is sent only on HTTPS responses and browsers keep it only from those, so it is on
# in production by default and changes nothing for `make serve`'s plain HTTP. Preload is
# a promise to the browsers' built-in lists: the deployment makes it, not the default.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Behind a TLS proxy: the header it sets (and strips from clients), e.g. X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a load balancer may check over plain HTTP

# Content Security Policy (django-csp): no inline script or style, nothing from other
# hosts. The one exception is the hash of templates/500.html's own <style>, a page that
# must not depend on a stylesheet file (tests/test_security.py checks it against the file).
ERROR_PAGE_STYLE = "'sha256-yZf4ddhq1e4d42rjo30nmlU4WyaYZNZwVgbRiaZs9FY='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", ERROR_PAGE_STYLE],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Passwords set through the admin, `createsuperuser` or `changepassword` must pass
# Django's four checks: not like the user's name or email, at least 12 characters, not a
# common password, not all digits.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Admin logins (django-axes): LOGIN_FAILURE_LIMIT failures of one username from one
# address lock that pair out for LOGIN_COOLOFF_MINUTES; other users and addresses go on.
# LOGIN_ACCOUNT_FAILURE_LIMIT failures of one username from any addresses lock the account
# for as long, except from an address it logged in from in LOGIN_KNOWN_ADDRESS_DAYS
# (config/lockout.py). Failures while locked do not lengthen a lock, so nobody can hold
# an account locked by guessing on.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]  # in this order
AXES_HANDLER = "config.lockout.AccountLockoutHandler"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", 20)
LOGIN_KNOWN_ADDRESS_DAYS = env_int("LOGIN_KNOWN_ADDRESS_DAYS", 30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "config.proxies.client_ip"
AXES_VERBOSE = False  # no banner on every command; failures and lockouts are still logged
# Behind N proxies the client is the Nth address from the right of X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# The addresses the nearest proxy connects from; X-Forwarded-For from anyone else is ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1", "::1"])
