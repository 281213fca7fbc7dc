"""Webhook intake: store each gateway event once by its id, then process it after commit.

An event is a trigger, not the truth: processing finds the attempt the event names and asks the
gateway about it (``payment_refresh``); an event about a refund, or a charge refunded, finds our
refunds and asks about them (``refund_refresh``). Repeated, concurrent and out-of-order
deliveries therefore change nothing twice, and a final payment or refund never moves.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from config.celery import enqueue_on_commit
from payments.gateway.errors import GatewayError
from payments.gateway.types import Event
from payments.models import Payment, Refund, WebhookEvent
from payments.payment_services import payment_refresh
from payments.refunds import refund_refresh
from payments.states import RefundState
from workflows.machine import TransitionRefused

logger = logging.getLogger("izin.payments")


def webhook_event_receive(*, event: Event) -> WebhookEvent | None:
    """Store a verified event; its processing is queued after commit. A repeated delivery of
    the same event id stores and queues nothing and returns None."""
    from payments.tasks import webhook_event_process

    row, created = WebhookEvent.objects.get_or_create(
        event_id=event.id, defaults={"type": event.type, "payload": event.raw})
    if not created:
        logger.info("webhook_duplicate event_id=%s type=%s", event.id, event.type)
        return None
    enqueue_on_commit(webhook_event_process, row.pk)
    logger.info("webhook_received event_id=%s type=%s", event.id, event.type)
    return row


def webhook_event_process(*, webhook_event_id: int) -> None:
    """Apply a stored event: refresh the attempt or the refunds it names from the gateway.
    Idempotent; a failure is kept in ``last_error`` and the event is tried again by the
    poller."""
    claimed = (WebhookEvent.objects.filter(pk=webhook_event_id, processed_at__isnull=True)
               .update(attempts=F("attempts") + 1))
    if not claimed:
        return  # already processed
    row = WebhookEvent.objects.get(pk=webhook_event_id)
    event = Event.from_wire(row.payload)
    payment = _payment_for(event)
    refunds = _refunds_for(event)
    try:
        if payment is not None:
            payment_refresh(payment=payment)
        for refund in refunds:
            refund_refresh(refund=refund)
    except (GatewayError, TransitionRefused) as error:
        row.last_error = str(error)[:2000]
        row.save(update_fields=["last_error"])
        logger.warning("webhook_processing_failed event_id=%s error=%s", event.id, error)
        return
    row.processed_at = timezone.now()
    row.last_error = ""
    row.save(update_fields=["processed_at", "last_error"])
    logger.info("webhook_processed event_id=%s type=%s payment_id=%s refund_ids=%s", event.id,
                event.type, getattr(payment, "pk", None),
                ",".join(str(refund.pk) for refund in refunds))


def _payment_for(event: Event) -> Payment | None:
    """The attempt an event is about, by the gateway id of its object. Events about other
    objects (refunds, payouts) have nothing to do here."""
    if event.object_type == "checkout.session":
        found = Payment.objects.filter(checkout_session_id=event.object_id)
    elif event.object_type == "payment_intent":
        found = Payment.objects.filter(payment_intent_id=event.object_id)
    else:
        return None
    payment = found.select_related("invoice").first()
    if payment is None:
        logger.info("webhook_unmatched event_id=%s object_id=%s", event.id, event.object_id)
    return payment


def _refunds_for(event: Event) -> list[Refund]:
    """Our refunds an event is about: a refund by its gateway id (or, before our row learnt
    that id, by the ``izin_refund`` our request put in its metadata), or the unfinished refunds
    of a payment whose charge the event says was refunded."""
    if event.object_type == "refund":
        found = list(Refund.objects.filter(gateway_refund_id=event.object_id))
        ours = str((event.data_object.get("metadata") or {}).get("izin_refund", ""))
        if not found and ours.isdigit():
            found = list(Refund.objects.filter(pk=int(ours)))
    elif event.object_type == "charge" and event.type.startswith("charge.refund"):
        found = list(Refund.objects.filter(
            payment__charge_id=event.object_id,
            state__in=[RefundState.APPROVED, RefundState.PENDING]).order_by("pk"))
    else:
        return []
    if not found:
        logger.info("webhook_unmatched event_id=%s object_id=%s", event.id, event.object_id)
    return found


def webhook_events_retry(*, now: datetime | None = None) -> int:
    """Process again the events whose processing failed (the gateway did not answer) and that
    waited at least ``PAYMENT_POLL_AFTER_MINUTES``. Returns how many were tried."""
    cutoff = (now or timezone.now()) - timedelta(minutes=settings.PAYMENT_POLL_AFTER_MINUTES)
    waiting = list(WebhookEvent.objects.filter(processed_at__isnull=True, received_at__lt=cutoff)
                   .order_by("pk").values_list("pk", flat=True))
    for webhook_event_id in waiting:
        webhook_event_process(webhook_event_id=webhook_event_id)
    return len(waiting)
