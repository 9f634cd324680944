"""Settings shared by every environment. Deployment knobs come from the environment only."""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_str(name, default=None):
    """Read NAME, or the file named by NAME_FILE (docker/systemd secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = env_str(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = env_str(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default=""):
    return [item.strip() for item in (env_str(name, default) or "").split(",") if item.strip()]


def env_required(name):
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(f"Environment variable {name} must be set")
    return value


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves its docs UI from its own static files (no CDN)
    "django_tasks",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",  # TOTPDevice: the authenticator-app second factor (SEC-04/05)
    "captcha",  # django-simple-captcha: the image check on /m/login/ for busy shared addresses (SEC-05)
    "django_tasks_db",
    "jobcircle.common",
    "jobcircle.accounts",
    "jobcircle.areas",
    "jobcircle.classifications",
    "jobcircle.people",
    "jobcircle.employers",
    "jobcircle.matching",
    "jobcircle.recruiting",
    "jobcircle.assistance",
    "jobcircle.households",
    "jobcircle.communities",
    "jobcircle.risk",
    "jobcircle.subsidies",
    "jobcircle.gigs",
    "jobcircle.training",
    "jobcircle.entrepreneurship",
    "jobcircle.insights",
    "jobcircle.scheduling",
    "jobcircle.portal",
    "jobcircle.api",
    "jobcircle.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jobcircle.common.middleware.RequestContextMiddleware",
    "jobcircle.common.middleware.ApiJsonErrorsMiddleware",  # every error under /api is JSON (SEC-29)
    "jobcircle.common.middleware.PublicHostMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "jobcircle.accounts.middleware.StaffSignInMiddleware",
    "jobcircle.accounts.sessions.AbsoluteSessionLifetimeMiddleware",
    "jobcircle.accounts.middleware.ScopeMiddleware",
    "jobcircle.common.middleware.NoStoreMiddleware",
    "jobcircle.insights.middleware.PageVisitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a locked login into the 429 page (SEC-03)
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:landing"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jobcircle" / "templates"],
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

# Persistent connections: a new PostgreSQL connection per request (a backend forked, its catalog
# caches cold) cost more server CPU than the queries of a recommendation, and halved the served
# throughput (bench/matching.py --throughput). Each worker thread keeps its own connection.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'jobcircle.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 300),
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a seed or import writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,  # seconds a writer waits for the lock before failing
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Password policy (SEC-02): long, three character classes, not common, not like the user; paste allowed.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "jobcircle.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("JOBCIRCLE_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jobcircle.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "jobcircle.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
]
JOBCIRCLE_STAFF_PASSWORD_MAX_AGE_DAYS = env_int("JOBCIRCLE_STAFF_PASSWORD_MAX_AGE_DAYS", 90)

# Sign-in lockout (SEC-03, django-axes): 5 failures per (username, IP) lock that pair for 30 minutes.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("JOBCIRCLE_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("JOBCIRCLE_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "jobcircle.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "jobcircle.common.middleware.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Password spraying: failures from one IP across usernames within the same 30 minutes lock that IP too
# (accounts.security.LockoutHandler, django-axes' database handler plus this ceiling).
AXES_HANDLER = "jobcircle.accounts.security.LockoutHandler"
JOBCIRCLE_LOCKOUT_IP_FAILURES = env_int("JOBCIRCLE_LOCKOUT_IP_FAILURES", 20)
# Full ID numbers and phones (people.services.reveal_resident_pii): at most this many reveals per user in
# each window of so many minutes; past it the reveal is refused (429) and the 安全管理员 alerted.
JOBCIRCLE_REVEAL_LIMIT = env_int("JOBCIRCLE_REVEAL_LIMIT", 20)
JOBCIRCLE_REVEAL_WINDOW_MINUTES = env_int("JOBCIRCLE_REVEAL_WINDOW_MINUTES", 15)

# Second factor by authenticator app (SEC-04/05, django-otp TOTP; accounts/security.py). Devices are
# created with tolerance=1 (the codes of the previous, current and next 30-second step); a verified
# step is remembered (last_t), so a code works once. No drift learning: the window stays ±1 step of
# the server clock, which must therefore be kept right by NTP (docs/operations.md). After a wrong
# code the next try waits 1, 2, 4 … seconds (django-otp's throttle).
OTP_TOTP_ISSUER = env_str("JOBCIRCLE_TOTP_ISSUER", "三公里就业圈")
OTP_TOTP_SYNC = False
OTP_TOTP_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "jobcircle" / "static"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("JOBCIRCLE_SESSION_IDLE_MINUTES", 30) * 60  # idle timeout (SEC-06)
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: each request extends it
JOBCIRCLE_SESSION_MAX_AGE = env_int("JOBCIRCLE_SESSION_MAX_HOURS", 12) * 3600  # absolute lifetime after login

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "jobcircle.common.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
if env_str("JOBCIRCLE_AUDIT_SYSLOG"):
    _syslog_host, _, _syslog_port = env_str("JOBCIRCLE_AUDIT_SYSLOG").partition(":")
    LOGGING["handlers"]["audit_syslog"] = {
        "class": "logging.handlers.SysLogHandler", "address": (_syslog_host, int(_syslog_port or 514)),
        "formatter": "json",
    }  # fmt: skip
    LOGGING["loggers"] = {"jobcircle.audit": {"handlers": ["console", "audit_syslog"], "propagate": False}}

# --- JobCircle ---------------------------------------------------------------
# PII key: any high-entropy string; encryption and blind-index keys are derived from it.
JOBCIRCLE_PII_KEY = env_str("JOBCIRCLE_PII_KEY")
# Older keys (comma separated) still accepted for decryption during rotation.
JOBCIRCLE_PII_OLD_KEYS = env_list("JOBCIRCLE_PII_OLD_KEYS")
# Synthetic identities (SEC-43): ID numbers with these prefixes are accepted only when listed.
JOBCIRCLE_DEMO_ID_PREFIXES = []
JOBCIRCLE_DEMO_PHONE_PREFIX = "140"
# The county this deployment serves; anonymous page visits are counted against it.
JOBCIRCLE_HOME_AREA_CODE = env_str("JOBCIRCLE_HOME_AREA_CODE", "")
# Reverse proxies whose X-Forwarded-For is believed for the audited source IP.
JOBCIRCLE_TRUSTED_PROXIES = env_list("JOBCIRCLE_TRUSTED_PROXIES")
# Host names the public (resident H5 / employer) site is served on: no API docs or admin there.
JOBCIRCLE_PUBLIC_HOSTS = env_list("JOBCIRCLE_PUBLIC_HOSTS")
# Audit retention (SEC-15): security events ≥ 6 months (网络安全法 21), PI processing ≥ 3 years (PIPL 56).
JOBCIRCLE_AUDIT_RETENTION_DAYS = env_int("JOBCIRCLE_AUDIT_RETENTION_DAYS", 183)
JOBCIRCLE_AUDIT_PI_RETENTION_DAYS = env_int("JOBCIRCLE_AUDIT_PI_RETENTION_DAYS", 3 * 366)
# Ship audit events off-host: "host:port" of a syslog collector (UDP); empty keeps them in the database only.
JOBCIRCLE_AUDIT_SYSLOG = env_str("JOBCIRCLE_AUDIT_SYSLOG", "")
JOBCIRCLE_CIRCLE_RADIUS_KM = 3
JOBCIRCLE_NEARBY_MAX_RADIUS_KM = 50
# Matching engine and 精准送岗 (docs/matching.md): the one place for its weights and limits.
JOBCIRCLE_MATCHING = {
    # score = Σ weight × component (each in [0, 1]) + key-group boost
    "weights": {"distance": 0.30, "occupation": 0.40, "skills": 0.10, "pay": 0.10, "freshness": 0.10},
    "distance_half_m": 1500,  # the distance component halves every 1.5 km
    "freshness_half_days": 30,  # … and the freshness one every 30 days since the job opened
    "occupation_levels": {"exact": 1.0, "minor": 0.7, "middle": 0.4},  # 职业 / 同小类 / 同中类
    "key_group_boost": 0.05,  # seekers in any key group (重点群体) …
    "key_group_boosts": {},  # … or per group code, e.g. {"poverty_alleviated": 0.08}; the largest applies
    "default_max_distance_km": 3,  # seekers without a job intention
    "work_types": {"full_time": ["full_time"], "part_time": ["part_time", "gig"], "gig": ["gig", "part_time"]},
    "push_k": 3,  # jobs pushed to each seeker per run
    "capacity_factor": 10,  # a job reaches at most factor × headcount seekers per run
    "window_days": 30,  # the same job is not pushed to the same person again within this window
    # Pushes and their inbox messages are deleted after this many days (`manage.py purge_pushes`);
    # longer than window_days, so the rule above never loses a push it needs.
    "push_retention_days": env_int("JOBCIRCLE_PUSH_RETENTION_DAYS", 180),
    "partition_level": "county",  # one background task per county (or "township")
    "candidate_pool": 6,  # candidates kept per seeker before allocation (extended when exhausted)
    "send_sms": env_bool("JOBCIRCLE_PUSH_SMS", True),  # also text each pushed seeker (needs an SMS gateway)
    "snapshot_ttl_s": 60,  # interactive job snapshot: new postings show within this time
}

# Background work (django-tasks + the database backend; workers run `manage.py db_worker`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Map tiles (ECO-05). The URL template may use {layer} and {key} (filled in on the server) and Leaflet's
# {s} {z} {x} {y}. Empty: maps still draw stations, 3-km circles and points, with no tiles. 天地图 "_w"
# (EPSG:3857) example and the CSP img-src it needs: docs/maps.md. No boundary GeoJSON by default (ECO-07).
JOBCIRCLE_MAP = {
    "TILE_URL": env_str("JOBCIRCLE_MAP_TILE_URL", ""),
    "LAYERS": env_list("JOBCIRCLE_MAP_LAYERS", "vec,cva"),
    "KEY": env_str("JOBCIRCLE_MAP_KEY", ""),
    "SUBDOMAINS": env_str("JOBCIRCLE_MAP_SUBDOMAINS", "01234567"),
    "ATTRIBUTION": env_str("JOBCIRCLE_MAP_ATTRIBUTION", ""),
}
# Sign-in codes by SMS (SEC-05): lifetime and send limits per phone (accounts/services.py).
JOBCIRCLE_SMS_CODE_TTL_SECONDS = env_int("JOBCIRCLE_SMS_CODE_TTL_SECONDS", 300)
JOBCIRCLE_SMS_PER_MINUTE = 1
JOBCIRCLE_SMS_PER_DAY = 10
# Per client IP only an abuse ceiling: a service station, office or village shares one address.
# Past JOBCIRCLE_SMS_CAPTCHA_AFTER resident codes an hour from one address, each further one needs an
# image captcha (django-simple-captcha, drawn on the server: no network). Trusted office networks
# (CIDR list) are exempt from the ceiling and the captcha; the per-phone limits still apply to them.
JOBCIRCLE_SMS_IP_PER_HOUR = env_int("JOBCIRCLE_SMS_IP_PER_HOUR", 100)
JOBCIRCLE_SMS_IP_PER_DAY = env_int("JOBCIRCLE_SMS_IP_PER_DAY", 500)
JOBCIRCLE_SMS_CAPTCHA_AFTER = env_int("JOBCIRCLE_SMS_CAPTCHA_AFTER", 10)
JOBCIRCLE_TRUSTED_NETWORKS = env_list("JOBCIRCLE_TRUSTED_NETWORKS")
for _network in JOBCIRCLE_TRUSTED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(f"JOBCIRCLE_TRUSTED_NETWORKS: {_network!r} is not a network (CIDR)") from _exc
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.math_challenge"  # digits: the phone's number pad, no look-alike letters
CAPTCHA_MATH_CHALLENGE_OPERATOR = "x"
CAPTCHA_TIMEOUT = 5  # minutes
CAPTCHA_IMAGE_SIZE = (120, 44)

# SMS: console/log backend by default; a gateway backend is configured per deployment.
JOBCIRCLE_SMS_BACKEND = env_str("JOBCIRCLE_SMS_BACKEND", "jobcircle.common.sms.ConsoleBackend")

# Content Security Policy (SEC-27, django-csp 4): scripts only from our static files or with the
# per-request nonce; images from ourselves, data: URIs and exactly the configured tile hosts.
from csp.constants import NONCE, NONE, SELF  # noqa: E402


def _tile_hosts(tile_url, subdomains):
    from urllib.parse import urlsplit

    if not tile_url:
        return []
    parts = urlsplit(tile_url if "//" in tile_url else "https://" + tile_url)
    scheme = parts.scheme or "https"
    hosts = [parts.netloc.replace("{s}", s) for s in subdomains] if "{s}" in parts.netloc else [parts.netloc]
    return [f"{scheme}://{host}" for host in hosts]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_tile_hosts(JOBCIRCLE_MAP["TILE_URL"], JOBCIRCLE_MAP["SUBDOMAINS"])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
INSTALLED_APPS.append("csp")
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
