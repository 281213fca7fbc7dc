"""Money given back to a payer through the gateway, prepared by one treasury officer and
approved by another (maker-checker). State changes go through ``treasury.refunds``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from payments.states import RefundReason, RefundState

S = RefundState
# The states in which the gateway has been, or is being, asked: only ever after a second officer.
SENT = [S.APPROVED, S.PENDING, S.SUCCEEDED, S.FAILED]


def _is_system(refund: "Refund", user) -> bool:
    return user is None


def _is_checker(refund: "Refund", user) -> bool:
    """Four eyes: whoever prepared a refund never approves it."""
    return user is not None and user.pk != refund.prepared_by_id


class Refund(ConcurrentTransitionMixin, models.Model):
    """A full or partial refund of one payment, whole rupiah."""

    payment = models.ForeignKey("payments.Payment", on_delete=models.PROTECT,
                                related_name="refunds", verbose_name=_("payment"))
    amount = models.BigIntegerField(_("amount (Rp)"))
    reason = models.CharField(_("reason"), max_length=16, choices=RefundReason.choices)
    state = FSMField(_("state"), max_length=12, choices=S.choices, default=S.DRAFT,
                     protected=True, db_index=True)
    skrdlb_number = models.CharField(
        _("SKRDLB number"), max_length=32, unique=True, null=True, blank=True,
        help_text=_("The assessment of overpaid levy this refund pays out."),
    )
    note = models.TextField(_("note"), blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("prepared by"))
    prepared_at = models.DateTimeField(_("prepared at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    gateway_refund_id = models.CharField(_("gateway refund"), max_length=255, unique=True,
                                         null=True, blank=True)
    failure_reason = models.CharField(_("failure reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    succeeded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            # Four eyes: an approver is never the preparer, and a refund nobody prepared (a
            # system suggestion) cannot be approved. NULL = NULL is not false in SQL, hence the
            # explicit ``prepared_by`` test.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | Q(prepared_by__isnull=False) & ~Q(approved_by=models.F("prepared_by")),
                name="refund_four_eyes",
            ),
            models.CheckConstraint(condition=~Q(state__in=SENT) | Q(approved_by__isnull=False),
                                   name="refund_sent_only_approved"),
        ]

    def __str__(self) -> str:
        return f"{self.payment} -{self.amount}"

    @transition(field=state, source=S.DRAFT, target=S.PROPOSED)
    def prepare(self, *, by, amount: int, remark: str):
        # ``remark``: the officer's note (``fsm_apply`` keeps ``note`` for the audit entry).
        self.prepared_by, self.prepared_at = by, timezone.now()
        self.amount = amount
        self.note = remark or self.note

    @transition(field=state, source=S.PROPOSED, target=S.APPROVED, permission=_is_checker)
    def approve(self, *, by):
        self.approved_by, self.approved_at = by, timezone.now()

    @transition(field=state, source=[S.DRAFT, S.PROPOSED], target=S.REJECTED)
    def reject(self):
        pass

    @transition(field=state, source=S.APPROVED, target=S.PENDING, permission=_is_system)
    def send(self, *, gateway_refund_id: str):
        self.gateway_refund_id = gateway_refund_id

    @transition(field=state, source=[S.APPROVED, S.PENDING], target=S.SUCCEEDED,
                permission=_is_system)
    def succeed(self, *, gateway_refund_id: str):
        self.gateway_refund_id = gateway_refund_id
        self.succeeded_at = timezone.now()

    @transition(field=state, source=[S.APPROVED, S.PENDING], target=S.FAILED,
                permission=_is_system)
    def fail(self, *, reason: str):
        self.failure_reason = reason[:255]
