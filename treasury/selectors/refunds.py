"""Reads about refunds: the treasury's queues and pages, and what is left to refund of a
payment."""

from dataclasses import dataclass

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404

from payments.models import Payment, Refund
from payments.states import REFUND_HOLDS_MONEY, PaymentState, RefundState

S = RefundState
# How many finished refunds (succeeded, failed, rejected) the list shows below the queues.
RECENT_LIMIT = 50


def refund_amount_left(*, payment: Payment, excluding: Refund | None = None) -> int:
    """What can still be refunded of a payment: received, less the refunds holding money
    (``excluding`` one of them, the refund being changed). Services call it under the payment's
    row lock, where the answer holds until their commit."""
    held = payment.refunds.filter(state__in=REFUND_HOLDS_MONEY)
    if excluding is not None:
        held = held.exclude(pk=excluding.pk)
    return (payment.amount_received or 0) - (held.aggregate(total=Sum("amount"))["total"] or 0)


def payment_may_refund(*, payment: Payment) -> bool:
    """Whether to offer a refund of a payment: money the gateway confirmed online, not all of
    it refunded yet (the service decides for real, under the payment's lock)."""
    return (payment.state == PaymentState.SUCCEEDED and bool(payment.payment_intent_id)
            and refund_amount_left(payment=payment) > 0)


def _refunds() -> QuerySet[Refund]:
    return Refund.objects.select_related(
        "payment__invoice__application__business", "payment__invoice__application__permit_type",
        "prepared_by", "approved_by",
    )


@dataclass(frozen=True)
class RefundQueues:
    """The treasury's work on refunds, by what it waits for."""

    to_prepare: list[Refund]  # suggested by the system
    to_approve: list[Refund]  # prepared, awaiting a supervisor
    sending: list[Refund]  # approved, the gateway not yet answered (retried until it does)
    pending: list[Refund]  # the bank is paying back
    recent: list[Refund]  # finished, newest first

    @property
    def open_count(self) -> int:
        return (len(self.to_prepare) + len(self.to_approve) + len(self.sending)
                + len(self.pending))


def refund_queues() -> RefundQueues:
    open_ = list(_refunds().exclude(state__in=[S.SUCCEEDED, S.FAILED, S.REJECTED])
                 .order_by("created_at", "pk"))
    recent = list(_refunds().filter(state__in=[S.SUCCEEDED, S.FAILED, S.REJECTED])
                  .order_by("-updated_at", "-pk")[:RECENT_LIMIT])
    return RefundQueues(
        to_prepare=[refund for refund in open_ if refund.state == S.DRAFT],
        to_approve=[refund for refund in open_ if refund.state == S.PROPOSED],
        sending=[refund for refund in open_ if refund.state == S.APPROVED],
        pending=[refund for refund in open_ if refund.state == S.PENDING],
        recent=recent,
    )


def refund_get(*, pk: int) -> Refund:
    return get_object_or_404(_refunds(), pk=pk)


def refund_siblings(*, refund: Refund) -> QuerySet[Refund]:
    """The other refunds of the same payment."""
    return refund.payment.refunds.exclude(pk=refund.pk).order_by("created_at", "pk")


def payment_get_for_refund(*, pk: int) -> Payment:
    return get_object_or_404(
        Payment.objects.select_related("invoice__application__business",
                                       "invoice__application__permit_type"),
        pk=pk,
    )
