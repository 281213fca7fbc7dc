from django.db import models
from django.utils.translation import gettext_lazy as _


class InvoiceState(models.TextChoices):
    """An SKRD is open (issued) until it is paid, passes its due date, or is replaced."""

    ISSUED = "issued", _("Issued")
    PAID = "paid", _("Paid")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


FINAL = frozenset({InvoiceState.PAID, InvoiceState.EXPIRED, InvoiceState.CANCELLED})


class PaymentMethod(models.TextChoices):
    """How the business pays; the gateway's payment method type names."""

    CARD = "card", _("Card")
    VA = "va", _("Bank transfer to a virtual account")
    QRIS = "qris", _("QRIS")


class PaymentState(models.TextChoices):
    """One attempt at paying a bill, following what the gateway says about it."""

    CREATED = "created", _("Created")  # our row exists; the gateway has not answered yet
    OPEN = "open", _("Open")  # a hosted payment page is waiting for the business
    PROCESSING = "processing", _("Processing")  # virtual account or QRIS: waiting for the bank
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


# At most one attempt per bill may be in these (a database constraint).
PAYMENT_OPEN = frozenset({PaymentState.CREATED, PaymentState.OPEN, PaymentState.PROCESSING})
# Nothing moves a payment out of these, however late or out of order an event arrives.
PAYMENT_FINAL = frozenset({PaymentState.SUCCEEDED, PaymentState.FAILED, PaymentState.EXPIRED})


class ReviewReason(models.TextChoices):
    """Why the treasury has to look at a payment the gateway confirmed."""

    AMOUNT_MISMATCH = "amount_mismatch", _("The amount paid differs from the bill")
    CURRENCY_MISMATCH = "currency_mismatch", _("The currency differs from the bill")
    BILL_CLOSED = "bill_closed", _("Paid after the bill was closed: refund it")


class RefundReason(models.TextChoices):
    """Why money goes back to the payer. An overpayment is assessed in an SKRDLB."""

    OVERPAYMENT = "overpayment", _("Overpaid levy (SKRDLB)")
    APPLICATION_WITHDRAWN = "withdrawn", _("Paid for a withdrawn application")
    BILL_EXPIRED = "expired", _("Paid after the bill expired")
    DUPLICATE = "duplicate", _("Paid twice for one bill")
    UNDERPAYMENT = "underpayment", _("Paid less than the bill: returned in full")
    OTHER = "other", _("Other, as noted")


class RefundState(models.TextChoices):
    """A refund is prepared by one officer and approved by another before the gateway is asked.

    ``draft``: reconciliation proposes it, no officer has prepared it yet."""

    DRAFT = "draft", _("Suggested")
    PROPOSED = "proposed", _("Prepared, awaiting approval")
    APPROVED = "approved", _("Approved, sending to the gateway")
    PENDING = "pending", _("Being paid back by the bank")
    SUCCEEDED = "succeeded", _("Refunded")
    FAILED = "failed", _("Failed")
    REJECTED = "rejected", _("Rejected")


# A refund in these holds its amount against the payment: together they never exceed it.
REFUND_HOLDS_MONEY = frozenset({RefundState.PROPOSED, RefundState.APPROVED, RefundState.PENDING,
                                RefundState.SUCCEEDED})
