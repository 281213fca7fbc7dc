"""Resolving reconciliation exceptions ("pengecualian").

An officer resolves an exception alone, with a note: EXPLAINED (any kind), or REFUND (an
amount difference or a second payment made online, once an officer has prepared its refund;
the refund goes on in the refunds area). A WRITE_OFF or a MANUAL_MATCH is proposed by one
officer and approved by a treasury supervisor who did not propose it (``exception_approve``:
the role checked here; four eyes also by the model's ``_is_checker`` permission and a database
constraint). Any other treasury officer may reject a proposal. A rejected proposal goes back
to open; the rejection's note stays in the audit log. Every step is a ``fsm_apply`` with the
note, so each lands in the exception's history.

What an approval applies:

- MANUAL_MATCH links what the proposer chose; the amounts may differ, the note says why.
  ``unknown_txn`` (a charge): the gateway transaction ↔ a succeeded payment that has none yet.
  ``bank_line`` (a credit): the bank line ↔ a payout not yet in the bank.
  ``payout_bank``: the payout ↔ a bank credit not yet matched or used for a counter payment.
  The link's row gets its own audit entry; exceptions it settles clear at once.
- WRITE_OFF, per kind:
  ``amount``, under-paid: the city accepts less than the bill. The bill is settled with this
  payment (the application moves on, as if paid in full), the money received moves from the
  suspense account to the bill's revenue accounts (``ledger_reclass_to_bill``), and the
  shortfall, never received, is never booked. Refund suggestions of the payment not yet
  approved are rejected. Refused once a refund of it is approved, or the bill is closed.
  ``amount``, over-paid, and ``duplicate``: refused — overpaid levy is given back (SKRDLB) and a
  second payment refunded, never kept.
  ``unknown_txn``, ``unsettled``, ``payout_sum``, ``bank_line``, ``payout_bank``: the books do
  not move (they hold only the city's own payments, refunds and counter payments); the
  exception closes with its evidence, both officers' names and the note — a bank charge, a
  gateway adjustment, a loss pursued outside Izin.

Locks, in the one order: the matching lock, application, invoice, payment, exception, refund.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from licensing.models import Application
from payments.models import Invoice, Payment, Refund
from payments.services import invoice_settle
from payments.states import REFUND_HOLDS_MONEY, InvoiceState, PaymentState, RefundState
from treasury import discrepancies
from treasury.access import is_treasury, is_treasury_supervisor
from treasury.discrepancies import CHARGE_TYPES
from treasury.ledger import ledger_reclass_to_bill
from treasury.matching import lock_matching
from treasury.models import BankLine, Discrepancy, GatewayPayout, GatewayTransaction
from treasury.refunds import refund_reject
from treasury.states import NEEDS_CHECKER
from treasury.states import DiscrepancyKind as K
from treasury.states import Resolution as R
from workflows.machine import TransitionRefused, fsm_apply
from workflows.models import TransitionLog

logger = logging.getLogger("izin.treasury")

# Which resolutions each kind takes (the forms offer these; the services enforce them).
RESOLUTIONS = {
    K.UNKNOWN_TRANSACTION: (R.EXPLAINED, R.MANUAL_MATCH, R.WRITE_OFF),
    K.UNSETTLED_PAYMENT: (R.EXPLAINED, R.WRITE_OFF),
    K.AMOUNT_MISMATCH: (R.EXPLAINED, R.REFUND, R.WRITE_OFF),
    K.DUPLICATE_PAYMENT: (R.EXPLAINED, R.REFUND),
    K.PAYOUT_MISMATCH: (R.EXPLAINED, R.WRITE_OFF),
    K.UNMATCHED_BANK_LINE: (R.EXPLAINED, R.MANUAL_MATCH, R.WRITE_OFF),
    K.PAYOUT_NOT_IN_BANK: (R.EXPLAINED, R.MANUAL_MATCH, R.WRITE_OFF),
}
# What a manual match of each kind names: the model's field for it.
MATCH_FIELD = {
    K.UNKNOWN_TRANSACTION: "match_payment",
    K.UNMATCHED_BANK_LINE: "match_payout",
    K.PAYOUT_NOT_IN_BANK: "match_bank_line",
}


# Candidates: what a manual match may name.

def payments_awaiting_settlement():
    """Succeeded payments that no gateway transaction has been matched to."""
    return (Payment.objects.filter(state=PaymentState.SUCCEEDED)
            .filter(~Exists(GatewayTransaction.objects.filter(payment=OuterRef("pk")))))


CANDIDATES = {
    "match_payment": payments_awaiting_settlement,
    "match_payout": discrepancies.payouts_not_in_bank,
    "match_bank_line": discrepancies.payout_candidate_lines,
}


def match_candidates(*, discrepancy: Discrepancy):
    """What the exception's manual match may name, or None for a kind that takes none."""
    field = MATCH_FIELD.get(discrepancy.kind)
    return CANDIDATES[field]() if field else None


# Checks.

def _require_treasury(actor) -> None:
    if not is_treasury(actor):
        raise TransitionRefused(_("Only treasury staff may resolve reconciliation exceptions."),
                                code="permission_denied")


def _require_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise TransitionRefused(_("Write a note: what was found, and why this settles it."),
                                code="note_missing")
    return note


def _require_resolution(discrepancy: Discrepancy, resolution: str, *, checked: bool) -> None:
    """``checked``: the resolutions that need a supervisor's approval (else: those that do
    not)."""
    if resolution not in RESOLUTIONS[discrepancy.kind]:
        raise TransitionRefused(
            _("“%(resolution)s” does not apply to this kind of exception.")
            % {"resolution": R(resolution).label if resolution in R.values else resolution},
            code="resolution_invalid")
    if checked and resolution not in NEEDS_CHECKER:
        raise TransitionRefused(_("This needs no supervisor's approval: resolve it with a note."),
                                code="resolution_invalid")
    if not checked and resolution in NEEDS_CHECKER:
        raise TransitionRefused(
            _("A write-off or a manual match needs a supervisor's approval: propose it."),
            code="resolution_invalid")


def _require_refund_prepared(discrepancy: Discrepancy) -> None:
    if discrepancy.payment_id is None:
        raise TransitionRefused(
            _("Only an online payment is refunded through Izin; a payment at a bank counter "
              "is given back by the bank: resolve it with an explanation."),
            code="resolution_invalid")
    if not Refund.objects.filter(payment_id=discrepancy.payment_id,
                                 state__in=REFUND_HOLDS_MONEY).exists():
        raise TransitionRefused(
            _("No refund of this payment has been prepared yet: prepare it under Refunds, "
              "then resolve the exception with it."), code="resolution_invalid")


def _require_write_off(discrepancy: Discrepancy) -> None:
    """What a write-off of this exception would do can still be done (checked again on
    approval, under the locks)."""
    if discrepancy.kind != K.AMOUNT_MISMATCH:
        return
    payment, invoice = discrepancy.payment, discrepancy.invoice
    if payment is None or invoice is None:
        raise TransitionRefused(_("This exception names no payment to write off."),
                                code="resolution_invalid")
    if (payment.amount_received or 0) >= invoice.total:
        raise TransitionRefused(
            _("An overpayment is not written off: the excess is given back (SKRDLB). Resolve "
              "the exception with its refund."), code="resolution_invalid")
    if invoice.state != InvoiceState.ISSUED:
        raise TransitionRefused(
            _("The bill is no longer open (%(state)s), so it cannot be settled with this "
              "payment: refund the payment instead.") % {"state": invoice.get_state_display()},
            code="resolution_invalid")
    if payment.refunds.filter(state__in=(RefundState.APPROVED, RefundState.PENDING,
                                         RefundState.SUCCEEDED)).exists():
        raise TransitionRefused(
            _("A refund of this payment is approved already: the money is going back, so the "
              "bill cannot be settled with it."), code="resolution_invalid")


def _require_match(discrepancy: Discrepancy, target) -> None:
    """The exception's own row can still be matched, and ``target`` is free to match it."""
    kind = discrepancy.kind
    if kind == K.UNKNOWN_TRANSACTION:
        txn = discrepancy.gateway_transaction
        if txn is None or txn.type not in CHARGE_TYPES:
            raise TransitionRefused(_("Only a charge can be matched to a payment by hand."),
                                    code="match_invalid")
        if txn.payment_id or txn.refund_id:
            raise TransitionRefused(_("This gateway transaction is matched already."),
                                    code="match_invalid")
    elif kind == K.UNMATCHED_BANK_LINE:
        if not discrepancies.payout_candidate_lines().filter(pk=discrepancy.bank_line_id).exists():
            raise TransitionRefused(
                _("This bank line cannot take a payout: it is a debit, matched already, or "
                  "used for a counter payment."), code="match_invalid")
    elif kind == K.PAYOUT_NOT_IN_BANK:
        if not discrepancies.payouts_not_in_bank().filter(pk=discrepancy.payout_id).exists():
            raise TransitionRefused(_("This payout is on a bank line already."),
                                    code="match_invalid")
    if target is None:
        raise TransitionRefused(_("Choose what it matches."), code="match_missing")
    if not match_candidates(discrepancy=discrepancy).filter(pk=target.pk).exists():
        raise TransitionRefused(_("What you chose is matched to something else already."),
                                code="match_invalid")


# The officers' steps.

def _locked(discrepancy: Discrepancy) -> Discrepancy:
    return Discrepancy.objects.select_for_update().get(pk=discrepancy.pk)


def exception_resolve(*, discrepancy: Discrepancy, actor, note: str,
                      resolution: str = R.EXPLAINED) -> Discrepancy:
    """An officer resolves an open exception alone: explained, or settled by a prepared
    refund."""
    _require_treasury(actor)
    note = _require_note(note)
    with transaction.atomic():
        locked = _locked(discrepancy)
        _require_resolution(locked, resolution, checked=False)
        if resolution == R.REFUND:
            _require_refund_prepared(locked)
        fsm_apply(instance=locked, transition="resolve", actor=actor, note=note, by=actor,
                  resolution=resolution, remark=note)
    logger.info("exception_resolved discrepancy_id=%s resolution=%s user_id=%s", locked.pk,
                resolution, actor.pk)
    return locked


def exception_propose(*, discrepancy: Discrepancy, actor, resolution: str, note: str,
                      match_payment: Payment | None = None,
                      match_payout: GatewayPayout | None = None,
                      match_bank_line: BankLine | None = None) -> Discrepancy:
    """An officer proposes a write-off or a manual match; a supervisor approves it, or another
    officer rejects it."""
    _require_treasury(actor)
    note = _require_note(note)
    with transaction.atomic():
        locked = _locked(discrepancy)
        _require_resolution(locked, resolution, checked=True)
        match = {}
        if resolution == R.MANUAL_MATCH:
            field = MATCH_FIELD[locked.kind]
            target = {"match_payment": match_payment, "match_payout": match_payout,
                      "match_bank_line": match_bank_line}[field]
            _require_match(locked, target)
            match = {field: target}
        else:
            _require_write_off(locked)
        fsm_apply(instance=locked, transition="propose", actor=actor, note=note, by=actor,
                  resolution=resolution, remark=note, **match)
    logger.info("exception_proposed discrepancy_id=%s resolution=%s user_id=%s", locked.pk,
                resolution, actor.pk)
    return locked


def exception_refusal(*, discrepancy: Discrepancy, actor) -> str | None:
    """Why ``actor`` may not approve this proposal, or None: for the page, which offers the
    button only to whoever ``exception_approve`` would let through."""
    if not is_treasury_supervisor(actor):
        # A write-off takes money off the books and a manual match overrides reconciliation:
        # the supervisor answers for both, not any officer.
        return _("Only a treasury supervisor may approve a write-off or a manual match.")
    if discrepancy.proposed_by_id == actor.pk:
        return _("You proposed this: another treasury supervisor must approve it.")
    return None


def exception_approve(*, discrepancy: Discrepancy, actor) -> Discrepancy:
    """A treasury supervisor who did not propose it approves a proposal, which is then applied
    (see the module's doc)."""
    _require_treasury(actor)
    if not is_treasury_supervisor(actor):  # before any lock: nothing to read for this refusal
        raise TransitionRefused(exception_refusal(discrepancy=discrepancy, actor=actor),
                                code="permission_denied")
    with transaction.atomic():
        lock_matching()
        if discrepancy.invoice_id:
            application_id = (Invoice.objects.values_list("application_id", flat=True)
                              .get(pk=discrepancy.invoice_id))
            Application.objects.select_for_update(of=("self",)).get(pk=application_id)
            Invoice.objects.select_for_update().get(pk=discrepancy.invoice_id)
        if discrepancy.payment_id:
            Payment.objects.select_for_update().get(pk=discrepancy.payment_id)
        locked = _locked(discrepancy)
        refusal = exception_refusal(discrepancy=locked, actor=actor)
        if refusal:
            raise TransitionRefused(refusal, code="permission_denied")
        if locked.resolution == R.MANUAL_MATCH:
            _require_match(locked, getattr(locked, MATCH_FIELD[locked.kind]))
        elif locked.resolution == R.WRITE_OFF:
            _require_write_off(locked)
        fsm_apply(instance=locked, transition="approve", actor=actor, by=actor)
        if locked.resolution == R.MANUAL_MATCH:
            _match_apply(locked, actor)
        elif locked.resolution == R.WRITE_OFF and locked.kind == K.AMOUNT_MISMATCH:
            _settle_underpaid(locked, actor)
    logger.info("exception_approved discrepancy_id=%s resolution=%s user_id=%s", locked.pk,
                locked.resolution, actor.pk)
    return locked


def exception_reject(*, discrepancy: Discrepancy, actor, note: str) -> Discrepancy:
    """Another officer (any but the proposer) sends a proposal back: the exception is open
    again."""
    _require_treasury(actor)
    note = _require_note(note)
    with transaction.atomic():
        locked = _locked(discrepancy)
        if locked.proposed_by_id == actor.pk:
            raise TransitionRefused(_("Another officer must decide on what you proposed."),
                                    code="permission_denied")
        fsm_apply(instance=locked, transition="reject", actor=actor, note=note, by=actor)
    logger.info("exception_rejected discrepancy_id=%s user_id=%s", locked.pk, actor.pk)
    return locked


# What an approval applies.

def _match_apply(discrepancy: Discrepancy, actor) -> None:
    """Write the link (under the matching lock: matching cannot take either side meanwhile),
    audit it on the linked row, and clear what it settles."""
    kind = discrepancy.kind
    if kind == K.UNKNOWN_TRANSACTION:
        row = discrepancy.gateway_transaction
        GatewayTransaction.objects.filter(pk=row.pk).update(payment=discrepancy.match_payment)
    elif kind == K.UNMATCHED_BANK_LINE:
        row = discrepancy.bank_line
        BankLine.objects.filter(pk=row.pk).update(payout=discrepancy.match_payout)
    else:
        row = discrepancy.match_bank_line
        BankLine.objects.filter(pk=row.pk).update(payout=discrepancy.payout)
    TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(row), object_id=row.pk,
        transition="match_by_hand", source="", target="", actor=actor,
        note=f"{discrepancy.key}: {discrepancy.note}")
    discrepancies.clear()


def _settle_underpaid(discrepancy: Discrepancy, actor) -> None:
    """Moves money: the bill is settled with less than its total (see the module's doc)."""
    payment, invoice = discrepancy.payment, discrepancy.invoice
    invoice_settle(invoice=invoice, paid_at=payment.succeeded_at)
    ledger_reclass_to_bill(payment=payment, amount=payment.amount_received,
                           note=f"{discrepancy.key}: {discrepancy.note}")
    for refund in payment.refunds.filter(state__in=(RefundState.DRAFT, RefundState.PROPOSED)):
        refund_reject(refund=refund, actor=actor,
                      note=_("The under-payment was written off: the bill is settled with it."))
