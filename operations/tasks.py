from celery import shared_task
from django.core.management import call_command


# Beat, nightly: expired sessions are deleted. Idempotent; a second run finds nothing.
@shared_task(acks_late=True, time_limit=600)
def sessions_clear() -> None:
    call_command("clearsessions")
