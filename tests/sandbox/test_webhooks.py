"""Signed webhook delivery after commit, retries with backoff, and the delivery log."""

from datetime import timedelta

import pytest
import stripe
from django.urls import reverse
from django.utils import timezone

from payments.sandbox import checkout, tasks, webhooks
from payments.sandbox.models import CheckoutSession, WebhookDelivery

from .conftest import WEBHOOK_SECRET, Receiver

pytestmark = pytest.mark.django_db


def pay_by_card(session_id, capture):
    with capture(execute=True):
        checkout.checkout_session_pay_card(session_id=session_id, card_number="4242424242424242")


def test_each_event_is_delivered_signed_after_commit(
    session_id, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        checkout.checkout_session_pay_card(session_id=session_id, card_number="4242424242424242")
    assert receiver.requests == []  # nothing leaves before the commit

    for callback in callbacks:
        callback()

    assert receiver.types() == ["checkout.session.completed", "payment_intent.succeeded"]
    for request in receiver.requests:
        event = stripe.Webhook.construct_event(
            request["body"].decode(), request["headers"]["Stripe-Signature"], WEBHOOK_SECRET
        )
        assert event.id.startswith("evt_")
        assert event.data.object.id in (session_id,
                                        CheckoutSession.objects.get(pk=session_id).payment_intent_id)
        with pytest.raises(stripe.SignatureVerificationError):
            stripe.Webhook.construct_event(request["body"].decode(),
                                           request["headers"]["Stripe-Signature"], "whsec_other")
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}
    assert receiver.events()[0]["pending_webhooks"] == 1


def test_the_signature_is_stripes_scheme():
    header = webhooks.signature_header(payload=b'{"id": "evt_1"}', secret="whsec_x",
                                       timestamp=1700000000)
    assert header.startswith("t=1700000000,v1=")
    event = stripe.Webhook.construct_event('{"id": "evt_1"}', header, "whsec_x",
                                           tolerance=None)
    assert event.id == "evt_1"


def test_a_failing_endpoint_is_retried_with_backoff_until_it_answers(
    session_id, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [500, 503, 500, 500]  # both events' first attempts, then one retry each
    pay_by_card(session_id, django_capture_on_commit_callbacks)

    first = WebhookDelivery.objects.order_by("created").first()
    assert (first.status, first.attempts, first.last_status_code) == ("retrying", 1, 500)
    assert "HTTP 500" in first.last_error
    wait = first.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(minutes=1)
    assert tasks.retry_due_webhooks.delay().get() == 0  # not yet due: nothing is sent
    assert len(receiver.requests) == 2

    soon = timezone.now() + timedelta(minutes=1, seconds=5)
    for delivery_id in webhooks.webhook_deliveries_due(now=soon):
        webhooks.webhook_delivery_attempt(delivery_id=delivery_id)
    first.refresh_from_db()
    assert (first.status, first.attempts) == ("retrying", 2)
    assert timedelta(seconds=110) < first.next_attempt_at - timezone.now() <= timedelta(minutes=2)

    # The backoff has passed (the clock moved): beat's task sends what is due.
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    assert tasks.retry_due_webhooks.delay().get() == 2

    first.refresh_from_db()
    assert (first.status, first.attempts, first.last_status_code) == ("succeeded", 3, 200)
    assert first.last_error == "" and first.next_attempt_at is None
    assert len({event["id"] for event in receiver.events()}) == 2  # the same events, resent

    sent = len(receiver.requests)
    tasks.deliver_webhook.delay(first.pk)
    assert len(receiver.requests) == sent  # a delivery that succeeded is never sent again


def test_an_unreachable_endpoint_is_logged_and_given_up_after_the_last_attempt(
    session_id, settings, django_capture_on_commit_callbacks
):
    closed = Receiver()
    closed.server.server_close()  # nothing listens on that port any more
    settings.PAYMENT_SANDBOX_WEBHOOK_URL = closed.url
    checkout.checkout_session_expire(session_id=session_id)
    delivery = WebhookDelivery.objects.get()

    for _ in range(webhooks.MAX_ATTEMPTS):
        webhooks.webhook_delivery_attempt(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == webhooks.MAX_ATTEMPTS
    assert "ConnectionError" in delivery.last_error and delivery.last_status_code is None
    assert delivery.next_attempt_at is None
    assert webhooks.webhook_deliveries_due(now=timezone.now() + timedelta(days=7)) == []


def test_backoff_doubles_up_to_a_ceiling():
    assert [webhooks.backoff(n) for n in (1, 2, 3)] == [
        timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert webhooks.backoff(30) == webhooks.LONGEST_WAIT


def test_a_claimed_delivery_is_not_sent_twice(session_id, receiver):
    checkout.checkout_session_expire(session_id=session_id)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        claimed_until=timezone.now() + timedelta(seconds=30))

    assert webhooks.webhook_delivery_attempt(delivery_id=delivery.pk) is None
    assert receiver.requests == []


def test_without_a_webhook_url_nothing_is_queued(session_id, settings):
    settings.PAYMENT_SANDBOX_WEBHOOK_URL = ""
    checkout.checkout_session_expire(session_id=session_id)
    assert not WebhookDelivery.objects.exists()


def test_the_delivery_log_is_in_the_admin(admin_client, session_id, receiver,
                                          django_capture_on_commit_callbacks):
    receiver.statuses = [500]
    with django_capture_on_commit_callbacks(execute=True):
        checkout.checkout_session_expire(session_id=session_id)

    response = admin_client.get(reverse("admin:sandbox_webhookdelivery_changelist"))

    assert response.status_code == 200
    assert "checkout.session.expired" in response.content.decode()
    delivery = WebhookDelivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:sandbox_webhookdelivery_changelist"),
                          {"action": "deliver_now", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and delivery.attempts == 2
