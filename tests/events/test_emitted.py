"""Every topic is published by the real service that makes the change, once: a repeated call
(a sweep run again, the gateway asked again) publishes nothing more."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from events.models import Event
from licensing import permits, roles, services
from licensing.models import Permit
from payments import payment_services, refunds
from tests.documents.permits import issued
from tests.factories import PermitTypeFactory, UserFactory
from tests.lifecycle import complete, submitted
from tests.payments.flow import use_sandbox
from tests.treasury.refunding import officer, paid, refund_of, supervisor
from workflows import services as review
from workflows.deadlines import deadlines_sweep
from workflows.models import ReviewTask

WIB = ZoneInfo("Asia/Jakarta")


def topics_of(object_type: str, object_id: int) -> list[str]:
    return list(Event.objects.filter(object_type=object_type, object_id=object_id)
                .order_by("sequence").values_list("topic", flat=True))


def ending_in(permit, days: int) -> Permit:
    Permit.objects.filter(pk=permit.pk).update(
        valid_until=timezone.localdate() + timedelta(days=days))
    return Permit.objects.get(pk=permit.pk)


@pytest.mark.django_db
def test_the_register_publishes_each_move_of_an_application_and_its_permit_once(
        django_capture_on_commit_callbacks):
    permit = issued(django_capture_on_commit_callbacks)
    assert topics_of("application", permit.application_id) == [
        "application.submitted", "application.approved"]
    assert topics_of("permit", permit.pk) == ["permit.issued"]
    event = Event.objects.get(topic="permit.issued")
    assert event.payload["number"] == permit.number and event.sequence == 1

    head = UserFactory(groups=[roles.HEAD_OF_OFFICE])
    permits.permit_suspend(permit=permit, actor=head, reason="Inspeksi dapur")
    permits.permit_reinstate(permit=permit, actor=head)
    permits.permit_revoke(permit=permit, actor=head, reason="Pelanggaran berat")
    ending_in(permit, -1)
    assert permits.permit_expire_due() == 0  # revoked: nothing more to tell
    assert topics_of("permit", permit.pk) == [
        "permit.issued", "permit.suspended", "permit.reinstated", "permit.revoked"]
    assert list(Event.objects.filter(object_type="permit", object_id=permit.pk)
                .order_by("sequence").values_list("sequence", flat=True)) == [1, 2, 3, 4]


@pytest.mark.django_db
def test_expiry_and_renewal_are_published_once(django_capture_on_commit_callbacks):
    ending = ending_in(issued(django_capture_on_commit_callbacks), 10)
    owner = ending.holder.memberships.get().user
    renewal = permits.permit_renew(permit=ending, actor=owner)
    complete(renewal, owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=renewal, actor=owner)
    successor = Permit.objects.get(application=renewal)
    assert topics_of("permit", successor.pk) == ["permit.issued"]
    assert topics_of("permit", ending.pk) == ["permit.issued", "permit.renewed"]
    renewed = Event.objects.get(topic="permit.renewed")
    assert renewed.payload["renewed_by_permit_id"] == successor.pk

    ending_in(ending, -1)
    assert permits.permit_expire_due() == 1
    assert permits.permit_expire_due() == 0
    assert topics_of("permit", ending.pk) == ["permit.issued", "permit.renewed",
                                              "permit.expired"]


@pytest.mark.django_db
def test_a_rejection_is_published_once():
    application, _owner = submitted(permit_type=PermitTypeFactory(steps=["agency_a"]))
    task = ReviewTask.objects.get(application=application, state="open")
    review.task_decide(task=task, actor=UserFactory(groups=[task.group.name]),
                       decision="reject", message="Tidak memenuhi syarat.")
    assert topics_of("application", application.pk) == [
        "application.submitted", "application.rejected"]


@pytest.mark.django_db
def test_approval_by_operation_of_law_is_published_once_and_as_such():
    permit_type = PermitTypeFactory(steps=["agency_a"], service_standard_days=2)
    with time_machine.travel(datetime(2027, 1, 11, 10, tzinfo=WIB), tick=False):
        application, _owner = submitted(permit_type=permit_type)
    for hour in (9, 10):  # the sweep runs again: the law decided once
        with time_machine.travel(datetime(2027, 1, 14, hour, tzinfo=WIB), tick=False):
            deadlines_sweep()
    assert topics_of("application", application.pk) == [
        "application.submitted", "application.approved_by_law"]


@pytest.fixture
def gateway(settings, live_server):
    use_sandbox(settings, live_server)


def test_the_bill_the_payment_and_the_refund_are_published_once(gateway):
    application, _owner, invoice, payment = paid("card")
    assert topics_of("invoice", invoice.pk) == ["invoice.issued"]
    issued_event = Event.objects.get(topic="invoice.issued")
    assert issued_event.payload["total"] == invoice.total
    assert payment_services.payment_refresh(payment=payment).state == "succeeded"  # asked again
    refund = refund_of(payment, 500_000, maker=officer(), checker=supervisor())
    assert refunds.refund_refresh(refund=refund).state == "succeeded"  # asked again
    assert topics_of("payment", payment.pk) == ["payment.succeeded", "payment.refunded"]
    succeeded = Event.objects.get(topic="payment.succeeded")
    assert succeeded.payload["amount_received"] == invoice.total
    assert Event.objects.get(topic="payment.refunded").payload == {
        "refund_id": refund.pk, "amount": 500_000}
    assert topics_of("application", application.pk) == [
        "application.submitted", "application.approved"]
