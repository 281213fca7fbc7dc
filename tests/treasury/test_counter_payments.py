"""Bills paid at a bank teller: proposed by one treasury officer, only against a credit line of
the city's bank statement, and confirmed by a second (never the proposer, never the officer who
imported the statement) before the bill is settled as an online payment would settle it."""

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
from payments.services import invoice_expire_overdue, invoice_settle
from payments.states import InvoiceState
from tests.factories import UserFactory
from tests.payments.support import TOTAL, awaiting_payment, make_overdue
from tests.workflows.test_concurrency import run_together
from treasury.counter import (
    billing_code_find,
    counter_payment_confirm,
    counter_payment_propose,
    counter_payment_reject,
)
from treasury.discrepancies import payout_candidate_lines
from treasury.models import BankLine, CounterPayment, GatewayPayout, LedgerEntry
from treasury.selectors.statements import bank_line_get, bank_line_is_open, invoice_suggested
from treasury.statements import statement_import
from treasury.states import CounterPaymentState, LedgerKind, LedgerMethod
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
    """Imports the statements (``teller``), and proposes unless a test says otherwise."""
    return UserFactory(groups=[roles.TREASURY_OFFICER])


@pytest.fixture
def second():
    return UserFactory(groups=[roles.TREASURY_OFFICER])


@pytest.fixture
def supervisor():
    return UserFactory(groups=[roles.TREASURY_SUPERVISOR])


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
        counter_payment_propose(**kwargs)
    return caught.value


def confirm_refusal(**kwargs) -> TransitionRefused:
    with pytest.raises(TransitionRefused) as caught:
        counter_payment_confirm(**kwargs)
    return caught.value


def assert_nothing_recorded(invoice: Invoice, state=InvoiceState.ISSUED):
    assert Invoice.objects.get(pk=invoice.pk).state == state
    assert not CounterPayment.objects.filter(invoice=invoice).exists()
    assert not LedgerEntry.objects.filter(invoice=invoice, kind=LedgerKind.COUNTER).exists()


def assert_unpaid(invoice: Invoice):
    """The bill is open and nothing of it is on the books: a proposal alone moves no money."""
    assert Invoice.objects.get(pk=invoice.pk).state == InvoiceState.ISSUED
    assert not LedgerEntry.objects.filter(invoice=invoice, kind=LedgerKind.COUNTER).exists()


def audit(counter_payment: CounterPayment) -> list[TransitionLog]:
    return list(TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(CounterPayment),
        object_id=counter_payment.pk).order_by("pk"))


# One officer alone: a proposal, nothing more.


def test_one_officer_alone_only_proposes_the_bill_stays_unpaid(officer, bill):
    line = teller(officer, bill, booked_on=timezone.localdate())

    proposed = counter_payment_propose(bank_line=line, invoice=bill, actor=officer,
                                       note="Setoran tunai di loket Sudirman")

    assert (proposed.invoice, proposed.bank_line, proposed.amount) == (bill, line, TOTAL)
    assert (proposed.state, proposed.recorded_by, proposed.decided_by) == (
        CounterPaymentState.PROPOSED, officer, None)
    assert_unpaid(bill)
    assert Application.objects.get(pk=bill.application_id).state == (
        ApplicationState.AWAITING_PAYMENT)
    [entry] = audit(proposed)
    assert (entry.transition, entry.target, entry.actor, entry.application_id) == (
        "counter_payment_propose", CounterPaymentState.PROPOSED, officer, bill.application_id)
    assert line.bank_reference in entry.note and "Setoran tunai di loket Sudirman" in entry.note
    # The proposal holds the line: no other bill, and no payout, may take it meanwhile.
    assert not bank_line_is_open(bank_line_get(pk=line.pk))
    assert not payout_candidate_lines().filter(pk=line.pk).exists()


def test_a_second_officer_confirms_it_the_bill_is_paid_booked_and_audited_with_both_names(
        officer, second, bill, django_capture_on_commit_callbacks):
    line = teller(officer, bill, booked_on=timezone.localdate())
    proposed = counter_payment_propose(bank_line=line, invoice=bill, actor=officer)

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = counter_payment_confirm(counter_payment=proposed, actor=second,
                                            note="Cocok dengan slip setoran")

    assert (confirmed.state, confirmed.recorded_by, confirmed.decided_by) == (
        CounterPaymentState.CONFIRMED, officer, second)
    paid = Invoice.objects.get(pk=bill.pk)
    assert paid.state == InvoiceState.PAID
    assert paid.paid_at == timezone.make_aware(datetime.combine(line.booked_on, time(0)))
    # The application moves on as after an online payment: paid, then its permit issued.
    assert Application.objects.get(pk=bill.application_id).state == ApplicationState.ISSUED
    entries = LedgerEntry.objects.filter(counter_payment=confirmed)
    assert entries.aggregate(total=Sum("amount"))["total"] == TOTAL
    assert set(entries.values_list("kind", "method", "book_day")) == {
        (LedgerKind.COUNTER, LedgerMethod.COUNTER, line.booked_on)}
    assert sorted(entries.values_list("account_code", "amount")) == sorted(
        bill.lines.values_list("account_code", "amount"))
    proposal, confirmation = audit(confirmed)
    assert (proposal.actor, confirmation.actor) == (officer, second)
    assert (confirmation.transition, confirmation.source, confirmation.target) == (
        "confirm", CounterPaymentState.PROPOSED, CounterPaymentState.CONFIRMED)
    assert officer.full_name in confirmation.note and second.full_name in confirmation.note
    assert line.bank_reference in confirmation.note
    assert "Cocok dengan slip setoran" in confirmation.note


def test_the_proposer_confirming_their_own_is_refused(officer, bill):
    proposed = counter_payment_propose(bank_line=teller(officer, bill), invoice=bill,
                                       actor=officer)

    refused = confirm_refusal(counter_payment=proposed, actor=officer)

    assert refused.code == "permission_denied"
    assert refused.message == ("You proposed this counter payment: another treasury officer "
                               "must confirm it.")
    assert_unpaid(bill)
    assert CounterPayment.objects.get(pk=proposed.pk).state == CounterPaymentState.PROPOSED


def test_a_supervisor_confirming_their_own_proposal_is_refused(officer, supervisor, bill):
    proposed = counter_payment_propose(bank_line=teller(officer, bill), invoice=bill,
                                       actor=supervisor)

    assert confirm_refusal(counter_payment=proposed, actor=supervisor).code == (
        "permission_denied")
    assert_unpaid(bill)


def test_the_statements_importer_confirming_a_line_of_it_is_refused(officer, second, bill):
    """The importer controls what the lines say: they may not also decide what a line pays,
    even when someone else proposed it."""
    line = teller(officer, bill)  # ``officer`` imported the statement
    proposed = counter_payment_propose(bank_line=line, invoice=bill, actor=second)

    refused = confirm_refusal(counter_payment=proposed, actor=officer)

    assert refused.code == "permission_denied"
    assert refused.message == ("You imported the bank statement this line comes from: another "
                               "treasury officer must confirm payments from its lines.")
    assert_unpaid(bill)


def test_a_supervisor_confirms_what_an_officer_proposed(officer, second, supervisor, bill):
    proposed = counter_payment_propose(bank_line=teller(officer, bill), invoice=bill,
                                       actor=second)

    counter_payment_confirm(counter_payment=proposed, actor=supervisor)

    assert Invoice.objects.get(pk=bill.pk).state == InvoiceState.PAID


@pytest.mark.parametrize("group", [None, roles.FRONT_OFFICE, roles.HEAD_OF_OFFICE])
def test_only_treasury_staff_confirm(officer, second, bill, group):
    proposed = counter_payment_propose(bank_line=teller(officer, bill), invoice=bill,
                                       actor=second)

    refused = confirm_refusal(counter_payment=proposed,
                              actor=UserFactory(groups=[group] if group else []))

    assert refused.code == "permission_denied"
    assert_unpaid(bill)


def test_confirming_twice_settles_once(officer, second, supervisor, bill):
    proposed = counter_payment_propose(bank_line=teller(officer, bill), invoice=bill,
                                       actor=officer)
    counter_payment_confirm(counter_payment=proposed, actor=second)

    refused = confirm_refusal(counter_payment=proposed, actor=supervisor)

    assert refused.code == "not_allowed"
    assert LedgerEntry.objects.filter(invoice=bill, kind=LedgerKind.COUNTER).aggregate(
        total=Sum("amount"))["total"] == TOTAL


def test_a_bill_paid_online_meanwhile_is_not_settled_again_on_confirmation(officer, second,
                                                                          bill):
    proposed = counter_payment_propose(bank_line=teller(officer, bill), invoice=bill,
                                       actor=officer)
    invoice_settle(invoice=bill, paid_at=timezone.now())  # as a payment online would

    refused = confirm_refusal(counter_payment=proposed, actor=second)

    assert refused.code == "bill_closed"
    assert CounterPayment.objects.get(pk=proposed.pk).state == CounterPaymentState.PROPOSED
    assert not LedgerEntry.objects.filter(invoice=bill, kind=LedgerKind.COUNTER).exists()


def test_a_rejected_proposal_frees_the_line_for_the_right_bill(officer, second, supervisor,
                                                              bill):
    line = teller(officer, bill)
    _application, _owner, wrong = awaiting_payment()
    BankLine.objects.filter(pk=line.pk).update(amount=wrong.total)
    mistaken = counter_payment_propose(bank_line=line, invoice=wrong, actor=officer)

    rejected = counter_payment_reject(counter_payment=mistaken, actor=second,
                                      note="Kode bayar di slip untuk SKRD lain")
    again = counter_payment_propose(bank_line=line, invoice=bill, actor=officer)
    counter_payment_confirm(counter_payment=again, actor=supervisor)

    assert (rejected.state, rejected.decided_by) == (CounterPaymentState.REJECTED, second)
    assert audit(rejected)[-1].note == "Kode bayar di slip untuk SKRD lain"
    assert_unpaid(wrong)
    assert Invoice.objects.get(pk=bill.pk).state == InvoiceState.PAID


def test_the_proposer_cannot_reject_their_own_and_a_rejection_needs_a_note(officer, second,
                                                                          bill):
    proposed = counter_payment_propose(bank_line=teller(officer, bill), invoice=bill,
                                       actor=officer)

    with pytest.raises(TransitionRefused) as own:
        counter_payment_reject(counter_payment=proposed, actor=officer, note="Salah")
    with pytest.raises(TransitionRefused) as bare:
        counter_payment_reject(counter_payment=proposed, actor=second, note="  ")

    assert (own.value.code, bare.value.code) == ("permission_denied", "note_missing")
    assert CounterPayment.objects.get(pk=proposed.pk).state == CounterPaymentState.PROPOSED


def test_the_database_refuses_one_person_deciding_their_own(officer, bill):
    proposed = counter_payment_propose(bank_line=teller(officer, bill), invoice=bill,
                                       actor=officer)

    with pytest.raises(IntegrityError), transaction.atomic():
        CounterPayment.objects.filter(pk=proposed.pk).update(decided_by=officer)


def test_the_database_lets_one_live_counter_payment_hold_a_line(officer, bill):
    proposed = counter_payment_propose(bank_line=teller(officer, bill), invoice=bill,
                                       actor=officer)

    with pytest.raises(IntegrityError), transaction.atomic():
        CounterPayment.objects.create(invoice=bill, bank_line=proposed.bank_line, amount=TOTAL,
                                      recorded_by=officer)


# What a line must be to pay a bill (checked on proposal, again on confirmation).


def test_a_debit_line_cannot_pay_a_bill(officer, bill):
    line = teller(officer, bill, credit=None, debit=TOTAL)

    refused = refusal(bank_line=line, invoice=bill, actor=officer)

    assert refused.code == "debit_line"
    assert refused.message == ("This bank line is a debit: money left the account, so it "
                               "cannot pay a bill.")
    assert_nothing_recorded(bill)


@pytest.mark.parametrize("confirmed", [False, True])
def test_a_line_held_by_a_counter_payment_cannot_pay_another_bill(officer, second, bill,
                                                                  confirmed):
    line = teller(officer, bill)
    proposed = counter_payment_propose(bank_line=line, invoice=bill, actor=officer)
    if confirmed:
        counter_payment_confirm(counter_payment=proposed, actor=second)
    _application, _owner, other = awaiting_payment()

    refused = refusal(bank_line=line, invoice=other, actor=second)

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


def test_a_bill_already_paid_is_not_paid_again(officer, second, bill):
    proposed = counter_payment_propose(bank_line=teller(officer, bill), invoice=bill,
                                       actor=officer)
    counter_payment_confirm(counter_payment=proposed, actor=second)
    another_line = teller(officer, bill)

    refused = refusal(bank_line=another_line, invoice=bill, actor=officer)

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
def test_only_treasury_staff_propose_counter_payments(officer, bill, group):
    line = teller(officer, bill)
    someone = UserFactory(groups=[group] if group else [])

    refused = refusal(bank_line=line, invoice=bill, actor=someone)

    assert refused.code == "permission_denied"
    assert_nothing_recorded(bill)


def test_a_supervisor_may_propose_one_for_an_officer_to_confirm(bill, officer, second,
                                                                supervisor):
    proposed = counter_payment_propose(bank_line=teller(officer, bill), invoice=bill,
                                       actor=supervisor)
    assert_unpaid(bill)

    counter_payment_confirm(counter_payment=proposed, actor=second)

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
def test_two_officers_proposing_one_line_at_once_make_one_proposal():
    officers = [UserFactory(groups=[roles.TREASURY_OFFICER]) for _ in range(2)]
    bills = [awaiting_payment()[2] for _ in range(2)]
    line = bank_line(officers[0], description="SETOR TUNAI")

    outcomes = run_together(*[
        (lambda officer=officer, invoice=invoice:
         counter_payment_propose(bank_line=line, invoice=invoice, actor=officer))
        for officer, invoice in zip(officers, bills, strict=True)
    ])

    proposed = [o for o in outcomes if isinstance(o, CounterPayment)]
    assert len(proposed) == 1, outcomes
    assert [o.code for o in outcomes if o not in proposed] == ["line_used"], outcomes
    assert CounterPayment.objects.filter(bank_line=line).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_confirming_at_once_settle_the_bill_once():
    importer, proposer, *confirmers = [UserFactory(groups=[roles.TREASURY_OFFICER])
                                       for _ in range(4)]
    invoice = awaiting_payment()[2]
    proposed = counter_payment_propose(bank_line=teller(importer, invoice), invoice=invoice,
                                       actor=proposer)

    outcomes = run_together(*[
        (lambda confirmer=confirmer:
         counter_payment_confirm(counter_payment=proposed, actor=confirmer))
        for confirmer in confirmers
    ])

    assert sum(isinstance(o, CounterPayment) for o in outcomes) == 1, outcomes
    assert LedgerEntry.objects.filter(invoice=invoice, kind=LedgerKind.COUNTER).aggregate(
        total=Sum("amount"))["total"] == TOTAL
    assert Invoice.objects.get(pk=invoice.pk).state == InvoiceState.PAID
