"""Celery's signals, for every task of every app: the request id travels with the message, and
a task that failed for good is written down for the administrator (``FailedTask``)."""

import json
import logging
import traceback as tb

from celery import signals
from django.db import DatabaseError

from operations import requests
from operations.models import FailedTask

logger = logging.getLogger("izin.operations")

HEADER = "izin_request_id"
# What is kept of a failure: enough to act on, bounded so a huge error cannot fill the table.
MESSAGE_LIMIT = 2_000
TRACEBACK_LIMIT = 20_000


@signals.before_task_publish.connect(dispatch_uid="operations_request_id_out")
def _request_id_out(headers=None, **kwargs) -> None:
    if headers is not None and requests.current.get():
        headers[HEADER] = requests.current.get()


@signals.task_prerun.connect(dispatch_uid="operations_request_id_in")
def _request_id_in(task=None, **kwargs) -> None:
    """A worker takes the id of the request that queued the task (a message header; ``apply``
    passes it in ``headers``). A task run eagerly keeps its request's id as it is."""
    request = task.request if task is not None else None
    offered = getattr(request, HEADER, None) or (getattr(request, "headers", None) or {}).get(
        HEADER)
    if offered:
        request.izin_request_id_token = requests.current.set(requests.request_id_new(offered))


@signals.task_postrun.connect(dispatch_uid="operations_request_id_done")
def _request_id_done(task=None, **kwargs) -> None:
    token = getattr(task.request, "izin_request_id_token", None) if task is not None else None
    if token is not None:
        requests.current.reset(token)


def _jsonable(value):
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)[:MESSAGE_LIMIT]


@signals.task_failure.connect(dispatch_uid="operations_failed_task")
def _failed_for_good(sender=None, task_id=None, exception=None, args=None, kwargs=None,
                     einfo=None, **extra) -> None:
    """Sent once a task raises and will not be retried again (Celery sends ``task_retry``
    instead while retries are left)."""
    name = getattr(sender, "name", "") or ""
    logger.error("task_failed task=%s task_id=%s error=%s", name, task_id,
                 type(exception).__name__)
    try:
        FailedTask.objects.update_or_create(task_id=str(task_id), defaults={
            "task_name": name[:255],
            "args": _jsonable(list(args or [])),
            "kwargs": _jsonable(dict(kwargs or {})),
            "exception": type(exception).__name__[:255],
            "message": str(exception)[:MESSAGE_LIMIT],
            "traceback": (str(einfo) if einfo else "".join(tb.format_exception(exception)))[
                -TRACEBACK_LIMIT:],
            "request_id": requests.current.get()[:64],
            "resent_at": None,
        })
    except DatabaseError:
        # The database may be why the task failed; the log line above still tells.
        logger.exception("task_failure_not_recorded task_id=%s", task_id)
