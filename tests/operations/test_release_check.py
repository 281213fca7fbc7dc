"""`manage.py release_check` says whether a release may serve, and exits 1 when it may not."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

REAL_KEY = "k" * 50


def release_check() -> str:
    out = StringIO()
    call_command("release_check", stdout=out)
    return out.getvalue()


def test_a_configured_release_with_every_dependency_up_is_ready(settings):
    settings.SECRET_KEY = REAL_KEY
    output = release_check()
    for name in ("configuration", "migrations", "database", "broker", "cache", "storage",
                 "signing", "tasks", "static"):
        assert re.search(rf"^ok +{name}\b", output, re.M), output
    assert output.strip().endswith("ready")


def test_a_placeholder_key_and_a_task_nobody_defines_are_refused(settings):
    settings.SECRET_KEY = "local-only-not-a-secret"
    settings.CELERY_TASK_ROUTES = {"documents.tasks.no_such_task": {"queue": "issuance"}}
    out = StringIO()
    with pytest.raises(CommandError, match="not ready: configuration, tasks"):
        call_command("release_check", stdout=out)
    assert "FAIL configuration (DJANGO_SECRET_KEY" in out.getvalue()
    assert "not registered: documents.tasks.no_such_task" in out.getvalue()


def test_the_example_environment_names_every_variable_production_reads():
    """production.env.example documents every variable config/ reads, but the development
    ones (the development signing CA, a developer's debug switch, the test suite's eager
    tasks)."""
    config = Path(django_settings.BASE_DIR) / "config"
    read = set()
    for source in config.rglob("*.py"):
        read |= set(re.findall(r'env_(?:str|required|bool|list)\(\s*"([A-Z0-9_]+)"',
                               source.read_text()))
        read |= set(re.findall(r'_per_method\(\s*"([A-Z0-9_]+)"', source.read_text()))
    development_only = {"DJANGO_DEBUG", "XDG_DATA_HOME", "SIGNING_DEV_DIR",
                        "CELERY_TASK_ALWAYS_EAGER"}
    example = Path(django_settings.BASE_DIR) / "production.env.example"
    documented = set(re.findall(r"^([A-Z0-9_]+)=", example.read_text(), re.M))
    assert read - development_only - documented == set()
    assert len(read) > 40  # the scan found the settings, not nothing
