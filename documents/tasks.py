import logging

from celery import shared_task
from django.core.cache import cache

from config.celery import retry_transient
from documents import issuance
from documents.signing import SigningUnavailable

logger = logging.getLogger("izin.documents")

SWEEP_REQUEUE_SECONDS = 60 * 60


# Acknowledged late (settings) and idempotent: a worker killed halfway leaves the permit row
# without a file, and the redelivered task completes it with the same number. Signing that fails
# (key missing, TSA down), the database dropping the connection and the storage refusing a
# write all retry with backoff (doubling from TASK_RETRY_BACKOFF_SECONDS to ten minutes, thirty
# times: a few hours) and never store a half; past that the task is a FailedTask for the
# administrator, and ``issuance_sweep`` still finds the application.
@shared_task(
    acks_late=True,
    **retry_transient(max_retries=30, also=(SigningUnavailable,)),
    time_limit=300,  # rendering and signing one permit takes seconds; five minutes means stuck
)
def application_issue(application_id: int) -> None:
    issuance.application_issue(application_id=application_id)


# Beat, every five minutes: nothing waits forever on one lost message. Queuing an application
# that is being issued right now is harmless (exactly-once issuance), so overlapping sweeps are;
# an application is queued again at most once an hour, so a long signing outage does not pile
# up a retrying task per sweep.
@shared_task(acks_late=True, time_limit=120)
def issuance_sweep() -> int:
    pending = [application_id for application_id in issuance.issuance_pending()
               if cache.add(f"issuance_swept:{application_id}", 1, timeout=SWEEP_REQUEUE_SECONDS)]
    for application_id in pending:
        application_issue.delay(application_id)
    if pending:
        logger.warning("issuance_swept count=%s application_ids=%s", len(pending),
                       ",".join(map(str, pending)))
    return len(pending)
