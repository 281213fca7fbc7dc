"""Documents' reaction to licensing: an application that may be issued gets its permit
signed, by the issuance task queued after commit. Connected in ``DocumentsConfig.ready``."""

from django.dispatch import receiver
from django_fsm import can_proceed

from config.celery import enqueue_on_commit
from documents.tasks import application_issue
from licensing.signals import application_entered
from licensing.states import ApplicationState


@receiver(application_entered, dispatch_uid="documents_issue_permit")
def issue_permit(sender, *, application, **kwargs) -> None:
    if (application.state in (ApplicationState.APPROVED, ApplicationState.PAID)
            and can_proceed(application.issue)):
        enqueue_on_commit(application_issue, application.pk)
