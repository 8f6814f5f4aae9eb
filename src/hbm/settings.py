"""HBM settings: every value comes from the environment, with a zero-config default.

With no variable set, HBM runs on an embedded SQLite database (WAL) under ``var/``.
Set ``DATABASE_URL`` for PostgreSQL. The variables are listed in ``docs/configuration.md``.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.conf import global_settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from hbm.lib.csp import DEFAULT_POLICY
from hbm.lib.env import (
    env_bool,
    env_float,
    env_int,
    env_line,
    env_list,
    env_str,
    field_keys_from,
    secret_key_from,
)
from hbm.lib.types import StrOrPromise

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(env_str("HBM_HOME", str(Path.cwd())))
VAR_DIR = Path(env_str("HBM_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key_from(VAR_DIR)
# The keys of the encrypted fields (hbm.lib.fieldcrypt): the first encrypts, all decrypt. From
# HBM_FIELD_KEYS; without it, one generated into var/field_keys, except in production
# (HBM_SECURE on), which refuses to start without them (docs/operations/field-keys.md).
FIELD_KEYS, FIELD_KEYS_SOURCE = field_keys_from(VAR_DIR, required=env_bool("HBM_SECURE", False))
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "hbm.audit",
    "hbm.places",
    "hbm.accounts",
    "hbm.registry",
    "hbm.assessments",
    "hbm.screening",
    "hbm.referrals",
    "hbm.security",
    "hbm.flows",
    "hbm.alerts",
    "hbm.plans",
    "hbm.fieldops",
    "hbm.collect",
    "hbm.sync",
    "hbm.demo",
    "hbm.backups",
    "hbm.keys",
    "hbm.retention",
    "hbm.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hbm.lib.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hbm.lib.body_size.BodySizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hbm.lib.no_store.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "hbm.audit.middleware.AuditContextMiddleware",
    "hbm.accounts.middleware.SessionTimeoutMiddleware",
    "hbm.accounts.middleware.TwoFactorGateMiddleware",
    "axes.middleware.AxesMiddleware",
    "hbm.lib.deadline.RequestDeadlineMiddleware",
]
# Seconds of database work a request may take before it is cut with a 503 (0: no bound).
REQUEST_TIME_LIMIT = env_float("HBM_REQUEST_TIME_LIMIT", 5.0)

# Where the law makes registration mandatory: the legal basis recorded, in place of consent,
# for a group registered without it. Empty: registration needs the person's consent.
REGISTRATION_LEGAL_BASIS = env_line("HBM_REGISTRATION_LEGAL_BASIS", max_length=200)

# Minutes a person registered outside a user's points stays shown in full to them after their
# audited "needed for this case" step (registry.services.reveals).
PERSON_REVEAL_MINUTES = env_int("HBM_PERSON_REVEAL_MINUTES", 60)

ROOT_URLCONF = "hbm.urls"
WSGI_APPLICATION = "hbm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hbm.web.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "hbm.lib.postgresql"
    if DATABASES["default"]["ENGINE"] == "hbm.lib.postgresql" and env_bool(
        "DATABASE_PREPARED_STATEMENTS", True
    ):
        # Parameters bound by the server, and statements run five times prepared: the
        # server stops parsing and planning each registration's twenty statements anew
        # (docs/decisions/0007-postgresql-prepared-statements.md).
        DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "hbm.sqlite3"),
            # Kept open across requests: opening one costs more than most requests' queries,
            # and its page cache (64 MB, below) keeps the hot index pages of a large registry.
            "CONN_MAX_AGE": None,
            # Tests use a file too: an in-memory database makes the browser tests' live
            # server share one connection between its request threads (htmx saves in
            # parallel then interleave their savepoints), which production never does.
            "TEST": {"NAME": VAR_DIR / "test-hbm.sqlite3"},
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # The write-ahead log is copied back every 10,000 pages (40 MB) rather than
                # 1,000: pages that every registration touches are copied once, not ten times.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                    " PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=10000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("HBM_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# A session ends 12 hours after login whatever happens (SESSION_COOKIE_AGE, enforced by
# hbm.accounts.middleware too) and after HBM_SESSION_IDLE_MINUTES without a request.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
SESSION_IDLE_MINUTES = env_int("HBM_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_HTTPONLY = True

# Behind TLS in production: HBM_SECURE=1 sends cookies over HTTPS only, redirects plain HTTP and
# asks browsers to keep to HTTPS (HSTS). Behind a proxy that ends TLS, HBM_PROXY_SSL_HEADER=1
# trusts its X-Forwarded-Proto header (set it only when the proxy always sets that header).
secure = env_bool("HBM_SECURE", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", secure)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = secure
SECURE_HSTS_SECONDS = env_int("HBM_HSTS_SECONDS", 31_536_000) if secure else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = secure
SECURE_HSTS_PRELOAD = secure and env_bool("HBM_HSTS_PRELOAD", True)
if env_bool("HBM_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = env_str("CONTENT_SECURITY_POLICY", DEFAULT_POLICY)

# Login throttling (django-axes): five wrong passwords lock the username from that address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "hbm.accounts.views.login_locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Two-factor login (TOTP): the name an authenticator app shows beside the account.
TWO_FACTOR_ISSUER = env_line("HBM_TWO_FACTOR_ISSUER", max_length=60) or "HBM"

# Device API tokens expire unless renewed; revocation takes effect at once.
DEVICE_TOKEN_LIFETIME_DAYS = env_int("DEVICE_TOKEN_LIFETIME_DAYS", 90)
# ODK Collect / KoboCollect (hbm.collect): the largest submission POST a device should send
# (X-OpenRosa-Accept-Content-Length); Collect splits bigger ones into several POSTs.
COLLECT_MAX_SUBMISSION_BYTES = env_int("COLLECT_MAX_SUBMISSION_BYTES", 10_000_000)
# The realm of the OpenRosa endpoints' HTTP Basic and Digest challenges. A credential's Digest
# secret is computed for it: changing it leaves earlier credentials to Basic (ADR 0135).
COLLECT_REALM = env_line("HBM_COLLECT_REALM", max_length=100) or "HBM"
if not COLLECT_REALM.isascii() or '"' in COLLECT_REALM or "\\" in COLLECT_REALM:
    raise ImproperlyConfigured("HBM_COLLECT_REALM: use ASCII text without quotes or backslashes.")
# Field station ↔ national replication (docs/sync.md): with a national URL this server is a
# field station, which logs its registrations and corrections for `hbm sync push`.
SYNC_URL = env_str("HBM_SYNC_URL", "")
SYNC_TOKEN = env_str("HBM_SYNC_TOKEN", "")
SYNC_BATCH = env_int("HBM_SYNC_BATCH", 200)
# Station: acknowledged changes are deleted from the log this many days after the national
# server acknowledged them (after each push, and by `hbm sync prune`). ADR 0134.
SYNC_RETENTION_DAYS = env_int("HBM_SYNC_RETENTION_DAYS", 30)
SYNC_TIMEOUT_SECONDS = env_float("HBM_SYNC_TIMEOUT_SECONDS", 30.0)
# National: watchlist entries go to stations once stamped this long ago (ADR 0130).
SYNC_SETTLE_SECONDS = env_float("HBM_SYNC_SETTLE_SECONDS", 10.0)
# The largest request body read (uploaded files apart; Django's default is 2.5 MB): a push
# from a field station carries one photo at a time, 2 MB at most, 2.7 MB as base64 (ADR 0139).
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024

LANGUAGE_CODE = "en"
LANGUAGES: list[tuple[str, StrOrPromise]] = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    # Not marked for translation, so that the complete catalogues (fr, ar) need no new entry: the
    # language switcher shows each language in its own script (LANG_INFO's name_local) anyway.
    ("fa-af", "Dari"),
    ("ps", "Pashto"),
    ("sw", "Swahili"),
]
# Dari is "fa-af": what Android, iOS and macOS send (Windows sends "prs-AF", mapped below); its
# catalogue lives in locale/fa_AF. Django knows neither Dari nor Pashto, so LANG_INFO gains them
# (the switcher shows name_local; Swahili's entry, "Kiswahili", is Django's own). "prs" and
# "prs-af" fall back to "fa-af" (get_supported_language_variant follows LANG_INFO fallbacks), as
# does a plain "fa" (by prefix): Persian readers understand Dari far better than English.
LANG_INFO.update(
    {
        "fa-af": {"bidi": True, "code": "fa-af", "name": "Dari", "name_local": "دری"},
        "prs": {"fallback": ["fa-af"]},
        "prs-af": {"fallback": ["fa-af"]},
        "ps": {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"},
    }
)
# {% get_current_language_bidi %} (dir="rtl" in base.html) reads LANGUAGES_BIDI, not LANG_INFO,
# by the code before the dash: "fa" covers Dari already, Pashto is added.
LANGUAGES_BIDI = [*global_settings.LANGUAGES_BIDI, "ps"]
# Date and number formats: Django has none for Dari or Pashto. Dari (locale fa_AF) falls back to
# Django's Persian "fa" formats by itself (fa_AF, then fa); Pashto, written in the same script
# with the same conventions in Afghanistan, gets them through hbm/formats/ps (the month as a
# number: Django has no Pashto month names). Swahili keeps Django's defaults (Django has a
# Swahili catalogue, with month names, but no formats).
FORMAT_MODULE_PATH = ["hbm.formats"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "media"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Background runs (hbm.lib.runs): rows per committed chunk; seconds without a heartbeat after
# which a queued or running run is taken for dead and may be resumed (docs/decisions/0010).
RUN_CHUNK_SIZE = env_int("RUN_CHUNK_SIZE", 1000)
RUN_STALE_AFTER = env_int("RUN_STALE_AFTER_SECONDS", 300)
RUN_RETRY_DELAY = 1.0  # seconds before a chunk that met a lock is tried again (then doubled)
# The most seconds a chunk waits in all, over its tries, for a lock to go (jittered backoff).
RUN_RETRY_MAX_DELAY = env_int("RUN_RETRY_MAX_DELAY", 30)
# Exports of registrations (docs/background.md): up to this many rows are sent at once, more
# are written by the worker to a file under EXPORT_DIR, kept this many hours.
EXPORT_IMMEDIATE_MAX_ROWS = env_int("EXPORT_IMMEDIATE_MAX_ROWS", 5000)
EXPORT_RETENTION_HOURS = env_int("EXPORT_RETENTION_HOURS", 24)
EXPORT_DIR = VAR_DIR / "exports"
# Retention (docs/operations/retention.md; every policy is listed in hbm.retention.policies):
# a person with no activity and no open case for this many days is anonymised; a closed
# referral's shared data is cleared this many days after it closed. Watchlist entries follow
# their list's retention_days, export files EXPORT_RETENTION_HOURS. RETENTION_DAILY: what the
# worker does once a day, "purge", "report" (a dry run only) or "off".
RETENTION_PERSON_DAYS = env_int("RETENTION_PERSON_DAYS", 1825)
RETENTION_REFERRAL_SHARED_DAYS = env_int("RETENTION_REFERRAL_SHARED_DAYS", 365)
RETENTION_DAILY = env_str("RETENTION_DAILY", "purge")
if RETENTION_DAILY not in ("purge", "report", "off"):
    raise ImproperlyConfigured(f"RETENTION_DAILY={RETENTION_DAILY!r}: use purge, report or off.")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Where the file backend (django.core.mail.backends.filebased.EmailBackend) writes: the demo
# uses it so that the referral notices it sends fill a folder, not the terminal.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
# Early warning (hbm.alerts): URLs that receive each alert as a JSON POST, and how long one
# may take before it counts as failed (docs/alerts.md).
ALERT_WEBHOOKS = env_list("ALERT_WEBHOOKS", [])
ALERT_WEBHOOK_TIMEOUT = 5.0

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
# CAP 1.2 exchange of alerts (docs/alerts.md, ADR 0131): the <sender> of our CAP documents
# (default hbm@<host>), the <scope> (Restricted unless HBM_CAP_SCOPE=Public) and, when
# restricted, the <restriction> text.
CAP_SENDER = env_line("HBM_CAP_SENDER", max_length=200).replace(" ", "")
CAP_SCOPE = "Public" if env_str("HBM_CAP_SCOPE", "Restricted") == "Public" else "Restricted"
CAP_RESTRICTION = env_line("HBM_CAP_RESTRICTION", max_length=500) or (
    "Border agencies and their humanitarian partners only; not for publication."
)
