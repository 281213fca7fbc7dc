"""The test suite. DATABASE_URL may point at PostgreSQL (CI does); otherwise SQLite in memory."""

from config.env import env_str

from .base import *  # noqa: F403
from .base import BASE_DIR

SECRET_KEY = "test-only-not-a-secret"  # noqa: S105 (tests only, no data to protect)
DEBUG = False
ALLOWED_HOSTS = ["*"]
# Fast hashing: tests create many users; the production hasher is not under test here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
PRIVATE_MEDIA_ROOT = env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "test-private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
