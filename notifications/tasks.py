import logging

from celery import shared_task
from django.conf import settings

from config.celery import retry_transient
from notifications import deliveries

logger = logging.getLogger("izin.notifications")

# Eight retries, the wait doubling from NOTIFICATIONS_RETRY_BASE_SECONDS up to an hour: about
# three hours of a provider's outage before a delivery fails for good (the admin can send it
# again). Past that the notice is still in the person's list.
MAX_RETRIES = 8
RETRY_MAX_SECONDS = 60 * 60
SWEEP_BATCH = 500


def retry_countdown(retries: int) -> int:
    return min(settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2**retries, RETRY_MAX_SECONDS)


# Ids in, "already sent?" first (under the row lock), acknowledged late: a message delivered
# twice, or to two workers at once, sends once. A channel's passing failure is retried, then
# recorded as failed for good, and never raised: a provider that is down cannot fail anything.
@shared_task(
    bind=True,
    acks_late=True,
    **retry_transient(max_retries=MAX_RETRIES),  # the database away for a moment
    time_limit=120,  # a provider's call times out well within this; longer means stuck
)
def deliver(self, delivery_id: int) -> None:
    retries = self.request.retries
    while not deliveries.delivery_attempt(delivery_id=delivery_id).done:
        if retries >= MAX_RETRIES:
            deliveries.delivery_fail(delivery_id=delivery_id)
            return
        if not self.request.is_eager:
            countdown = retry_countdown(retries)
            deliveries.delivery_postpone(delivery_id=delivery_id, seconds=countdown)
            raise self.retry(countdown=countdown, max_retries=MAX_RETRIES)
        # Run eagerly (tests, `make run`) there is no broker to wait on, and Celery would raise
        # its Retry into the request that queued the task: the retries happen here, at once.
        retries += 1


# Beat, every ten minutes: a delivery whose task was lost (broker restarted, worker killed) is
# queued again. Queuing one that is being sent right now is harmless (the row lock).
@shared_task(acks_late=True, time_limit=120)
def deliveries_sweep() -> int:
    lost = deliveries.deliveries_lost(limit=SWEEP_BATCH)
    for delivery_id in lost:
        deliver.delay(delivery_id)
    if lost:
        logger.warning("notification_deliveries_swept count=%s delivery_ids=%s", len(lost),
                       ",".join(map(str, lost)))
    return len(lost)
