"""Attempts at paying an SKRD through the gateway, and the gateway's webhook events as received.

A Payment follows the gateway: its state changes only through ``payments.payment_services``
(row locks, ``workflows.machine.fsm_apply``), from what the gateway answers when asked.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, ConcurrentTransitionMixin, FSMField, transition

from payments.models.invoices import Invoice
from payments.money import CURRENCY
from payments.states import (
    PAYMENT_FINAL,
    PAYMENT_OPEN,
    PaymentMethod,
    PaymentState,
    ReviewReason,
)

S = PaymentState
NOT_FINAL = [state for state in S if state not in PAYMENT_FINAL]
# How the banks call themselves; the gateway sends a code (a bank's name is not translated).
VA_BANK_NAMES = {"bca": "BCA", "bni": "BNI", "bri": "BRI", "mandiri": "Mandiri",
                 "permata": "PermataBank", "bsi": "BSI", "cimb": "CIMB Niaga"}


def _is_system(payment: "Payment", user) -> bool:
    return user is None


class Payment(ConcurrentTransitionMixin, models.Model):
    """One attempt at paying an invoice: the method chosen, the amount asked, the gateway's
    checkout session and payment intent, and what the gateway reported it received."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments",
                                verbose_name=_("invoice"))
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    method = models.CharField(_("method"), max_length=8, choices=PaymentMethod.choices)
    amount = models.BigIntegerField(_("amount asked (Rp)"))
    currency = models.CharField(_("currency"), max_length=3, default=CURRENCY)
    state = FSMField(_("state"), max_length=12, choices=S.choices, default=S.CREATED,
                     protected=True, db_index=True)
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=100, unique=True,
        help_text=_("Sent with the request that created the checkout session, the same on "
                    "every retry."),
    )
    checkout_session_id = models.CharField(_("checkout session"), max_length=255, unique=True,
                                           null=True, blank=True)
    payment_intent_id = models.CharField(_("gateway reference"), max_length=255, blank=True,
                                         db_index=True)
    charge_id = models.CharField(
        _("gateway charge"), max_length=255, blank=True, db_index=True,
        help_text=_("The charge the gateway's balance transaction names as its source."),
    )
    checkout_url = models.URLField(_("payment page"), max_length=2000, blank=True)
    checkout_expires_at = models.DateTimeField(_("payment page open until"))
    # How to finish a bank payment (virtual account or QRIS), kept from the gateway's answer so
    # Izin's own page shows it without asking the gateway again.
    va_bank = models.CharField(_("virtual account bank"), max_length=16, blank=True)
    va_number = models.CharField(_("virtual account number"), max_length=32, blank=True)
    qris_payload = models.TextField(_("QRIS code"), blank=True)
    pay_before = models.DateTimeField(_("to be paid before"), null=True, blank=True)
    gateway_checked_at = models.DateTimeField(
        _("last asked by the status page"), null=True, blank=True,
        help_text=_("The page's live update asks the gateway at most once in a while per "
                    "payment, however many pages are open."),
    )
    amount_received = models.BigIntegerField(_("amount received (Rp)"), null=True, blank=True)
    currency_received = models.CharField(_("currency received"), max_length=3, blank=True)
    needs_review = models.BooleanField(_("needs the treasury"), default=False)
    review_reason = models.CharField(_("why"), max_length=20, choices=ReviewReason.choices,
                                     blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    succeeded_at = models.DateTimeField(
        _("paid at"), null=True, blank=True,
        help_text=_("When Izin learnt from the gateway that the money was received."),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Two "Pay" clicks at once, or a retry racing a click, cannot open two attempts.
            models.UniqueConstraint(fields=["invoice"], condition=Q(state__in=PAYMENT_OPEN),
                                    name="one_open_payment_per_invoice"),
            models.UniqueConstraint(fields=["invoice", "attempt"], name="payment_attempt_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(needs_review=False, review_reason="")
                                   | Q(needs_review=True) & ~Q(review_reason=""),
                                   name="payment_review_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice.number} #{self.attempt}"

    def _do_update(self, base_qs, using, pk_val, *args, **kwargs):
        # A final payment is never written again, whatever the caller read: the UPDATE itself
        # carries the condition (Open Forms' pattern), on top of the row lock and the FSM check.
        updated = super()._do_update(base_qs.filter(state__in=NOT_FINAL), using, pk_val, *args,
                                     **kwargs)
        if not updated and base_qs.filter(pk=pk_val).using(using).exists():
            raise ConcurrentTransition("A payment in a final state is never written again.")
        return updated

    @property
    def is_open(self) -> bool:
        return self.state in PAYMENT_OPEN

    @property
    def has_bank_instructions(self) -> bool:
        return bool(self.va_number or self.qris_payload)

    @property
    def va_bank_name(self) -> str:
        return VA_BANK_NAMES.get(self.va_bank, self.va_bank.upper())

    @transition(field=state, source=S.CREATED, target=S.OPEN, permission=_is_system)
    def open(self, *, checkout_session_id: str, payment_intent_id: str, checkout_url: str):
        self.checkout_session_id = checkout_session_id
        self.payment_intent_id = payment_intent_id
        self.checkout_url = checkout_url

    @transition(field=state, source=[S.CREATED, S.OPEN], target=S.PROCESSING,
                permission=_is_system)
    def process(self, **instructions):
        self.instructions_set(**instructions)

    def instructions_set(self, *, va_bank: str = "", va_number: str = "", qris_payload: str = "",
                         pay_before=None) -> list[str]:
        """Keep how the bank payment is finished; returns the fields that changed."""
        wanted = {"va_bank": va_bank, "va_number": va_number, "qris_payload": qris_payload,
                  "pay_before": pay_before}
        changed = [name for name, value in wanted.items() if getattr(self, name) != value]
        for name in changed:
            setattr(self, name, wanted[name])
        return changed

    @transition(field=state, source=NOT_FINAL, target=S.SUCCEEDED, permission=_is_system)
    def succeed(self, *, amount_received: int, currency_received: str, review_reason: str,
                charge_id: str = ""):
        self.charge_id = charge_id
        self.amount_received = amount_received
        self.currency_received = currency_received
        self.needs_review = bool(review_reason)
        self.review_reason = review_reason
        self.succeeded_at = self.closed_at = timezone.now()

    @transition(field=state, source=NOT_FINAL, target=S.FAILED, permission=_is_system)
    def fail(self):
        self.closed_at = timezone.now()

    @transition(field=state, source=NOT_FINAL, target=S.EXPIRED, permission=_is_system)
    def expire(self):
        self.closed_at = timezone.now()


class WebhookEvent(models.Model):
    """An event the gateway sent, stored once by its id (a repeated delivery finds it here)."""

    event_id = models.CharField(_("event id"), max_length=255, unique=True)
    type = models.CharField(_("type"), max_length=100)
    payload = models.JSONField(_("payload"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("processing attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
