"""`make run`: one machine, no servers. SQLite, eager Celery, console e-mail, files on disk."""

from config.env import env_bool, env_str

from .base import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", True)
# `make run` writes a random key into .env; this fallback only keeps one-off commands working.
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or "local-only-not-a-secret"
# Without a broker, tasks run in the request that queued them (after its commit).
CELERY_TASK_ALWAYS_EAGER = env_str("CELERY_BROKER_URL") is None
CELERY_TASK_EAGER_PROPAGATES = True
