"""The demo's treasury month: bills, payments, settlements pulled from the sandbox gateway, a
bank statement, every kind of exception, refunds waiting for the supervisor, closed and open
days; written once."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from demo.loader import seed_demo
from demo.people import BUSINESS
from demo.plan import CLOSED_FROM_DAYS_AGO, MONTH_DAYS
from demo.treasury import DEMO_STATEMENT, OFFICER_EMAIL, SUPERVISOR_EMAIL
from licensing.models import Application, Business
from licensing.states import ApplicationState
from payments.models import Invoice, Payment, Refund
from payments.money import from_gateway_amount
from payments.sandbox.models import BalanceTransaction, Charge, PaymentIntent, Payout
from payments.states import InvoiceState, PaymentState, RefundReason, RefundState
from treasury.models import (
    BankLine,
    BankStatement,
    CounterPayment,
    DailyClose,
    Discrepancy,
    GatewayPayout,
    GatewayTransaction,
    LedgerEntry,
)
from treasury.states import CounterPaymentState, DiscrepancyKind, DiscrepancyState, Resolution
from workflows.models import TransitionLog

pytestmark = pytest.mark.django_db

TREASURY_KINDS = ("treasury businesses", "bills", "online payments", "gateway payouts",
                  "gateway transactions", "bank lines", "counter payments", "exceptions",
                  "refunds", "closed days")


@pytest.fixture
def report():
    # Without the register's demo permits (signing PDFs): the treasury month does not need them.
    return seed_demo(permits=False, treasury=True)


def test_a_month_of_bills_paid_online_at_the_counter_outstanding_and_expired(report):
    today = timezone.localdate()
    bills = Invoice.objects.filter(application__business__nib__in=_demo_businesses())
    assert 55 <= bills.count() <= 100
    assert report.created["bills"] == bills.count()
    assert min(timezone.localdate(b.issued_at) for b in bills) >= today - timedelta(MONTH_DAYS)
    by_state = {state: bills.filter(state=state).count() for state in InvoiceState.values}
    assert by_state[InvoiceState.PAID] > bills.count() / 2
    assert by_state[InvoiceState.ISSUED] >= 3 and by_state[InvoiceState.EXPIRED] >= 2
    methods = set(Payment.objects.filter(invoice__in=bills).values_list("method", flat=True))
    assert methods == {"card", "va", "qris"}
    assert CounterPayment.objects.filter(invoice__in=bills).count() >= 3
    # Outstanding bills of various ages, for the ageing chart.
    ages = {(today - timezone.localdate(b.issued_at)).days // 7
            for b in bills.filter(state=InvoiceState.ISSUED)}
    assert len(ages) >= 3
    # Each bill's application is where the bill puts it, reviewed and approved before it.
    for invoice in Invoice.objects.filter(application__business__nib__in=_demo_businesses()):
        application = invoice.application
        if invoice.state == InvoiceState.PAID:
            assert application.state in (ApplicationState.PAID, ApplicationState.ISSUED)
            assert application.paid_at == invoice.paid_at == invoice.closed_at
        elif invoice.state == InvoiceState.ISSUED:
            assert application.state == ApplicationState.AWAITING_PAYMENT
            assert invoice.due_date >= today
        else:
            assert invoice.state == InvoiceState.EXPIRED
            assert application.state == ApplicationState.EXPIRED and invoice.due_date < today
        tasks = application.review_tasks.all()
        assert tasks and all(task.state == "approved" for task in tasks)
        assert max(task.decided_at for task in tasks) <= invoice.issued_at
    # The register's demo business has none of these bills: each business sees its own.
    assert not Invoice.objects.filter(application__business__nib=BUSINESS["nib"]).exists()


def test_every_rupiah_is_in_the_books_at_the_gateway_and_in_the_bank(report):
    bills = Invoice.objects.filter(application__business__nib__in=_demo_businesses())
    online = Payment.objects.filter(invoice__in=bills, state=PaymentState.SUCCEEDED)
    counter = CounterPayment.objects.filter(invoice__in=bills,
                                            state=CounterPaymentState.CONFIRMED)
    received = (online.aggregate(total=Sum("amount_received"))["total"]
                + counter.aggregate(total=Sum("amount"))["total"])
    booked = LedgerEntry.objects.filter(invoice__in=bills).aggregate(total=Sum("amount"))
    assert booked["total"] == received
    for payment in online:
        intent = PaymentIntent.objects.get(pk=payment.payment_intent_id)
        assert intent.metadata["invoice"] == payment.invoice.number
        charge = Charge.objects.get(pk=payment.charge_id)
        assert charge.payment_intent_id == intent.pk
        assert from_gateway_amount(charge.amount) == payment.amount_received
        assert BalanceTransaction.objects.get(source=charge.pk).fee >= 0
    # The settlements came from the gateway, through its API.
    payouts = {p.pk: from_gateway_amount(p.amount) for p in Payout.objects.all()}
    pulled = {p.payout_id: p.amount for p in GatewayPayout.objects.all()}
    assert len(pulled) >= 15 and pulled == payouts
    assert not GatewayPayout.objects.filter(transactions_pulled_at__isnull=True).exists()
    paid_out = BalanceTransaction.objects.filter(payout__isnull=False)
    assert GatewayTransaction.objects.count() == paid_out.count()
    assert GatewayTransaction.objects.filter(payment__isnull=False).count() >= 30
    # The bank's statement, imported by the officer, its payouts matched.
    statement = BankStatement.objects.get(filename=DEMO_STATEMENT)
    assert statement.uploaded_by.email == OFFICER_EMAIL
    lines = BankLine.objects.filter(statement=statement)
    assert lines.filter(payout__isnull=False).count() >= 10
    # Paid at the counter: proposed by the officer who imported the statement, confirmed by
    # the supervisor (one person alone never settles a bill with a line).
    at_counter = CounterPayment.objects.filter(bank_line__statement=statement)
    assert at_counter.count() >= 3
    assert {(c.state, c.recorded_by.email, c.decided_by.email) for c in at_counter} == {
        (CounterPaymentState.CONFIRMED, OFFICER_EMAIL, SUPERVISOR_EMAIL)}
    assert lines.filter(amount__lt=0).exists()  # the bank's charge


def test_every_kind_of_exception_is_open_and_proposals_wait_for_a_second_officer(report):
    open_kinds = set(Discrepancy.objects.filter(state=DiscrepancyState.OPEN)
                     .values_list("kind", flat=True))
    assert open_kinds == set(DiscrepancyKind.values)
    awaiting = Discrepancy.objects.filter(state=DiscrepancyState.AWAITING_APPROVAL)
    assert {d.resolution for d in awaiting} == {Resolution.WRITE_OFF, Resolution.MANUAL_MATCH}
    assert {d.proposed_by.email for d in awaiting} == {OFFICER_EMAIL}
    assert awaiting.get(resolution=Resolution.MANUAL_MATCH).match_payout is not None
    assert Discrepancy.objects.filter(state=DiscrepancyState.RESOLVED).exists()
    # Refunds suggested, and two prepared for the supervisor.
    drafts = set(Refund.objects.filter(state=RefundState.DRAFT).values_list("reason", flat=True))
    assert drafts >= {RefundReason.OVERPAYMENT, RefundReason.UNDERPAYMENT,
                      RefundReason.BILL_EXPIRED}
    assert Refund.objects.get(reason=RefundReason.OVERPAYMENT).skrdlb_number
    proposed = Refund.objects.filter(state=RefundState.PROPOSED)
    assert {r.reason for r in proposed} == {RefundReason.DUPLICATE, RefundReason.OTHER}
    assert {r.prepared_by.email for r in proposed} == {OFFICER_EMAIL}


def test_the_clean_first_half_is_closed_and_the_rest_open(report):
    today = timezone.localdate()
    closed = set(DailyClose.objects.values_list("day", flat=True))
    first, last = today - timedelta(MONTH_DAYS), today - timedelta(CLOSED_FROM_DAYS_AGO)
    assert closed == {first + timedelta(n) for n in range((last - first).days + 1)}
    unresolved = Discrepancy.objects.exclude(state__in=[DiscrepancyState.RESOLVED,
                                                        DiscrepancyState.CLEARED])
    assert min(unresolved.values_list("day", flat=True)) > last
    assert report.created["closed days"] == len(closed)


def test_a_second_run_writes_nothing(report):
    assert all(report.created.get(kind) for kind in TREASURY_KINDS), report.created
    before = _counts()
    again = seed_demo(permits=False, treasury=True)
    assert _counts() == before
    assert not any(again.created.get(kind) for kind in TREASURY_KINDS)


def _demo_businesses() -> list[str]:
    from demo.plan import BUSINESSES

    return [business.nib for business in BUSINESSES]


def _counts() -> dict[str, int]:
    models = (Business, Application, Invoice, Payment, CounterPayment, LedgerEntry, Refund,
              Discrepancy, DailyClose, BankStatement, BankLine, GatewayPayout,
              GatewayTransaction, PaymentIntent, Charge, BalanceTransaction, Payout,
              TransitionLog)
    return {model.__name__: model.objects.count() for model in models}
