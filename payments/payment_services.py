"""Paying a bill through the gateway: start an attempt, then apply what the gateway says.

The gateway is the truth. Nothing here marks a bill paid from what a browser or a webhook
claims: ``payment_refresh`` asks the gateway for the session and its payment intent and applies
the answer through the payment's guarded transitions.

No row lock is held while the gateway is asked (its answer can take seconds, and the sandbox
may be this very process, writing to the same database). Locks are taken in the order of
``payments.services``, application, invoice, then payment, so no two paths deadlock.
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from licensing import rules
from licensing.models import Application
from licensing.states import ApplicationState
from payments import outbound
from payments.gateway import gateway_client
from payments.gateway.client import GatewayClient
from payments.gateway.errors import APIConnectionError, BudgetExhaustedError, GatewayError
from payments.gateway.types import CheckoutSession, PaymentIntent
from payments.models import Invoice, Payment
from payments.services import invoice_settle
from payments.signals import payment_succeeded
from payments.states import (
    PAYMENT_FINAL,
    PAYMENT_OPEN,
    InvoiceState,
    PaymentMethod,
    ReviewReason,
)
from payments.states import PaymentState as S
from workflows.machine import TransitionRefused, fsm_apply
from workflows.models import TransitionLog

logger = logging.getLogger("izin.payments")

# The gateway keeps a hosted page open between 30 minutes and 24 hours. Within those bounds the
# page closes with the bill's due day; an hour at least, so a bill due today can still be paid.
CHECKOUT_SHORTEST = timedelta(hours=1)
CHECKOUT_LONGEST = timedelta(hours=23)


def payment_start(*, invoice: Invoice, method: str, actor,
                  absolute_url: Callable[[str], str],
                  client: GatewayClient | None = None) -> Payment:
    """The attempt the business pays with: the open one if its page is still open, else a new
    one with a checkout session at the gateway. Moves money.

    Two clicks at once meet at the invoice's row lock (and the one-open-attempt constraint) and
    get the same attempt; its session is created with an idempotency key derived from our ids,
    so a retry after a lost answer gets the gateway's first session back, never a second one.
    ``absolute_url`` turns a path into the URL the gateway sends the business back to.

    ``client``: the pay button passes one with the web request's time budget; when it runs out,
    ``BudgetExhaustedError`` is raised and the attempt stays as it is, so the next click asks
    the gateway again under the same idempotency key.
    """
    if method not in PaymentMethod.values:
        raise TransitionRefused(_("Choose a payment method."), code="invalid")
    if not rules.acts_for_business(actor, invoice.application.business):
        raise TransitionRefused(_("You may not do this."), code="permission_denied")
    client = client or gateway_client()
    # Two rounds at most: an open attempt for another method (or whose page closed) is ended
    # in the first, and the second starts the new one.
    for _round in range(2):
        payment = _payment_current_or_new(invoice_id=invoice.pk, method=method, actor=actor)
        if payment.state == S.CREATED:
            payment = _payment_open_at_gateway(payment=payment, absolute_url=absolute_url,
                                               client=client)
        elif payment.state == S.OPEN:
            payment = payment_refresh(payment=payment, client=client)
        if payment.state == S.OPEN and payment.method != method:
            payment = _payment_abandon(payment=payment, client=client)
        if payment.state not in (S.FAILED, S.EXPIRED):
            break
    return payment


def _lock_payment(payment_id: int) -> Payment:
    return (Payment.objects.select_for_update(of=("self",)).select_related("invoice")
            .get(pk=payment_id))


def _lock_all(payment: Payment) -> tuple[Application, Invoice, Payment]:
    application = (Application.objects.select_for_update(of=("self",))
                   .get(pk=payment.invoice.application_id))
    invoice = Invoice.objects.select_for_update().get(pk=payment.invoice_id)
    return application, invoice, _lock_payment(payment.pk)


@transaction.atomic
def _payment_current_or_new(*, invoice_id: int, method: str, actor) -> Payment:
    application = (Application.objects.select_for_update(of=("self",))
                   .get(pk=Invoice.objects.values_list("application_id", flat=True)
                        .get(pk=invoice_id)))
    invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
    if (invoice.state != InvoiceState.ISSUED
            or application.state != ApplicationState.AWAITING_PAYMENT):
        raise TransitionRefused(_("This bill can no longer be paid."), code="not_allowed")
    current = invoice.payments.filter(state__in=PAYMENT_OPEN).first()
    if current is not None:
        return current
    attempt = invoice.payments.count() + 1
    payment = Payment.objects.create(
        invoice=invoice, attempt=attempt, method=method, amount=invoice.total,
        idempotency_key=f"invoice:{invoice.pk}:attempt:{attempt}:checkout",
        checkout_expires_at=_checkout_expiry(invoice, timezone.now()),
    )
    # Starting creates the record rather than moving it, so the entry is written here.
    TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(Payment),
        object_id=payment.pk, application=application, transition="start", source="",
        target=payment.state, actor=actor,
    )
    logger.info("payment_started payment_id=%s invoice_id=%s attempt=%s method=%s", payment.pk,
                invoice.pk, attempt, method)
    return payment


def _checkout_expiry(invoice: Invoice, now: datetime) -> datetime:
    end_of_due_day = datetime.combine(invoice.due_date + timedelta(days=1), time.min,
                                      tzinfo=timezone.get_current_timezone())
    return min(max(end_of_due_day, now + CHECKOUT_SHORTEST), now + CHECKOUT_LONGEST)


def _payment_open_at_gateway(*, payment: Payment, absolute_url,
                             client: GatewayClient) -> Payment:
    """Create the attempt's checkout session. Every argument is derived from the stored attempt,
    so a retry sends the very same request under the same key. Moves money."""
    invoice = payment.invoice
    try:
        session = client.checkout_session_create(
            idempotency_key=payment.idempotency_key,
            amount=payment.amount,
            currency=payment.currency,
            description=f"Retribusi {invoice.number}",
            payment_method_types=[payment.method],
            success_url=absolute_url(reverse("payment_return", args=[payment.pk])),
            cancel_url=absolute_url(reverse("payment_cancelled", args=[payment.pk])),
            client_reference_id=invoice.number,
            metadata={"payment": str(payment.pk), "invoice": invoice.number},
            expires_at=payment.checkout_expires_at,
        )
    except BudgetExhaustedError as error:
        # The web request's time is up; as below, the attempt stays for the next click.
        logger.warning("payment_gateway_slow payment_id=%s error=%s", payment.pk, error)
        raise
    except APIConnectionError as error:
        # The session may exist: the attempt stays, and the next click asks again, same key.
        logger.warning("payment_gateway_unreachable payment_id=%s error=%s", payment.pk, error)
        raise TransitionRefused(_("The payment service did not answer. Please try again in a "
                                  "moment."), code="gateway_unavailable") from error
    except GatewayError as error:
        logger.warning("payment_gateway_refused payment_id=%s error=%s", payment.pk, error)
        _payment_close(payment=payment, transition="fail")
        raise TransitionRefused(_("The payment service could not start this payment. Please "
                                  "try again or choose another method."),
                                code="gateway_refused") from error
    with transaction.atomic():
        locked = _lock_payment(payment.pk)
        if locked.state == S.CREATED:
            fsm_apply(instance=locked, transition="open", actor=None,
                      application=invoice.application, checkout_session_id=session.id,
                      payment_intent_id=session.payment_intent or "",
                      checkout_url=session.url or "")
    return locked


def _payment_abandon(*, payment: Payment, client: GatewayClient) -> Payment:
    """The business chose another method: close this attempt's page at the gateway first, so
    it cannot be paid beside the new one. Paid meanwhile? Then the refresh says so."""
    try:
        client.checkout_session_expire(
            payment.checkout_session_id, idempotency_key=f"{payment.idempotency_key}:expire")
    except BudgetExhaustedError:
        raise
    except APIConnectionError as error:
        raise TransitionRefused(_("The payment service did not answer. Please try again in a "
                                  "moment."), code="gateway_unavailable") from error
    except GatewayError as error:
        # Not open any more (paid, or closed by itself): the refresh below finds out which.
        logger.info("payment_abandon_refused payment_id=%s error=%s", payment.pk, error)
    return payment_refresh(payment=payment, client=client)


def _payment_close(*, payment: Payment, transition: str) -> Payment:
    with transaction.atomic():
        application, _invoice, locked = _lock_all(payment)
        if locked.state not in PAYMENT_FINAL:
            fsm_apply(instance=locked, transition=transition, actor=None,
                      application=application)
    return locked


TRANSITION_TO = {S.PROCESSING: "process", S.FAILED: "fail", S.EXPIRED: "expire"}


def payment_refresh(*, payment: Payment, client: GatewayClient | None = None) -> Payment:
    """Ask the gateway about the attempt and apply its answer. Moves money.

    Succeeded with the bill's amount and currency: the payment succeeds and the bill is settled
    (the application moves on; issuance runs after commit). Another amount or currency, or a
    bill already closed (withdrawn or expired application, or paid by another attempt): the
    payment is recorded as succeeded and flagged for the treasury, and nothing else moves.
    Failed or expired: the attempt closes and the business may try again. A final attempt is
    never moved; calling this again changes nothing. Raises ``GatewayError`` when the gateway
    cannot be asked (``BudgetExhaustedError`` when ``client`` has a budget and it ran out).
    """
    if payment.state in PAYMENT_FINAL or not payment.checkout_session_id:
        return payment
    client = client or gateway_client()
    session = client.checkout_session_retrieve(payment.checkout_session_id)
    intent = (client.payment_intent_retrieve(session.payment_intent)
              if session.payment_intent else None)
    target = _gateway_verdict(session, intent)
    instructions = _instruction_fields(intent)
    with transaction.atomic():
        application, invoice, locked = _lock_all(payment)
        if locked.state == target == S.PROCESSING and instructions:
            # Still waiting for the bank: an attempt that began waiting before Izin kept the
            # instructions gets them now, and a renewed account number replaces the old one.
            if changed := locked.instructions_set(**instructions):
                locked.save(update_fields=changed)
            return locked
        if target is None or locked.state in PAYMENT_FINAL or locked.state == target:
            return locked
        if target == S.SUCCEEDED:
            reason = _review_reason(application=application, invoice=invoice, payment=locked,
                                    intent=intent)
            fsm_apply(instance=locked, transition="succeed", actor=None,
                      application=application, amount_received=intent.amount_received,
                      currency_received=intent.currency, review_reason=reason,
                      charge_id=intent.latest_charge or "")
            # The treasury books it, and looks at it when flagged (the refund suggestion, and
            # for an overpayment the bill settled).
            payment_succeeded.send(sender=Payment, payment=locked)
            outbound.payment_succeeded(payment=locked)
            if reason:
                logger.warning("payment_needs_review payment_id=%s reason=%s", locked.pk, reason)
            else:
                invoice_settle(invoice=invoice, paid_at=locked.succeeded_at)
        else:
            fsm_apply(instance=locked, transition=TRANSITION_TO[target], actor=None,
                      application=application,
                      **(instructions if target == S.PROCESSING else {}))
    logger.info("payment_refreshed payment_id=%s state=%s", locked.pk, locked.state)
    return locked


def _instruction_fields(intent: PaymentIntent | None) -> dict:
    """How the payer finishes a bank payment, as the attempt keeps it; empty when the gateway
    gave no such instructions (the kept ones, if any, stay)."""
    given = intent.instructions if intent is not None else None
    if given is None:
        return {}
    return {
        "va_bank": given.va_bank, "va_number": given.va_number, "qris_payload": given.qris_data,
        "pay_before": (datetime.fromtimestamp(given.expires_at, tz=UTC)
                       if given.expires_at else None),
    }


def payment_check(*, payment: Payment, client: GatewayClient | None = None,
                  now: datetime | None = None) -> Payment:
    """The attempt for the payment page's live update: asked at the gateway
    (``payment_refresh``) at most once per ``PAYMENT_STATUS_CHECK_SECONDS`` however many pages
    poll, otherwise as the database has it (webhooks and the poller keep it current). Moves
    money, through ``payment_refresh``; raises what it raises.

    The turn is claimed by one conditional UPDATE, so two polls at once make one gateway call.
    """
    if not payment.is_open:
        return payment
    now = now or timezone.now()
    due = now - timedelta(seconds=settings.PAYMENT_STATUS_CHECK_SECONDS)
    claimed = (Payment.objects.filter(pk=payment.pk, state__in=PAYMENT_OPEN)
               .filter(Q(gateway_checked_at__isnull=True) | Q(gateway_checked_at__lte=due))
               .update(gateway_checked_at=now))
    if claimed:
        return payment_refresh(payment=payment, client=client)
    return Payment.objects.select_related("invoice").get(pk=payment.pk)


def _gateway_verdict(session: CheckoutSession, intent: PaymentIntent | None) -> str | None:
    """Where the gateway's answer puts the attempt; None while its page is still open."""
    if intent is not None and intent.status == "succeeded":
        return S.SUCCEEDED
    if session.status == "expired" or (intent is not None and intent.status == "canceled"):
        return S.EXPIRED
    if intent is not None and intent.status == "processing":
        return S.PROCESSING
    if session.status == "complete":
        # Complete but not paid and no longer processing: the bank's payment failed.
        return S.FAILED
    return None


def _review_reason(*, application: Application, invoice: Invoice, payment: Payment,
                   intent: PaymentIntent) -> str:
    if (invoice.state != InvoiceState.ISSUED
            or application.state != ApplicationState.AWAITING_PAYMENT):
        return ReviewReason.BILL_CLOSED
    if intent.currency != payment.currency:
        return ReviewReason.CURRENCY_MISMATCH
    if intent.amount_received != invoice.total:
        return ReviewReason.AMOUNT_MISMATCH
    return ""


def payment_refresh_stale(*, now: datetime | None = None) -> list[int]:
    """Ask the gateway about every attempt open or processing for longer than
    ``PAYMENT_POLL_AFTER_MINUTES``, so a lost webhook never leaves a business waiting.
    Idempotent. Returns the ids of the attempts that moved."""
    cutoff = (now or timezone.now()) - timedelta(minutes=settings.PAYMENT_POLL_AFTER_MINUTES)
    stale = Payment.objects.filter(state__in=[S.OPEN, S.PROCESSING], created_at__lt=cutoff)
    moved = []
    for payment in stale.select_related("invoice").order_by("pk"):
        try:
            refreshed = payment_refresh(payment=payment)
        except (GatewayError, TransitionRefused) as error:
            logger.warning("payment_poll_failed payment_id=%s error=%s", payment.pk, error)
            continue
        if refreshed.state != payment.state:
            moved.append(payment.pk)
    return moved
