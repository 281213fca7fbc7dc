"""What the evaluation tells people: the business that it is invited to the survey, the head of
office that a complaint arrived, the complainant that it was answered. Each through
``notifications.services.notify`` inside the transaction of its event, keyed so it is sent once.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from licensing import roles
from notifications.services import notify


def _heads_of_office():
    return get_user_model().objects.filter(groups__name=roles.HEAD_OF_OFFICE, is_active=True)


def survey_invited(*, invitation) -> None:
    """The business's people, in the app and by e-mail: the link carries the invitation's token,
    so it works from the e-mail without signing in."""
    application = invitation.application
    notify(
        recipients=application.business.members.filter(is_active=True),
        event_key=f"survey:{invitation.pk}:invited", kind="survey.invited",
        subject=_("How was our service? (%(reference)s)"),
        body=_("Your application %(reference)s for %(permit)s is decided. Please tell us how the "
               "service was: nine short questions, about two minutes. Your answers are "
               "anonymous: no report shows who gave them."),
        params={"reference": application.reference,
                "permit": lazy(lambda: application.permit_type.name, str)()},
        url=reverse("feedback:survey_token", args=[invitation.token]),
    )


def complaint_received(*, complaint) -> None:
    """Every active head of office; the complaint's text is read on its page, not in mail."""
    if complaint.application_id:
        about = complaint.application.reference
    else:
        about = _("the service in general (anonymous)")
    notify(
        recipients=_heads_of_office(), event_key=f"complaint:{complaint.pk}:received",
        kind="complaint.received",
        subject=_("Complaint %(reference)s received"),
        body=_("A complaint (%(reference)s) about %(about)s was received. Read it and answer it "
               "in Izin."),
        params={"reference": complaint.reference, "about": about},
        url=reverse("feedback:complaint_detail", args=[complaint.pk]),
    )


def complaint_answered(*, complaint) -> None:
    """The person who filed it, when known (an anonymous complaint has nobody to tell)."""
    if complaint.submitted_by_id is None:
        return
    notify(
        recipients=[complaint.submitted_by], event_key=f"complaint:{complaint.pk}:answered",
        kind="complaint.answered",
        subject=_("Your complaint %(reference)s is answered"),
        body=_("The head of office answered your complaint %(reference)s:\n\n%(answer)s"),
        params={"reference": complaint.reference, "answer": complaint.answer},
        url=reverse("feedback:complaint_mine"),
    )
