"""Money on the books without a gateway: bills paid at the bank counter on a chosen day, proposed
by a treasury officer against the bank's statement line and confirmed by a second, as the
counter payment services do."""

import itertools
from datetime import date, datetime, time

from django.conf import settings
from django.db import connection
from django.utils import timezone

from licensing import roles
from payments.models import Invoice
from tests.factories import UserFactory
from tests.payments.support import awaiting_payment
from treasury.counter import counter_payment_confirm, counter_payment_propose
from treasury.models import BankLine, BankStatement, LedgerEntry

_lines = itertools.count(1)


def officer(**kwargs):
    return UserFactory(groups=[roles.TREASURY_OFFICER], **kwargs)


def supervisor(**kwargs):
    return UserFactory(groups=[roles.TREASURY_SUPERVISOR], **kwargs)


def bill(permit_type=None) -> Invoice:
    """An open bill of Rp 1.807.500 (one line, account 4.1.02.03.01.0001) unless the permit
    type's tariff says otherwise."""
    return awaiting_payment(permit_type)[2]


def issued_on(invoice: Invoice, day: date) -> None:
    """Test set-up only: the bill was issued on ``day`` (the model refuses the change, as it
    should; raw SQL stands for time passing)."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE payments_invoice SET issued_at = %s WHERE id = %s",
                       [timezone.make_aware(datetime.combine(day, time(9))), invoice.pk])


def paid_at_counter(invoice: Invoice, *, on: date, by, confirmed_by=None,
                    reference: str | None = None) -> list[LedgerEntry]:
    """The bank booked a teller payment of the whole bill on ``on`` (the bill issued that day
    if it was issued later); the officer ``by`` imports it and proposes the payment, a second
    officer (``confirmed_by``, a new one unless given) confirms it. Returns its ledger
    entries."""
    if timezone.localdate(invoice.issued_at) > on:
        issued_on(invoice, on)
        invoice = Invoice.objects.get(pk=invoice.pk)
    number = next(_lines)
    statement = BankStatement.objects.create(
        format="csv", filename=f"rkud-{number}.csv", sha256=f"{number:064x}",
        account_number=settings.TREASURY_RKUD_ACCOUNT, uploaded_by=by, lines_added=1)
    line = BankLine.objects.create(
        statement=statement, line_number=1, booked_on=on, amount=invoice.total,
        bank_reference=reference or f"TLR{number:06d}",
        description=f"SETORAN RETRIBUSI {invoice.billing_code}", checksum=f"{number:064x}")
    counter = counter_payment_propose(bank_line=line, invoice=invoice, actor=by)
    counter = counter_payment_confirm(counter_payment=counter, actor=confirmed_by or officer())
    return list(counter.ledger_entries.order_by("pk"))
