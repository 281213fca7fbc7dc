"""Delivering the outbox to a real receiver on loopback: nothing lost while it is down, nothing
twice, each object's events in order, signed so that Stripe's own library verifies them, a slow
receiver never waited on past the read timeout, retries on the schedule, redelivery on request.
Time travels instead of waiting; the sweep is the one beat runs every minute."""

import json
from datetime import timedelta

import pytest
import stripe
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from events import topics
from events.models import Delivery, DeliveryState
from events.services import publish
from events.tasks import deliveries_due
from tests.events.conftest import SECRET
from tests.events.receiver import HANG
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def suspended_then_reinstated(capture, object_id: int = 7):
    with capture(execute=True), transaction.atomic():
        first = publish(topic=topics.PERMIT_SUSPENDED, object_type="permit",
                        object_id=object_id, payload={"state": "suspended"})
        second = publish(topic=topics.PERMIT_REINSTATED, object_type="permit",
                         object_id=object_id, payload={"state": "active"})
    return first, second


def delivery_of(event) -> Delivery:
    return Delivery.objects.get(event=event)


def sweep_when_due(event) -> int:
    """Beat's sweep, run the moment the event's delivery is due again."""
    with time_machine.travel(delivery_of(event).next_attempt_at + timedelta(seconds=1),
                             tick=False):
        return deliveries_due()


def test_a_receiver_down_for_an_hour_then_back_gets_everything_once_and_in_order(
        receiver, subscription, django_capture_on_commit_callbacks):
    receiver.script = [500, 502, 503]  # down: three answers of failure, then back
    first, second = suspended_then_reinstated(django_capture_on_commit_callbacks)

    # The second event of the permit is held back while the first has not arrived.
    assert [r.event["id"] for r in receiver.received] == [str(first.uid)]
    assert delivery_of(first).state == DeliveryState.RETRYING
    assert delivery_of(second).state == DeliveryState.PENDING

    sweep_when_due(first)  # a minute later: still down
    sweep_when_due(first)  # five minutes after that: still down
    assert [r.status for r in receiver.received] == [500, 502, 503]
    assert delivery_of(first).next_attempt_at - delivery_of(first).last_attempt_at == (
        timedelta(hours=1))
    sweep_when_due(first)  # an hour later it is back: the first, then at once the second
    with time_machine.travel(timezone.now() + timedelta(days=4), tick=False):
        assert deliveries_due() == 0  # nothing left to send

    ids = [r.event["id"] for r in receiver.received]
    assert ids == [str(first.uid)] * 4 + [str(second.uid)]  # never the second before the first
    assert [e["id"] for e in receiver.accepted()] == [str(first.uid), str(second.uid)]
    assert [e["data"]["sequence"] for e in receiver.accepted()] == [1, 2]
    assert {d.state for d in Delivery.objects.all()} == {DeliveryState.DELIVERED}
    assert (delivery_of(first).attempts, delivery_of(second).attempts) == (4, 1)


def test_objects_do_not_wait_for_each_other(receiver, subscription,
                                            django_capture_on_commit_callbacks):
    receiver.script = [500]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        stuck = publish(topic=topics.PERMIT_SUSPENDED, object_type="permit", object_id=1,
                        payload={})
        other = publish(topic=topics.PERMIT_SUSPENDED, object_type="permit", object_id=2,
                        payload={})
    assert delivery_of(stuck).state == DeliveryState.RETRYING
    assert [e["id"] for e in receiver.accepted()] == [str(other.uid)]


def test_the_signature_verifies_with_stripes_own_library(receiver, subscription,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = publish(topic=topics.INVOICE_ISSUED, object_type="invoice", object_id=42,
                        payload={"number": "SKRD/2026/000042", "total": 1_807_500})
    [request] = receiver.received
    body = request.body.decode()
    assert request.signature.startswith("t=") and ",v1=" in request.signature

    verified = stripe.Webhook.construct_event(body, request.signature, SECRET, tolerance=300)
    assert stripe.WebhookSignature.verify_header(body, request.signature, SECRET, 300)
    assert (verified["id"], verified["type"]) == (str(event.uid), "invoice.issued")
    assert json.loads(body) == {
        "id": str(event.uid), "type": "invoice.issued",
        "created": int(event.occurred_at.timestamp()),
        "data": {"object_type": "invoice", "object_id": 42, "sequence": 1,
                 "number": "SKRD/2026/000042", "total": 1_807_500},
    }
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(body, request.signature, "whsec_other", 300)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(body.replace("1807500", "1"), request.signature,
                                              SECRET, 300)


def test_a_receiver_slower_than_the_read_timeout_counts_as_failed_and_is_retried(
        settings, receiver, subscription, django_capture_on_commit_callbacks):
    settings.EVENTS_DELIVERY_READ_TIMEOUT_SECONDS = 0.5
    receiver.script = [HANG]
    with django_capture_on_commit_callbacks(execute=True):
        event = publish(topic=topics.PERMIT_ISSUED, object_type="permit", object_id=3,
                        payload={})
    delivery = delivery_of(event)
    assert (delivery.state, delivery.attempts) == (DeliveryState.RETRYING, 1)
    assert (delivery.last_status_code, delivery.last_error) == (None, "ReadTimeout")
    assert delivery.next_attempt_at - delivery.last_attempt_at == timedelta(minutes=1)
    receiver.release.set()

    assert sweep_when_due(event) == 1
    assert delivery_of(event).state == DeliveryState.DELIVERED
    assert [e["id"] for e in receiver.accepted()] == [str(event.uid)]


def test_retries_wait_a_minute_five_minutes_an_hour_a_day_two_days_then_give_up(
        receiver, subscription, django_capture_on_commit_callbacks):
    receiver.script = [503] * 6
    waits = []
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            event = publish(topic=topics.PERMIT_REVOKED, object_type="permit", object_id=4,
                            payload={})
        for _ in range(5):
            delivery = delivery_of(event)
            waits.append(delivery.next_attempt_at - timezone.now())
            traveller.move_to(delivery.next_attempt_at - timedelta(seconds=1))
            assert deliveries_due() == 0  # not yet
            traveller.move_to(delivery.next_attempt_at)
            assert deliveries_due() == 1
        traveller.shift(timedelta(days=30))
        assert deliveries_due() == 0
    assert waits == [timedelta(minutes=1), timedelta(minutes=5), timedelta(hours=1),
                     timedelta(days=1), timedelta(days=2)]
    delivery = delivery_of(event)
    assert (delivery.state, delivery.attempts) == (DeliveryState.GIVEN_UP, 6)
    assert (delivery.last_status_code, delivery.next_attempt_at) == (503, None)
    assert delivery.last_error.startswith("HTTP 503")
    assert len(receiver.received) == 6


def test_a_subscription_without_its_secret_in_the_environment_sends_nothing(
        settings, receiver, subscription, django_capture_on_commit_callbacks):
    settings.EVENTS_SUBSCRIPTION_SECRETS = {}
    with django_capture_on_commit_callbacks(execute=True):
        event = publish(topic=topics.PERMIT_ISSUED, object_type="permit", object_id=5,
                        payload={})
    assert receiver.received == []
    assert delivery_of(event).state == DeliveryState.RETRYING
    assert "partner" in delivery_of(event).last_error


def test_the_admin_redelivers_what_a_receiver_asks_for_again(
        client, receiver, subscription, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = publish(topic=topics.PERMIT_ISSUED, object_type="permit", object_id=6,
                        payload={})
    delivery = delivery_of(event)
    assert delivery.state == DeliveryState.DELIVERED
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:events_delivery_changelist"),
                               {"action": "redeliver", "_selected_action": [delivery.pk]})
    assert response.status_code == 302
    assert [r.event["id"] for r in receiver.received] == [str(event.uid)] * 2
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.DELIVERED, 1)


def test_the_admin_pages_show_the_log_and_never_a_secret(client, receiver, subscription,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = publish(topic=topics.PERMIT_ISSUED, object_type="permit", object_id=8,
                        payload={})
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for page in (reverse("admin:events_delivery_changelist"),
                 reverse("admin:events_event_changelist"),
                 reverse("admin:events_event_change", args=[event.pk]),
                 reverse("admin:events_subscription_change", args=[subscription.pk])):
        response = client.get(page)
        assert response.status_code == 200, page
        assert SECRET not in response.content.decode()
