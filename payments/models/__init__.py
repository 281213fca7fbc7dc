from payments.models.fee_rules import FeeRule
from payments.models.invoices import Invoice, InvoiceImmutable, InvoiceLine
from payments.models.payments import Payment, WebhookEvent
from payments.models.refunds import Refund

__all__ = [
    "FeeRule", "Invoice", "InvoiceImmutable", "InvoiceLine", "Payment", "Refund", "WebhookEvent",
]
