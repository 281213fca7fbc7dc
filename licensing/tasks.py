from celery import shared_task

from licensing import services


# acks_late (settings) and an "already issued?" check in the service make a re-run harmless.
@shared_task(time_limit=300)  # rendering and signing a permit PDF takes seconds, not minutes
def application_issue(application_id: int) -> None:
    services.application_issue(application_id=application_id)
