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

Which resolution an exception takes, and when, is ``treasury.resolutions``: these services
refuse what it refuses, and the exception page offers only what it lets through.

Locks, in the one order: the matching lock, application, invoice, payment, exception, refund.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from licensing.models import Application
from payments.models import Invoice, Payment
from payments.services import invoice_settle
from payments.states import RefundState
from treasury import discrepancies, resolutions
from treasury.access import is_treasury_supervisor
from treasury.ledger import ledger_reclass_to_bill
from treasury.matching import lock_matching
from treasury.models import BankLine, Discrepancy, GatewayPayout, GatewayTransaction
from treasury.refunds import refund_reject
from treasury.resolutions import MATCH_FIELD
from treasury.states import DiscrepancyKind as K
from treasury.states import Resolution as R
from workflows.machine import TransitionRefused, fsm_apply
from workflows.models import TransitionLog

logger = logging.getLogger("izin.treasury")

# Checks.

def _refuse(refusal: resolutions.Refusal | None) -> None:
    if refusal is not None:
        raise TransitionRefused(refusal.message, code=refusal.code)


def _require_treasury(actor) -> None:
    _refuse(resolutions.treasury_refusal(actor))


def _require_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise TransitionRefused(_("Write a note: what was found, and why this settles it."),
                                code="note_missing")
    return note


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
        _refuse(resolutions.resolution_refusal(discrepancy=locked, resolution=resolution,
                                               actor=actor, step=resolutions.RESOLVE))
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
        match = {}
        if resolution == R.MANUAL_MATCH and locked.kind in MATCH_FIELD:
            field = MATCH_FIELD[locked.kind]
            match = {field: {"match_payment": match_payment, "match_payout": match_payout,
                             "match_bank_line": match_bank_line}[field]}
        _refuse(resolutions.resolution_refusal(
            discrepancy=locked, resolution=resolution, actor=actor, step=resolutions.PROPOSE,
            target=next(iter(match.values()), None)))
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
            _refuse(resolutions.match_refusal(locked, getattr(locked, MATCH_FIELD[locked.kind])))
        elif locked.resolution == R.WRITE_OFF:
            _refuse(resolutions.write_off_refusal(locked))
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
