"""Issuance on a real Celery worker over Redis: the task delivered twice to two worker processes
at once still yields one number and one signed PDF, and a storage or database fault during
issuance is retried until it passes."""

import time

import psycopg2
import pytest
from django.db import connection

from licensing.models import Permit, Sequence
from licensing.states import ApplicationState
from tests.documents.permits import approved_free
from tests.workers import Workers
from workflows.models import TransitionLog


@pytest.fixture
def start_worker(signing_dir, settings):
    """Starts two worker processes on a queue of their own, reading the test database and the
    test's private media folder as it is when called; returns how to send the issuing task."""
    workers = Workers()
    yield lambda: workers.start(
        "documents.tasks.application_issue",
        SIGNING_DEV_DIR=str(signing_dir), PRIVATE_MEDIA_ROOT=settings.PRIVATE_MEDIA_ROOT,
        TASK_RETRY_BACKOFF_SECONDS="1",  # retries within seconds, not minutes
    )
    workers.stop()


@pytest.fixture
def worker(start_worker):
    return start_worker()


@pytest.fixture
def approved(django_capture_on_commit_callbacks, settings):
    """An application ready to issue, its issuance not run here: a transactional test runs
    on-commit work at once, so this process queues into memory instead of running eagerly."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "memory://"
    application, _owner = approved_free(django_capture_on_commit_callbacks)
    assert not Permit.objects.filter(application=application).exists()
    return application


def wait_for_retry(result, *, seconds: float = 120) -> None:
    """Until the worker has met the fault and scheduled a retry (its state, in the backend)."""
    deadline = time.monotonic() + seconds
    while result.state != "RETRY":
        assert time.monotonic() < deadline, f"no retry within {seconds} s: {result.state}"
        assert result.state not in ("SUCCESS", "FAILURE"), result.state
        time.sleep(0.2)


def assert_issued_once(application) -> None:
    application.refresh_from_db()
    assert application.state == ApplicationState.ISSUED
    permit = Permit.objects.get(application=application)
    assert permit.sha256 and permit.file.storage.exists(permit.file.name)
    code = application.permit_type.code
    assert Sequence.objects.get(key=f"permit:{code}").last_value == 1
    assert TransitionLog.objects.filter(application=application, transition="issue").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_task_sent_twice_to_a_real_worker_issues_one_permit(approved, worker):
    application = approved
    assert application.state == ApplicationState.APPROVED

    results = [worker(application.pk) for _ in range(2)]
    for result in results:
        result.get(timeout=120)  # blocks on the worker's answer; raises if the task failed

    assert_issued_once(application)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_storage_error_during_issuance_is_retried_until_the_storage_is_back(
    approved, start_worker, settings, tmp_path,
):
    application = approved
    permits_folder = tmp_path / "permits-volume"
    permits_folder.write_text("the volume is not mounted: a file where the folder should be")
    settings.PRIVATE_MEDIA_ROOT = str(permits_folder / "private")
    send = start_worker()

    result = send(application.pk)
    wait_for_retry(result)  # the worker could not write the signed PDF
    assert not Permit.objects.get(application=application).is_stored

    permits_folder.unlink()
    permits_folder.mkdir()  # the volume is back
    result.get(timeout=120)
    assert_issued_once(application)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_database_error_during_issuance_is_retried_until_the_database_is_back(
    approved, worker,
):
    application = approved
    name = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        ours = cursor.fetchone()[0]
    admin = maintenance_connection()
    try:
        with admin.cursor() as cursor:
            # No new connection may open, and every other one is cut: the worker's queries
            # fail as they did when PostgreSQL dropped the backends during a burst.
            cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = %s AND pid <> %s", [name, ours])
        result = worker(application.pk)
        wait_for_retry(result)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        admin.close()
    result.get(timeout=120)
    assert_issued_once(application)


def maintenance_connection():
    """A connection to the server's own ``postgres`` database, outside the one under test."""
    db = connection.settings_dict
    admin = psycopg2.connect(dbname="postgres", user=db["USER"], host=db["HOST"],
                             port=db["PORT"] or 5432, password=db["PASSWORD"] or None)
    admin.autocommit = True
    return admin
