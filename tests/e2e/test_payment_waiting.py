"""Waiting for the bank in the browser: with JavaScript the page learns by itself that the bank
has paid (no reload, a polite live region and the link to the receipt); without it, the "Check
status" button does the same. The sandbox gateway runs on the live server; no webhook is
delivered, so only Izin asking the gateway can tell."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from payments.sandbox.models import PaymentIntent as SandboxIntent
from tests.e2e.browsing import log_in
from tests.payments.flow import bank_pays, choose_bank, start, use_sandbox
from tests.payments.support import awaiting_payment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def waiting_for_the_bank(settings, live_server):
    """A bill its business chose to pay by virtual account: (owner, payment, account number).
    The live update asks after a second and the gateway may be asked each time, so the test
    waits seconds, not the quarter-minute a business would."""
    use_sandbox(settings, live_server)
    settings.PAYMENT_STATUS_POLL_SECONDS = 1
    settings.PAYMENT_STATUS_CHECK_SECONDS = 0
    _application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner, "va")
    choose_bank(payment, "va")
    return owner, payment, SandboxIntent.objects.get(pk=payment.payment_intent_id).va_number


def test_the_page_sees_the_bank_pay_by_itself(open_page, waiting_for_the_bank):
    owner, payment, number = waiting_for_the_bank
    page = open_page(permissions=["clipboard-read", "clipboard-write"])
    log_in(page, owner)
    page.goto(reverse("payment_return", args=[payment.pk]))
    expect(page.locator("#va-number")).to_have_text(number)
    copy = page.locator('button[data-copy="va-number"]')
    expect(copy).to_be_visible()
    copy.click()
    assert page.evaluate("navigator.clipboard.readText()") == number
    # A reload would forget this; the page must change without one.
    page.evaluate("window.stillTheSamePage = true")

    bank_pays(payment)

    receipt = reverse("payment_receipt", args=[payment.pk])
    live = page.locator('[aria-live="polite"]')
    expect(live.locator(f'a[href="{receipt}"]')).to_be_visible()
    expect(page.locator("[data-payment-waiting]")).to_be_hidden()
    assert page.evaluate("window.stillTheSamePage") is True
    live.locator(f'a[href="{receipt}"]').click()
    expect(page).to_have_url(re.compile(re.escape(receipt) + "$"))


def test_without_javascript_check_status_finds_the_payment(open_page, waiting_for_the_bank):
    owner, payment, number = waiting_for_the_bank
    page = open_page(java_script_enabled=False)
    log_in(page, owner)
    page.goto(reverse("payment_return", args=[payment.pk]))
    expect(page.locator("#va-number")).to_have_text(number)
    expect(page.locator('button[data-copy="va-number"]')).to_be_hidden()

    bank_pays(payment)
    page.locator("form.check-status button[type=submit]").click()

    receipt = reverse("payment_receipt", args=[payment.pk])
    expect(page).to_have_url(re.compile(re.escape(receipt) + "$"))
