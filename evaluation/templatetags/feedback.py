"""The survey's and the complaints' small block on the application page: the page is
licensing's, the question (is there a survey to answer?) the evaluation's."""

from django import template

from evaluation.survey_selectors import survey_invitation_open_for_member
from licensing.rules import acts_for_business
from licensing.states import ApplicationState

register = template.Library()


@register.inclusion_tag("evaluation/feedback/_application_feedback.html", takes_context=True)
def application_feedback(context, application):
    """For the business's own people: the survey while it waits for an answer, and where to
    complain about the application once the office has it."""
    user = context["request"].user
    member = acts_for_business(user, application.business)
    return {
        "application": application,
        "invitation": (survey_invitation_open_for_member(user=user, application=application)
                       if member else None),
        "may_complain": member and application.state != ApplicationState.DRAFT,
    }
