from celery import shared_task

from config.celery import retry_transient
from workflows import deadlines


# Beat, every few minutes. Each deadline is acted on under its row lock and marked done in the
# same transaction, so two sweeps at once, or one run again after a crash, act once.
@shared_task(acks_late=True, time_limit=300, **retry_transient(max_retries=5))
def deadlines_sweep() -> dict[str, int]:
    return deadlines.deadlines_sweep()
