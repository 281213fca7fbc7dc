from celery import shared_task

from config.celery import retry_transient
from events import delivery

SWEEP_BATCH = 500


# Ids in; the attempt checks "still due, not held by another worker?" under the row lock, so a
# task delivered twice (acks_late) or queued by both the publisher and the sweep sends once. A
# receiver's failure is not an exception: it is recorded and the sweep retries on schedule.
# The limit: one POST of at most connect + read timeout; longer means stuck.
@shared_task(acks_late=True, time_limit=120, **retry_transient(max_retries=5))
def deliver(delivery_id: int) -> str | None:
    attempt = delivery.delivery_attempt(delivery_id=delivery_id)
    if attempt.follower_id is not None:
        deliver.delay(attempt.follower_id)  # the object's next event, now that it may go
    return attempt.state


# Beat, every minute: retries whose time has come, and deliveries whose task was lost (a broker
# restart). Queuing one that is being sent right now is harmless (skipped under its lock).
@shared_task(acks_late=True, time_limit=120)
def deliveries_due() -> int:
    due = delivery.deliveries_due(limit=SWEEP_BATCH)
    for delivery_id in due:
        deliver.delay(delivery_id)
    return len(due)
