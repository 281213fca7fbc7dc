"""The permit register's use cases: expiry, renewal, amendment."""

from datetime import timedelta

import pytest
from django.utils import timezone

from licensing import permits, roles, services, tasks
from licensing.models import Application, Permit, Purpose
from licensing.models.permits import P
from licensing.states import ApplicationState
from tests.documents.permits import issued
from tests.factories import UserFactory
from tests.lifecycle import complete
from workflows.machine import TransitionRefused
from workflows.models import TransitionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def permit(django_capture_on_commit_callbacks):
    return issued(django_capture_on_commit_callbacks)


def owner_of(permit):
    return permit.holder.memberships.get().user


def ending_in(permit, days: int) -> Permit:
    Permit.objects.filter(pk=permit.pk).update(
        valid_until=timezone.localdate() + timedelta(days=days))
    return Permit.objects.get(pk=permit.pk)


def test_the_expiry_task_expires_permits_past_their_end_date_once(permit):
    past = ending_in(permit, -1)
    assert tasks.permits_expire_due() == 1
    assert tasks.permits_expire_due() == 0
    assert Permit.objects.get(pk=past.pk).state == P.EXPIRED
    entries = TransitionLog.objects.filter(object_id=past.pk, transition="expire")
    assert list(entries.values_list("source", "target", "actor")) == [("active", "expired", None)]


def test_a_suspended_permit_expires_too_but_one_ending_today_does_not(
        django_capture_on_commit_callbacks):
    head = UserFactory(groups=[roles.HEAD_OF_OFFICE])
    suspended = issued(django_capture_on_commit_callbacks)
    permits.permit_suspend(permit=suspended, actor=head, reason="x")
    ending_in(suspended, -3)
    today = ending_in(issued(django_capture_on_commit_callbacks), 0)
    assert permits.permit_expire_due() == 1
    assert Permit.objects.get(pk=suspended.pk).state == P.EXPIRED
    assert Permit.objects.get(pk=today.pk).state == P.ACTIVE


@pytest.mark.parametrize(("days_left", "offered"), [(61, False), (60, True), (1, True)])
def test_renewal_is_offered_from_60_days_before_the_end(permit, days_left, offered):
    permit = ending_in(permit, days_left)
    assert permits.renewal_is_open(permit) is offered
    if not offered:
        with pytest.raises(TransitionRefused):
            permits.permit_renew(permit=permit, actor=owner_of(permit))
        assert not Application.objects.filter(follows_permit=permit).exists()


def test_renewal_is_prefilled_linked_and_started_once(permit):
    permit = ending_in(permit, 30)
    owner = owner_of(permit)
    renewal = permits.permit_renew(permit=permit, actor=owner)
    assert renewal.state == ApplicationState.DRAFT
    assert (renewal.purpose, renewal.follows_permit) == (Purpose.RENEWAL, permit)
    assert renewal.answers == permit.application.answers
    assert (renewal.business, renewal.permit_type) == (permit.holder, permit.permit_type)
    assert permits.permit_renew(permit=permit, actor=owner) == renewal


def test_only_the_holders_people_start_a_renewal(permit):
    permit = ending_in(permit, 30)
    with pytest.raises(TransitionRefused):
        permits.permit_renew(permit=permit, actor=UserFactory())


def test_a_suspended_permit_is_not_renewed_or_amended(permit):
    permit = ending_in(permit, 30)
    head = UserFactory(groups=[roles.HEAD_OF_OFFICE])
    permit = permits.permit_suspend(permit=permit, actor=head, reason="x")
    for start in (permits.permit_renew, permits.permit_amend):
        with pytest.raises(TransitionRefused):
            start(permit=permit, actor=owner_of(permit))


def test_an_issued_amendment_supersedes_the_permit(permit, django_capture_on_commit_callbacks):
    owner = owner_of(permit)
    amendment = permits.permit_amend(permit=permit, actor=owner)
    assert (amendment.purpose, amendment.follows_permit) == (Purpose.AMENDMENT, permit)
    assert amendment.answers == permit.application.answers
    assert Permit.objects.get(pk=permit.pk).state == P.ACTIVE  # not before it is issued
    complete(amendment, owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=amendment, actor=owner)
    successor = Permit.objects.get(application=amendment)
    old = Permit.objects.get(pk=permit.pk)
    assert successor.state == P.ACTIVE and successor.is_stored
    assert (old.state, old.superseded_by) == (P.SUPERSEDED, successor)
    entry = TransitionLog.objects.get(object_id=old.pk, transition="supersede")
    assert (entry.source, entry.target, entry.actor) == ("active", "superseded", None)


def test_an_issued_renewal_leaves_the_old_permit_to_run_out(
        permit, django_capture_on_commit_callbacks):
    permit = ending_in(permit, 10)
    owner = owner_of(permit)
    renewal = permits.permit_renew(permit=permit, actor=owner)
    complete(renewal, owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=renewal, actor=owner)
    assert Permit.objects.get(application=renewal).state == P.ACTIVE
    assert Permit.objects.get(pk=permit.pk).state == P.ACTIVE


def test_the_holder_is_told_after_commit_of_what_the_office_did_but_not_of_its_own_surrender(
        permit, mailoutbox, django_capture_on_commit_callbacks):
    head = UserFactory(groups=[roles.HEAD_OF_OFFICE])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        permits.permit_suspend(permit=permit, actor=head, reason="Kitchen inspection")
    assert mailoutbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    [mail] = mailoutbox
    assert mail.to == [owner_of(permit).email]
    # In the owner's language: Indonesian unless they chose English.
    assert permit.number in mail.subject and "Dibekukan" in mail.body
    assert "Kitchen inspection" in mail.body
    with django_capture_on_commit_callbacks(execute=True):
        permits.permit_surrender(permit=permit, actor=owner_of(permit), reason="Closed")
    assert len(mailoutbox) == 1
