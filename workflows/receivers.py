"""Review's reactions to licensing: an application entering review gets its next step's
tasks; one withdrawn leaves every inbox. Connected in ``WorkflowsConfig.ready``."""

from django.dispatch import receiver

from licensing.signals import application_entered
from licensing.states import ApplicationState
from workflows.services import review_cancel_pending, review_open_next_step


@receiver(application_entered, dispatch_uid="workflows_review")
def open_or_cancel_review(sender, *, application, **kwargs) -> None:
    if application.state == ApplicationState.IN_REVIEW:
        review_open_next_step(application=application)
    elif application.state == ApplicationState.WITHDRAWN:
        review_cancel_pending(application=application)
