"""At the same moment, on PostgreSQL (row locks and unique indexes for real): a hundred
deliveries of one event have one effect, and two "Pay" clicks open one checkout session."""

import threading

import pytest
from django.db import connection
from django.test import Client

from licensing.models import Application
from licensing.states import ApplicationState as A
from payments import webhook_services
from payments.models import Payment, WebhookEvent
from payments.sandbox.models import CheckoutSession as SandboxSession
from payments.states import PaymentState as P
from tests.payments.flow import WEBHOOK_PATH, pay_by_card, sandbox_event, signed, start, use_sandbox
from tests.payments.support import awaiting_payment
from tests.portal import post
from workflows.models import TransitionLog

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def at_once(count: int, work) -> list:
    """Run ``work()`` in ``count`` threads released together; results or exceptions."""
    barrier = threading.Barrier(count)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as error:  # collected and asserted on
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_a_hundred_deliveries_of_one_event_have_one_effect(settings, live_server):
    use_sandbox(settings, live_server)
    application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner)
    pay_by_card(payment)
    body, header = signed(sandbox_event("payment_intent.succeeded", payment.payment_intent_id))
    # The storm only stores; the processing is queued (a broker, not eager) and run below.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    connection.close()  # the hundred threads need the database's connections

    statuses = at_once(100, lambda: Client().post(
        WEBHOOK_PATH, body, content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header).status_code)

    assert statuses == [200] * 100
    assert WebhookEvent.objects.get().processed_at is None  # stored once, not yet processed
    settings.CELERY_TASK_ALWAYS_EAGER = True
    for webhook_event_id in WebhookEvent.objects.values_list("pk", flat=True):
        webhook_services.webhook_event_process(webhook_event_id=webhook_event_id)
        webhook_services.webhook_event_process(webhook_event_id=webhook_event_id)  # redelivered
    assert Payment.objects.get(pk=payment.pk).state == P.SUCCEEDED
    assert TransitionLog.objects.filter(transition="succeed").count() == 1
    assert TransitionLog.objects.filter(transition="settle", object_id=invoice.pk).count() == 1
    assert TransitionLog.objects.filter(transition="confirm_payment").count() == 1
    assert Application.objects.get(pk=application.pk).state == A.ISSUED


def test_two_pay_clicks_at_once_open_one_checkout_session(settings, live_server):
    use_sandbox(settings, live_server)
    _application, owner, invoice = awaiting_payment()

    def click():
        client = Client()
        client.force_login(owner)
        return post(client, f"/payments/invoices/{invoice.pk}/pay/", {"method": "card"})

    responses = at_once(2, click)

    assert [r.status_code for r in responses] == [302, 302]
    payment = Payment.objects.get()
    assert {r["Location"] for r in responses} == {payment.checkout_url}
    assert payment.state == P.OPEN
    assert SandboxSession.objects.count() == 1
    assert TransitionLog.objects.filter(transition="open").count() == 1
