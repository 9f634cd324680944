"""Local development: `make run`. Safe defaults so a fresh clone starts with no configuration."""

from .base import *  # noqa: F403
from .base import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-secret-key-change-me-0123456789")
# Development key only: real deployments set JOBCIRCLE_PII_KEY (see prod.py).
JOBCIRCLE_PII_KEY = env_str("JOBCIRCLE_PII_KEY", "dev-only-pii-key-not-for-production")
JOBCIRCLE_DEMO_ID_PREFIXES = ["990000"]
JOBCIRCLE_HOME_AREA_CODE = env_str("JOBCIRCLE_HOME_AREA_CODE", "990121")
