"""The survey invitation: once per application that ends in a permit or a rejection, told to
the business's people in the app and by e-mail."""

import pytest

from evaluation.models import SurveyInvitation
from evaluation.survey import survey_invite
from licensing import services as licensing_services
from licensing.models import Application, BusinessMembership, MemberRole
from licensing.signals import application_entered
from licensing.states import ApplicationState as S
from notifications.models import Delivery, DeliveryChannel, Notification
from tests.documents.permits import approved_free
from tests.evaluation.feedback_support import issued_application, rejected_application
from tests.factories import BusinessFactory, PermitTypeFactory, UserFactory
from tests.lifecycle import draft

pytestmark = pytest.mark.django_db


def _survey_notices(invitation):
    return Notification.objects.filter(kind="survey.invited",
                                       event_key=f"survey:{invitation.pk}:invited")


def test_an_issued_permit_invites_its_business_once_and_tells_each_person(
        django_capture_on_commit_callbacks):
    owner, staff, gone = UserFactory(), UserFactory(), UserFactory(is_active=False)
    business = BusinessFactory(owner=owner)
    for person in (staff, gone):
        BusinessMembership.objects.create(business=business, user=person, role=MemberRole.STAFF)
    application = issued_application(django_capture_on_commit_callbacks, owner=owner,
                                     business=business)
    assert application.state == S.ISSUED

    invitation = SurveyInvitation.objects.get(application=application)
    notices = _survey_notices(invitation)
    assert {n.recipient_id for n in notices} == {owner.pk, staff.pk}
    notice = notices.get(recipient=owner)
    assert notice.url == f"/feedback/survey/{invitation.token}/"
    assert application.reference in notice.subject
    assert Delivery.objects.filter(notification=notice, channel=DeliveryChannel.EMAIL).count() == 1

    # The signal again (any later move, a repeated run): no second invitation, no second notice.
    application_entered.send(sender=Application, application=application)
    assert survey_invite(application=application) is None
    assert SurveyInvitation.objects.filter(application=application).count() == 1
    assert _survey_notices(invitation).count() == 2


def test_a_rejection_invites_too():
    application, owner = rejected_application()
    assert application.state == S.REJECTED
    invitation = SurveyInvitation.objects.get(application=application)
    assert _survey_notices(invitation).get().recipient == owner


def test_no_invitation_before_the_end_or_for_a_withdrawal(django_capture_on_commit_callbacks):
    approved, _owner = approved_free(django_capture_on_commit_callbacks)
    assert approved.state == S.APPROVED  # issuance not run yet
    withdrawn, owner = draft(permit_type=PermitTypeFactory())
    licensing_services.application_withdraw(application=withdrawn, actor=owner)
    assert not SurveyInvitation.objects.exists()
    assert not Notification.objects.filter(kind="survey.invited").exists()
