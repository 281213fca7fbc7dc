from celery import shared_task

from licensing import permits


# Periodic (`celery beat`): permits whose end date has passed become expired. Idempotent.
@shared_task(acks_late=True)
def permits_expire_due() -> int:
    return permits.permit_expire_due()
