"""Paying through the web views, for each method: the SKRD page's "Pay" form, the gateway's
hosted page, the return page that waits for the gateway, and the receipt. The sandbox runs on a
live server: Izin's client calls it and it delivers its signed webhooks over real HTTP."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from licensing.models import Application
from licensing.services import application_withdraw
from licensing.states import ApplicationState as A
from payments.models import Invoice, Payment
from payments.states import InvoiceState as I
from payments.states import PaymentState as P
from tests.factories import BusinessFactory, UserFactory
from tests.payments.flow import use_sandbox
from tests.payments.support import awaiting_payment
from tests.portal import in_english, post

VISA, DECLINED = "4242 4242 4242 4242", "4000 0000 0000 0002"


@pytest.fixture
def gateway(settings, live_server):
    use_sandbox(settings, live_server, webhooks=True)
    return live_server


@pytest.fixture
def bill(client):
    application, owner, invoice = awaiting_payment()
    client.force_login(owner)
    in_english(client)
    return application, invoice


def path(url: str) -> str:
    return urlsplit(url).path


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def pay(client, invoice, method: str) -> str:
    """Choose the method on the SKRD page; returns the hosted page's path at the gateway."""
    page = client.get(reverse("invoice_detail", args=[invoice.pk]))
    assert f'value="{method}"' in page.content.decode()
    response = post(client, reverse("invoice_pay", args=[invoice.pk]), {"method": method})
    assert response.status_code == 302
    payment = Payment.objects.get(invoice=invoice, state=P.OPEN)
    assert response["Location"] == payment.checkout_url
    return path(response["Location"])


def hosted(client, checkout: str, data: dict):
    return client.post(checkout + "pay/", data)


def back_from_gateway(client, response) -> str:
    """The gateway sends the business back to Izin's return page."""
    assert response.status_code == 302
    return path(response["Location"])


def assert_receipt(client, return_path: str, invoice: Invoice, method_label: str):
    response = client.get(return_path)
    assert response.status_code == 302  # confirmed by the gateway: on to the receipt
    receipt = client.get(response["Location"])
    shown = text(receipt)
    payment = Payment.objects.get(invoice=invoice, state=P.SUCCEEDED)
    assert invoice.number in shown
    assert "Rp 1.807.500" in shown
    assert method_label in shown
    # The billing code, which the bank knows the payment by; not the gateway's internal id.
    assert invoice.billing_code in shown and payment.payment_intent_id not in shown
    paid = Invoice.objects.get(pk=invoice.pk)
    assert paid.state == I.PAID
    assert Application.objects.get(pk=invoice.application_id).state == A.ISSUED


@pytest.mark.django_db(transaction=True)
def test_card_payment(client, gateway, bill):
    _application, invoice = bill
    checkout = pay(client, invoice, "card")
    assert client.get(checkout).status_code == 200

    returned = back_from_gateway(client, hosted(client, checkout,
                                                {"method": "card", "card_number": VISA}))

    assert_receipt(client, returned, invoice, "Card")


@pytest.mark.django_db(transaction=True)
def test_card_declined_then_paid(client, gateway, bill):
    application, invoice = bill
    checkout = pay(client, invoice, "card")

    declined = hosted(client, checkout, {"method": "card", "card_number": DECLINED})
    assert declined.status_code == 402
    assert Payment.objects.get(invoice=invoice).state == P.OPEN  # the page stays open
    assert Application.objects.get(pk=application.pk).state == A.AWAITING_PAYMENT

    returned = back_from_gateway(client, hosted(client, checkout,
                                                {"method": "card", "card_number": VISA}))
    assert_receipt(client, returned, invoice, "Card")
    assert Payment.objects.filter(invoice=invoice).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("method", "label", "choice"), [
    ("va", "Bank transfer to a virtual account", {"method": "va", "bank": "bca"}),
    ("qris", "QRIS", {"method": "qris"}),
])
def test_bank_payment_is_processing_until_the_bank_pays(client, gateway, bill, method, label,
                                                        choice):
    application, invoice = bill
    checkout = pay(client, invoice, method)
    instructions = hosted(client, checkout, choice)
    assert path(instructions["Location"]) == checkout  # the gateway shows how to pay

    payment = Payment.objects.get(invoice=invoice)
    waiting = client.get(reverse("payment_return", args=[payment.pk]))
    assert waiting.status_code == 200
    assert "Waiting for your transfer" in text(waiting)
    assert 'http-equiv="refresh"' not in waiting.content.decode()
    assert Application.objects.get(pk=application.pk).state == A.AWAITING_PAYMENT
    # Another "Pay" while the bank is pending starts nothing new.
    page = client.get(reverse("invoice_detail", args=[invoice.pk]))
    assert "A payment of this bill is being processed by the bank." in text(page)
    assert 'name="method"' not in page.content.decode()

    returned = back_from_gateway(client, client.post(checkout + "simulate-bank-payment/"))

    assert_receipt(client, returned, invoice, label)


@pytest.mark.django_db(transaction=True)
def test_leaving_the_page_lets_the_business_try_again_with_another_method(client, gateway,
                                                                          bill):
    _application, invoice = bill
    pay(client, invoice, "card")
    first = Payment.objects.get(invoice=invoice)

    cancelled = client.get(reverse("payment_cancelled", args=[first.pk]))
    assert "You left the payment page; nothing was paid." in text(cancelled)
    assert 'value="qris"' in cancelled.content.decode()
    checkout = pay(client, invoice, "qris")

    first.refresh_from_db()
    assert first.state == P.EXPIRED  # its page was closed at the gateway first
    second = Payment.objects.get(invoice=invoice, state=P.OPEN)
    assert (second.attempt, second.method) == (2, "qris")
    assert path(second.checkout_url) == checkout


@pytest.mark.django_db(transaction=True)
def test_the_same_method_again_returns_the_open_page(client, gateway, bill):
    _application, invoice = bill
    first = pay(client, invoice, "card")
    assert pay(client, invoice, "card") == first
    assert Payment.objects.filter(invoice=invoice).count() == 1


@pytest.mark.django_db
def test_the_return_page_never_marks_paid_by_itself(client, bill, settings):
    """The gateway cannot be reached: the page says processing, and nothing moves."""
    _application, invoice = bill
    payment = Payment.objects.create(invoice=invoice, attempt=1, method="card",
                                     amount=invoice.total, idempotency_key="k",
                                     checkout_expires_at=invoice.issued_at)
    response = client.get(reverse("payment_return", args=[payment.pk]))
    assert response.status_code == 200
    assert "Processing" in text(response)
    assert Invoice.objects.get(pk=invoice.pk).state == I.ISSUED


@pytest.mark.django_db
def test_another_business_gets_404_on_every_payment_page(client, bill):
    _application, invoice = bill
    payment = Payment.objects.create(invoice=invoice, attempt=1, method="card",
                                     amount=invoice.total, idempotency_key="k",
                                     checkout_expires_at=invoice.issued_at)
    stranger = UserFactory()
    BusinessFactory(owner=stranger)
    client.force_login(stranger)
    for name in ("payment_return", "payment_cancelled", "payment_receipt"):
        assert client.get(reverse(name, args=[payment.pk])).status_code == 404
    assert post(client, reverse("invoice_pay", args=[invoice.pk]),
                {"method": "card"}).status_code == 404
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_a_bill_that_cannot_be_paid_any_more_says_so(client, bill):
    application, invoice = bill
    application_withdraw(application=application, actor=application.created_by)
    response = post(client, reverse("invoice_pay", args=[invoice.pk]), {"method": "card"},
                    follow=True)
    assert "This bill can no longer be paid." in text(response)
    assert Payment.objects.count() == 0
