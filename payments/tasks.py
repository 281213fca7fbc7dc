from celery import shared_task

from payments import services


# Beat runs this every 15 minutes (settings.CELERY_BEAT_SCHEDULE). A re-run finds the bills it
# already expired closed and leaves them alone, so a redelivered or overlapping run is harmless.
# The time limit: a day's overdue bills take seconds; it stops a stuck run before the next beat.
@shared_task(time_limit=600)
def invoice_expire_overdue() -> int:
    return len(services.invoice_expire_overdue())
