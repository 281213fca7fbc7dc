"""Bills paid at a bank teller: recorded by a treasury officer, only against a credit line of
the city's bank statement, settling the bill as an online payment would."""

import itertools
from datetime import datetime, time, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone, translation

from licensing import roles
from licensing.models import Application
from licensing.services import application_withdraw
from licensing.states import ApplicationState
from payments.models import Invoice
from payments.services import invoice_expire_overdue
from payments.states import InvoiceState
from tests.factories import UserFactory
from tests.payments.support import TOTAL, awaiting_payment, make_overdue
from tests.workflows.test_concurrency import run_together
from treasury.counter import billing_code_find, counter_payment_record
from treasury.models import BankLine, CounterPayment, GatewayPayout, LedgerEntry
from treasury.selectors.statements import invoice_suggested
from treasury.statements import statement_import
from treasury.states import LedgerKind, LedgerMethod
from workflows.machine import TransitionRefused
from workflows.models import TransitionLog

pytestmark = pytest.mark.django_db

_references = itertools.count(1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def officer():
    return UserFactory(groups=[roles.TREASURY_OFFICER])


@pytest.fixture
def bill():
    _application, _owner, invoice = awaiting_payment()
    return invoice


def bank_line(officer, *, description: str, credit: int | None = TOTAL, debit: int | None = None,
              booked_on=None) -> BankLine:
    """A line of the city's statement, imported as the bank's CSV would bring it."""
    booked_on = booked_on or timezone.localdate()
    reference = f"BRK{next(_references):06d}"
    data = ("date,reference,description,debit,credit\n"
            f"{booked_on.isoformat()},{reference},{description},{debit or ''},{credit or ''}\n")
    statement = statement_import(data=data.encode(), filename="bank.csv", fmt="csv",
                                 user=officer)
    return statement.lines.get()


def teller(officer, invoice: Invoice, **kwargs) -> BankLine:
    return bank_line(officer, description=f"SETOR TUNAI KODE BAYAR {invoice.billing_code}",
                     **kwargs)


def refusal(**kwargs) -> TransitionRefused:
    with pytest.raises(TransitionRefused) as caught:
        counter_payment_record(**kwargs)
    return caught.value


def assert_nothing_recorded(invoice: Invoice, state=InvoiceState.ISSUED):
    assert Invoice.objects.get(pk=invoice.pk).state == state
    assert not CounterPayment.objects.filter(invoice=invoice).exists()
    assert not LedgerEntry.objects.filter(invoice=invoice, kind=LedgerKind.COUNTER).exists()


def test_a_counter_payment_settles_the_bill_books_it_and_is_audited(
        officer, bill, django_capture_on_commit_callbacks):
    line = teller(officer, bill, booked_on=timezone.localdate())

    with django_capture_on_commit_callbacks(execute=True):
        recorded = counter_payment_record(bank_line=line, invoice=bill, actor=officer,
                                          note="Setoran tunai di loket Sudirman")

    assert (recorded.invoice, recorded.bank_line, recorded.amount) == (bill, line, TOTAL)
    assert recorded.recorded_by == officer
    paid = Invoice.objects.get(pk=bill.pk)
    assert paid.state == InvoiceState.PAID
    assert paid.paid_at == timezone.make_aware(datetime.combine(line.booked_on, time(0)))
    # The application moves on as after an online payment: paid, then its permit issued.
    assert Application.objects.get(pk=bill.application_id).state == ApplicationState.ISSUED
    entries = LedgerEntry.objects.filter(counter_payment=recorded)
    assert entries.aggregate(total=Sum("amount"))["total"] == TOTAL
    assert set(entries.values_list("kind", "method", "book_day")) == {
        (LedgerKind.COUNTER, LedgerMethod.COUNTER, line.booked_on)}
    assert sorted(entries.values_list("account_code", "amount")) == sorted(
        bill.lines.values_list("account_code", "amount"))
    audit = TransitionLog.objects.get(
        content_type=ContentType.objects.get_for_model(CounterPayment), object_id=recorded.pk)
    assert (audit.transition, audit.actor, audit.application_id) == (
        "counter_payment_record", officer, bill.application_id)
    assert line.bank_reference in audit.note and "Setoran tunai di loket Sudirman" in audit.note


def test_a_debit_line_cannot_pay_a_bill(officer, bill):
    line = teller(officer, bill, credit=None, debit=TOTAL)

    refused = refusal(bank_line=line, invoice=bill, actor=officer)

    assert refused.code == "debit_line"
    assert refused.message == ("This bank line is a debit: money left the account, so it "
                               "cannot pay a bill.")
    assert_nothing_recorded(bill)


def test_a_line_already_used_by_a_counter_payment_cannot_pay_another_bill(officer, bill):
    line = teller(officer, bill)
    counter_payment_record(bank_line=line, invoice=bill, actor=officer)
    _application, _owner, other = awaiting_payment()

    refused = refusal(bank_line=line, invoice=other, actor=officer)

    assert refused.code == "line_used"
    assert_nothing_recorded(other)
    assert CounterPayment.objects.count() == 1


def test_a_line_matched_to_a_payout_cannot_pay_a_bill(officer, bill):
    line = teller(officer, bill)
    payout = GatewayPayout.objects.create(
        payout_id="po_test_matched", amount=TOTAL, status="paid",
        arrival_date=line.booked_on, created_at_gateway=timezone.now())
    BankLine.objects.filter(pk=line.pk).update(payout=payout)  # as matching links it

    refused = refusal(bank_line=line, invoice=bill, actor=officer)

    assert refused.code == "line_matched"
    assert_nothing_recorded(bill)


def test_a_bill_already_paid_is_not_paid_again(officer, bill):
    counter_payment_record(bank_line=teller(officer, bill), invoice=bill, actor=officer)
    second = teller(officer, bill)

    refused = refusal(bank_line=second, invoice=bill, actor=officer)

    assert refused.code == "bill_closed"
    assert refused.message == f"Bill {bill.number} is not open for payment (Paid)."
    assert CounterPayment.objects.count() == 1


def test_an_expired_bill_cannot_be_paid_at_the_counter(officer, bill):
    line = teller(officer, bill)
    make_overdue(bill)
    invoice_expire_overdue()

    refused = refusal(bank_line=line, invoice=bill, actor=officer)

    assert refused.code == "bill_closed"
    assert_nothing_recorded(bill, state=InvoiceState.EXPIRED)


def test_a_cancelled_bill_cannot_be_paid_at_the_counter(officer, bill):
    line = teller(officer, bill)
    owner = bill.application.business.memberships.get().user
    application_withdraw(application=bill.application, actor=owner)

    refused = refusal(bank_line=line, invoice=bill, actor=officer)

    assert refused.code == "bill_closed"
    assert_nothing_recorded(bill, state=InvoiceState.CANCELLED)


@pytest.mark.parametrize("amount", [TOTAL - 1, TOTAL + 500])
def test_an_amount_other_than_the_bills_is_refused(officer, bill, amount):
    line = teller(officer, bill, credit=amount)

    refused = refusal(bank_line=line, invoice=bill, actor=officer)

    assert refused.code == "amount_mismatch"
    assert bill.number in refused.message and "Rp 1.807.500" in refused.message
    assert_nothing_recorded(bill)


def test_money_booked_before_the_bill_was_issued_cannot_pay_it(officer, bill):
    line = teller(officer, bill, booked_on=timezone.localdate(bill.issued_at) - timedelta(days=1))

    refused = refusal(bank_line=line, invoice=bill, actor=officer)

    assert refused.code == "before_bill"
    assert_nothing_recorded(bill)


@pytest.mark.parametrize("group", [None, roles.FRONT_OFFICE, roles.HEAD_OF_OFFICE])
def test_only_treasury_staff_record_counter_payments(officer, bill, group):
    line = teller(officer, bill)
    someone = UserFactory(groups=[group] if group else [])

    refused = refusal(bank_line=line, invoice=bill, actor=someone)

    assert refused.code == "permission_denied"
    assert_nothing_recorded(bill)


def test_a_supervisor_may_record_one(bill, officer):
    supervisor = UserFactory(groups=[roles.TREASURY_SUPERVISOR])

    counter_payment_record(bank_line=teller(officer, bill), invoice=bill, actor=supervisor)

    assert Invoice.objects.get(pk=bill.pk).state == InvoiceState.PAID


def test_there_is_no_counter_payment_without_a_bank_line(officer, bill):
    with pytest.raises(IntegrityError), transaction.atomic():
        CounterPayment.objects.create(invoice=bill, bank_line=None, amount=TOTAL,
                                      recorded_by=officer)


def test_the_bill_is_suggested_from_the_billing_code_in_the_line(officer, bill):
    line = teller(officer, bill)

    assert billing_code_find(line.description) == bill.billing_code
    assert invoice_suggested(line=line) == bill


def test_sixteen_digits_without_a_valid_check_digit_suggest_nothing(officer, bill):
    wrong = bill.billing_code[:-1] + str((int(bill.billing_code[-1]) + 1) % 10)
    line = bank_line(officer, description=f"SETOR TUNAI {wrong} REK 12345678901234567")

    assert billing_code_find(line.description) is None
    assert invoice_suggested(line=line) is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_using_one_line_at_once_pay_one_bill():
    officers = [UserFactory(groups=[roles.TREASURY_OFFICER]) for _ in range(2)]
    bills = [awaiting_payment()[2] for _ in range(2)]
    line = bank_line(officers[0], description="SETOR TUNAI")

    outcomes = run_together(*[
        (lambda officer=officer, invoice=invoice:
         counter_payment_record(bank_line=line, invoice=invoice, actor=officer))
        for officer, invoice in zip(officers, bills, strict=True)
    ])

    recorded = [o for o in outcomes if isinstance(o, CounterPayment)]
    assert len(recorded) == 1, outcomes
    assert [o.code for o in outcomes if o not in recorded] == ["line_used"], outcomes
    states = sorted(Invoice.objects.filter(pk__in=[b.pk for b in bills])
                    .values_list("state", flat=True))
    assert states == sorted([InvoiceState.ISSUED, InvoiceState.PAID])
