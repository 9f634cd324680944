"""Production. Every secret comes from the environment; nothing insecure is defaulted."""

from .base import *  # noqa: F403
from .base import env_bool, env_int, env_required

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
JOBCIRCLE_PII_KEY = env_required("JOBCIRCLE_PII_KEY")
JOBCIRCLE_DEMO_ID_PREFIXES = []  # SEC-43: synthetic identities are never accepted here

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# __Host- cookies: Secure, no Domain, Path=/ — the browser refuses them from any other origin (SEC-06).
SESSION_COOKIE_NAME = "__Host-jobcircle-session"
CSRF_COOKIE_NAME = "__Host-jobcircle-csrf"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
if env_bool("TRUSTED_PROXY_SSL_HEADER", False):
    # Only behind a reverse proxy that strips and sets this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
