"""Settings: everything comes from the environment.

Two modes, chosen by ``UPSKILL_ENV``:

* ``development`` (default, used by ``make demo`` and ``make test``): SQLite under ``var/``,
  keys generated once into ``var/`` so a fresh clone runs with no configuration.
* ``production``: every secret must be given in the environment; ``manage.py check --deploy``
  reports nothing.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("UPSKILL_VAR_DIR", PROJECT_DIR / "var"))

ENV = os.environ.get("UPSKILL_ENV", "development")
PRODUCTION = ENV == "production"
DEBUG = os.environ.get("UPSKILL_DEBUG", "0" if PRODUCTION else "1") == "1"


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _development_secrets() -> dict:
    """Keys for a development machine, made once and kept in var/ (never in the repository)."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "keys.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    made = {
        "secret_key": lambda: secrets.token_urlsafe(50),
        "field_keys": lambda: {"dev1": base64.b64encode(secrets.token_bytes(32)).decode()},
        "field_key_id": lambda: "dev1",
        "lookup_key": lambda: base64.b64encode(secrets.token_bytes(32)).decode(),
        # The fund ledger's HMAC key and checkpoint signing key (Ed25519 seed), added to a
        # keys.json made before they existed.
        "ledger_keys": lambda: {"ldev1": base64.b64encode(secrets.token_bytes(32)).decode()},
        "ledger_key_id": lambda: "ldev1",
        "ledger_signing_key": lambda: base64.b64encode(secrets.token_bytes(32)).decode(),
    }
    missing = [name for name in made if name not in data]
    if not missing:
        return data
    for name in missing:
        data[name] = made[name]()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2))
    tmp.chmod(0o600)
    tmp.replace(path)
    return data


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when UPSKILL_ENV=production")
    return value


if PRODUCTION:
    SECRET_KEY = _required("UPSKILL_SECRET_KEY")
    # "id1:base64key,id2:base64key": the active key encrypts, every listed key decrypts.
    FIELD_ENCRYPTION_KEYS = dict(
        item.split(":", 1) for item in _required("UPSKILL_FIELD_KEYS").split(",") if item
    )
    FIELD_ENCRYPTION_KEY_ID = _required("UPSKILL_FIELD_KEY_ID")
    LOOKUP_HASH_KEY = _required("UPSKILL_LOOKUP_KEY")
    # The fund ledger (HB45-PUB-1): new entries are chained with HMAC-SHA256 under the active
    # key ("id:base64", every listed key verifies); checkpoints are signed with the Ed25519 key.
    LEDGER_MAC_KEYS = dict(
        item.split(":", 1) for item in _required("UPSKILL_LEDGER_KEYS").split(",") if item
    )
    LEDGER_MAC_KEY_ID = _required("UPSKILL_LEDGER_KEY_ID")
    LEDGER_SIGNING_KEY = _required("UPSKILL_LEDGER_SIGNING_KEY")
else:
    _dev = _development_secrets()
    SECRET_KEY = os.environ.get("UPSKILL_SECRET_KEY", _dev["secret_key"])
    FIELD_ENCRYPTION_KEYS = _dev["field_keys"]
    FIELD_ENCRYPTION_KEY_ID = _dev["field_key_id"]
    LOOKUP_HASH_KEY = _dev["lookup_key"]
    if os.environ.get("UPSKILL_FIELD_KEYS"):
        FIELD_ENCRYPTION_KEYS = dict(
            item.split(":", 1) for item in os.environ["UPSKILL_FIELD_KEYS"].split(",") if item
        )
        FIELD_ENCRYPTION_KEY_ID = os.environ.get("UPSKILL_FIELD_KEY_ID", FIELD_ENCRYPTION_KEY_ID)
    LEDGER_MAC_KEYS = _dev["ledger_keys"]
    LEDGER_MAC_KEY_ID = _dev["ledger_key_id"]
    LEDGER_SIGNING_KEY = os.environ.get("UPSKILL_LEDGER_SIGNING_KEY", _dev["ledger_signing_key"])
    if os.environ.get("UPSKILL_LEDGER_KEYS"):
        LEDGER_MAC_KEYS = dict(
            item.split(":", 1) for item in os.environ["UPSKILL_LEDGER_KEYS"].split(",") if item
        )
        LEDGER_MAC_KEY_ID = os.environ.get("UPSKILL_LEDGER_KEY_ID", LEDGER_MAC_KEY_ID)
# Public keys (base64, comma-separated) of earlier signing keys: their checkpoints still verify.
LEDGER_TRUSTED_PUBLIC_KEYS = _env_list("UPSKILL_LEDGER_PUBLIC_KEYS")

# aes-256-gcm (default) or sm4-gcm for deployments that require the national standard (GB/T 32907).
FIELD_ENCRYPTION_CIPHER = os.environ.get("UPSKILL_FIELD_CIPHER", "aes-256-gcm")

ALLOWED_HOSTS = _env_list(
    "UPSKILL_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
)
CSRF_TRUSTED_ORIGINS = _env_list("UPSKILL_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "simple_history",
    "ninja",
    "csp",
    "huey.contrib.djhuey",
    # The second factor (TOTP, recovery codes): organisations/selectors.py second_factor_required
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "upskill.core",
    "upskill.organisations",
    "upskill.registry",
    "upskill.policy_admin",
    "upskill.catalog",
    "upskill.training",
    "upskill.supervision",
    "upskill.assessment",
    "upskill.learning",
    "upskill.exams",
    "upskill.nominations",
    "upskill.employment",
    "upskill.enterprise",
    "upskill.subsidies",
    "upskill.reports",
    "upskill.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's sessions, the idle expiry written at most once a minute (core/middleware.py)
    "upskill.core.middleware.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "upskill.core.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): logged in with the second factor in this session
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # the product's 403/404 pages in the reader's language, DEBUG or not (core/views.py)
    "upskill.core.middleware.ErrorPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response, in every environment.
    "csp.middleware.CSPMiddleware",
    "upskill.core.middleware.PermissionsPolicyMiddleware",
    "upskill.core.middleware.ActorMiddleware",
    # A user who has a second factor, or whose role needs one, goes to its page first.
    "upskill.organisations.middleware.SecondFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # a learner (a person's own account) reaches only the learner's pages (/me/)
    "upskill.registry.middleware.LearnerPagesMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into a clear page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "upskill.urls"
WSGI_APPLICATION = "upskill.wsgi.application"
ASGI_APPLICATION = "upskill.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "upskill.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'upskill.sqlite3'}",
        conn_max_age=int(os.environ.get("UPSKILL_DB_CONN_MAX_AGE", "60" if PRODUCTION else "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL and a busy timeout keep the embedded database usable by the server and a background job.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )

if os.environ.get("DATABASE_REPLICA_URL"):
    # A streaming replica of the primary: dashboards, reports and disclosure pages read from it
    # (core/routers.py); the test run reads the primary under this name.
    DATABASES["replica"] = {
        **dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"],
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        ),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["upskill.core.routers.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisations.User"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out account before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "upskill.organisations.auth.RoleBackend",
    # a learner (no organisation) logs in with ID number and password (registry/auth.py)
    "upskill.registry.auth.LearnerBackend",
]

# Password policy expected of government systems (等保 2.0): length, complexity, no reuse of
# personal details, no common passwords, not the published demo password nor the current one.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "upskill.core.validators.LengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "upskill.core.validators.CharacterClassValidator"},
    # Neither the published demo password nor the current one.
    {"NAME": "upskill.core.validators.NewPasswordValidator"},
]

# Log-in hardening: lock an account for 30 minutes after 5 failures.
AXES_FAILURE_LIMIT = int(os.environ.get("UPSKILL_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("UPSKILL_LOCKOUT_MINUTES", "30")))
# Locked by account, not by address: a county office shares one NAT address, and 等保 asks that
# the account be locked whatever the source.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False
# A learner's failures count against the account name derived from the ID number's hash; the
# number itself is never written to the lock's log.
AXES_USERNAME_CALLABLE = "upskill.registry.auth.axes_username"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "id_number", "name"]
# Days an invitation link for a learner account stays valid (registry/services/learners.py).
LEARNER_INVITATION_DAYS = int(os.environ.get("UPSKILL_LEARNER_INVITATION_DAYS", "14"))

# Idle session timeout: 30 minutes without a request logs the user out.
SESSION_COOKIE_AGE = int(os.environ.get("UPSKILL_SESSION_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
# ...but an unchanged session is rewritten at most this often (the heartbeats' hot path)
UPSKILL_SESSION_REFRESH_SECONDS = int(os.environ.get("UPSKILL_SESSION_REFRESH_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# The second factor (TOTP with ten recovery codes, django-otp): required in production of the
# users whose role may reveal personal data, approve claims or export bank files (and to issue a
# partner API token); optional in the demo and the tests, where a user who enrolled still uses it.
UPSKILL_REQUIRE_2FA = os.environ.get("UPSKILL_REQUIRE_2FA", "1" if PRODUCTION else "0") == "1"
OTP_TOTP_ISSUER = os.environ.get("UPSKILL_OTP_ISSUER", "upskill")
# A wrong code doubles the wait before the next one may be tried (django-otp's throttling).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("UPSKILL_STATIC_ROOT", VAR_DIR / "static"))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("UPSKILL_MEDIA_ROOT", VAR_DIR / "media"))

# Files go through Django's storage API: local disk by default, S3-compatible object storage
# (MinIO, Ceph, a cloud bucket) when UPSKILL_S3_BUCKET is set.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if os.environ.get("UPSKILL_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["UPSKILL_S3_BUCKET"],
            "endpoint_url": os.environ.get("UPSKILL_S3_ENDPOINT_URL"),
            "access_key": os.environ.get("UPSKILL_S3_ACCESS_KEY"),
            "secret_key": os.environ.get("UPSKILL_S3_SECRET_KEY"),
            "region_name": os.environ.get("UPSKILL_S3_REGION"),
            "default_acl": "private",
            "querystring_auth": True,
            # signed URLs (a video's range reads go to the store itself) live this long
            "querystring_expire": int(os.environ.get("UPSKILL_S3_URL_SECONDS", "300")),
            "file_overwrite": False,
        },
    }

# The fund ledger's signed checkpoints are written outside the database: files under
# var/ledger-checkpoints/ by default, or the S3-compatible bucket (UPSKILL_LEDGER_CHECKPOINT_BUCKET,
# default the evidence bucket) under UPSKILL_LEDGER_CHECKPOINT_PREFIX when
# UPSKILL_LEDGER_CHECKPOINT_STORAGE=s3. Give that bucket object lock (WORM) in production.
if os.environ.get("UPSKILL_LEDGER_CHECKPOINT_STORAGE", "file") == "s3":
    STORAGES["ledger_checkpoints"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get(
                "UPSKILL_LEDGER_CHECKPOINT_BUCKET", os.environ.get("UPSKILL_S3_BUCKET")
            ),
            "location": os.environ.get("UPSKILL_LEDGER_CHECKPOINT_PREFIX", "ledger-checkpoints"),
            "endpoint_url": os.environ.get("UPSKILL_S3_ENDPOINT_URL"),
            "access_key": os.environ.get("UPSKILL_S3_ACCESS_KEY"),
            "secret_key": os.environ.get("UPSKILL_S3_SECRET_KEY"),
            "region_name": os.environ.get("UPSKILL_S3_REGION"),
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
else:
    STORAGES["ledger_checkpoints"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get(
                "UPSKILL_LEDGER_CHECKPOINT_DIR", str(VAR_DIR / "ledger-checkpoints")
            ),
            "file_permissions_mode": 0o640,
        },
    }

# Cache: Redis when configured (needed once more than one server process runs), else local memory.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background jobs (imports, batch settlement, reports) run on huey: an SQLite queue under var/
# for the embedded default (the demo runs the consumer in-process), Redis when REDIS_URL is set
# (run `upskill run_huey` beside the web servers).
if os.environ.get("REDIS_URL"):
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "upskill",
        "url": os.environ["REDIS_URL"],
        "immediate": False,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "upskill",
        "filename": os.environ.get("UPSKILL_HUEY_FILE", str(VAR_DIR / "tasks.sqlite3")),
        "immediate": False,
    }

# A background job still running after this many seconds is marked failed (core/jobs.py): its
# worker is taken to be gone. Jobs of a worker killed on the same host fail at once.
UPSKILL_JOB_TIMEOUT_SECONDS = int(os.environ.get("UPSKILL_JOB_TIMEOUT_SECONDS", str(6 * 3600)))

# Uploads larger than this are streamed to a temporary file, never held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("UPSKILL_MAX_BODY_BYTES", str(64 * 1024 * 1024)))
# An uploaded file past UPSKILL_UPLOAD_MAX_BYTES is dropped while it arrives and the page says
# so (core/uploads.py); an import refuses files past UPSKILL_IMPORT_MAX_BYTES (core/imports.py).
UPSKILL_UPLOAD_MAX_BYTES = int(os.environ.get("UPSKILL_UPLOAD_MAX_BYTES", str(64 * 1024 * 1024)))
UPSKILL_IMPORT_MAX_BYTES = int(os.environ.get("UPSKILL_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# The largest chunk of a resumable upload (core/uploads.py: evidence photos and videos, lesson
# videos); UPSKILL_EVIDENCE_CHUNK_BYTES is its former name, still read.
UPSKILL_UPLOAD_CHUNK_BYTES = int(
    os.environ.get(
        "UPSKILL_UPLOAD_CHUNK_BYTES",
        os.environ.get("UPSKILL_EVIDENCE_CHUNK_BYTES", str(8 * 1024 * 1024)),
    )
)
# Zip and row bombs are refused before a spreadsheet is read (core/imports.py); a refused import
# keeps the first UPSKILL_IMPORT_MAX_PROBLEMS problems and counts them all.
UPSKILL_IMPORT_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("UPSKILL_IMPORT_MAX_UNCOMPRESSED_BYTES", str(200 * 1024 * 1024))
)
UPSKILL_IMPORT_MAX_ROWS = int(os.environ.get("UPSKILL_IMPORT_MAX_ROWS", "200000"))
UPSKILL_IMPORT_MAX_PROBLEMS = int(os.environ.get("UPSKILL_IMPORT_MAX_PROBLEMS", "1000"))
# How many minutes make one class hour (学时): a lesson's class hours must fit its time slot
# (training.services.lesson_create, issue 15.6).
UPSKILL_MINUTES_PER_CLASS_HOUR = int(os.environ.get("UPSKILL_MINUTES_PER_CLASS_HOUR", "45"))
# Online learning (WH20-PRG-1): a lesson completes at this share of its required time watched
# (Open edX uses 95 %); a playback counts at most the wall-clock seconds since it began
# times the playback-rate cap, plus a few seconds of network jitter.
UPSKILL_LEARNING_COMPLETE_SHARE = float(os.environ.get("UPSKILL_LEARNING_COMPLETE_SHARE", "0.95"))
UPSKILL_LEARNING_RATE_CAP = float(os.environ.get("UPSKILL_LEARNING_RATE_CAP", "1.0"))
UPSKILL_LEARNING_RATE_SLACK = int(os.environ.get("UPSKILL_LEARNING_RATE_SLACK", "3"))
# The largest lesson video a platform uploads (in chunks, learning.services.lesson_upload_start).
UPSKILL_LEARNING_VIDEO_MAX_BYTES = int(
    os.environ.get("UPSKILL_LEARNING_VIDEO_MAX_BYTES", str(2 * 1024 * 1024 * 1024))
)
# The online theory exam (WH20-EXM-1): retakes are unlimited, spaced by this many minutes after
# the previous attempt ends when the exam's blueprint sets no waiting time of its own.
UPSKILL_EXAM_RETAKE_WAIT_MINUTES = int(os.environ.get("UPSKILL_EXAM_RETAKE_WAIT_MINUTES", "60"))
# The player reports the segments played this often (seconds).
UPSKILL_LEARNING_HEARTBEAT_SECONDS = int(os.environ.get("UPSKILL_LEARNING_HEARTBEAT_SECONDS", "15"))
# Presence checks (WH20-PRG-1): a click is asked after a random 10–20 minutes of playing.
UPSKILL_LEARNING_PRESENCE_MIN_SECONDS = int(
    os.environ.get("UPSKILL_LEARNING_PRESENCE_MIN_SECONDS", "600")
)
UPSKILL_LEARNING_PRESENCE_MAX_SECONDS = int(
    os.environ.get("UPSKILL_LEARNING_PRESENCE_MAX_SECONDS", "1200")
)
# Look-ups of a person by ID number (page and API), per API token or per user (core/throttle.py)
UPSKILL_LOOKUP_RATE = os.environ.get("UPSKILL_LOOKUP_RATE", "30/minute")
# Class photos and videos (supervision app, GA23-PHO-1, GA23-VID-1): largest file of each
# medium and the formats accepted (as Pillow and ffprobe name them).
UPSKILL_EVIDENCE_PHOTO_MAX_BYTES = int(
    os.environ.get("UPSKILL_EVIDENCE_PHOTO_MAX_BYTES", str(30 * 1024 * 1024))
)
UPSKILL_EVIDENCE_VIDEO_MAX_BYTES = int(
    os.environ.get("UPSKILL_EVIDENCE_VIDEO_MAX_BYTES", str(2 * 1024 * 1024 * 1024))
)
UPSKILL_EVIDENCE_PHOTO_FORMATS = _env_list("UPSKILL_EVIDENCE_PHOTO_FORMATS") or [
    "JPEG",
    "PNG",
    "WEBP",
    "HEIF",
]
UPSKILL_EVIDENCE_VIDEO_FORMATS = _env_list("UPSKILL_EVIDENCE_VIDEO_FORMATS") or [
    "mov",
    "mp4",
    "matroska",
    "webm",
    "avi",
    "flv",
    "mpegts",
]
# Fraud signals (supervision app): pictures at this Hamming distance of their 64-bit difference
# hash or nearer count as the same picture (at most 3: the index finds those); this many
# different trainees' QR check-ins at one lesson within this many seconds, or from one device
# in one class, are flagged for review.
UPSKILL_SIGNAL_HASH_DISTANCE = min(int(os.environ.get("UPSKILL_SIGNAL_HASH_DISTANCE", "3")), 3)
UPSKILL_SIGNAL_BURST_TRAINEES = int(os.environ.get("UPSKILL_SIGNAL_BURST_TRAINEES", "5"))
UPSKILL_SIGNAL_BURST_SECONDS = int(os.environ.get("UPSKILL_SIGNAL_BURST_SECONDS", "10"))
UPSKILL_SIGNAL_DEVICE_TRAINEES = int(os.environ.get("UPSKILL_SIGNAL_DEVICE_TRAINEES", "3"))
FILE_UPLOAD_HANDLERS = [
    "upskill.core.uploads.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("UPSKILL_SSL_REDIRECT", "1") == "1"
    # Off only for the plain-HTTP stack on 127.0.0.1 (make stack, the load test).
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = (
        os.environ.get("UPSKILL_SECURE_COOKIES", "1") == "1"
    )
    SECURE_HSTS_SECONDS = int(os.environ.get("UPSKILL_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp), the same in every environment so the browser journeys
# run under it: scripts, styles, fonts and fetches from this site only (htmx, Bootstrap 5, the
# pages' scripts and the API docs' Swagger UI are vendored), no inline script, handler or style
# attribute, no eval (htmx's allowEval is off in base.html). Images also from data: URIs
# (Bootstrap's and Swagger UI's icons); QR codes are inline SVG. Never framed (as
# X_FRAME_OPTIONS).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Evidence videos and photos are read from the object store through signed URLs (core/files.py):
# its origin may serve media and images to the pages.
if os.environ.get("UPSKILL_S3_BUCKET"):
    _endpoint = os.environ.get("UPSKILL_S3_ENDPOINT_URL")
    _store_origins = (
        [f"{urlsplit(_endpoint).scheme}://{urlsplit(_endpoint).netloc}"]
        if _endpoint
        else [
            f"https://{os.environ['UPSKILL_S3_BUCKET']}.s3.amazonaws.com",
            "https://*.amazonaws.com",
        ]
    )
    for _directive in ("media-src", "img-src"):
        CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive] += _store_origins

# Permissions-Policy (core.middleware.PermissionsPolicyMiddleware): no page uses the camera
# (trainees scan the lesson's QR code with their phone's own camera app), the microphone,
# location, payment or devices; full screen is kept for evidence videos.
UPSKILL_PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "bluetooth": [],
    "camera": [],
    "display-capture": [],
    "fullscreen": ["self"],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "publickey-credentials-get": [],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_identity": {"()": "upskill.core.logging.MaskIdentityFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_identity"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("UPSKILL_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50

UPSKILL_SITE_NAME = _("Vocational skills training")
