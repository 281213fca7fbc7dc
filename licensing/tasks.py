from celery import shared_task

from licensing import permits


# Periodic (`celery beat`): permits whose end date has passed become expired. Idempotent.
@shared_task(acks_late=True)
def permits_expire_due() -> int:
    return permits.permit_expire_due()


# Periodic (`celery beat`, daily): holders are told before their permits end. Idempotent.
@shared_task(acks_late=True)
def permits_remind_expiring() -> int:
    return permits.permit_remind_expiring()
