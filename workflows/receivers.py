"""Review's reactions to licensing, connected in ``WorkflowsConfig.ready``: the service-standard
clock follows the application (``workflows.deadlines``); an application entering review gets its
next step's tasks; one that leaves review any other way (withdrawn, approved by operation of
law, lapsed) leaves every inbox; the business is told what the move means for it."""

from django.dispatch import receiver

from licensing.signals import application_entered
from licensing.states import ApplicationState
from workflows import notices
from workflows.deadlines import clock_follow
from workflows.services import review_cancel_pending, review_open_next_step


@receiver(application_entered, dispatch_uid="workflows_review")
def follow_application(sender, *, application, **kwargs) -> None:
    clock_follow(application=application)
    if application.state == ApplicationState.IN_REVIEW:
        review_open_next_step(application=application)
    elif application.state != ApplicationState.CHANGES_REQUESTED:
        review_cancel_pending(application=application)
    notices.application_moved(application=application)
