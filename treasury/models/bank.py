"""The city's bank account (RKUD) as the bank reports it: uploaded statements and their lines,
and the payments made at a bank counter, each recorded against one line."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from treasury.states import COUNTER_HOLDS_LINE, StatementFormat
from treasury.states import CounterPaymentState as CS


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
    # What the matching queued by the upload (``treasury.tasks.statement_match``) left of this
    # statement's lines; empty until it has run.
    matched_at = models.DateTimeField(_("matched at"), null=True, blank=True)
    lines_matched = models.PositiveIntegerField(
        _("lines matched"), null=True, blank=True,
        help_text=_("Lines linked to a payout or to a confirmed counter payment."))
    lines_to_review = models.PositiveIntegerField(
        _("lines left for review"), null=True, blank=True,
        help_text=_("Lines with an exception waiting for an officer."))

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
        indexes = [
            # The lines still free for a payout, by amount and date: matching by amount, and
            # the credits of an exception's amount shown on its proposal and approval.
            models.Index(fields=["amount", "booked_on"], condition=Q(payout__isnull=True),
                         name="bankline_free_amount_day"),
        ]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.bank_reference} {self.amount}"


def _is_confirmer(counter_payment: "CounterPayment", user) -> bool:
    """Four eyes: whoever proposed a counter payment never confirms it (the importer of the
    statement is refused by ``treasury.counter``, which can see the statement)."""
    return user is not None and user.pk != counter_payment.recorded_by_id


class CounterPayment(ConcurrentTransitionMixin, models.Model):
    """A bill paid at a bank teller. It exists only with the bank line that shows the money:
    there is no way to mark a bill paid in cash without a bank reference.

    One officer proposes it (``recorded_by``); only when a second confirms it is the bill
    settled and the money booked. A rejected proposal stays, with its history, and lets its
    bank line go: the line may be proposed again for the right bill. State changes go through
    ``treasury.counter``."""

    invoice = models.ForeignKey("payments.Invoice", on_delete=models.PROTECT,
                                related_name="counter_payments", verbose_name=_("invoice"))
    # A foreign key, not one-to-one: rejected proposals keep their line; the constraint below
    # lets only one live (proposed or confirmed) counter payment hold it.
    bank_line = models.ForeignKey(BankLine, on_delete=models.PROTECT,
                                  related_name="counter_payments",
                                  verbose_name=_("bank statement line"))
    amount = models.BigIntegerField(_("amount (Rp)"))
    state = FSMField(_("state"), max_length=10, choices=CS.choices, default=CS.PROPOSED,
                     protected=True, db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("proposed by"))
    recorded_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    # Empty on counter payments recorded before a second officer was required.
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("confirmed or rejected by"))
    decided_at = models.DateTimeField(_("confirmed or rejected at"), null=True, blank=True)

    class Meta:
        verbose_name = _("counter payment")
        verbose_name_plural = _("counter payments")
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0),
                                   name="counter_payment_amount_positive"),
            models.UniqueConstraint(fields=["bank_line"],
                                    condition=Q(state__in=sorted(COUNTER_HOLDS_LINE)),
                                    name="counter_payment_one_live_per_line"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("recorded_by")),
                name="counter_payment_four_eyes"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} ← {self.bank_line.bank_reference}"

    @transition(field=state, source=CS.PROPOSED, target=CS.CONFIRMED, permission=_is_confirmer)
    def confirm(self, *, by):
        self.decided_by, self.decided_at = by, timezone.now()

    @transition(field=state, source=CS.PROPOSED, target=CS.REJECTED, permission=_is_confirmer)
    def reject(self, *, by):
        self.decided_by, self.decided_at = by, timezone.now()
