"""The treasury's Celery tasks (registered through ``payments.tasks``). Each is idempotent."""

from dataclasses import asdict

from celery import shared_task

from payments.treasury import settlements

__all__ = ["settlements_pull"]  # what ``payments.tasks`` imports: the tasks, not the modules


# Beat runs this hourly (settings.CELERY_BEAT_SCHEDULE). Pulling adds only what Izin does not
# hold yet and matching is idempotent, so a redelivered, overlapping or re-run task is harmless;
# acks_late gives a lost worker's run to another. The limit: a pull is bounded by the gateway
# client's timeouts per page; a stuck run must end well before the next hour's.
@shared_task(acks_late=True, time_limit=30 * 60)
def settlements_pull() -> dict[str, dict[str, int]]:
    # Imported when the task runs: matching draws in the exceptions and their rules, which
    # registering the tasks (``payments.tasks`` imports this module) does not need.
    from payments.treasury.matching import reconcile

    pulled = settlements.settlements_pull()
    return {"pulled": asdict(pulled), "matched": reconcile()}
