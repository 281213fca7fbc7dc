"""One id per request, carried into the log lines it writes and the Celery tasks it queues, so
an operator can follow one click from the web into the worker."""

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
# A proxy's id is kept when it is sane (bounded, plain characters); otherwise Izin makes one.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

current = contextvars.ContextVar("izin_request_id", default="")


def request_id_new(offered: str | None = None) -> str:
    if offered and _ACCEPTABLE.match(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_new(request.headers.get(HEADER))
        token = current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on every record (empty outside a request or a task it queued)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current.get()
        return True

