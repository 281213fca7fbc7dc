from payments.models.fee_rules import FeeRule
from payments.models.invoices import Invoice, InvoiceImmutable, InvoiceLine

__all__ = ["FeeRule", "Invoice", "InvoiceImmutable", "InvoiceLine"]
