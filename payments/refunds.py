"""Refunds with the gateway: asking it to pay money back, and following its answer to the end.

The treasury decides which refunds to make (``treasury.refunds``: one officer prepares, another
approves); approval queues ``refund_send`` here. It asks the gateway under an idempotency key
fixed when the refund row was created, so however often it runs (twice, or again after its
answer was lost) the gateway makes one refund. The refund is then followed to ``succeeded`` or
``failed`` by polling and by the gateway's webhooks. On the one transition to ``succeeded``,
``refund_succeeded`` is sent under the row lock, and the treasury books it.

Locks are taken application, invoice, payment, refund; none is held while the gateway is asked.
"""

import logging

from django.db import transaction

from licensing.models import Application
from payments import notices, outbound
from payments.gateway import gateway_client
from payments.gateway.errors import GatewayError
from payments.gateway.types import Refund as GatewayRefund
from payments.models import Invoice, Payment, Refund
from payments.signals import refund_succeeded
from payments.states import RefundState as S
from workflows.machine import TransitionRefused, fsm_apply

logger = logging.getLogger("izin.payments")

# What the gateway says of a refund, and where that puts ours (Stripe's statuses).
GATEWAY_PENDING = frozenset({"pending", "requires_action"})
GATEWAY_FAILED = frozenset({"failed", "canceled"})


# Locks, in the one order: application, invoice, payment, refund. Call inside a transaction.


def payment_lock(payment_id: int) -> tuple[Application, Invoice, Payment]:
    invoice_id, application_id = (Payment.objects.filter(pk=payment_id)
                                  .values_list("invoice_id", "invoice__application_id").get())
    application = (Application.objects.select_for_update(of=("self",))
                   .get(pk=application_id))
    invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    invoice.application, payment.invoice = application, invoice
    return application, invoice, payment


def refund_lock(refund_id: int) -> tuple[Application, Payment, Refund]:
    payment_id = Refund.objects.values_list("payment_id", flat=True).get(pk=refund_id)
    application, _invoice, payment = payment_lock(payment_id)
    refund = Refund.objects.select_for_update().get(pk=refund_id)
    refund.payment = payment
    return application, payment, refund



def refund_send(*, refund_id: int) -> Refund:
    """Ask the gateway to make an approved refund and apply its answer. Moves money.

    Every argument comes from the stored row and the key was fixed when it was created, so a
    second run, or a run after the first was killed once the gateway had answered, gets the
    gateway's first refund back instead of a second one. A refund that is not ``approved`` is
    returned as it is. A gateway error leaves it approved (logged); ``refunds_refresh_pending``
    asks again later.
    """
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.state != S.APPROVED:
        return refund
    try:
        answer = gateway_client().refund_create(
            idempotency_key=refund.idempotency_key,
            payment_intent=refund.payment.payment_intent_id,
            amount=refund.amount,
            metadata={"izin_refund": str(refund.pk)},
        )
    except GatewayError as error:
        logger.warning("refund_send_failed refund_id=%s error=%s", refund.pk, error)
        return refund
    return _refund_apply(refund_id=refund.pk, answer=answer)


def refund_refresh(*, refund: Refund) -> Refund:
    """Follow a refund at the gateway: an approved one is sent (again, under its key), a pending
    one is asked about. Anything else is final and returned as it is. Raises ``GatewayError``
    when a pending refund cannot be asked about."""
    if refund.state == S.APPROVED:
        return refund_send(refund_id=refund.pk)
    if refund.state != S.PENDING or not refund.gateway_refund_id:
        return refund
    answer = gateway_client().refund_retrieve(refund.gateway_refund_id)
    return _refund_apply(refund_id=refund.pk, answer=answer)


def _refund_apply(*, refund_id: int, answer: GatewayRefund) -> Refund:
    """Where the gateway's answer puts the refund. ``refund_succeeded`` is sent on the one
    transition to ``succeeded``, under the row lock, so the treasury never books it twice."""
    with transaction.atomic():
        application, _payment, locked = refund_lock(refund_id)
        moving = locked.state in (S.APPROVED, S.PENDING)
        if moving and answer.status == "succeeded":
            fsm_apply(instance=locked, transition="succeed", actor=None, application=application,
                      gateway_refund_id=answer.id)
            refund_succeeded.send(sender=Refund, refund=locked)
            outbound.payment_refunded(refund=locked)
            notices.refund_paid(refund=locked, application=application)
        elif moving and answer.status in GATEWAY_FAILED:
            reason = str(answer.raw.get("failure_reason") or answer.status)
            fsm_apply(instance=locked, transition="fail", actor=None, application=application,
                      reason=reason)
        elif locked.state == S.APPROVED and answer.status in GATEWAY_PENDING:
            fsm_apply(instance=locked, transition="send", actor=None, application=application,
                      gateway_refund_id=answer.id)
    logger.info("refund_refreshed refund_id=%s gateway_refund=%s gateway_status=%s state=%s",
                locked.pk, answer.id, answer.status, locked.state)
    return locked


def refunds_refresh_pending() -> list[int]:
    """Follow every refund the gateway has not finished: approved ones are sent again (under
    their key), pending ones asked about. Idempotent. Returns the ids of those that moved."""
    moved = []
    waiting = Refund.objects.filter(state__in=[S.APPROVED, S.PENDING]).order_by("pk")
    for refund in waiting:
        try:
            refreshed = refund_refresh(refund=refund)
        except (GatewayError, TransitionRefused) as error:
            logger.warning("refund_poll_failed refund_id=%s error=%s", refund.pk, error)
            continue
        if refreshed.state != refund.state:
            moved.append(refund.pk)
    return moved


