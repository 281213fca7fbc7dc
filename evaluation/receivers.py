"""The evaluation's reactions to the apps below it, connected in ``EvaluationConfig.ready``: an
application that ends in a permit (issued) or a rejection invites its business to the
satisfaction survey, once (``evaluation.survey.survey_invite``)."""

from django.dispatch import receiver

from evaluation.survey import survey_invite
from licensing.signals import application_entered
from licensing.states import ApplicationState

# Where the service ends with a decision the business can judge.
SURVEYED = (ApplicationState.ISSUED, ApplicationState.REJECTED)


@receiver(application_entered, dispatch_uid="evaluation_survey_invite")
def invite_to_survey(sender, *, application, **kwargs) -> None:
    if application.state in SURVEYED:
        survey_invite(application=application)
