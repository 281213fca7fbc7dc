"""The treasury's Celery tasks. Each is idempotent: it may run twice, or be killed and re-run."""

import logging
from dataclasses import asdict

from celery import shared_task

from config.celery import retry_transient
from payments.models import Payment
from treasury import refunds, settlements
from treasury.matching import reconcile
from workflows.machine import TransitionRefused

logger = logging.getLogger("izin.treasury")


# Beat runs this hourly (settings.CELERY_BEAT_SCHEDULE). Pulling adds only what Izin does not
# hold yet and matching is idempotent, so a redelivered, overlapping or re-run task is harmless;
# acks_late gives a lost worker's run to another. The limit: a pull is bounded by the gateway
# client's timeouts per page; a stuck run must end well before the next hour's.
@shared_task(acks_late=True, time_limit=30 * 60)
def settlements_pull() -> dict[str, dict[str, int]]:
    pulled = settlements.settlements_pull()
    return {"pulled": asdict(pulled), "matched": reconcile()}


# Queued after a payment succeeded flagged for the treasury (``treasury.receivers``). A payment
# with a refund already gets nothing more, so a second run is harmless; a refusal (the bill
# moved meanwhile) is logged and ``refunds_suggest_all`` finds the payment again.
@shared_task(acks_late=True, time_limit=120, **retry_transient(max_retries=10))
def payment_refunds_suggest(payment_id: int) -> int:
    try:
        return len(refunds.refunds_suggest(payment=Payment.objects.get(pk=payment_id)))
    except TransitionRefused as error:
        logger.warning("refund_suggest_failed payment_id=%s error=%s", payment_id, error)
        return 0


# Beat: flagged payments whose suggestion never ran (a lost task) get their drafts. Idempotent.
@shared_task(acks_late=True, time_limit=600)
def refunds_suggest_all() -> int:
    return refunds.refunds_suggest_all()
