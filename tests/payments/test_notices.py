"""The business hears of its bill (what, how much, by when) and of the money received."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
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


def test_an_open_bill_reads_not_paid_yet_to_the_business(client):
    application, owner, invoice = awaiting_payment()
    client.force_login(owner)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in (reverse("invoice_detail", args=[invoice.pk]),
                reverse("application_detail", args=[application.pk])):
        page = client.get(url).content.decode()
        assert "Not paid yet" in page
        assert 'class="state">Issued<' not in page and "<td>Issued</td>" not in page
