"""The business hears of its bill (what, how much, by when) and of the money received."""

import pytest
from django.utils import timezone

from notifications.models import Notification
from payments.services import invoice_settle
from tests.payments.support import TOTAL, awaiting_payment

pytestmark = pytest.mark.django_db


def rupiah(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def test_a_bill_is_announced_with_its_amount_code_and_due_date_then_its_payment():
    application, owner, invoice = awaiting_payment()
    [bill] = Notification.objects.filter(recipient=owner, kind="invoice.issued")
    assert bill.subject == f"Tagihan {invoice.number}: {rupiah(TOTAL)} harus dibayar"
    assert invoice.billing_code in bill.body
    assert bill.url == f"/payments/invoices/{invoice.pk}/"

    invoice_settle(invoice=invoice, paid_at=timezone.now())
    invoice_settle(invoice=invoice, paid_at=timezone.now())  # the gateway told twice
    [paid] = Notification.objects.filter(recipient=owner, kind="payment.received")
    assert rupiah(TOTAL) in paid.body and application.reference in paid.subject
