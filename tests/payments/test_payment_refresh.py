"""The gateway is the truth: an attempt follows what the gateway says when asked, settles the
bill only with the right amount and currency, and flags for the treasury what it must not
settle. Against the sandbox over real HTTP."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_fsm import ConcurrentTransition

from licensing.models import Application
from licensing.services import application_withdraw
from licensing.states import ApplicationState as A
from payments import payment_services, tasks
from payments.gateway import gateway_client
from payments.models import Invoice, Payment
from payments.sandbox.models import PaymentIntent as SandboxIntent
from payments.states import InvoiceState as I
from payments.states import PaymentState as P
from tests.payments.flow import bank_pays, choose_bank, pay_by_card, start, use_sandbox
from tests.payments.support import TOTAL, awaiting_payment
from workflows.models import TransitionLog


@pytest.fixture
def gateway(settings, live_server):
    use_sandbox(settings, live_server)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_a_card_payment_settles_the_bill_and_the_permit_is_issued(gateway):
    application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner)
    assert payment.state == P.OPEN
    assert payment.checkout_url.endswith(f"/sandbox/checkout/{payment.checkout_session_id}/")
    assert payment.amount == TOTAL == invoice.total

    pay_by_card(payment)
    assert fresh(payment).state == P.OPEN  # no webhook came: nothing moves by itself
    payment = payment_services.payment_refresh(payment=payment)

    assert payment.state == P.SUCCEEDED
    assert (payment.amount_received, payment.currency_received) == (TOTAL, "idr")
    assert not payment.needs_review
    assert fresh(invoice).state == I.PAID
    assert fresh(application).state == A.ISSUED
    assert payment_services.payment_refresh(payment=payment).state == P.SUCCEEDED
    assert TransitionLog.objects.filter(transition="confirm_payment").count() == 1


def test_a_bank_transfer_is_processing_until_the_bank_pays(gateway):
    application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner, "va")
    choose_bank(payment, "va")

    payment = payment_services.payment_refresh(payment=payment)
    assert payment.state == P.PROCESSING
    assert fresh(application).state == A.AWAITING_PAYMENT

    bank_pays(payment)
    payment = payment_services.payment_refresh(payment=payment)
    assert payment.state == P.SUCCEEDED
    assert fresh(application).state == A.ISSUED


def test_another_amount_is_flagged_for_the_treasury_and_does_not_settle(gateway):
    application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner)
    # The gateway charged less than the bill (set up on the sandbox's side, as a fault would).
    SandboxIntent.objects.filter(pk=payment.payment_intent_id).update(amount=100_000)
    pay_by_card(payment)

    payment = payment_services.payment_refresh(payment=payment)

    assert payment.state == P.SUCCEEDED
    assert (payment.needs_review, payment.review_reason) == (True, "amount_mismatch")
    assert payment.amount_received == 1_000
    assert fresh(invoice).state == I.ISSUED
    assert fresh(application).state == A.AWAITING_PAYMENT


def test_another_currency_is_flagged_and_does_not_settle(gateway):
    _application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner)
    SandboxIntent.objects.filter(pk=payment.payment_intent_id).update(currency="usd")
    pay_by_card(payment)

    payment = payment_services.payment_refresh(payment=payment)

    assert (payment.state, payment.review_reason) == (P.SUCCEEDED, "currency_mismatch")
    assert fresh(invoice).state == I.ISSUED


def test_money_after_withdrawal_is_recorded_and_flagged_for_refund_without_reviving(gateway):
    application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner, "qris")
    choose_bank(payment, "qris")
    application_withdraw(application=application, actor=owner)
    bank_pays(payment)  # the bank pays hours later, after the withdrawal

    payment = payment_services.payment_refresh(payment=payment)

    assert payment.state == P.SUCCEEDED
    assert (payment.needs_review, payment.review_reason) == (True, "bill_closed")
    assert fresh(invoice).state == I.CANCELLED
    assert Application.objects.get(pk=application.pk).state == A.WITHDRAWN


def test_an_expired_page_closes_the_attempt_and_the_next_pay_starts_a_new_one(gateway):
    _application, owner, invoice = awaiting_payment()
    first = start(invoice, owner)
    gateway_client().checkout_session_expire(first.checkout_session_id, idempotency_key="t:1")

    assert payment_services.payment_refresh(payment=first).state == P.EXPIRED
    second = start(invoice, owner)
    assert (second.attempt, second.state) == (2, P.OPEN)
    assert second.checkout_session_id != first.checkout_session_id


def test_the_poller_settles_a_payment_whose_webhook_never_came(gateway, settings):
    application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner, "va")
    choose_bank(payment)
    bank_pays(payment)

    assert tasks.payments_poll.delay().get()["payments_moved"] == 0  # not pending long yet
    later = timezone.now() + timedelta(minutes=settings.PAYMENT_POLL_AFTER_MINUTES + 1)
    assert payment_services.payment_refresh_stale(now=later) == [payment.pk]

    assert fresh(payment).state == P.SUCCEEDED
    assert fresh(application).state == A.ISSUED
    assert payment_services.payment_refresh_stale(now=later) == []


def test_a_final_payment_is_never_written_again(gateway):
    _application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner)
    pay_by_card(payment)
    payment_services.payment_refresh(payment=payment)

    final = Payment.objects.get(pk=payment.pk)
    final.needs_review, final.review_reason = True, "amount_mismatch"
    with pytest.raises(ConcurrentTransition):
        final.save()  # the UPDATE's own condition refuses to touch a final row
    assert not fresh(payment).needs_review
    assert Invoice.objects.get(pk=invoice.pk).state == I.PAID
