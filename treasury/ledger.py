"""The books: every rupiah received or given back becomes ledger rows in one business day.

Money normally lands in the day it moved. If that day is already closed, it lands in the first
open day from today on and keeps the day it really moved (``occurred_on``): a closed day never
changes. Recording and closing meet at one database lock (shared for recording, exclusive for
closing), so an entry cannot slip into a day while that day is being closed.

A payment that matches its bill is booked to the bill's revenue accounts line by line; money
that does not (over/under-paid, paid for a closed bill, a second payment) goes to the suspense
account until the treasury resolves it. Called inside the caller's transaction, under its locks.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from payments.models import Invoice, Payment, Refund
from treasury.models import CounterPayment, DailyClose, LedgerEntry, LedgerImmutable
from treasury.states import LedgerKind, LedgerMethod

_LEDGER_LOCK = 0x1D21  # one advisory lock key for the books (PostgreSQL)


def lock_books(*, exclusive: bool) -> None:
    """Recording takes the books' lock shared, closing a day takes it exclusively. SQLite
    serialises every writing transaction already (``transaction_mode`` IMMEDIATE)."""
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [_LEDGER_LOCK])


def book_day_for(occurred_on: date, *, today: date | None = None) -> date:
    """The day ``occurred_on``'s money is counted in: its own, or the first open day from
    ``today`` on when its own is closed."""
    closed = set(DailyClose.objects.filter(day__gte=min(occurred_on, today or occurred_on))
                 .values_list("day", flat=True))
    if occurred_on not in closed:
        return occurred_on
    day = max(today or timezone.localdate(), occurred_on)
    while day in closed:
        day += timedelta(days=1)
    return day


def _record(*, occurred: datetime, rows: list[dict], **common) -> list[LedgerEntry]:
    lock_books(exclusive=False)
    occurred_on = timezone.localdate(occurred)
    book_day = book_day_for(occurred_on)
    if DailyClose.objects.filter(day=book_day).exists():  # belt and braces under the lock
        raise LedgerImmutable(f"{book_day} is closed.")
    entries = [LedgerEntry(book_day=book_day, occurred_on=occurred_on, **common, **row)
               for row in rows if row["amount"]]
    return LedgerEntry.objects.bulk_create(entries)


def _by_invoice_lines(invoice: Invoice, amount: int) -> list[dict]:
    """``amount`` spread over the bill's lines in order, each line at most its own amount."""
    rows = []
    for line in invoice.lines.all():
        part = min(line.amount, amount)
        rows.append({"account_code": line.account_code, "amount": part})
        amount -= part
    if amount:
        rows.append({"account_code": settings.TREASURY_SUSPENSE_ACCOUNT, "amount": amount})
    return rows


def _suspense(amount: int) -> list[dict]:
    return [{"account_code": settings.TREASURY_SUSPENSE_ACCOUNT, "amount": amount}]


def ledger_record_payment(*, payment: Payment) -> list[LedgerEntry]:
    """A succeeded online payment. Moves money."""
    invoice = payment.invoice
    rows = (_suspense(payment.amount_received) if payment.needs_review
            else _by_invoice_lines(invoice, payment.amount_received))
    return _record(occurred=payment.succeeded_at, rows=rows, kind=LedgerKind.PAYMENT,
                   method=payment.method, permit_type_id=invoice.application.permit_type_id,
                   invoice=invoice, payment=payment)


def ledger_record_counter_payment(*, counter_payment: CounterPayment) -> list[LedgerEntry]:
    """A bill paid at a bank teller, on the day the bank booked it. Moves money."""
    invoice = counter_payment.invoice
    occurred = timezone.make_aware(datetime.combine(counter_payment.bank_line.booked_on,
                                                    datetime.min.time()))
    return _record(occurred=occurred, rows=_by_invoice_lines(invoice, counter_payment.amount),
                   kind=LedgerKind.COUNTER, method=LedgerMethod.COUNTER,
                   permit_type_id=invoice.application.permit_type_id, invoice=invoice,
                   counter_payment=counter_payment)


def ledger_record_refund(*, refund: Refund) -> list[LedgerEntry]:
    """Money given back: negative, from the accounts the payment was booked to (suspense
    first, then the bill's lines in order). Moves money."""
    payment = refund.payment
    booked = {}
    for entry in payment.ledger_entries.all():
        booked[entry.account_code] = booked.get(entry.account_code, 0) + entry.amount
    suspense = settings.TREASURY_SUSPENSE_ACCOUNT
    order = [suspense] + [code for code in booked if code != suspense]
    rows, left = [], refund.amount
    for code in order:
        part = min(max(booked.get(code, 0), 0), left)
        if part:
            rows.append({"account_code": code, "amount": -part})
            left -= part
    if left:
        rows.append({"account_code": suspense, "amount": -left})
    return _record(occurred=refund.succeeded_at or timezone.now(), rows=rows,
                   kind=LedgerKind.REFUND, method=payment.method,
                   permit_type_id=payment.invoice.application.permit_type_id,
                   invoice=payment.invoice, payment=payment, refund=refund)


def ledger_reclass_to_bill(*, payment: Payment, amount: int, note: str) -> list[LedgerEntry]:
    """Move ``amount`` of a payment held in suspense onto its bill's revenue accounts (an
    overpayment accepted for the bill, the excess to be refunded). Moves money."""
    invoice = payment.invoice
    rows = [{"account_code": settings.TREASURY_SUSPENSE_ACCOUNT, "amount": -amount},
            *_by_invoice_lines(invoice, amount)]
    return _record(occurred=timezone.now(), rows=rows, kind=LedgerKind.RECLASS,
                   method=payment.method, permit_type_id=invoice.application.permit_type_id,
                   invoice=invoice, payment=payment, note=note[:255])
