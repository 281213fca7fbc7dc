"""The hosted checkout page, as a payer uses it: test cards, virtual account, QRIS."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from payments.sandbox import checkout
from payments.sandbox.models import CheckoutSession, Event

from .conftest import AUTH, form_body, session_params

pytestmark = pytest.mark.django_db

def page(session_id):
    return reverse("sandbox:checkout", args=[session_id])


def pay(client, session_id, **data):
    return client.post(reverse("sandbox:checkout_pay", args=[session_id]), data)


def state(session_id):
    session = CheckoutSession.objects.select_related("payment_intent").get(pk=session_id)
    return session.status, session.payment_status, session.payment_intent.status


def event_types():
    return list(Event.objects.order_by("created", "id").values_list("type", flat=True))


def test_the_page_shows_the_amount_and_the_methods(client, session_id):
    response = client.get(page(session_id))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Rp 1.500.000" in html
    assert "Retribusi PBG" in html
    assert 'value="card"' in html and 'value="va"' in html and 'value="qris"' in html
    assert "4242 4242 4242 4242" in html
    assert 'href="https://izin.test/pay/cancelled"' in html
    assert "<script" not in html


def test_only_the_sessions_methods_are_offered(client):
    response = client.post("/sandbox/stripe/v1/checkout/sessions",
                           form_body(session_params(payment_method_types=["card"])),
                           content_type="application/x-www-form-urlencoded", **AUTH)
    html = client.get(page(response.json()["id"])).content.decode()
    assert 'value="card"' in html and 'value="va"' not in html and 'value="qris"' not in html


def test_the_good_card_pays_and_returns_to_the_merchant(client, session_id):
    response = pay(client, session_id, method="card", card_number="4242 4242 4242 4242")

    assert response.status_code == 302
    assert response["Location"] == f"https://izin.test/pay/done?session={session_id}"
    assert state(session_id) == ("complete", "paid", "succeeded")
    assert event_types() == ["checkout.session.completed", "payment_intent.succeeded"]


@pytest.mark.parametrize(("number", "message"), [
    ("4000 0000 0000 0002", "Your card was declined."),
    ("4000000000009995", "Your card has insufficient funds."),
])
def test_a_declined_card_keeps_the_page_open_for_another_try(client, session_id, number, message):
    response = pay(client, session_id, method="card", card_number=number)

    assert response.status_code == 402
    assert message in response.content.decode()
    assert state(session_id) == ("open", "unpaid", "requires_payment_method")
    assert event_types() == ["payment_intent.payment_failed"]

    retry = pay(client, session_id, method="card", card_number="4242424242424242")
    assert retry.status_code == 302
    assert state(session_id) == ("complete", "paid", "succeeded")


def test_a_card_that_is_not_a_test_card_is_refused_without_a_charge(client, session_id):
    response = pay(client, session_id, method="card", card_number="5555 5555 5555 4444")

    assert response.status_code == 402
    assert "Your card number is incorrect" in response.content.decode()
    assert state(session_id) == ("open", "unpaid", "requires_payment_method")
    assert event_types() == []


def test_a_second_click_on_pay_pays_once(client, session_id):
    first = pay(client, session_id, method="card", card_number="4242424242424242")
    second = pay(client, session_id, method="card", card_number="4242424242424242")

    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert event_types().count("payment_intent.succeeded") == 1


@pytest.mark.parametrize(("method", "bank", "shown"), [
    ("va", "mandiri", "89608"),
    ("qris", "", "000201"),
])
def test_bank_methods_wait_until_the_bank_pays(client, session_id, method, bank, shown):
    chosen = pay(client, session_id, method=method, bank=bank)

    assert chosen.status_code == 302 and chosen["Location"] == page(session_id)
    assert state(session_id) == ("complete", "unpaid", "processing")
    waiting = client.get(page(session_id)).content.decode()
    assert shown in waiting
    assert "Simulate bank payment" in waiting
    assert event_types() == ["payment_intent.processing", "checkout.session.completed"]

    paid = client.post(reverse("sandbox:checkout_simulate", args=[session_id]))

    assert paid.status_code == 302
    assert paid["Location"] == f"https://izin.test/pay/done?session={session_id}"
    assert state(session_id) == ("complete", "paid", "succeeded")
    assert event_types()[2:] == ["checkout.session.async_payment_succeeded",
                                 "payment_intent.succeeded"]
    again = client.post(reverse("sandbox:checkout_simulate", args=[session_id]))
    assert again.status_code == 302
    assert event_types().count("payment_intent.succeeded") == 1


def test_the_virtual_account_number_belongs_to_the_chosen_bank(client, session_id):
    pay(client, session_id, method="va", bank="bni")
    intent = CheckoutSession.objects.get(pk=session_id).payment_intent
    assert intent.va_bank == "bni" and intent.va_number.startswith("8808")
    assert "BNI" in client.get(page(session_id)).content.decode()


def test_an_unknown_bank_is_refused(client, session_id):
    response = pay(client, session_id, method="va", bank="nowhere")
    assert response.status_code == 400
    assert state(session_id) == ("open", "unpaid", "requires_payment_method")


def test_an_expired_session_cannot_be_paid(client, session_id):
    checkout.checkout_session_expire(session_id=session_id)

    response = pay(client, session_id, method="card", card_number="4242424242424242")

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert state(session_id) == ("expired", "unpaid", "canceled")
    assert "payment_intent.succeeded" not in event_types()


def test_a_session_past_its_time_expires_when_visited(client, session_id):
    CheckoutSession.objects.filter(pk=session_id).update(expires_at="2020-01-01T00:00:00Z")

    response = client.get(page(session_id))

    assert "expired" in response.content.decode()
    assert state(session_id)[0] == "expired"
    assert event_types() == ["checkout.session.expired"]


def test_the_sweep_expires_sessions_nobody_visits(session_id):
    assert checkout.checkout_sessions_expire_due() == 0
    assert checkout.checkout_sessions_expire_due(now=timezone.now() + timedelta(days=2)) == 1
    assert event_types() == ["checkout.session.expired"]


def test_an_unknown_session_is_not_found(client):
    assert client.get(page("cs_nope")).status_code == 404
