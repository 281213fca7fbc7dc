"""Events re-fetch the truth from the gateway: out of order, repeated or contradicting what
happened, they change nothing twice and never move a final payment. Against the sandbox over
real HTTP; the deliveries are the sandbox's own events, signed as it signs them."""

import pytest
import requests

from licensing.models import Application
from licensing.states import ApplicationState as A
from payments.models import Payment, WebhookEvent
from payments.sandbox.models import CheckoutSession as SandboxSession
from payments.sandbox.models import IdempotentRequest
from payments.states import PaymentState as P
from tests.payments.flow import (
    bank_pays,
    choose_bank,
    deliver,
    pay_by_card,
    sandbox_event,
    start,
    use_sandbox,
)
from tests.payments.support import awaiting_payment
from workflows.models import TransitionLog


@pytest.fixture
def gateway(settings, live_server):
    use_sandbox(settings, live_server)


@pytest.fixture
def receive(client, django_capture_on_commit_callbacks):
    def receive_(event: dict):
        with django_capture_on_commit_callbacks(execute=True):
            response = deliver(client, event)
        assert response.status_code == 200
    return receive_


def settled(invoice) -> int:
    return TransitionLog.objects.filter(transition="settle", object_id=invoice.pk).count()


def test_bank_transfer_events_in_reverse_order_settle_once(gateway, receive):
    application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner, "va")
    choose_bank(payment)
    bank_pays(payment)
    session, intent = payment.checkout_session_id, payment.payment_intent_id
    events = [sandbox_event("payment_intent.succeeded", intent),
              sandbox_event("checkout.session.async_payment_succeeded", session),
              sandbox_event("checkout.session.completed", session),
              sandbox_event("payment_intent.processing", intent)]

    for event in events:
        receive(event)
    receive(events[0])  # and a repeated delivery

    payment = Payment.objects.get(pk=payment.pk)
    assert payment.state == P.SUCCEEDED
    assert settled(invoice) == 1
    assert TransitionLog.objects.filter(transition="confirm_payment").count() == 1
    assert TransitionLog.objects.filter(object_id=payment.pk, transition="process").count() == 0
    assert Application.objects.get(pk=application.pk).state == A.ISSUED
    assert WebhookEvent.objects.filter(processed_at__isnull=False).count() == 4


def test_an_expired_event_after_payment_does_not_move_it(gateway, receive):
    _application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner)
    pay_by_card(payment)
    receive(sandbox_event("checkout.session.completed", payment.checkout_session_id))
    # A late event claiming the session expired (a contradicting snapshot): the gateway says paid.
    late = sandbox_event("checkout.session.completed", payment.checkout_session_id)
    late.update(id="evt_late_expired", type="checkout.session.expired")
    late["data"]["object"].update(status="expired", payment_status="unpaid")

    receive(late)

    assert Payment.objects.get(pk=payment.pk).state == P.SUCCEEDED
    assert settled(invoice) == 1


def test_the_event_that_comes_first_settles_and_the_later_ones_find_it_done(gateway, receive):
    _application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner)
    pay_by_card(payment)
    receive(sandbox_event("payment_intent.succeeded", payment.payment_intent_id))
    receive(sandbox_event("checkout.session.completed", payment.checkout_session_id))
    assert settled(invoice) == 1


def test_a_lost_answer_is_retried_with_the_same_key_and_creates_one_session(
    gateway, monkeypatch
):
    """The gateway created the session but its answer never reached us (a timeout): the
    client asks again with the same Idempotency-Key and gets the first session back."""
    _application, owner, invoice = awaiting_payment()
    real_send = requests.Session.send
    posts = []

    def answer_lost_once(self, request, **kwargs):
        response = real_send(self, request, **kwargs)
        if request.method == "POST" and request.url.endswith("/v1/checkout/sessions"):
            posts.append((request.headers["Idempotency-Key"],
                          response.headers.get("Idempotent-Replayed")))
            if len(posts) == 1:
                raise requests.ConnectionError("read timed out")
        return response

    monkeypatch.setattr(requests.Session, "send", answer_lost_once)
    payment = start(invoice, owner)

    assert len(posts) == 2
    assert posts[0][0] == posts[1][0] == payment.idempotency_key
    assert posts[1][1] == "true"  # the gateway replayed its first answer
    assert SandboxSession.objects.count() == 1
    assert payment.checkout_session_id == SandboxSession.objects.get().id
    assert IdempotentRequest.objects.count() == 1
