import logging

from celery import shared_task

from payments import payment_services, services, webhook_services
from payments.models import Payment
from payments.treasury import refunds
from workflows.machine import TransitionRefused

logger = logging.getLogger("izin.payments")


# Beat runs this every 15 minutes (settings.CELERY_BEAT_SCHEDULE). A re-run finds the bills it
# already expired closed and leaves them alone, so a redelivered or overlapping run is harmless.
# The time limit: a day's overdue bills take seconds; it stops a stuck run before the next beat.
@shared_task(time_limit=600)
def invoice_expire_overdue() -> int:
    return len(services.invoice_expire_overdue())


# Queued after the event is stored. acks_late: a worker lost mid-run gets it again, and the
# service starts with "already processed?". The limit: two gateway calls of at most 5 s + 10 s
# each, with the client's retries; a hung socket must not hold a worker for longer.
@shared_task(acks_late=True, time_limit=120)
def webhook_event_process(webhook_event_id: int) -> None:
    webhook_services.webhook_event_process(webhook_event_id=webhook_event_id)


# Beat runs this every 5 minutes: attempts pending too long are asked about at the gateway, and
# events whose processing failed are tried again. Both only re-apply the gateway's answer, so
# overlapping runs are harmless. The limit stops a run stuck on an unreachable gateway before
# the runs pile up (each call is bounded by the client's timeouts and retries).
@shared_task(acks_late=True, time_limit=600)
def payments_poll() -> dict[str, int]:
    return {
        "events_retried": webhook_services.webhook_events_retry(),
        "payments_moved": len(payment_services.payment_refresh_stale()),
    }


# Queued after a second officer approved a refund. The service starts with "still approved?" and
# asks the gateway under the refund's own idempotency key, so a redelivery (acks_late) or a run
# after a lost answer gets the gateway's first refund back. The limit: one gateway call with the
# client's retries; a hung socket must not hold a worker.
@shared_task(acks_late=True, time_limit=120)
def refund_send(refund_id: int) -> str:
    return refunds.refund_send(refund_id=refund_id).state


# Queued after a payment succeeded flagged for the treasury. A payment with a refund already
# gets nothing more, so a second run is harmless; a refusal (the bill moved meanwhile) is logged
# and ``refunds_suggest_all`` finds the payment again.
@shared_task(acks_late=True, time_limit=120)
def payment_refunds_suggest(payment_id: int) -> int:
    try:
        return len(refunds.refunds_suggest(payment=Payment.objects.get(pk=payment_id)))
    except TransitionRefused as error:
        logger.warning("refund_suggest_failed payment_id=%s error=%s", payment_id, error)
        return 0


# Beat: refunds approved but not yet answered by the gateway are sent again (same key), pending
# ones asked about, until each succeeds or fails. Overlapping runs only re-apply the gateway's
# answer. The limit stops a run stuck on an unreachable gateway before the next one starts.
@shared_task(acks_late=True, time_limit=600)
def refunds_refresh_pending() -> int:
    return len(refunds.refunds_refresh_pending())


# Beat: flagged payments whose suggestion never ran (a lost task) get their drafts. Idempotent.
@shared_task(acks_late=True, time_limit=600)
def refunds_suggest_all() -> int:
    return refunds.refunds_suggest_all()


# The treasury's tasks live beside its services; importing them here registers them with Celery.
from payments.treasury.tasks import *  # noqa: E402,F403
