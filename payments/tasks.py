from celery import shared_task

from config.celery import retry_transient
from payments import payment_services, refunds, services, webhook_services


# Beat runs this every 15 minutes (settings.CELERY_BEAT_SCHEDULE). A re-run finds the bills it
# already expired closed and leaves them alone, so a redelivered or overlapping run is harmless.
# The time limit: a day's overdue bills take seconds; it stops a stuck run before the next beat.
@shared_task(time_limit=600)
def invoice_expire_overdue() -> int:
    return len(services.invoice_expire_overdue())


# Queued after the event is stored. acks_late: a worker lost mid-run gets it again, and the
# service starts with "already processed?". The limit: two gateway calls of at most 5 s + 10 s
# each, with the client's retries; a hung socket must not hold a worker for longer.
@shared_task(acks_late=True, time_limit=120, **retry_transient(max_retries=10))
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
@shared_task(acks_late=True, time_limit=120, **retry_transient(max_retries=10))
def refund_send(refund_id: int) -> str:
    return refunds.refund_send(refund_id=refund_id).state


# Beat: refunds approved but not yet answered by the gateway are sent again (same key), pending
# ones asked about, until each succeeds or fails. Overlapping runs only re-apply the gateway's
# answer. The limit stops a run stuck on an unreachable gateway before the next one starts.
@shared_task(acks_late=True, time_limit=600)
def refunds_refresh_pending() -> int:
    return len(refunds.refunds_refresh_pending())
