"""Izin's own page for a bank payment waiting for the bank: the virtual account (bank, number,
amount, deadline) or the QRIS code, kept from the gateway's answer; a "Check status" button
instead of a page that reloads itself; and the small JSON answer the page's live update polls,
which asks the gateway at most once in a while. Against the sandbox over real HTTP."""

import re
from datetime import timedelta

import pytest
import qrcode
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from licensing.formats import rupiah
from payments.gateway.client import GatewayClient
from payments.gateway.types import BankInstructions, PaymentIntent
from payments.models import Payment
from payments.sandbox.models import CheckoutSession as SandboxSession
from payments.sandbox.models import PaymentIntent as SandboxIntent
from payments.states import PaymentState as P
from tests.factories import BusinessFactory, UserFactory
from tests.payments.flow import bank_pays, choose_bank, start, use_sandbox
from tests.payments.gateway import wire
from tests.payments.support import TOTAL, awaiting_payment
from tests.portal import in_english


@pytest.fixture
def gateway(settings, live_server):
    use_sandbox(settings, live_server)


@pytest.fixture
def gateway_calls(monkeypatch):
    """How often Izin asked the gateway about a checkout session (each refresh starts there)."""
    calls = []
    retrieve = GatewayClient.checkout_session_retrieve

    def counted(self, session_id, *args, **kwargs):
        calls.append(session_id)
        return retrieve(self, session_id, *args, **kwargs)

    monkeypatch.setattr(GatewayClient, "checkout_session_retrieve", counted)
    return calls


def waiting(client, method: str):
    """A bill whose business chose ``method`` on the gateway's page and came back to Izin:
    (payment, the sandbox's intent, the sandbox's session)."""
    _application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner, method)
    choose_bank(payment, method)
    client.force_login(owner)
    in_english(client)
    intent = SandboxIntent.objects.get(pk=payment.payment_intent_id)
    session = SandboxSession.objects.get(pk=payment.checkout_session_id)
    return payment, intent, session


def page_of(client, payment):
    response = client.get(reverse("payment_return", args=[payment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def jakarta(moment) -> str:
    with translation.override("en"):
        return dateformat.format(timezone.localtime(moment), "j F Y, H:i")


def in_rupiah(amount: int) -> str:
    with translation.override("en"):
        return rupiah(amount)


def test_a_virtual_account_page_shows_bank_number_amount_and_deadline(client, gateway):
    payment, intent, session = waiting(client, "va")

    html = page_of(client, payment)

    assert "<h2 class=\"state\">Waiting for your transfer</h2>" in html
    assert '<dd class="va-bank">BCA</dd>' in html
    assert f'<span class="va-number" id="va-number">{intent.va_number}</span>' in html
    assert re.search(r'<button type="button" class="secondary copy" data-copy="va-number"'
                     r'[^>]* hidden>Copy</button>', html)
    assert (f'<dd class="amount pay-amount" data-amount="{TOTAL}">{in_rupiah(TOTAL)}</dd>'
            in html)
    deadline = session.expires_at.replace(microsecond=0)
    assert f'<time datetime="{timezone.localtime(deadline).isoformat()}">' in html
    assert f"{jakarta(deadline)} WIB</time>" in html
    assert "http-equiv" not in html
    assert "<svg" not in html
    kept = Payment.objects.get(pk=payment.pk)
    assert (kept.state, kept.va_bank, kept.va_number) == (P.PROCESSING, "bca", intent.va_number)
    assert kept.pay_before == deadline


def test_the_instructions_show_without_the_gateway_once_kept(client, gateway, settings):
    payment, intent, _session = waiting(client, "va")
    page_of(client, payment)  # Izin learns that the bank is awaited, and how

    settings.PAYMENT_GATEWAY_URL = "http://gateway.invalid/sandbox/stripe"
    html = page_of(client, payment)

    assert f'id="va-number">{intent.va_number}</span>' in html


def qr_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules an svg path of one-module squares ("Mx,yH…V…H…z") draws."""
    return {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)H", svg)}


def expected_modules(payload: str) -> set[tuple[int, int]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(payload)
    code.make(fit=True)
    return {(x, y) for y, row in enumerate(code.get_matrix()) for x, dark in enumerate(row)
            if dark}


def test_a_qris_page_shows_the_code_for_the_gateways_payload_with_amount_and_deadline(
        client, gateway):
    payment, intent, session = waiting(client, "qris")

    html = page_of(client, payment)

    assert "Waiting for your transfer" in html
    figure = re.search(r'<div class="qris-code" role="img" aria-label="[^"]+">(<svg.*?</svg>)'
                       r"</div>", html, re.S)
    assert figure, "no QR code drawn on the page"
    drawn = qr_modules(figure.group(1))
    assert drawn == expected_modules(intent.qris_data)
    assert drawn != expected_modules(intent.qris_data + "0")  # the comparison can tell
    assert Payment.objects.get(pk=payment.pk).qris_payload == intent.qris_data
    assert f'data-amount="{TOTAL}">{in_rupiah(TOTAL)}</dd>' in html
    assert f"{jakarta(session.expires_at)} WIB" in html
    assert 'id="va-number"' not in html
    assert "http-equiv" not in html


def test_check_status_asks_again_and_marks_it_paid_after_the_bank_pays(client, gateway):
    payment, _intent, _session = waiting(client, "va")
    html = page_of(client, payment)
    check = re.search(r'<form method="get" action="([^"]+)" class="check-status">\s*'
                      r'<button type="submit"', html)
    assert check and check.group(1) == reverse("payment_return", args=[payment.pk])
    assert 'aria-live="polite"' in html
    assert f'data-status-url="{reverse("payment_status", args=[payment.pk])}"' in html
    assert "js/payment_status.js" in html

    bank_pays(payment)
    response = client.get(check.group(1))

    assert response.status_code == 302
    assert response["Location"] == reverse("payment_receipt", args=[payment.pk])
    assert Payment.objects.get(pk=payment.pk).state == P.SUCCEEDED


def test_the_status_answer_asks_the_gateway_at_most_once_per_interval(client, gateway,
                                                                     gateway_calls, settings):
    settings.PAYMENT_STATUS_CHECK_SECONDS = 60
    payment, _intent, _session = waiting(client, "va")
    url = reverse("payment_status", args=[payment.pk])

    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "private, no-store"
    assert first.json()["state"] == P.PROCESSING
    assert first.json()["open"] is True
    bank_pays(payment)
    second = client.get(url).json()

    assert len(gateway_calls) == 1
    assert second["state"] == P.PROCESSING  # from the database: not the gateway's turn yet

    Payment.objects.filter(pk=payment.pk).update(
        gateway_checked_at=timezone.now() - timedelta(seconds=61))
    paid = client.get(url).json()

    assert len(gateway_calls) == 2
    assert (paid["state"], paid["open"]) == (P.SUCCEEDED, False)
    assert paid["link_url"] == reverse("payment_receipt", args=[payment.pk])
    assert paid["message"] == "Your payment has been received. Thank you."
    client.get(url)
    assert len(gateway_calls) == 2  # a final payment is never asked about again


def test_the_status_answer_comes_from_the_database_when_the_gateway_is_down(client, gateway,
                                                                            settings):
    payment, _intent, _session = waiting(client, "qris")
    page_of(client, payment)
    settings.PAYMENT_GATEWAY_URL = "http://gateway.invalid/sandbox/stripe"

    response = client.get(reverse("payment_status", args=[payment.pk]))

    assert response.status_code == 200
    assert response.json()["state"] == P.PROCESSING


def test_the_status_answer_is_only_for_the_payer(client, gateway, gateway_calls):
    payment, _intent, _session = waiting(client, "va")
    url = reverse("payment_status", args=[payment.pk])
    stranger = UserFactory()
    BusinessFactory(owner=stranger)
    client.force_login(stranger)

    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page
    assert gateway_calls == []


@pytest.mark.parametrize(("next_action", "expected"), [
    ({"type": "va_display_details",
      "va_display_details": {"bank": "bni", "account_number": "8808123",
                             "expires_at": 1_800_000_000}},
     BankInstructions(va_bank="bni", va_number="8808123", expires_at=1_800_000_000)),
    ({"type": "qris_display_qr_code", "qris_display_qr_code": {"data": "000201"}},
     BankInstructions(qris_data="000201")),
    # Stripe's other actions are not ours to show: the business follows the gateway's page.
    ({"type": "display_bank_transfer_instructions"}, None),
    ({"type": "redirect_to_url", "redirect_to_url": {"url": "https://bank.test/3ds"}}, None),
    ({"type": "va_display_details", "va_display_details": {"bank": "bca"}}, None),
    (None, None),
])
def test_the_gateways_next_action_is_read_in_one_place(next_action, expected):
    intent = PaymentIntent.from_wire(wire.payment_intent(next_action=next_action))
    assert intent.instructions == expected
