"""Bills paid at a bank teller (setoran tunai / loket bank), recorded by two treasury officers.

This is the only way to mark a bill paid other than an online payment, and it always takes one
credit line of the city's bank statement: there is no way to settle a bill in cash without the
bank's booking that shows the money arrived.

One officer cannot do it alone. The first proposes which bill a line pays
(``counter_payment_propose``: a counter payment in ``proposed``, nothing settled, nothing
booked, but the line is held); a second treasury officer or supervisor confirms it
(``counter_payment_confirm``: the bill is settled and the money booked) or rejects it
(``counter_payment_reject``: the line is free again). The proposer never confirms (the model's
``_is_confirmer`` permission and a database constraint), nor does the officer who imported the
statement the line came from: whoever controls the file must not also decide alone what it pays.

Locks, in the one order: the matching lock, application, invoice, bank line, counter payment.
"""

import logging
import re
from datetime import datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from licensing.formats import rupiah
from licensing.models import Application
from payments import numbering
from payments.models import Invoice
from payments.services import invoice_settle
from payments.states import InvoiceState
from treasury.access import is_treasury
from treasury.ledger import ledger_record_counter_payment
from treasury.matching import lock_matching
from treasury.models import BankLine, CounterPayment
from treasury.states import COUNTER_HOLDS_LINE
from treasury.states import CounterPaymentState as CS
from workflows.machine import TransitionRefused, fsm_apply
from workflows.models import TransitionLog

logger = logging.getLogger("izin.treasury")

_SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


def billing_code_find(text: str) -> str | None:
    """The first 16-digit billing code with a valid check digit in a bank line's text."""
    return next((code for code in _SIXTEEN_DIGITS.findall(text)
                 if numbering.billing_code_is_valid(code)), None)


def _require_treasury(actor) -> None:
    if not is_treasury(actor):
        raise TransitionRefused(_("Only treasury staff may record a payment made at a bank "
                                  "counter."), code="permission_denied")


def _lock(*, invoice_id: int, bank_line_id: int) -> tuple[Application, Invoice, BankLine]:
    """The matching lock, then the application, the invoice and the bank line. Matching links
    bank lines to payouts in set-based updates: it must not take this line while a counter
    payment is being written on it, nor this service a line matching has just taken."""
    lock_matching()
    application_id = Invoice.objects.values_list("application_id", flat=True).get(pk=invoice_id)
    application = Application.objects.select_for_update(of=("self",)).get(pk=application_id)
    invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
    line = BankLine.objects.select_related("statement").select_for_update(of=("self",)).get(
        pk=bank_line_id)
    return application, invoice, line


def counter_payment_propose(*, bank_line: BankLine, invoice: Invoice, actor,
                            note: str = "") -> CounterPayment:
    """Propose that ``invoice`` was paid with the money of ``bank_line`` at a bank teller.

    Nothing is settled or booked yet: the proposal holds the line until a second officer
    confirms or rejects it. Refuses (``TransitionRefused``, message safe to show) a debit line,
    a line already held by a counter payment or matched to a payout, a bill not open, an amount
    other than the bill's, a line booked before the bill existed, and anyone but treasury staff.
    """
    _require_treasury(actor)
    with transaction.atomic():
        application, locked_invoice, line = _lock(invoice_id=invoice.pk,
                                                  bank_line_id=bank_line.pk)
        _check(line=line, invoice=locked_invoice)
        counter_payment = CounterPayment.objects.create(
            invoice=locked_invoice, bank_line=line, amount=line.amount, recorded_by=actor)
        # Creating is not a transition of the machine, so the audit entry is written here.
        TransitionLog.objects.create(
            content_type=ContentType.objects.get_for_model(CounterPayment),
            object_id=counter_payment.pk, application=application,
            transition="counter_payment_propose", source="", target=counter_payment.state,
            actor=actor, note=_audit_note(line=line, invoice=locked_invoice, note=note),
        )
    logger.info("counter_payment_proposed counter_payment_id=%s invoice_id=%s bank_line_id=%s "
                "amount=%s actor_id=%s", counter_payment.pk, locked_invoice.pk, line.pk,
                line.amount, actor.pk)
    return counter_payment


def counter_payment_confirm(*, counter_payment: CounterPayment, actor,
                            note: str = "") -> CounterPayment:
    """A second officer confirms a proposed counter payment. Moves money.

    Refused to the proposer and to whoever imported the line's statement, and (checked again
    under the locks) when the bill or the line is no longer what the proposal saw. The bill is
    settled as an online payment settles it (the application moves on), the money is booked in
    the ledger on the bank's booking date, and the confirmation is audited with both officers'
    names.
    """
    _require_treasury(actor)
    with transaction.atomic():
        application, locked_invoice, line = _lock(invoice_id=counter_payment.invoice_id,
                                                  bank_line_id=counter_payment.bank_line_id)
        locked = (CounterPayment.objects.select_related("recorded_by")
                  .select_for_update(of=("self",)).get(pk=counter_payment.pk))
        _require_confirmer(counter_payment=locked, line=line, actor=actor)
        if locked.state == CS.PROPOSED:  # otherwise the machine says why not
            _check(line=line, invoice=locked_invoice, counter_payment=locked)
        proposer = locked.recorded_by
        fsm_apply(instance=locked, transition="confirm", actor=actor, application=application,
                  note=_audit_note(line=line, invoice=locked_invoice, note=note,
                                   proposer=proposer, confirmer=actor),
                  by=actor)
        ledger_record_counter_payment(counter_payment=locked)
        paid_at = timezone.make_aware(datetime.combine(line.booked_on, time(0)))
        invoice_settle(invoice=locked_invoice, paid_at=paid_at)
    logger.info("counter_payment_confirmed counter_payment_id=%s invoice_id=%s bank_line_id=%s "
                "amount=%s proposer_id=%s actor_id=%s", locked.pk, locked_invoice.pk, line.pk,
                locked.amount, proposer.pk, actor.pk)
    return locked


def counter_payment_reject(*, counter_payment: CounterPayment, actor,
                           note: str) -> CounterPayment:
    """A second officer turns a proposal down, with a note: the bill stays open and the bank
    line is free for the right bill. The proposer cannot reject (nor confirm) their own."""
    _require_treasury(actor)
    note = (note or "").strip()
    if not note:
        raise TransitionRefused(_("Write a note saying why."), code="note_missing")
    with transaction.atomic():
        application, _invoice, line = _lock(invoice_id=counter_payment.invoice_id,
                                            bank_line_id=counter_payment.bank_line_id)
        locked = CounterPayment.objects.select_for_update().get(pk=counter_payment.pk)
        if locked.recorded_by_id == actor.pk:
            raise TransitionRefused(_("Another treasury officer must decide on a counter "
                                      "payment you proposed."), code="permission_denied")
        fsm_apply(instance=locked, transition="reject", actor=actor, application=application,
                  note=note, by=actor)
    logger.info("counter_payment_rejected counter_payment_id=%s bank_line_id=%s actor_id=%s",
                locked.pk, line.pk, actor.pk)
    return locked


def counter_payment_refusal(*, counter_payment: CounterPayment, actor) -> str | None:
    """Why ``actor`` may not confirm this counter payment, or None: for the page, which offers
    the button only to whoever the service would let through."""
    try:
        _require_treasury(actor)
        _require_confirmer(counter_payment=counter_payment, line=counter_payment.bank_line,
                           actor=actor)
    except TransitionRefused as refused:
        return refused.message
    return None


def _require_confirmer(*, counter_payment: CounterPayment, line: BankLine, actor) -> None:
    """Importer, proposer and confirmer: the confirmer is neither of the others."""
    if counter_payment.recorded_by_id == actor.pk:
        raise TransitionRefused(_("You proposed this counter payment: another treasury officer "
                                  "must confirm it."), code="permission_denied")
    if line.statement.uploaded_by_id == actor.pk:
        raise TransitionRefused(_("You imported the bank statement this line comes from: "
                                  "another treasury officer must confirm payments from its "
                                  "lines."), code="permission_denied")


def _check(*, line: BankLine, invoice: Invoice,
           counter_payment: CounterPayment | None = None) -> None:
    """What a line must be to pay a bill; ``counter_payment``: the proposal being confirmed,
    which holds the line itself."""
    if line.amount <= 0:
        raise TransitionRefused(_("This bank line is a debit: money left the account, so it "
                                  "cannot pay a bill."), code="debit_line")
    held = CounterPayment.objects.filter(bank_line=line, state__in=COUNTER_HOLDS_LINE)
    if counter_payment is not None:
        held = held.exclude(pk=counter_payment.pk)
    if held.exists():
        raise TransitionRefused(_("This bank line already pays a bill at the counter, or a "
                                  "payment from it awaits a second officer."), code="line_used")
    if line.payout_id is not None:
        raise TransitionRefused(_("This bank line is the gateway's payout, not a payment at the "
                                  "counter."), code="line_matched")
    if invoice.state != InvoiceState.ISSUED:
        raise TransitionRefused(_("Bill %(number)s is not open for payment (%(state)s).")
                                % {"number": invoice.number,
                                   "state": invoice.get_state_display()}, code="bill_closed")
    if line.amount != invoice.total:
        raise TransitionRefused(_("The bank line is for %(paid)s but bill %(number)s is for "
                                  "%(total)s.") % {"paid": rupiah(line.amount),
                                                   "number": invoice.number,
                                                   "total": rupiah(invoice.total)},
                                code="amount_mismatch")
    if line.booked_on < timezone.localdate(invoice.issued_at):
        raise TransitionRefused(_("The bank booked this money on %(booked)s, before bill "
                                  "%(number)s was issued.")
                                % {"booked": line.booked_on.isoformat(),
                                   "number": invoice.number}, code="before_bill")


def _audit_note(*, line: BankLine, invoice: Invoice, note: str, proposer=None,
                confirmer=None) -> str:
    """The bank's booking, the bill and (on confirmation) both officers in the audit entry's
    own words (it outlives any page and any later change of a name), then the officer's
    note."""
    booking = (f"bank_line={line.pk} booked_on={line.booked_on.isoformat()} "
               f"reference={line.bank_reference or '-'} amount={line.amount} "
               f"invoice={invoice.number}")
    if proposer is not None:
        booking += (f"\nproposed_by={proposer.pk} {proposer.full_name}"
                    f"\nconfirmed_by={confirmer.pk} {confirmer.full_name}")
    return f"{booking}\n{note.strip()}" if note.strip() else booking
