"""Payments the gateway confirmed but the bill could not take become refund suggestions for the
treasury, once each: money for a withdrawn application or an expired bill, a second payment of
one bill and an underpayment go back in full; an overpayment settles the bill, and its excess
is assessed in an SKRDLB. Against the sandbox over real HTTP (a live server)."""

import pytest
from django.utils import timezone

from licensing.models import Application
from licensing.services import application_withdraw
from licensing.states import ApplicationState as A
from payments import payment_services, services
from payments.models import Invoice, Refund
from payments.sandbox.models import PaymentIntent as SandboxIntent
from payments.selectors import payment_has_receipt
from payments.states import InvoiceState as I
from payments.states import PaymentState as P
from payments.states import RefundState as R
from tests.payments.flow import bank_pays, choose_bank, pay_by_card, start, use_sandbox
from tests.payments.support import TOTAL, awaiting_payment, make_overdue
from tests.treasury.refunding import (
    ACCOUNT,
    SUSPENSE,
    at_gateway,
    balance,
    booked,
    fresh,
    officer,
    paid,
    supervisor,
)
from treasury import refunds
from treasury import tasks as treasury_tasks
from treasury.models import LedgerEntry
from treasury.states import LedgerKind
from workflows.machine import TransitionRefused

# Tasks run eagerly here: `.delay(...).result` is the answer. Not `.get()`: Celery's guard
# against joining inside a task is process-wide, and the live server's thread may be running
# an eager task (a webhook delivery) at that moment.

pytestmark = pytest.mark.django_db(transaction=True)
YEAR = timezone.localdate().year


@pytest.fixture
def gateway(settings, live_server):
    use_sandbox(settings, live_server)
    return live_server


def suggested(payment) -> list[tuple[str, int, str]]:
    return list(Refund.objects.filter(payment=payment).order_by("pk")
                .values_list("reason", "amount", "state"))


def assert_once(payment) -> None:
    """Asking again, by the payment or by the sweep, suggests nothing more."""
    before = suggested(payment)
    assert refunds.refunds_suggest(payment=payment) == []
    assert treasury_tasks.refunds_suggest_all.delay().result == 0
    assert suggested(payment) == before


def test_money_for_a_withdrawn_application_goes_back_in_full(gateway):
    application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner, "qris")
    choose_bank(payment, "qris")
    application_withdraw(application=application, actor=owner)
    bank_pays(payment)  # the bank pays hours later, after the withdrawal

    payment = payment_services.payment_refresh(payment=payment)

    assert payment.review_reason == "bill_closed"
    assert suggested(payment) == [("withdrawn", TOTAL, R.DRAFT)]
    draft = Refund.objects.get(payment=payment)
    assert (draft.prepared_by, draft.skrdlb_number) == (None, None)
    assert fresh(invoice).state == I.CANCELLED
    assert_once(payment)


def test_money_for_an_expired_bill_goes_back_in_full(gateway):
    application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner, "va")
    choose_bank(payment, "va")
    make_overdue(invoice)
    services.invoice_expire_overdue()
    bank_pays(payment)

    payment = payment_services.payment_refresh(payment=payment)

    assert suggested(payment) == [("expired", TOTAL, R.DRAFT)]
    assert fresh(invoice).state == I.EXPIRED
    assert Application.objects.get(pk=application.pk).state == A.EXPIRED  # not revived
    assert_once(payment)


def test_a_second_payment_of_a_paid_bill_goes_back_in_full(gateway):
    _application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner, "va")
    choose_bank(payment, "va")
    # Meanwhile the bill was paid another way (at a bank counter, which settles it like this).
    services.invoice_settle(invoice=invoice, paid_at=timezone.now())
    bank_pays(payment)

    payment = payment_services.payment_refresh(payment=payment)

    assert suggested(payment) == [("duplicate", TOTAL, R.DRAFT)]
    assert balance(payment) == {SUSPENSE: TOTAL}  # held in suspense until it goes back
    assert_once(payment)
    # The second payment paid nothing: no receipt for it, only its refund.
    assert not payment_has_receipt(payment=payment)


def test_an_underpayment_goes_back_in_full_and_the_bill_stays_open(gateway):
    application, _owner, invoice, payment = paid("card", charged=1_000_000)

    assert payment.review_reason == "amount_mismatch"
    assert suggested(payment) == [("underpayment", 1_000_000, R.DRAFT)]
    assert fresh(invoice).state == I.ISSUED
    assert Application.objects.get(pk=application.pk).state == A.AWAITING_PAYMENT
    assert_once(payment)
    assert not payment_has_receipt(payment=payment)


def test_another_currency_goes_back_in_full(gateway):
    _application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner)
    SandboxIntent.objects.filter(pk=payment.payment_intent_id).update(currency="usd")
    pay_by_card(payment)

    payment = payment_services.payment_refresh(payment=payment)

    assert suggested(payment) == [("other", payment.amount_received, R.DRAFT)]
    assert fresh(invoice).state == I.ISSUED


def test_an_overpayment_settles_the_bill_and_its_excess_is_an_skrdlb(gateway):
    application, _owner, invoice, payment = paid("card", charged=TOTAL + 92_500)

    assert (payment.needs_review, payment.review_reason) == (True, "amount_mismatch")
    assert suggested(payment) == [("overpayment", 92_500, R.DRAFT)]
    skrdlb = Refund.objects.get(payment=payment)
    assert skrdlb.skrdlb_number == f"SKRDLB/{YEAR}/000001"
    # The bill is paid with it, and the application moves on to its permit.
    invoice = fresh(invoice)
    assert invoice.state == I.PAID
    assert Application.objects.get(pk=application.pk).state == A.ISSUED
    # The books: all of it came into suspense; the bill's total moved to its revenue account.
    reclass = sorted(LedgerEntry.objects.filter(payment=payment, kind=LedgerKind.RECLASS)
                     .values_list("account_code", "amount"))
    assert reclass == sorted([(SUSPENSE, -TOTAL), (ACCOUNT, TOTAL)])
    assert balance(payment) == {ACCOUNT: TOTAL, SUSPENSE: 92_500}
    assert_once(payment)
    assert fresh(invoice).state == I.PAID
    assert LedgerEntry.objects.filter(kind=LedgerKind.RECLASS).count() == 2
    # The business paid its bill: it gets its receipt, for all it paid.
    assert payment_has_receipt(payment=payment)

    # An officer and a supervisor pay the excess back; it leaves suspense, and the bill's
    # revenue stays.
    maker, checker = officer(), supervisor()
    refunds.refund_prepare(refund=skrdlb, actor=maker, amount=92_500, note="SKRDLB terbit")
    refunds.refund_approve(refund=skrdlb, actor=checker)
    skrdlb = fresh(skrdlb)
    assert skrdlb.state == R.SUCCEEDED
    assert at_gateway(payment) == [92_500]
    assert booked(skrdlb) == [(SUSPENSE, -92_500)]
    assert balance(payment) == {ACCOUNT: TOTAL}


def test_skrdlb_numbers_follow_one_another_and_their_amount_is_what_was_assessed(gateway):
    first = paid("card", charged=TOTAL + 1_000)[3]
    second = paid("card", charged=TOTAL + 2_000)[3]

    numbers = list(Refund.objects.filter(payment__in=[first, second]).order_by("pk")
                   .values_list("skrdlb_number", flat=True))
    assert numbers == [f"SKRDLB/{YEAR}/000001", f"SKRDLB/{YEAR}/000002"]
    skrdlb = Refund.objects.get(payment=first)
    with pytest.raises(TransitionRefused) as refused:
        refunds.refund_prepare(refund=skrdlb, actor=officer(), amount=TOTAL + 1_000, note="")
    assert refused.value.code == "amount_fixed"
    assert fresh(skrdlb).state == R.DRAFT


def test_flagged_payments_whose_suggestion_was_lost_get_it_from_the_sweep(gateway, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the suggestion is queued, and the queue lost
    _application, _owner, _invoice, payment = paid("card", charged=500_000)
    assert payment.state == P.SUCCEEDED and payment.needs_review
    assert suggested(payment) == []
    settings.CELERY_TASK_ALWAYS_EAGER = True

    assert treasury_tasks.refunds_suggest_all.delay().result == 1

    assert suggested(payment) == [("underpayment", 500_000, R.DRAFT)]
    assert_once(payment)


def test_a_payment_that_matched_its_bill_gets_no_suggestion(gateway):
    _application, _owner, invoice, payment = paid("card")

    assert not payment.needs_review
    assert refunds.refunds_suggest(payment=payment) == []
    assert treasury_tasks.refunds_suggest_all.delay().result == 0
    assert Refund.objects.count() == 0
    assert Invoice.objects.get(pk=invoice.pk).state == I.PAID
