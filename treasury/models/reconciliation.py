"""Exceptions that three-way reconciliation finds, each kept once by its natural key, with its
evidence, until an officer resolves it (a supervisor approves write-offs and manual matches) or a
later match clears it. State changes go through ``treasury.exceptions``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from treasury.states import DiscrepancyKind, DiscrepancyState, Resolution

S = DiscrepancyState


def _is_system(discrepancy: "Discrepancy", user) -> bool:
    return user is None


def _is_checker(discrepancy: "Discrepancy", user) -> bool:
    """Four eyes: whoever proposed a write-off or a manual match never approves it."""
    return user is not None and user.pk != discrepancy.proposed_by_id


class Discrepancy(ConcurrentTransitionMixin, models.Model):
    """One reconciliation exception ("pengecualian")."""

    kind = models.CharField(_("kind"), max_length=12, choices=DiscrepancyKind.choices,
                            db_index=True)
    key = models.CharField(
        _("key"), max_length=255, unique=True,
        help_text=_("What it is about, e.g. the gateway transaction's id: matching again finds "
                    "the same exception instead of adding one."),
    )
    state = FSMField(_("state"), max_length=10, choices=S.choices, default=S.OPEN,
                     protected=True, db_index=True)
    day = models.DateField(_("business day"), db_index=True,
                           help_text=_("The day whose close waits for it."))
    amount = models.BigIntegerField(_("amount at stake (Rp)"), default=0)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    detected_at = models.DateTimeField(_("found at"), auto_now_add=True)

    invoice = models.ForeignKey("payments.Invoice", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="discrepancies",
                                verbose_name=_("invoice"))
    payment = models.ForeignKey("payments.Payment", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="discrepancies",
                                verbose_name=_("payment"))
    gateway_transaction = models.ForeignKey(
        "treasury.GatewayTransaction", null=True, blank=True, on_delete=models.PROTECT,
        related_name="discrepancies", verbose_name=_("gateway transaction"))
    payout = models.ForeignKey("treasury.GatewayPayout", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="discrepancies",
                               verbose_name=_("payout"))
    bank_line = models.ForeignKey("treasury.BankLine", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="discrepancies",
                                  verbose_name=_("bank statement line"))

    resolution = models.CharField(_("resolution"), max_length=12, choices=Resolution.choices,
                                  blank=True)
    note = models.TextField(_("note"), blank=True)
    # A manual match names what the evidence belongs with; applied only once approved.
    match_payment = models.ForeignKey("payments.Payment", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("matched payment"))
    match_payout = models.ForeignKey("treasury.GatewayPayout", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("matched payout"))
    match_bank_line = models.ForeignKey("treasury.BankLine", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("matched bank line"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("resolved by"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reconciliation exception")
        verbose_name_plural = _("reconciliation exceptions")
        ordering = ["day", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_by__isnull=True) | Q(proposed_by__isnull=True)
                | ~Q(resolved_by=models.F("proposed_by")),
                name="discrepancy_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"

    # ``remark``: the officer's note (``fsm_apply`` keeps ``note`` for the audit entry).
    @transition(field=state, source=S.OPEN, target=S.RESOLVED)
    def resolve(self, *, by, resolution: str, remark: str):
        self.resolution, self.note = resolution, remark
        self.resolved_by, self.resolved_at = by, timezone.now()

    @transition(field=state, source=S.OPEN, target=S.AWAITING_APPROVAL)
    def propose(self, *, by, resolution: str, remark: str, **match):
        self.resolution, self.note = resolution, remark
        self.proposed_by, self.proposed_at = by, timezone.now()
        for name, value in match.items():
            setattr(self, name, value)

    @transition(field=state, source=S.AWAITING_APPROVAL, target=S.RESOLVED,
                permission=_is_checker)
    def approve(self, *, by):
        self.resolved_by, self.resolved_at = by, timezone.now()

    @transition(field=state, source=S.AWAITING_APPROVAL, target=S.OPEN, permission=_is_checker)
    def reject(self, *, by):
        self.resolution = ""
        self.match_payment = self.match_payout = self.match_bank_line = None
        self.proposed_by = self.proposed_at = None

    @transition(field=state, source=S.OPEN, target=S.CLEARED, permission=_is_system)
    def clear(self):
        self.resolved_at = timezone.now()
