"""Refunds: full or partial, never more than what is left of the charge.

A card refund succeeds at once. A VA or QRIS refund is a bank transfer back to the payer: it
stays ``pending`` until settled (``refund_settle``: the sandbox's test helper, admin action).
"""

from django.db import transaction
from django.db.models import Sum

from . import shapes
from .errors import InvalidRequest, NotFound
from .events import Origin, event_emit
from .ledger import balance_record_refund
from .models import Method, PaymentIntent, Refund, new_id


def refund_create(*, fields: dict, origin: Origin) -> Refund:
    """Refund ``fields["amount"]`` (or all that is left) of a succeeded intent. Moves money."""
    with transaction.atomic():
        intent = PaymentIntent.objects.select_for_update().filter(
            pk=fields["payment_intent"]
        ).first()
        if intent is None:
            raise NotFound("payment_intent", fields["payment_intent"], param="payment_intent")
        if intent.status != PaymentIntent.Status.SUCCEEDED:
            raise InvalidRequest(
                f"This PaymentIntent ({intent.id}) does not have a successful charge to refund.",
                code="charge_not_refundable", param="payment_intent",
            )
        charge = intent.latest_charge
        refunded = charge.refunds.aggregate(total=Sum("amount"))["total"] or 0
        remaining = charge.amount - refunded
        if remaining <= 0:
            raise InvalidRequest(f"Charge {charge.id} has already been refunded.",
                                 code="charge_already_refunded")
        amount = fields["amount"] if fields["amount"] is not None else remaining
        if amount > remaining:
            raise InvalidRequest(
                f"Refund amount ({amount}) is greater than unrefunded amount on charge "
                f"({remaining}).", code="amount_too_large", param="amount",
            )
        refund_id = new_id("re_")
        refund = Refund.objects.create(
            id=refund_id, payment_intent=intent, charge=charge, amount=amount,
            currency=charge.currency, reason=fields["reason"], metadata=fields["metadata"],
            status=Refund.Status.SUCCEEDED if charge.method == Method.CARD
            else Refund.Status.PENDING,
            balance_transaction=balance_record_refund(
                refund_id=refund_id, charge=charge, amount=amount
            ),
        )
        event_emit(type="charge.refunded", data_object=shapes.charge(charge), origin=origin)
        return refund


def refund_settle(*, refund_id: str, origin: Origin | None = None) -> Refund:
    """The bank has sent a pending refund back to the payer."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update().filter(pk=refund_id).first()
        if refund is None:
            raise NotFound("refund", refund_id)
        if refund.status == Refund.Status.PENDING:
            refund.status = Refund.Status.SUCCEEDED
            refund.save(update_fields=["status"])
            event_emit(type="refund.updated", data_object=shapes.refund(refund), origin=origin)
            return refund
    raise InvalidRequest(f"Refund {refund_id} is {refund.status}; only a pending refund settles.",
                         code="refund_unexpected_state")
