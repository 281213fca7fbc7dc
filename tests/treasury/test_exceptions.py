"""Resolving exceptions: alone with a note, or — write-offs and manual matches — proposed by one
officer and approved by another; every step in the exception's history."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from licensing import roles
from licensing.states import ApplicationState
from payments.models import Invoice
from payments.states import InvoiceState, RefundReason, RefundState
from tests.factories import UserFactory
from tests.treasury import builders as b
from treasury.exceptions import (
    exception_approve,
    exception_propose,
    exception_reject,
    exception_resolve,
)
from treasury.matching import reconcile
from treasury.models import BankLine, Discrepancy, GatewayTransaction, LedgerEntry
from treasury.refunds import refund_propose, refunds_suggest
from treasury.states import DiscrepancyKind as K
from treasury.states import DiscrepancyState as S
from treasury.states import Resolution
from workflows.machine import TransitionRefused
from workflows.models import TransitionLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The refusals are asserted in English, whatever an earlier test left active."""
    with translation.override("en"):
        yield

TODAY = timezone.localdate()
SUSPENSE = "1.1.01.99.99.0001"


def found(kind: str, **filters) -> Discrepancy:
    reconcile(today=TODAY + timedelta(days=4))
    return Discrepancy.objects.get(kind=kind, **filters)


def fresh(discrepancy: Discrepancy) -> Discrepancy:
    return Discrepancy.objects.get(pk=discrepancy.pk)


def history(discrepancy: Discrepancy) -> list[tuple[str, str, object, str]]:
    return [(entry.transition, entry.target, entry.actor, entry.note) for entry in
            TransitionLog.objects.filter(object_id=discrepancy.pk,
                                         content_type__model="discrepancy").order_by("pk")]


def refused(code: str, call, **kwargs) -> str:
    with pytest.raises(TransitionRefused) as error:
        call(**kwargs)
    assert error.value.code == code
    return str(error.value.message)


def a_bank_charge() -> Discrepancy:
    b.bank_line(amount=-6_500, booked_on=TODAY, description="BIAYA ADM")
    return found(K.UNMATCHED_BANK_LINE)


# Resolved alone.

def test_an_officer_explains_a_bank_charge_with_a_note():
    clerk = b.officer()
    charge = a_bank_charge()

    exception_resolve(discrepancy=charge, actor=clerk, note="Monthly account fee of the bank.")

    charge = fresh(charge)
    assert (charge.state, charge.resolution, charge.note) == (
        S.RESOLVED, Resolution.EXPLAINED, "Monthly account fee of the bank.")
    assert charge.resolved_by == clerk
    assert history(charge) == [("detect", S.OPEN, None, ""),
                               ("resolve", S.RESOLVED, clerk, "Monthly account fee of the bank.")]


@pytest.mark.parametrize("note", ["", "   "])
def test_a_note_is_required(note):
    charge = a_bank_charge()
    refused("note_missing", exception_resolve, discrepancy=charge, actor=b.officer(), note=note)
    assert fresh(charge).state == S.OPEN


def test_only_treasury_staff_resolve():
    charge = a_bank_charge()
    for user in (UserFactory(groups=[roles.FRONT_OFFICE]), UserFactory(is_superuser=True)):
        refused("permission_denied", exception_resolve, discrepancy=charge, actor=user,
                note="Not mine to say")
    assert fresh(charge).state == S.OPEN


def test_a_write_off_or_a_manual_match_is_never_resolved_alone():
    charge = a_bank_charge()
    for resolution in (Resolution.WRITE_OFF, Resolution.MANUAL_MATCH):
        message = refused("resolution_invalid", exception_resolve, discrepancy=charge,
                          actor=b.officer(), note="Alone", resolution=resolution)
        assert "supervisor's approval" in message
    assert fresh(charge).state == S.OPEN


def test_an_overpayment_is_resolved_by_its_refund_once_an_officer_prepared_it():
    clerk = b.officer()
    payment = b.paid(b.bill(), amount=b.BILL_TOTAL + 25_000)
    b.charge_of(payment)
    over = found(K.AMOUNT_MISMATCH)
    refused("resolution_invalid", exception_resolve, discrepancy=over, actor=clerk,
            note="SKRDLB issued", resolution=Resolution.REFUND)

    [suggestion] = refunds_suggest(payment=payment)  # the SKRDLB's draft: nobody prepared it
    refused("resolution_invalid", exception_resolve, discrepancy=over, actor=clerk,
            note="SKRDLB issued", resolution=Resolution.REFUND)
    refund_propose(payment=payment, amount=25_000, reason=RefundReason.OTHER, actor=clerk,
                   note="The excess goes back")
    exception_resolve(discrepancy=over, actor=clerk, note="The excess goes back",
                      resolution=Resolution.REFUND)

    assert (fresh(over).state, fresh(over).resolution) == (S.RESOLVED, Resolution.REFUND)
    assert suggestion.reason == RefundReason.OVERPAYMENT


def test_a_second_payment_at_the_counter_is_explained_not_refunded_through_izin():
    invoice = b.bill()
    b.charge_of(b.paid(invoice))
    b.counter_payment(invoice, booked_on=TODAY)
    second = found(K.DUPLICATE_PAYMENT)
    message = refused("resolution_invalid", exception_resolve, discrepancy=second,
                      actor=b.officer(), note="Refund", resolution=Resolution.REFUND)
    assert "bank counter" in message
    exception_resolve(discrepancy=second, actor=b.officer(),
                      note="The bank returned the cash to the payer (receipt 77).")
    assert fresh(second).state == S.RESOLVED


# Four eyes.

def a_payout_short_of_its_transactions() -> Discrepancy:
    payout = b.payout(amount=300_000, arrival_date=TODAY)
    b.transaction_row(amount=300_500, fee=1_000, payout=payout, source="ch_x")
    b.payout_line(payout)
    return found(K.PAYOUT_MISMATCH)


def test_a_write_off_is_applied_only_when_a_supervisor_approves():
    maker, checker = b.officer(), b.supervisor()
    short = a_payout_short_of_its_transactions()

    exception_propose(discrepancy=short, actor=maker, resolution=Resolution.WRITE_OFF,
                      note="Gateway rounding, below materiality")
    assert (fresh(short).state, fresh(short).proposed_by) == (S.AWAITING_APPROVAL, maker)
    message = refused("permission_denied", exception_approve, discrepancy=short, actor=maker)
    assert message == "Only a treasury supervisor may approve a write-off or a manual match."
    assert fresh(short).state == S.AWAITING_APPROVAL

    exception_approve(discrepancy=short, actor=checker)

    short = fresh(short)
    assert (short.state, short.resolution, short.resolved_by) == (
        S.RESOLVED, Resolution.WRITE_OFF, checker)
    assert [row[:3] for row in history(short)] == [
        ("detect", S.OPEN, None), ("propose", S.AWAITING_APPROVAL, maker),
        ("approve", S.RESOLVED, checker)]
    assert history(short)[1][3] == "Gateway rounding, below materiality"


@pytest.mark.parametrize("resolution", [Resolution.WRITE_OFF, Resolution.MANUAL_MATCH])
def test_a_treasury_officer_who_is_no_supervisor_cannot_approve(resolution):
    """A second officer is not enough: the supervisor's role has to mean something."""
    payout = b.payout(amount=480_000, arrival_date=TODAY - timedelta(days=9),
                      payout_id="po_free")
    b.bank_line(amount=480_000, booked_on=TODAY)
    stray = found(K.UNMATCHED_BANK_LINE)
    exception_propose(discrepancy=stray, actor=b.officer(), resolution=resolution,
                      note="Ours", match_payout=payout)

    message = refused("permission_denied", exception_approve, discrepancy=stray,
                      actor=b.officer())

    assert message == "Only a treasury supervisor may approve a write-off or a manual match."
    assert fresh(stray).state == S.AWAITING_APPROVAL
    assert BankLine.objects.filter(payout=payout).count() == 0


def test_a_supervisor_does_not_approve_their_own_proposal_either():
    boss = b.supervisor()
    short = a_payout_short_of_its_transactions()
    exception_propose(discrepancy=short, actor=boss, resolution=Resolution.WRITE_OFF,
                      note="Rounding")
    message = refused("permission_denied", exception_approve, discrepancy=short, actor=boss)
    assert message == "You proposed this: another treasury supervisor must approve it."
    refused("permission_denied", exception_reject, discrepancy=short, actor=boss,
            note="Changed my mind")
    assert fresh(short).state == S.AWAITING_APPROVAL


def test_the_database_refuses_an_approver_who_proposed():
    maker = b.officer()
    short = a_payout_short_of_its_transactions()
    exception_propose(discrepancy=short, actor=maker, resolution=Resolution.WRITE_OFF,
                      note="Rounding")
    with pytest.raises(IntegrityError), transaction.atomic():
        Discrepancy.objects.filter(pk=short.pk).update(resolved_by=maker, state=S.RESOLVED)
    assert fresh(short).state == S.AWAITING_APPROVAL


def test_a_rejected_proposal_is_open_again_and_the_reason_is_kept():
    maker, checker = b.officer(), b.officer()
    short = a_payout_short_of_its_transactions()
    exception_propose(discrepancy=short, actor=maker, resolution=Resolution.WRITE_OFF,
                      note="Rounding")
    refused("note_missing", exception_reject, discrepancy=short, actor=checker, note="")

    exception_reject(discrepancy=short, actor=checker, note="Ask the gateway for the report")

    short = fresh(short)
    assert (short.state, short.resolution, short.proposed_by) == (S.OPEN, "", None)
    assert history(short)[-1] == ("reject", S.OPEN, checker, "Ask the gateway for the report")
    exception_propose(discrepancy=short, actor=checker, resolution=Resolution.WRITE_OFF,
                      note="The gateway confirms a rounding")  # proposed again, by anyone
    exception_approve(discrepancy=short, actor=b.supervisor())
    assert fresh(short).state == S.RESOLVED


def test_a_proposal_needs_a_kind_it_applies_to():
    invoice = b.bill()
    first, second = b.paid(invoice), b.paid(invoice)
    b.charge_of(first)
    b.charge_of(second)
    duplicate = found(K.DUPLICATE_PAYMENT)
    message = refused("resolution_invalid", exception_propose, discrepancy=duplicate,
                      actor=b.officer(), resolution=Resolution.WRITE_OFF, note="Keep it")
    assert "does not apply" in message
    refused("resolution_invalid", exception_propose, discrepancy=duplicate, actor=b.officer(),
            resolution=Resolution.EXPLAINED, note="Alone")


# Manual matches, applied on approval.

def test_a_bank_line_matched_by_hand_to_a_payout():
    maker, checker = b.officer(), b.supervisor()
    payout = b.payout(amount=500_000, arrival_date=TODAY - timedelta(days=6))
    line = b.bank_line(amount=500_000, booked_on=TODAY, description="TRF GATEWAY")  # too late
    stray = found(K.UNMATCHED_BANK_LINE)
    lost = Discrepancy.objects.get(kind=K.PAYOUT_NOT_IN_BANK)

    exception_propose(discrepancy=stray, actor=maker, resolution=Resolution.MANUAL_MATCH,
                      match_payout=payout, note="Booked late by the bank, same amount")
    assert BankLine.objects.get(pk=line.pk).payout is None  # nothing applied yet
    exception_approve(discrepancy=stray, actor=checker)

    assert BankLine.objects.get(pk=line.pk).payout == payout
    assert fresh(stray).state == S.RESOLVED
    assert fresh(lost).state == S.CLEARED  # the payout's own exception no longer holds
    entry = TransitionLog.objects.get(transition="match_by_hand")
    assert (entry.object_id, entry.actor) == (line.pk, checker)
    assert "Booked late by the bank" in entry.note
    assert reconcile(today=TODAY)["bank_lines_linked"] == 0


def test_a_payout_matched_by_hand_to_its_bank_line():
    payout = b.payout(amount=500_000, arrival_date=TODAY - timedelta(days=6))
    line = b.bank_line(amount=499_000, booked_on=TODAY, description="TRF GATEWAY")
    lost = found(K.PAYOUT_NOT_IN_BANK)
    exception_propose(discrepancy=lost, actor=b.officer(), resolution=Resolution.MANUAL_MATCH,
                      match_bank_line=line, note="The bank kept Rp 1.000 as a transfer fee")
    exception_approve(discrepancy=lost, actor=b.supervisor())
    assert BankLine.objects.get(pk=line.pk).payout == payout
    assert Discrepancy.objects.get(kind=K.UNMATCHED_BANK_LINE).state == S.CLEARED


def test_a_gateway_transaction_matched_by_hand_to_our_payment():
    payment = b.paid(b.bill())
    stranger = b.transaction_row(amount=payment.amount_received, source="ch_renamed")
    unknown = found(K.UNKNOWN_TRANSACTION)
    unsettled = Discrepancy.objects.get(kind=K.UNSETTLED_PAYMENT)

    exception_propose(discrepancy=unknown, actor=b.officer(), match_payment=payment,
                      resolution=Resolution.MANUAL_MATCH, note="Same amount, same minute")
    exception_approve(discrepancy=unknown, actor=b.supervisor())

    assert GatewayTransaction.objects.get(pk=stranger.pk).payment == payment
    assert fresh(unsettled).state == S.CLEARED


def test_a_manual_match_names_something_still_free():
    taken = b.payout(amount=500_000, arrival_date=TODAY)
    b.payout_line(taken)  # linked by matching
    b.bank_line(amount=480_000, booked_on=TODAY)
    stray = found(K.UNMATCHED_BANK_LINE)
    clerk = b.officer()
    refused("match_missing", exception_propose, discrepancy=stray, actor=clerk,
            resolution=Resolution.MANUAL_MATCH, note="This one")
    refused("match_invalid", exception_propose, discrepancy=stray, actor=clerk,
            resolution=Resolution.MANUAL_MATCH, match_payout=taken, note="This one")

    free = b.payout(amount=480_000, arrival_date=TODAY - timedelta(days=9), payout_id="po_free")
    exception_propose(discrepancy=stray, actor=clerk, resolution=Resolution.MANUAL_MATCH,
                      match_payout=free, note="This one")
    b.payout_line(free, booked_on=TODAY)  # meanwhile its own line came in
    reconcile(today=TODAY)
    message = refused("match_invalid", exception_approve, discrepancy=stray,
                      actor=b.supervisor())
    assert "matched to something else" in message
    assert fresh(stray).state == S.AWAITING_APPROVAL  # the checker rejects it instead


# Write-offs, per kind.

def test_writing_off_an_underpayment_settles_the_bill_with_what_was_paid():
    maker, checker = b.officer(), b.supervisor()
    invoice = b.bill()
    payment = b.paid(invoice, amount=b.BILL_TOTAL - 2_000)
    b.charge_of(payment)
    [suggestion] = refunds_suggest(payment=payment)  # all of it back, unless written off
    short = found(K.AMOUNT_MISMATCH)
    assert LedgerEntry.objects.get(payment=payment).account_code == SUSPENSE

    exception_propose(discrepancy=short, actor=maker, resolution=Resolution.WRITE_OFF,
                      note="Bank transfer fee deducted; Rp 2.000 waived")
    assert Invoice.objects.get(pk=invoice.pk).state == InvoiceState.ISSUED
    exception_approve(discrepancy=short, actor=checker)

    invoice = Invoice.objects.get(pk=invoice.pk)
    assert invoice.state == InvoiceState.PAID
    assert invoice.paid_at == payment.succeeded_at
    assert invoice.application.state != ApplicationState.AWAITING_PAYMENT
    books = {}
    for entry in LedgerEntry.objects.filter(payment=payment):
        books[entry.account_code] = books.get(entry.account_code, 0) + entry.amount
    assert books == {SUSPENSE: 0, invoice.lines.get().account_code: b.BILL_TOTAL - 2_000}
    suggestion.refresh_from_db()
    assert suggestion.state == RefundState.REJECTED
    assert fresh(short).state == S.RESOLVED


def test_an_overpayment_is_never_written_off():
    payment = b.paid(b.bill(), amount=b.BILL_TOTAL + 5_000)
    b.charge_of(payment)
    over = found(K.AMOUNT_MISMATCH)
    message = refused("resolution_invalid", exception_propose, discrepancy=over,
                      actor=b.officer(), resolution=Resolution.WRITE_OFF, note="Keep it")
    assert "SKRDLB" in message


def test_an_underpayment_being_refunded_is_not_written_off():
    clerk = b.officer()
    payment = b.paid(b.bill(), amount=100_000)
    b.charge_of(payment)
    short = found(K.AMOUNT_MISMATCH)
    exception_propose(discrepancy=short, actor=clerk, resolution=Resolution.WRITE_OFF,
                      note="Waive the rest")
    b.refunded(payment, amount=100_000)  # another officer gave it all back meanwhile
    message = refused("resolution_invalid", exception_approve, discrepancy=short,
                      actor=b.supervisor())
    assert "going back" in message
    assert Invoice.objects.get(pk=payment.invoice_id).state == InvoiceState.ISSUED
