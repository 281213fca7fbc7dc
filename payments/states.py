from django.db import models
from django.utils.translation import gettext_lazy as _


class InvoiceState(models.TextChoices):
    """An SKRD is open (issued) until it is paid, passes its due date, or is replaced."""

    ISSUED = "issued", _("Issued")
    PAID = "paid", _("Paid")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


FINAL = frozenset({InvoiceState.PAID, InvoiceState.EXPIRED, InvoiceState.CANCELLED})
