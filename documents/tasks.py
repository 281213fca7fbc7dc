from celery import shared_task

from documents import issuance
from documents.signing import SigningUnavailable


# Acknowledged late (settings) and idempotent: a worker killed halfway leaves the permit row
# without a file, and the redelivered task completes it with the same number. Signing that fails
# (key missing, TSA down) retries with backoff, for about a day, and never stores anything.
@shared_task(
    acks_late=True,
    autoretry_for=(SigningUnavailable,),
    retry_backoff=30,
    retry_backoff_max=60 * 60,
    max_retries=30,
    time_limit=300,  # rendering and signing one permit takes seconds; five minutes means stuck
)
def application_issue(application_id: int) -> None:
    issuance.application_issue(application_id=application_id)
