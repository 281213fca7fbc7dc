"""Issuance on a real Celery worker over Redis: the task delivered twice to two worker processes
at once still yields one number and one signed PDF."""

import os
import subprocess
import sys
import uuid

import pytest
from celery import Celery
from django.conf import settings as django_settings
from django.db import connection

from licensing.models import Permit, Sequence
from licensing.states import ApplicationState
from tests.documents.permits import approved_free
from workflows.models import TransitionLog

BROKER = os.environ.get("CELERY_BROKER_URL", "")
if not BROKER.startswith("redis://"):
    BROKER = "redis://127.0.0.1:6379/0"


@pytest.fixture
def worker(signing_dir, settings):
    """Two worker processes on a queue of their own, reading the test database; returns how to
    send the issuing task to them."""
    queue = f"izin-test-{uuid.uuid4().hex}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
        "SIGNING_DEV_DIR": str(signing_dir),
        "PRIVATE_MEDIA_ROOT": settings.PRIVATE_MEDIA_ROOT,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
         "--pool=prefork", "--concurrency=2", "--without-gossip", "--without-mingle",
         "--loglevel=WARNING"],
        cwd=django_settings.BASE_DIR, env=env,
    )
    # A client of our own, as the web process would be: the project's app stays eager for the
    # other tests, and nothing global changes.
    client = Celery("izin-test-client", broker=BROKER, backend=BROKER, set_as_current=False)
    try:
        yield lambda *args: client.send_task(
            "documents.tasks.application_issue", args=args, queue=queue
        )
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=60)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_task_sent_twice_to_a_real_worker_issues_one_permit(
    django_capture_on_commit_callbacks, worker,
):
    application, _owner = approved_free(django_capture_on_commit_callbacks)
    assert application.state == ApplicationState.APPROVED

    results = [worker(application.pk) for _ in range(2)]
    for result in results:
        result.get(timeout=120)  # blocks on the worker's answer; raises if the task failed

    application.refresh_from_db()
    assert application.state == ApplicationState.ISSUED
    permit = Permit.objects.get(application=application)
    assert permit.sha256 and permit.file.storage.exists(permit.file.name)
    code = application.permit_type.code
    assert Sequence.objects.get(key=f"permit:{code}").last_value == 1
    assert TransitionLog.objects.filter(application=application, transition="issue").count() == 1
