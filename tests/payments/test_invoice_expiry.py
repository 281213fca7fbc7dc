"""Unpaid bills expire after the end of their due date in Asia/Jakarta, and the application with
them; the periodic task is idempotent; staff (front office, treasury) may reissue a bill."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from licensing.models import Application
from licensing.states import ApplicationState as A
from payments import services as payments
from payments import tasks
from payments.models import Invoice
from payments.states import InvoiceState as I
from tests.factories import UserFactory
from tests.payments.support import TOTAL, awaiting_payment, make_overdue
from workflows.machine import TransitionRefused
from workflows.models import TransitionLog

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")


def jakarta(day, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=JAKARTA)


def states(application, invoice) -> tuple[str, str]:
    return (Application.objects.get(pk=application.pk).state,
            Invoice.objects.get(pk=invoice.pk).state)


def test_a_bill_is_payable_until_the_end_of_its_due_day_in_jakarta():
    application, _owner, invoice = awaiting_payment()
    last_moment = jakarta(invoice.due_date, time(23, 59, 59))
    assert payments.invoice_expire_overdue(now=last_moment) == []
    assert states(application, invoice) == (A.AWAITING_PAYMENT, I.ISSUED)
    # 00:00 WIB the next day is still the due date in UTC (17:00); Jakarta's calendar decides.
    next_day = jakarta(invoice.due_date + timedelta(days=1), time(0, 0))
    assert next_day.astimezone(ZoneInfo("UTC")).date() == invoice.due_date
    assert payments.invoice_expire_overdue(now=next_day) == [invoice.pk]
    assert states(application, invoice) == (A.EXPIRED, I.EXPIRED)
    assert Invoice.objects.get(pk=invoice.pk).closed_at is not None


def test_the_expiry_task_is_idempotent():
    application, _owner, invoice = awaiting_payment()
    other, _other_owner, current = awaiting_payment()
    make_overdue(invoice, days=8)

    assert tasks.invoice_expire_overdue.delay().get() == 1
    after_first = (states(application, invoice), states(other, current),
                   TransitionLog.objects.count())
    assert tasks.invoice_expire_overdue.delay().get() == 0
    assert (states(application, invoice), states(other, current),
            TransitionLog.objects.count()) == after_first
    assert after_first[0] == (A.EXPIRED, I.EXPIRED)
    assert after_first[1] == (A.AWAITING_PAYMENT, I.ISSUED)
    # One entry for the bill and one for the application, however often the task runs.
    assert TransitionLog.objects.filter(application=application, transition="expire").count() == 2


def test_the_task_runs_every_quarter_of_an_hour(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["expire-overdue-invoices"]
    assert schedule["task"] == tasks.invoice_expire_overdue.name
    assert schedule["schedule"] == 15 * 60


def test_a_bill_paid_before_the_run_is_left_alone():
    application, _owner, invoice = awaiting_payment()
    payments.invoice_settle(invoice=invoice, paid_at=timezone.now())
    make_overdue(invoice, days=30)
    assert payments.invoice_expire_overdue() == []
    assert Invoice.objects.get(pk=invoice.pk).state == I.PAID
    assert Application.objects.get(pk=application.pk).state != A.EXPIRED


def test_money_for_an_expired_bill_does_not_revive_the_application():
    application, _owner, invoice = awaiting_payment()
    make_overdue(invoice)
    payments.invoice_expire_overdue()
    with pytest.raises(TransitionRefused):
        payments.invoice_settle(invoice=invoice, paid_at=timezone.now())
    assert states(application, invoice) == (A.EXPIRED, I.EXPIRED)


@pytest.mark.parametrize("group", ["front_office", "treasury_officer", "treasury_supervisor"])
def test_staff_reissue_a_new_bill_that_replaces_the_expired_one(group):
    application, _owner, invoice = awaiting_payment()
    make_overdue(invoice)
    payments.invoice_expire_overdue()
    clerk = UserFactory(groups=[group])

    new = payments.invoice_reissue(application=application, actor=clerk)

    assert new.pk != invoice.pk and new.state == I.ISSUED
    assert new.replaces == Invoice.objects.get(pk=invoice.pk)
    assert new.total == TOTAL
    assert new.due_date >= timezone.localdate()
    assert new.number != invoice.number and new.billing_code != invoice.billing_code
    assert states(application, invoice) == (A.AWAITING_PAYMENT, I.EXPIRED)
    entry = TransitionLog.objects.get(application=application, transition="reissue")
    assert entry.actor == clerk


@pytest.mark.parametrize("who", ["owner", "reviewer", "stranger", "head_of_office"])
def test_nobody_else_may_reissue(who):
    application, owner, invoice = awaiting_payment()
    make_overdue(invoice)
    payments.invoice_expire_overdue()
    actor = {"owner": owner, "reviewer": UserFactory(groups=["agency_a"]),
             "stranger": UserFactory(), "head_of_office": UserFactory(groups=["head_of_office"]),
             }[who]
    with pytest.raises(TransitionRefused) as refused:
        payments.invoice_reissue(application=application, actor=actor)
    assert refused.value.code == "permission_denied"
    assert Invoice.objects.filter(application=application).count() == 1


def test_an_open_bill_is_not_reissued():
    application, _owner, _invoice = awaiting_payment()
    with pytest.raises(TransitionRefused):
        payments.invoice_reissue(application=application,
                                 actor=UserFactory(groups=["treasury_officer"]))
    assert Invoice.objects.filter(application=application).count() == 1
