"""Each person hears of what concerns them, in the language they chose: the business of its
application's review, the reviewers of their tasks; staff always by e-mail."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from licensing import services
from licensing.models import BusinessMembership, MemberRole
from notifications.models import Notification
from notifications.services import preference_update
from tests.factories import PermitTypeFactory, UserFactory
from tests.lifecycle import complete, draft
from tests.workflows.support import pending_task
from workflows import services as review
from workflows.states import StepKind

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


def speaks(user, language: str, *, email: bool = True):
    preference_update(user=user, language=language, email=email, sms=False, whatsapp=False,
                      phone="")
    return user


def submitted_by_two(django_capture_on_commit_callbacks, *, steps=("agency_a",), kind=None):
    """An application of a business with an Indonesian-speaking owner and an English-speaking
    staff member, submitted on Monday 11 January 2027 at 10:00."""
    permit_type = PermitTypeFactory(steps=list(steps), service_standard_days=5)
    if kind:
        permit_type.review_steps.update(kind=kind)
    owner = speaks(UserFactory(email="pemilik@example.id"), "id")
    application, _owner = draft(permit_type=permit_type, owner=owner)
    colleague = speaks(UserFactory(email="staff@example.com"), "en")
    BusinessMembership.objects.create(business=application.business, user=colleague,
                                      role=MemberRole.STAFF)
    complete(application, owner)
    with (time_machine.travel(datetime(2027, 1, 11, 10, tzinfo=WIB), tick=False),
          django_capture_on_commit_callbacks(execute=True)):
        application = services.application_submit(application=application, actor=owner)
    return application, owner, colleague


def test_the_in_review_notice_reaches_each_person_in_their_language_with_the_decision_date(
    django_capture_on_commit_callbacks, mailoutbox
):
    application, owner, colleague = submitted_by_two(django_capture_on_commit_callbacks)
    reference = application.reference
    indonesian = Notification.objects.get(recipient=owner, kind="application.in_review")
    english = Notification.objects.get(recipient=colleague, kind="application.in_review")
    assert indonesian.subject == f"Permohonan {reference} sedang diperiksa"
    assert "18 Januari 2027 16:00" in indonesian.body
    assert english.subject == f"Application {reference} is in review"
    assert "18 January 2027 16:00" in english.body
    mails = {message.to[0]: message for message in mailoutbox}
    assert mails["pemilik@example.id"].subject == indonesian.subject
    assert mails["staff@example.com"].subject == english.subject


def test_the_inspection_notice_says_the_date_in_each_persons_language(
    django_capture_on_commit_callbacks
):
    application, owner, colleague = submitted_by_two(django_capture_on_commit_callbacks,
                                                     steps=("inspectors",),
                                                     kind=StepKind.INSPECTION)
    when = datetime(2027, 1, 13, 9, 30, tzinfo=WIB)
    with time_machine.travel(datetime(2027, 1, 11, 11, tzinfo=WIB), tick=False):
        review.task_schedule_inspection(task=pending_task(application, "inspectors"),
                                        actor=UserFactory(groups=["inspectors"]), at=when)
    kind = "application.inspection_scheduled"
    indonesian = Notification.objects.get(recipient=owner, kind=kind)
    english = Notification.objects.get(recipient=colleague, kind=kind)
    assert indonesian.subject == f"Peninjauan lapangan untuk {application.reference}"
    assert "13 Januari 2027 09:30" in indonesian.body
    assert english.body.startswith(f"The site inspection for application "
                                   f"{application.reference} is scheduled for 13 January 2027")


def test_a_change_request_tells_the_business_what_and_by_when(django_capture_on_commit_callbacks):
    application, owner, _colleague = submitted_by_two(django_capture_on_commit_callbacks)
    with time_machine.travel(datetime(2027, 1, 12, 10, tzinfo=WIB), tick=False):
        review.task_decide(task=pending_task(application, "agency_a"),
                           actor=UserFactory(groups=["agency_a"]),
                           decision="request_changes", message="Foto lokasi kurang jelas.")
    notice = Notification.objects.get(recipient=owner, kind="application.changes_requested")
    assert "Foto lokasi kurang jelas." in notice.body
    assert "26 Januari 2027 16:00" in notice.body  # ten working days, the default


def test_reviewers_hear_of_a_new_task_by_e_mail_even_when_they_turned_e_mail_off(
    django_capture_on_commit_callbacks, mailoutbox
):
    reviewer = speaks(UserFactory(groups=["agency_a"], email="reviewer@example.id"), "id",
                      email=False)
    application, _owner, _colleague = submitted_by_two(django_capture_on_commit_callbacks)
    notice = Notification.objects.get(recipient=reviewer, kind="task.opened")
    assert notice.subject == f"Tugas pemeriksaan baru: {application.reference}"
    assert "reviewer@example.id" in [message.to[0] for message in mailoutbox]


def test_a_withdrawal_by_the_business_tells_nobody_and_empties_the_inbox(
    django_capture_on_commit_callbacks
):
    application, owner, _colleague = submitted_by_two(django_capture_on_commit_callbacks)
    services.application_withdraw(application=application, actor=owner)
    assert not Notification.objects.filter(kind__startswith="application.withdrawn").exists()
    assert application.review_tasks.get().state == "cancelled"
