"""One id per request, in its response, its log lines and the tasks it queues."""

import json
import logging

import pytest
from celery import shared_task

from operations import requests
from operations.logs import JsonFormatter

pytestmark = pytest.mark.django_db


def test_a_request_gets_an_id_or_keeps_its_proxys(client):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32 and int(made, 16) >= 0
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c21")["X-Request-ID"] == (
        "lb-7f3a9c21")
    # Unbounded or odd input is not echoed into logs and headers: a fresh id instead.
    odd = client.get("/healthz", HTTP_X_REQUEST_ID="x" * 500 + "\nInjected: yes")
    assert len(odd["X-Request-ID"]) == 32


seen = []


@shared_task(name="tests.operations.remember_request_id")
def remember_request_id():
    seen.append(requests.current.get())
    logging.getLogger("izin.test").info("task_ran")


def test_a_task_takes_the_request_id_from_its_message_and_leaves_none_behind():
    seen.clear()
    remember_request_id.apply(headers={"izin_request_id": "req-0123456789"})
    assert seen == ["req-0123456789"]
    assert requests.current.get() == ""


def test_a_published_task_carries_the_request_id_in_its_headers(settings):
    from celery import signals

    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False  # Celery reads Django's settings as they are now

    captured = {}

    def capture(headers=None, **kwargs):
        captured.update(headers or {})

    signals.before_task_publish.connect(capture, weak=False)
    token = requests.current.set("req-abcdef0123")
    try:
        with app.connection_for_write("memory://") as conn:
            remember_request_id.apply_async(connection=conn)
    finally:
        requests.current.reset(token)
        signals.before_task_publish.disconnect(capture)
    assert captured["izin_request_id"] == "req-abcdef0123"


def test_log_lines_are_json_with_the_event_and_the_request_id():
    record = logging.LogRecord("izin.documents", logging.INFO, __file__, 1,
                               "permit_issued permit_id=%s", (42,), None)
    record.request_id = "req-42424242"
    line = json.loads(JsonFormatter().format(record))
    assert line["event"] == "permit_issued"
    assert line["message"] == "permit_issued permit_id=42"
    assert line["request_id"] == "req-42424242"
    assert line["level"] == "INFO" and line["logger"] == "izin.documents"
