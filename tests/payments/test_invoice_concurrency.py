"""Bills under real concurrency, on PostgreSQL with threads and row locks: one open bill per
application, gap-free numbers, and a payment racing the deadline ends one way only."""

import pytest
from django.utils import timezone

from licensing import services
from licensing.models import Application
from licensing.states import ApplicationState as A
from payments import services as payments
from payments.models import Invoice
from payments.states import InvoiceState as I
from tests.factories import UserFactory
from tests.lifecycle import complete, draft
from tests.payments.support import ANSWERS, awaiting_payment, building_type, make_overdue
from tests.workflows.test_concurrency import run_together
from workflows.machine import TransitionRefused

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

YEAR = timezone.localdate().year


def paid_before_review():
    return building_type(paid_after_approval=False, paid_before_review=True)


def ready_draft(permit_type):
    application, owner = draft(permit_type=permit_type, answers=dict(ANSWERS))
    complete(application, owner)
    return application, owner


def test_four_submits_of_one_application_at_once_issue_one_bill():
    application, owner = ready_draft(paid_before_review())

    outcomes = run_together(*[
        lambda: services.application_submit(application=application, actor=owner)
        for _ in range(4)
    ])

    assert sum(isinstance(o, Application) for o in outcomes) == 1, outcomes
    assert all(isinstance(o, TransitionRefused) for o in outcomes
               if not isinstance(o, Application)), outcomes
    assert Application.objects.get(pk=application.pk).state == A.AWAITING_PAYMENT
    invoice = Invoice.objects.get()
    assert invoice.number == f"SKRD/{YEAR}/000001"


def test_four_staff_reissuing_one_expired_bill_at_once_issue_one_new_bill():
    application, _owner, invoice = awaiting_payment()
    make_overdue(invoice)
    payments.invoice_expire_overdue()
    clerks = [UserFactory(groups=["treasury_officer"]) for _ in range(4)]

    outcomes = run_together(*[
        (lambda clerk=clerk: payments.invoice_reissue(application=application, actor=clerk))
        for clerk in clerks
    ])

    issued = [o for o in outcomes if isinstance(o, Invoice)]
    assert len(issued) == 1, outcomes
    assert all(isinstance(o, TransitionRefused) for o in outcomes if o not in issued), outcomes
    assert Invoice.objects.filter(application=application, state=I.ISSUED).get() == issued[0]
    assert Invoice.objects.filter(application=application).count() == 2


def test_bills_issued_at_the_same_moment_get_consecutive_numbers():
    permit_type = paid_before_review()
    drafts = [ready_draft(permit_type) for _ in range(6)]

    outcomes = run_together(*[
        (lambda application=application, owner=owner:
         services.application_submit(application=application, actor=owner))
        for application, owner in drafts
    ])

    assert all(isinstance(o, Application) for o in outcomes), outcomes
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"SKRD/{YEAR}/{seq:06d}" for seq in range(1, 7)]
    assert Invoice.objects.values("billing_code").distinct().count() == 6


def test_a_payment_racing_the_deadline_ends_one_way_only():
    application, _owner, invoice = awaiting_payment()
    make_overdue(invoice)

    outcomes = run_together(
        lambda: payments.invoice_settle(invoice=invoice, paid_at=timezone.now()),
        payments.invoice_expire_overdue,
    )

    invoice = Invoice.objects.get(pk=invoice.pk)
    application = Application.objects.get(pk=application.pk)
    if invoice.state == I.PAID:
        assert outcomes[1] == []
        assert application.state not in (A.AWAITING_PAYMENT, A.EXPIRED)
    else:
        assert invoice.state == I.EXPIRED
        assert isinstance(outcomes[0], TransitionRefused), outcomes
        assert outcomes[1] == [invoice.pk]
        assert application.state == A.EXPIRED
