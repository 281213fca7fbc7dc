"""The city's books of levy money: every rupiah received or given back is one row, counted in
one business day. A day that is closed takes no new row; money found later lands in the first
open day and names the day it really moved (``occurred_on``). Written only by
``treasury.ledger``; never changed, never deleted: each day's entries are chained by hash
(``workflows.audit_chain``) and, on PostgreSQL, the database refuses UPDATE and DELETE."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from treasury.states import LedgerKind, LedgerMethod
from workflows.audit_chain import ChainedEntry, ChainedQuerySet, seal_after_insert


class LedgerImmutable(PermissionDenied):
    """Books are corrected by a new entry, never by changing or removing one."""


class LedgerEntryQuerySet(ChainedQuerySet):
    def update(self, **kwargs):
        raise LedgerImmutable("Ledger entries are never changed.")

    def delete(self):
        raise LedgerImmutable("Ledger entries are never removed.")


class LedgerEntryManager(models.Manager.from_queryset(LedgerEntryQuerySet)):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        days = {entry.book_day for entry in objs}
        if DailyClose.objects.filter(day__in=days).exists():
            raise LedgerImmutable("A closed day takes no new entry; book into an open day.")
        return super().bulk_create(objs, *args, **kwargs)


class LedgerEntry(ChainedEntry):
    chain_fields = ("id", "book_day", "occurred_on", "kind", "method", "amount", "account_code",
                    "permit_type_id", "invoice_id", "payment_id", "counter_payment_id",
                    "refund_id", "note", "created_at")

    book_day = models.DateField(_("business day"), db_index=True,
                                help_text=_("The day whose totals count it."))
    occurred_on = models.DateField(_("money moved on"),
                                   help_text=_("Differs from the business day for a late item "
                                               "found after its own day was closed."))
    kind = models.CharField(_("kind"), max_length=8, choices=LedgerKind.choices)
    method = models.CharField(_("method"), max_length=8, choices=LedgerMethod.choices)
    amount = models.BigIntegerField(_("amount (Rp)"),
                                    help_text=_("Received is positive, refunded negative."))
    account_code = models.CharField(_("revenue account code"), max_length=30, db_index=True)
    permit_type = models.ForeignKey("licensing.PermitType", on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("permit type"))
    invoice = models.ForeignKey("payments.Invoice", on_delete=models.PROTECT,
                                related_name="ledger_entries", verbose_name=_("invoice"))
    payment = models.ForeignKey("payments.Payment", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="ledger_entries",
                                verbose_name=_("payment"))
    counter_payment = models.ForeignKey("treasury.CounterPayment", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="ledger_entries",
                                        verbose_name=_("counter payment"))
    refund = models.ForeignKey("payments.Refund", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="ledger_entries",
                               verbose_name=_("refund"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = LedgerEntryManager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["book_day", "pk"]
        indexes = [models.Index(fields=["book_day", "account_code"]),
                   # The chain is verified a day of recording at a time.
                   models.Index(fields=["created_at"], name="ledger_recorded_at")]

    def __str__(self) -> str:
        return f"{self.book_day} {self.account_code} {self.amount}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerImmutable("Ledger entries are never changed.")
        if DailyClose.objects.filter(day=self.book_day).exists():
            raise LedgerImmutable(f"{self.book_day} is closed; book into an open day.")
        super().save(*args, **kwargs)
        seal_after_insert(type(self), using=self._state.db, instances=[self])

    def delete(self, *args, **kwargs):
        raise LedgerImmutable("Ledger entries are never removed.")

    @property
    def is_late(self) -> bool:
        return self.occurred_on != self.book_day


class DailyClose(models.Model):
    """A business day the treasury has closed: from then on nothing is booked into it.

    ``entry_count`` and ``total`` seal what the day held when it closed; the day's totals are
    always derived from its ledger entries, and a check compares them with the seal. Its deposit
    summary (STS) carries ``sts_number``."""

    day = models.DateField(_("business day"), unique=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("closed by"))
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    entry_count = models.PositiveIntegerField(_("entries"))
    total = models.BigIntegerField(_("total (Rp)"))
    # Given in the close's own transaction (``treasury.closing``). Nullable only so that the
    # migration adding it could number the closes made before, in date order.
    sts_number = models.CharField(_("STS number"), max_length=32, unique=True, null=True,
                                  blank=True,
                                  help_text=_("The deposit summary's number, gap-free per "
                                              "year, e.g. STS/2026/000123."))

    class Meta:
        verbose_name = _("daily close")
        verbose_name_plural = _("daily closes")
        ordering = ["-day"]

    def __str__(self) -> str:
        return self.day.isoformat()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerImmutable("A closed day is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutable("A closed day is never reopened.")
