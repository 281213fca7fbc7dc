"""Signed webhook delivery, one attempt at a time, with exponential backoff between attempts.

The signature is Stripe's: ``Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>``.
An attempt never runs inside a transaction: the receiver may be this very server, writing to the
same SQLite file, and must not wait on a lock the sender holds.
"""

import hashlib
import hmac
import json
import logging
import time
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from . import shapes
from .models import WebhookDelivery

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
# Longer than one attempt can take (connect 5 s + read 10 s), so a claim outlives its sender.
CLAIM_LEASE = timedelta(seconds=60)
TIMEOUT = (5, 10)


def signature_header(*, payload: bytes, secret: str, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def backoff(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failure: 1, 2, 4 … minutes, at most six hours."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


def webhook_delivery_attempt(*, delivery_id: int) -> WebhookDelivery | None:
    """Send one attempt unless the delivery already succeeded or another worker holds it."""
    now = timezone.now()
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id)
        .exclude(status=WebhookDelivery.Status.SUCCEEDED)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_LEASE, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("event").get(pk=delivery_id)
    payload = json.dumps(shapes.event(delivery.event)).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Stripe-Signature": signature_header(
            payload=payload, secret=settings.PAYMENT_SANDBOX_WEBHOOK_SECRET
        ),
        "User-Agent": "IzinSandbox/1.0 (webhooks)",
    }
    status_code, error = None, ""
    try:
        response = requests.post(delivery.url, data=payload, headers=headers, timeout=TIMEOUT)
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}: {response.text[:300]}"
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:1000]
    _record(delivery, status_code=status_code, error=error)
    return delivery


def _record(delivery: WebhookDelivery, *, status_code: int | None, error: str) -> None:
    now = timezone.now()
    delivery.last_status_code = status_code
    delivery.last_error = error
    delivery.claimed_until = None
    if not error:
        delivery.status = WebhookDelivery.Status.SUCCEEDED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = WebhookDelivery.Status.RETRYING
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(update_fields=["last_status_code", "last_error", "claimed_until", "status",
                                 "delivered_at", "next_attempt_at"])
    log.info("sandbox_webhook_attempt delivery_id=%s event_id=%s attempt=%s status=%s code=%s",
             delivery.pk, delivery.event_id, delivery.attempts, delivery.status, status_code)


def webhook_deliveries_due(*, now: datetime | None = None) -> list[int]:
    """Deliveries waiting for their next attempt whose backoff has passed."""
    return list(
        WebhookDelivery.objects.filter(
            status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING],
            next_attempt_at__lte=now or timezone.now(),
        ).order_by("next_attempt_at").values_list("pk", flat=True)
    )
