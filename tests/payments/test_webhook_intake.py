"""POST /payments/webhooks/stripe/: only what the gateway signed, just now, with one of our
secrets, is stored, and each event once; everything else is a 400 that writes nothing."""

import time

import pytest

from payments.models import WebhookEvent
from tests.payments.flow import deliver, post_webhook, signed

pytestmark = pytest.mark.django_db


def event(event_id: str = "evt_1", type: str = "checkout.session.completed") -> dict:
    """An event about a session Izin does not know: stored and processed, nothing to apply."""
    return {"id": event_id, "object": "event", "type": type, "created": int(time.time()),
            "api_version": "2024-06-20", "livemode": False, "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "data": {"object": {"id": "cs_unknown", "object": "checkout.session"}}}


@pytest.fixture
def receive(client, django_capture_on_commit_callbacks):
    def receive_(payload: dict, **signing):
        with django_capture_on_commit_callbacks(execute=True):
            return deliver(client, payload, **signing)
    return receive_


def test_a_signed_event_is_stored_and_processed_once(receive):
    assert receive(event()).status_code == 200
    stored = WebhookEvent.objects.get()
    assert (stored.event_id, stored.type) == ("evt_1", "checkout.session.completed")
    assert stored.attempts == 1
    assert stored.processed_at is not None
    assert stored.payload["data"]["object"]["id"] == "cs_unknown"


def test_a_forged_signature_is_refused_and_nothing_is_written(receive, caplog):
    response = receive(event(), secret="whsec_someone_else")
    assert response.status_code == 400
    assert WebhookEvent.objects.count() == 0
    assert "webhook_refused" in caplog.text


def test_a_changed_body_under_a_real_signature_is_refused(client):
    body, header = signed(event())
    response = post_webhook(client, body.replace(b"evt_1", b"evt_2"), header)
    assert response.status_code == 400
    assert WebhookEvent.objects.count() == 0


@pytest.mark.parametrize("header", ["", "t=abc,v1=00", "v1=deadbeef"])
def test_a_missing_or_malformed_signature_is_refused(client, header):
    body, _header = signed(event())
    assert post_webhook(client, body, header).status_code == 400
    assert WebhookEvent.objects.count() == 0


def test_a_stale_signature_is_refused(receive):
    response = receive(event(), timestamp=int(time.time()) - 301)
    assert response.status_code == 400
    assert WebhookEvent.objects.count() == 0


def test_a_captured_request_replayed_later_is_refused(client, receive):
    body, header = signed(event(), timestamp=int(time.time()) - 600)  # captured ten minutes ago
    assert post_webhook(client, body, header).status_code == 400
    assert WebhookEvent.objects.count() == 0


def test_a_repeated_delivery_answers_200_and_changes_nothing(client, receive,
                                                             django_capture_on_commit_callbacks):
    body, header = signed(event())
    with django_capture_on_commit_callbacks(execute=True) as first:
        assert post_webhook(client, body, header).status_code == 200
    with django_capture_on_commit_callbacks(execute=True) as second:
        assert post_webhook(client, body, header).status_code == 200
    assert receive(event()).status_code == 200  # the gateway's own retry, freshly signed
    assert (len(first), len(second)) == (1, 0)  # processing queued once
    assert WebhookEvent.objects.get().attempts == 1


def test_during_rotation_both_secrets_are_accepted(receive, settings):
    settings.PAYMENT_WEBHOOK_SECRETS = ["whsec_old", "whsec_new"]
    assert receive(event("evt_old"), secret="whsec_old").status_code == 200
    assert receive(event("evt_new"), secret="whsec_new").status_code == 200
    assert receive(event("evt_gone"), secret="whsec_izin_sandbox").status_code == 400
    assert set(WebhookEvent.objects.values_list("event_id", flat=True)) == {"evt_old", "evt_new"}


def test_a_header_with_several_signatures_matches_any_of_them(client, receive, settings):
    settings.PAYMENT_WEBHOOK_SECRETS = ["whsec_new"]
    body, old = signed(event(), secret="whsec_old")
    _body, new = signed(event(), secret="whsec_new")
    header = old + "," + new.split(",")[1]  # t=…,v1=<old>,v1=<new>, as during a rotation
    assert post_webhook(client, body, header).status_code == 200
    assert WebhookEvent.objects.count() == 1


def test_only_post_is_accepted(client):
    assert client.get("/payments/webhooks/stripe/").status_code == 405
