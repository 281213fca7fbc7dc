"""What payments tell subscribed systems (``events``), in the transaction of the change, on the
one transition that happens once. Amounts in integer rupiah; no card or account details."""

from events import topics
from events.services import publish
from payments.models import Invoice, Payment, Refund


def invoice_issued(*, invoice: Invoice, total: int) -> None:
    publish(topic=topics.INVOICE_ISSUED, object_type="invoice", object_id=invoice.pk, payload={
        "number": invoice.number,
        "application_id": invoice.application_id,
        "total": total,
        "due_date": invoice.due_date.isoformat(),
    })


def payment_succeeded(*, payment: Payment) -> None:
    publish(topic=topics.PAYMENT_SUCCEEDED, object_type="payment", object_id=payment.pk,
            payload={
                "invoice_id": payment.invoice_id,
                "method": payment.method,
                "amount_received": payment.amount_received,
                "currency": payment.currency_received or payment.currency,
            })


# On the payment, not the refund: a subscriber follows one payment's events in order.
def payment_refunded(*, refund: Refund) -> None:
    publish(topic=topics.PAYMENT_REFUNDED, object_type="payment", object_id=refund.payment_id,
            payload={"refund_id": refund.pk, "amount": refund.amount})
