"""The sandbox's Celery tasks. Each takes ids or dates and starts with "already done?".

Retries are not Celery's own: a failed attempt stores its next time (exponential backoff) and
``retry_due_webhooks`` (beat, every minute) sends what is due. That works the same with a worker
and in eager mode (``make run``), where an in-line retry would hammer the endpoint with no pause.
"""

from datetime import date

from celery import shared_task

from . import checkout, ledger, webhooks


# Bounded by the HTTP timeouts (5 s connect, 10 s read); the limit only catches a hung socket.
@shared_task(time_limit=60)
def deliver_webhook(delivery_id: int) -> None:
    webhooks.webhook_delivery_attempt(delivery_id=delivery_id)


@shared_task(time_limit=600)  # at most a few hundred attempts, each bounded as above
def retry_due_webhooks() -> int:
    due = webhooks.webhook_deliveries_due()
    for delivery_id in due:
        webhooks.webhook_delivery_attempt(delivery_id=delivery_id)
    return len(due)


@shared_task(time_limit=300)
def expire_due_checkout_sessions() -> int:
    return checkout.checkout_sessions_expire_due()


@shared_task(time_limit=300)
def pay_out_day(day: str | None = None) -> list[str]:
    """The daily payout (beat, late evening); running it again for the day creates nothing."""
    payouts = ledger.payouts_for_day(day=date.fromisoformat(day) if day else None)
    return [payout.id for payout in payouts]
