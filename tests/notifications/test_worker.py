"""Delivery on a real Celery worker over Redis: the channel fails once, the worker's retry
goes through the broker, and the message is sent exactly once."""

import os
import subprocess
import sys
import uuid

import pytest
from celery import Celery
from django.conf import settings as django_settings
from django.db import connection

from notifications.channels import sandbox
from notifications.models import Delivery, DeliveryState, SandboxMessage
from tests.notifications.support import person, tell

BROKER = os.environ.get("CELERY_BROKER_URL", "")
if not BROKER.startswith("redis://"):
    BROKER = "redis://127.0.0.1:6379/0"


@pytest.fixture
def worker():
    """A worker process on a queue of its own, reading the test database; returns how to send
    it the delivery task."""
    queue = f"izin-test-{uuid.uuid4().hex}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "false",  # a worker: its retries go through the broker
        "NOTIFICATIONS_RETRY_BASE_SECONDS": "1",  # retries within seconds, not minutes
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
         "--pool=prefork", "--concurrency=2", "--without-gossip", "--without-mingle",
         "--loglevel=WARNING"],
        cwd=django_settings.BASE_DIR, env=env,
    )
    # A client of our own, as the web process would be: the project's app stays eager.
    client = Celery("izin-test-client", broker=BROKER, backend=BROKER, set_as_current=False)
    yield lambda *args: client.send_task("notifications.tasks.deliver", args=args, queue=queue)
    client.close()
    process.terminate()
    process.wait(timeout=60)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_retries_a_failed_send_and_sends_it_once(worker, settings):
    # This process queues into memory (lost): the test hands the task to the worker itself.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "memory://"
    user = person(email=False, sms=True, phone="081234567890")
    sandbox.fail_next("sms", 1)
    tell([user])
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.PENDING

    worker(delivery.pk).get(timeout=120)  # failed, retried through the broker, sent
    worker(delivery.pk).get(timeout=120)  # delivered again (a redelivery): nothing more

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT
    assert delivery.attempts == 2
    assert delivery.last_error == "ChannelError: sandbox sms is down"
    assert SandboxMessage.objects.filter(channel="sms", to="+6281234567890").count() == 1
