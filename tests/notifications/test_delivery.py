"""Delivering: once, whoever runs the task how often; retried while a channel is down; failed
for good (not raised into the caller) when it stays down; lost tasks swept up."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.channels import sandbox
from notifications.models import Delivery, DeliveryState, SandboxMessage
from notifications.tasks import MAX_RETRIES, deliver, deliveries_sweep
from tests.factories import UserFactory
from tests.notifications.support import person, tell


@pytest.fixture(autouse=True)
def _retry_at_once(settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 0


@pytest.mark.django_db
def test_the_task_run_again_sends_nothing_more(django_capture_on_commit_callbacks):
    user = person(sms=True, phone="081234567890")
    with django_capture_on_commit_callbacks(execute=True):
        tell([user])
    for delivery in Delivery.objects.all():
        deliver.delay(delivery.pk)
        deliver.delay(delivery.pk)

    assert len(mail.outbox) == 1
    assert SandboxMessage.objects.count() == 1
    assert set(Delivery.objects.values_list("state", "attempts")) == {(DeliveryState.SENT, 1)}


@pytest.mark.django_db
def test_a_channel_down_for_a_while_is_retried_and_sends_once(
        django_capture_on_commit_callbacks):
    user = person(sms=True, phone="081234567890")
    sandbox.fail_next("sms", 2)
    with django_capture_on_commit_callbacks(execute=True):
        tell([user])

    sms = Delivery.objects.get(channel="sms")
    assert (sms.state, sms.attempts) == (DeliveryState.SENT, 3)
    assert sms.last_error == "ChannelError: sandbox sms is down"
    assert SandboxMessage.objects.filter(channel="sms").count() == 1
    assert Delivery.objects.get(channel="email").attempts == 1  # the other channel unaffected


@pytest.mark.django_db
def test_a_channel_that_stays_down_fails_for_good_without_failing_the_caller(
        django_capture_on_commit_callbacks):
    user = person(sms=True, phone="081234567890")
    sandbox.fail_next("sms", 100)
    with django_capture_on_commit_callbacks(execute=True):
        made = tell([user])  # the caller's commit: nothing raised

    assert len(made) == 1
    sms = Delivery.objects.get(channel="sms")
    assert (sms.state, sms.attempts) == (DeliveryState.FAILED, MAX_RETRIES + 1)
    assert not SandboxMessage.objects.exists()
    assert len(mail.outbox) == 1  # e-mail went all the same

    deliver.delay(sms.pk)  # a late message for it changes nothing
    sms.refresh_from_db()
    assert (sms.state, sms.attempts) == (DeliveryState.FAILED, MAX_RETRIES + 1)


@pytest.mark.django_db
def test_the_admin_sends_a_failed_delivery_again(client, django_capture_on_commit_callbacks):
    user = person(email=False, sms=True, phone="081234567890")
    sandbox.fail_next("sms", 100)
    with django_capture_on_commit_callbacks(execute=True):
        tell([user])
    sandbox.fail_next("sms", 0)  # the provider is back

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    failed = Delivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:notifications_delivery_changelist"),
                               {"action": "send_again", "_selected_action": [failed.pk]})
    assert response.status_code == 302

    sms = Delivery.objects.get()
    assert sms.state == DeliveryState.SENT
    assert SandboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_the_sweep_queues_a_lost_delivery_and_leaves_a_fresh_one(
        django_capture_on_commit_callbacks):
    old, fresh = person(), person()
    # Queued into nothing: the deliveries stay pending, as when the broker lost their message.
    with django_capture_on_commit_callbacks(execute=False):
        tell([old], key="e:old")
        tell([fresh], key="e:fresh")
    Delivery.objects.filter(notification__recipient=old).update(
        created_at=timezone.now() - timedelta(minutes=20),
        due_at=timezone.now() - timedelta(minutes=20))

    assert deliveries_sweep.delay().get() == 1
    assert Delivery.objects.get(notification__recipient=old).state == DeliveryState.SENT
    assert Delivery.objects.get(notification__recipient=fresh).state == DeliveryState.PENDING
    assert [m.to for m in mail.outbox] == [[old.email]]
    assert deliveries_sweep.delay().get() == 0  # nothing left to sweep
