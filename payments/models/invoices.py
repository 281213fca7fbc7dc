"""The SKRD and its lines. Once issued, an invoice's number, dates and lines never change.

A correction is a new invoice (the old one cancelled); the total is always the sum of the lines.
State changes go through ``payments.services`` (row lock, ``workflows.machine.fsm_apply``, audit).
"""

from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from licensing.i18n import localized
from licensing.models import Application
from payments.states import InvoiceState

S = InvoiceState


class InvoiceImmutable(PermissionDenied):
    """An attempt to change what an issued invoice says. Issue a new invoice instead."""


def _is_system(invoice: "Invoice", user) -> bool:
    return user is None


class InvoiceQuerySet(models.QuerySet):
    def update(self, **kwargs):
        sealed = set(Invoice.SEALED) | {name.removesuffix("_id") for name in Invoice.SEALED}
        if sealed & set(kwargs):
            raise InvoiceImmutable("An issued invoice cannot be changed.")
        return super().update(**kwargs)

    def delete(self):
        raise InvoiceImmutable("Invoices are kept: cancel one instead of deleting it.")


class InvoiceManager(models.Manager.from_queryset(InvoiceQuerySet)):
    def create_with_lines(self, *, lines: list["InvoiceLine"], **fields) -> "Invoice":
        """The one way lines are written: together with their invoice, in one go."""
        if not lines:
            raise ValueError("An invoice needs at least one line.")
        invoice = self.create(**fields)
        for position, line in enumerate(lines, start=1):
            line.invoice, line.position = invoice, position
        InvoiceLine.objects.bulk_create(lines)
        return invoice


class Invoice(ConcurrentTransitionMixin, models.Model):
    """An SKRD (surat ketetapan retribusi daerah): the city's levy assessment for one
    application, with its billing code (kode bayar) for the bank and the gateway."""

    SEALED = ("number", "application_id", "billing_code", "issued_at", "due_date",
              "replaces_id")

    number = models.CharField(_("number"), max_length=32, unique=True)
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="invoices", verbose_name=_("application"))
    billing_code = models.CharField(
        _("billing code"), max_length=16, unique=True,
        validators=[RegexValidator(r"^\d{16}$", _("A billing code has 16 digits."))],
    )
    issued_at = models.DateTimeField(_("issued at"))
    due_date = models.DateField(_("due date"), help_text=_("Payable until the end of this day "
                                                          "(Western Indonesia Time)."))
    state = FSMField(_("state"), max_length=12, choices=S.choices, default=S.ISSUED,
                     protected=True, db_index=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    closed_at = models.DateTimeField(
        _("closed at"), null=True, blank=True,
        help_text=_("When it was paid, expired or cancelled."),
    )
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by",
        verbose_name=_("replaces"), help_text=_("The expired or cancelled invoice this one "
                                                "follows."),
    )

    objects = InvoiceManager()

    class Meta:
        verbose_name = _("invoice (SKRD)")
        verbose_name_plural = _("invoices (SKRD)")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            # At most one bill open per application: a retry or a race cannot bill twice.
            models.UniqueConstraint(fields=["application"], condition=Q(state=S.ISSUED),
                                    name="one_open_invoice_per_application"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        if not self._state.adding:
            sealed = getattr(self, "_sealed", {})
            now = self._sealed_values()
            if any(now.get(name) != value for name, value in sealed.items()):
                raise InvoiceImmutable("An issued invoice cannot be changed; issue a new one.")
        super().save(*args, **kwargs)
        self._sealed = self._sealed_values()

    def delete(self, *args, **kwargs):
        raise InvoiceImmutable("Invoices are kept: cancel one instead of deleting it.")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._sealed = instance._sealed_values()
        return instance

    def _sealed_values(self) -> dict:
        return {name: self.__dict__[name] for name in self.SEALED if name in self.__dict__}

    @property
    def status_for_payer(self) -> str:
        """The state as the business reads it: an open bill is one it has not paid yet."""
        if self.state == InvoiceState.ISSUED:
            return _("Not paid yet")
        return self.get_state_display()

    @property
    def total(self) -> int:
        """Whole rupiah, derived from the lines (prefetch ``lines`` when listing invoices)."""
        return sum(line.amount for line in self.lines.all())

    @transition(field=state, source=S.ISSUED, target=S.PAID, permission=_is_system)
    def settle(self, *, paid_at):
        self.paid_at = paid_at
        self.closed_at = timezone.now()

    @transition(field=state, source=S.ISSUED, target=S.EXPIRED, permission=_is_system)
    def expire(self):
        self.closed_at = timezone.now()

    @transition(field=state, source=S.ISSUED, target=S.CANCELLED, permission=_is_system)
    def cancel(self):
        self.closed_at = timezone.now()


class InvoiceLineQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if InvoiceLine.objects.filter(invoice__in={line.invoice_id for line in objs}).exists():
            raise InvoiceImmutable("The lines of an issued invoice cannot be added to.")
        return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs):
        raise InvoiceImmutable("The lines of an issued invoice cannot be changed.")

    def delete(self):
        raise InvoiceImmutable("The lines of an issued invoice cannot be removed.")


class InvoiceLine(models.Model):
    """One line of an SKRD, copied from the fee breakdown when it was issued: the tariff may
    change later, the bill does not. Labels and basis are kept in both languages."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines",
                                verbose_name=_("invoice"))
    position = models.PositiveSmallIntegerField(_("position"))
    label_id = models.CharField(_("label (Indonesian)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    basis_id = models.CharField(_("basis (Indonesian)"), max_length=300, blank=True)
    basis_en = models.CharField(_("basis (English)"), max_length=300, blank=True)
    account_code = models.CharField(_("revenue account code"), max_length=30)
    amount = models.BigIntegerField(_("amount (Rp)"))

    objects = InvoiceLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_position"),
            models.CheckConstraint(condition=Q(amount__gte=0),
                                   name="invoice_line_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount}"

    def save(self, *args, **kwargs):
        raise InvoiceImmutable("Invoice lines are written with their invoice "
                               "(Invoice.objects.create_with_lines) and never changed.")

    def delete(self, *args, **kwargs):
        raise InvoiceImmutable("The lines of an issued invoice cannot be removed.")

    @property
    def label(self) -> str:
        return localized(self, "label")

    @property
    def basis(self) -> str:
        return localized(self, "basis")
