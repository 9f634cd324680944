"""Test runs (pytest). DATABASE_URL selects SQLite (default, in memory) or PostgreSQL."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"
JOBCIRCLE_PII_KEY = "test-pii-key"
JOBCIRCLE_DEMO_ID_PREFIXES = ["990000"]
JOBCIRCLE_HOME_AREA_CODE = "990121"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
JOBCIRCLE_SMS_BACKEND = "jobcircle.common.sms.MemoryBackend"
