"""Delivery on a real Celery worker over Redis: the channel fails once, the worker's retry
goes through the broker, and the message is sent exactly once."""


import pytest

from notifications.channels import sandbox
from notifications.models import Delivery, DeliveryState, SandboxMessage
from tests.notifications.support import person, tell
from tests.workers import Workers


@pytest.fixture
def worker():
    """A worker process on a queue of its own, reading the test database; returns how to send
    it the delivery task."""
    workers = Workers()
    yield workers.start("notifications.tasks.deliver",
                        NOTIFICATIONS_RETRY_BASE_SECONDS="1")  # retries within seconds
    workers.stop()


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
