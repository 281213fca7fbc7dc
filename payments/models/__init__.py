from payments.models.bank import BankLine, BankStatement, CounterPayment
from payments.models.fee_rules import FeeRule
from payments.models.invoices import Invoice, InvoiceImmutable, InvoiceLine
from payments.models.ledger import DailyClose, LedgerEntry, LedgerImmutable
from payments.models.payments import Payment, WebhookEvent
from payments.models.reconciliation import Discrepancy
from payments.models.refunds import Refund
from payments.models.settlements import GatewayPayout, GatewayTransaction

__all__ = [
    "BankLine", "BankStatement", "CounterPayment", "DailyClose", "Discrepancy", "FeeRule",
    "GatewayPayout", "GatewayTransaction", "Invoice", "InvoiceImmutable", "InvoiceLine",
    "LedgerEntry", "LedgerImmutable", "Payment", "Refund", "WebhookEvent",
]
