from celery import shared_task

from config.celery import retry_transient
from workflows import audit_verify, deadlines


# Beat, every few minutes. Each deadline is acted on under its row lock and marked done in the
# same transaction, so two sweeps at once, or one run again after a crash, act once.
@shared_task(acks_late=True, time_limit=300, **retry_transient(max_retries=5))
def deadlines_sweep() -> dict[str, int]:
    return deadlines.deadlines_sweep()


# Beat, nightly. Recomputes yesterday's and today's hash chains of the audit trail and the
# ledger; a break is logged and told to the administrators once (notify's event key), however
# often it runs. Reads two days of entries: ten minutes is far beyond what that takes.
@shared_task(acks_late=True, time_limit=600, **retry_transient(max_retries=3))
def audit_verify_nightly() -> int:
    return audit_verify.audit_verify_recent()
