"""Work saved, then queued after commit: a broker that cannot take the task never turns the
saved work into an error page (the sweepers find it again)."""

import os
import subprocess
import sys

import pytest
from celery import shared_task
from django.conf import settings as django_settings

from config.celery import enqueue_on_commit

ran = []


@shared_task(name="tests.operations.note_it")
def note_it(value):
    ran.append(value)


@pytest.mark.django_db
def test_the_task_runs_after_commit(django_capture_on_commit_callbacks):
    ran.clear()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(note_it, 7)
        assert ran == []  # not before the commit
    assert ran == [7]


def test_a_broker_that_is_down_is_logged_not_raised(signing_dir):
    """In a process of its own (the broker connection is made once per process), pointed at a
    Redis port where nothing listens."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "CELERY_TASK_ALWAYS_EAGER": "false", "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
           "SIGNING_DEV_DIR": str(signing_dir)}
    env.pop("DATABASE_URL", None)  # SQLite in memory: nothing of the test database is needed
    code = (
        "import django; django.setup()\n"
        "from django.db import transaction\n"
        "from config.celery import enqueue_on_commit\n"
        "from documents.tasks import issuance_sweep\n"
        "with transaction.atomic():\n"
        "    enqueue_on_commit(issuance_sweep)\n"
        "print('committed, no error')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=django_settings.BASE_DIR,
                            env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "committed, no error" in result.stdout
    assert "task_not_queued task=documents.tasks.issuance_sweep" in result.stderr
