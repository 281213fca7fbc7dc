import logging
import os

from botocore.exceptions import ClientError
from botocore.exceptions import ConnectionError as ObjectStoreConnectionError
from celery import Celery
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction

# Production unless told otherwise, as manage.py and the WSGI entry (tests name their own).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

logger = logging.getLogger("izin.tasks")

app = Celery("izin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Faults that pass: the database dropped the connection or restarted, the storage was away or
# refused a write (OSError for the disk; botocore's errors for an object store out of reach or
# answering with an error). A task that meets one is retried with backoff; its "already done?"
# start makes that safe.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError, ObjectStoreConnectionError,
                    ClientError)


def retry_transient(*, max_retries: int, also: tuple[type[Exception], ...] = ()) -> dict:
    """A task's options to retry a passing fault (and ``also`` these) with exponential backoff
    and jitter. Read when the task module is imported, after the settings are."""
    return {
        "autoretry_for": (*TRANSIENT_ERRORS, *also),
        "retry_backoff": settings.TASK_RETRY_BACKOFF_SECONDS,
        "retry_backoff_max": settings.TASK_RETRY_BACKOFF_MAX_SECONDS,
        "max_retries": max_retries,
    }


def enqueue_on_commit(task, *args) -> None:
    """Queue ``task`` once the transaction commits. If the broker cannot take it, the work is
    already saved and a sweeper finds it again: the caller's answer must not become an error
    after its data was committed, so the refusal is logged, not raised."""

    def send() -> None:
        if app.conf.task_always_eager:
            task.delay(*args)  # runs here and now: its own errors are the caller's
            return
        try:
            task.delay(*args)
        except Exception as error:  # kombu's and the broker client's errors alike
            logger.warning("task_not_queued task=%s args=%s error=%s", task.name, args,
                           type(error).__name__)

    transaction.on_commit(send)
