"""Whether this release may serve: the configuration, the database schema, every dependency
(``readiness``), the tasks the schedule and the routes name, and the static files."""

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from config.celery import app as celery_app
from operations.readiness import Check, readiness

PLACEHOLDER_KEYS = {"", "local-only-not-a-secret", "test-only-not-a-secret"}


def _configuration() -> Check:
    problems = []
    if settings.DEBUG:
        problems.append("DEBUG is on")
    if (settings.SECRET_KEY or "") in PLACEHOLDER_KEYS or len(settings.SECRET_KEY) < 40:
        problems.append("DJANGO_SECRET_KEY is missing, a placeholder or short")
    if not settings.ALLOWED_HOSTS:
        problems.append("DJANGO_ALLOWED_HOSTS is empty")
    return Check(name="configuration", ok=not problems, detail="; ".join(problems))


def _migrations() -> Check:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    unapplied = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    return Check(name="migrations", ok=not unapplied,
                 detail=("not applied: " + ", ".join(unapplied)) if unapplied else "")


def _tasks() -> Check:
    named = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    named |= set(settings.CELERY_TASK_ROUTES)
    celery_app.loader.import_default_modules()
    missing = sorted(named - set(celery_app.tasks))
    return Check(name="tasks", ok=not missing,
                 detail=("not registered: " + ", ".join(missing)) if missing else "")


def _static() -> Check:
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if manifest is None:
        return Check(name="static", ok=True, detail="served from the source folders")
    if not staticfiles_storage.exists(manifest):
        return Check(name="static", ok=False, detail="run collectstatic: no manifest")
    return Check(name="static", ok=True)


def release_checks() -> list[Check]:
    checks = [_configuration()]
    try:
        checks.append(_migrations())
    except Exception as error:  # the database itself is reported by readiness below
        checks.append(Check(name="migrations", ok=False, detail=type(error).__name__))
    return [*checks, *readiness(), _tasks(), _static()]
