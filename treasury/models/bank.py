"""The city's bank account (RKUD) as the bank reports it: uploaded statements and their lines,
and the payments made at a bank counter, each recorded against one line."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from treasury.states import StatementFormat


class BankStatement(models.Model):
    """One uploaded file. Its lines were written all together or not at all."""

    format = models.CharField(_("format"), max_length=8, choices=StatementFormat.choices)
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("file checksum (SHA-256)"), max_length=64, db_index=True)
    account_number = models.CharField(_("account number"), max_length=34)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    lines_added = models.PositiveIntegerField(_("lines added"))
    lines_skipped = models.PositiveIntegerField(
        _("lines already imported"), default=0,
        help_text=_("Lines whose checksum an earlier upload already holds."),
    )

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.filename


class BankLine(models.Model):
    """One booking on the city's account. Credits are positive, debits negative (whole rupiah).

    ``checksum`` is over what identifies the booking (account, date, amount, the bank's
    reference, description): the same line in a later, overlapping statement is not added again.
    """

    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="lines",
                                  verbose_name=_("statement"))
    line_number = models.PositiveIntegerField(_("line in the file"))
    booked_on = models.DateField(_("booked on"), db_index=True)
    amount = models.BigIntegerField(_("amount (Rp)"))
    bank_reference = models.CharField(_("bank reference"), max_length=64, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    checksum = models.CharField(_("checksum"), max_length=64, unique=True)
    # Filled by matching (treasury.matching) or by an approved manual match.
    payout = models.OneToOneField("treasury.GatewayPayout", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="bank_line",
                                  verbose_name=_("payout"))

    class Meta:
        verbose_name = _("bank statement line")
        verbose_name_plural = _("bank statement lines")
        ordering = ["-booked_on", "statement", "line_number"]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.bank_reference} {self.amount}"


class CounterPayment(models.Model):
    """A bill paid at a bank teller. It exists only with the bank line that shows the money:
    there is no way to mark a bill paid in cash without a bank reference."""

    invoice = models.ForeignKey("payments.Invoice", on_delete=models.PROTECT,
                                related_name="counter_payments", verbose_name=_("invoice"))
    bank_line = models.OneToOneField(BankLine, on_delete=models.PROTECT,
                                     related_name="counter_payment",
                                     verbose_name=_("bank statement line"))
    amount = models.BigIntegerField(_("amount (Rp)"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("counter payment")
        verbose_name_plural = _("counter payments")
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0),
                                   name="counter_payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} ← {self.bank_line.bank_reference}"
