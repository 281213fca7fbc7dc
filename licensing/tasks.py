from celery import shared_task
from django.core.mail import send_mail

from config.celery import retry_transient
from licensing import permits


# E-mail to an address that is not (yet) somebody's notifications: sign-up, password reset,
# invitations. After commit, by a worker, retried while the relay is away (SMTP errors are
# OSErrors): a relay that fails never turns a saved form into an error page.
@shared_task(acks_late=True, **retry_transient(max_retries=10))
def mail_send(subject: str, body: str, recipients: list[str]) -> None:
    send_mail(subject, body, None, recipients, fail_silently=False)


# Periodic (`celery beat`): permits whose end date has passed become expired. Idempotent.
@shared_task(acks_late=True)
def permits_expire_due() -> int:
    return permits.permit_expire_due()


# Periodic (`celery beat`, daily): holders are told before their permits end. Idempotent.
@shared_task(acks_late=True)
def permits_remind_expiring() -> int:
    return permits.permit_remind_expiring()
