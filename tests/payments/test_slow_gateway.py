"""A slow gateway, on real sockets. Regression: a gateway answering in 15 s held the pay button for
four 10 s read timeouts (30.6 s) and the server's worker timeout answered a bare 500. The web
pages now give up within ``PAYMENT_GATEWAY_INTERACTIVE_BUDGET_SECONDS`` and say "try again in a
moment"; a retry reuses the attempt and its idempotency key; background tasks keep the client's
full retries."""

import re
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from payments import tasks
from payments.gateway.client import MAX_RETRIES
from payments.models import Payment
from payments.states import PaymentState as P
from tests.payments.slow_gateway import SESSION_ID, slow_gateway
from tests.payments.support import awaiting_payment
from tests.portal import in_english, post

pytestmark = pytest.mark.django_db

BUDGET = 2.0  # seconds: the setting, made short so the suite stays quick
MEASURED = 15  # seconds the gateway took to answer in the incident


@pytest.fixture
def gateway(settings):
    with slow_gateway() as gateway:
        settings.PAYMENT_GATEWAY_URL = gateway.url
        settings.PAYMENT_GATEWAY_INTERACTIVE_BUDGET_SECONDS = BUDGET
        yield gateway


@pytest.fixture
def bill(client):
    _application, owner, invoice = awaiting_payment()
    client.force_login(owner)
    return invoice


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def timed(request):
    started = time.monotonic()
    response = request()
    return response, time.monotonic() - started


def click_pay(client, invoice):
    return post(client, reverse("invoice_pay", args=[invoice.pk]), {"method": "card"})


def open_payment(client, invoice, gateway) -> Payment:
    """The business has been sent to the gateway's page (the gateway quick for once)."""
    gateway.delay = 0
    response = click_pay(client, invoice)
    payment = Payment.objects.get(invoice=invoice)
    assert response.status_code == 302
    assert response["Location"] == payment.checkout_url
    return payment


def test_the_pay_button_says_try_again_within_the_budget_and_the_retry_reuses_the_attempt(
    client, gateway, bill
):
    gateway.delay = MEASURED
    response, elapsed = timed(lambda: click_pay(client, bill))

    assert elapsed < BUDGET + 3
    assert response.status_code == 503
    assert response["Retry-After"]
    shown = text(response)  # Indonesian, the default
    assert ("Layanan pembayaran sedang lambat merespons. Silakan coba lagi sesaat lagi; "
            "Anda tidak akan ditagih dua kali.") in shown
    assert f'action="{reverse("invoice_pay", args=[bill.pk])}"' in response.content.decode()
    payment = Payment.objects.get(invoice=bill)
    assert payment.state == P.CREATED  # the session may exist at the gateway: the attempt stays

    # A moment later the gateway is quick again, and the business clicks again.
    gateway.delay = 0
    response = click_pay(client, bill)

    assert response.status_code == 302
    assert Payment.objects.get(invoice=bill).pk == payment.pk
    payment.refresh_from_db()
    assert payment.state == P.OPEN
    assert payment.checkout_session_id == SESSION_ID
    assert response["Location"] == payment.checkout_url
    creates = [seen for seen in gateway.requests if seen.method == "POST"]
    assert len(creates) >= 2
    assert {seen.idempotency_key for seen in creates} == {payment.idempotency_key}
    assert len({seen.body for seen in creates}) == 1  # the very same request, replayed


def test_the_return_page_says_the_service_is_slow_within_the_budget(client, gateway, bill):
    payment = open_payment(client, bill, gateway)
    gateway.delay = MEASURED

    response, elapsed = timed(
        lambda: in_english(client).get(reverse("payment_return", args=[payment.pk])))

    assert elapsed < BUDGET + 3
    assert response.status_code == 200
    shown = text(response)
    assert ("The payment service is slow to answer right now. Please check the status again "
            "in a moment.") in shown
    assert "waiting for the payment service to confirm" in shown
    assert Payment.objects.get(pk=payment.pk).state == P.OPEN


def test_the_same_call_in_the_poll_task_keeps_the_full_retries(client, gateway, bill,
                                                                settings):
    """The return page and the poll ask the gateway the same thing (the session): a gateway that
    answers 503 after a second each time gets one try from the page, every retry from the task."""
    payment = open_payment(client, bill, gateway)
    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - timedelta(minutes=settings.PAYMENT_POLL_AFTER_MINUTES + 1))
    settings.PAYMENT_GATEWAY_INTERACTIVE_BUDGET_SECONDS = budget = 1.5
    gateway.delay, gateway.status = 1.0, 503
    session_asks = f"/stripe/v1/checkout/sessions/{SESSION_ID}"

    before = len(gateway.requests)
    response, elapsed = timed(lambda: client.get(reverse("payment_return", args=[payment.pk])))
    interactive = [seen.path for seen in gateway.requests[before:]]

    assert response.status_code == 200
    assert elapsed < budget + 3
    assert interactive == [session_asks]  # a retry would not have fitted in the budget

    before = len(gateway.requests)
    result, elapsed = timed(lambda: tasks.payments_poll.delay().get())
    background = [seen.path for seen in gateway.requests[before:]]

    assert background == [session_asks] * (MAX_RETRIES + 1)
    assert elapsed > budget  # the budget of the web pages does not bind the task
    assert result == {"events_retried": 0, "payments_moved": 0}
    assert Payment.objects.get(pk=payment.pk).state == P.OPEN
