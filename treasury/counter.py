"""Bills paid at a bank teller (setoran tunai / loket bank), recorded by a treasury officer.

This is the only way to mark a bill paid other than an online payment, and it always takes one
credit line of the city's bank statement: there is no way to settle a bill in cash without the
bank's booking that shows the money arrived.
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
from workflows.machine import TransitionRefused
from workflows.models import TransitionLog

logger = logging.getLogger("izin.treasury")

_SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


def billing_code_find(text: str) -> str | None:
    """The first 16-digit billing code with a valid check digit in a bank line's text."""
    return next((code for code in _SIXTEEN_DIGITS.findall(text)
                 if numbering.billing_code_is_valid(code)), None)


def counter_payment_record(*, bank_line: BankLine, invoice: Invoice, actor,
                           note: str = "") -> CounterPayment:
    """Settle ``invoice`` with the money of ``bank_line``, paid at a bank teller. Moves money.

    Takes the matching lock, then locks the application, the invoice and the bank line.
    Refuses (``TransitionRefused``, message safe to show) a debit line, a line already used or
    matched to a payout, a bill not open, an amount other than the bill's, a line booked before
    the bill existed, and anyone but treasury staff. The bill is settled as an online payment
    settles it (the application moves on), the money is booked in the ledger on the bank's
    booking date, and the recording is audited with the officer's note.
    """
    if not is_treasury(actor):
        raise TransitionRefused(_("Only treasury staff may record a payment made at a bank "
                                  "counter."), code="permission_denied")
    with transaction.atomic():
        # Matching links bank lines to payouts in set-based updates: it must not take this line
        # while it is being recorded, nor this recording a line it has just taken.
        lock_matching()
        application = (Application.objects.select_for_update(of=("self",))
                       .get(pk=invoice.application_id))
        locked_invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        line = BankLine.objects.select_for_update().get(pk=bank_line.pk)
        _check(line=line, invoice=locked_invoice)
        counter_payment = CounterPayment.objects.create(
            invoice=locked_invoice, bank_line=line, amount=line.amount, recorded_by=actor)
        ledger_record_counter_payment(counter_payment=counter_payment)
        paid_at = timezone.make_aware(datetime.combine(line.booked_on, time(0)))
        invoice_settle(invoice=locked_invoice, paid_at=paid_at)
        TransitionLog.objects.create(
            content_type=ContentType.objects.get_for_model(CounterPayment),
            object_id=counter_payment.pk, application=application,
            transition="counter_payment_record", source="", target="recorded", actor=actor,
            note=_audit_note(line=line, note=note),
        )
    logger.info("counter_payment_recorded counter_payment_id=%s invoice_id=%s bank_line_id=%s "
                "amount=%s actor_id=%s", counter_payment.pk, locked_invoice.pk, line.pk,
                line.amount, actor.pk)
    return counter_payment


def _check(*, line: BankLine, invoice: Invoice) -> None:
    if line.amount <= 0:
        raise TransitionRefused(_("This bank line is a debit: money left the account, so it "
                                  "cannot pay a bill."), code="debit_line")
    if CounterPayment.objects.filter(bank_line=line).exists():
        raise TransitionRefused(_("This bank line already pays a bill at the counter."),
                                code="line_used")
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


def _audit_note(*, line: BankLine, note: str) -> str:
    """The bank's booking in the audit entry's own words (it outlives any page), then the
    officer's note."""
    booking = (f"bank_line={line.pk} booked_on={line.booked_on.isoformat()} "
               f"reference={line.bank_reference or '-'} amount={line.amount}")
    return f"{booking}\n{note.strip()}" if note.strip() else booking
