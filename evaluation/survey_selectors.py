"""Reading survey invitations, scoped to who asks. The answers themselves are read only as
figures (``evaluation.ikm``): nothing here joins an answer to anyone."""

from django.shortcuts import get_object_or_404

from evaluation.models import SurveyInvitation
from licensing.models import Business


def _of_members(user):
    return SurveyInvitation.objects.filter(
        application__business__in=Business.objects.filter(memberships__user=user).values("pk"))


def survey_invitation_open_for_member(*, user, application) -> SurveyInvitation | None:
    """The application's unanswered invitation, if ``user`` acts for its business; else None."""
    if user is None or not user.is_authenticated:
        return None
    return _of_members(user).filter(application=application, answered_at__isnull=True).first()


def survey_invitation_get_for_member(*, user, application_id: int) -> SurveyInvitation:
    """The application's invitation (answered or not) for its business's people; else 404."""
    return get_object_or_404(_of_members(user).select_related("application__permit_type"),
                             application_id=application_id)


def survey_invitation_get_by_token(*, token: str) -> SurveyInvitation:
    """Whoever holds the e-mail's link; else 404."""
    return get_object_or_404(SurveyInvitation.objects.select_related("application__permit_type"),
                             token=token[:64])
