"""The SKRD and the payment receipt as signed PDFs: context → HTML → PDF → signature.

They are made when the business downloads them and never stored: each is derived from records
that do not change (an invoice's number, lines and dates are sealed, and its state is final once
it is paid, expired or cancelled — the SKRD then says so; a confirmed payment is final), so
making one again yields the same document with a fresh signature. The signature is what lets a
printed SKRD or receipt be trusted away from the portal.
"""

import logging

from django.conf import settings

from documents import rendering
from documents.context import invoice_context, receipt_context
from documents.signing import sign_pdf
from payments.models import Invoice, Payment

logger = logging.getLogger("izin.documents")


def invoice_pdf(invoice: Invoice) -> bytes:
    """The SKRD, signed by the office. Raises ``SigningUnavailable`` rather than return it
    unsigned."""
    pdf = rendering.html_to_pdf(rendering.invoice_html(invoice_context(invoice)))
    signed = sign_pdf(pdf, reason=f"SKRD {invoice.number}",
                      location=settings.PERMIT_ISSUER["place"])
    logger.info("invoice_document_signed invoice_id=%s", invoice.pk)
    return signed


def receipt_pdf(payment: Payment) -> bytes:
    """The receipt of a confirmed payment, signed by the office (or ``SigningUnavailable``)."""
    pdf = rendering.html_to_pdf(rendering.receipt_html(receipt_context(payment)))
    signed = sign_pdf(pdf, reason=f"Bukti bayar {payment.invoice.number}",
                      location=settings.PERMIT_ISSUER["place"])
    logger.info("receipt_document_signed payment_id=%s", payment.pk)
    return signed
