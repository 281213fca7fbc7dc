"""NIB claims: someone says a NIB registered here is theirs, and the office checks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from licensing.models.people import Business
from licensing.roles import HEAD_OF_OFFICE, in_group


class NibClaimState(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")


def is_head_of_office(claim: "NibClaim", user) -> bool:
    """Permission for django-fsm: only the head of office decides a claim."""
    return in_group(user, HEAD_OF_OFFICE)


class NibClaim(ConcurrentTransitionMixin, models.Model):
    """A claim to a business registered here under a NIB (Nomor Induk Berusaha, the business
    identification number from OSS), by someone who is not its owner.

    Made online when someone registers a NIB that is already registered (nobody becomes owner
    then), or at the counter by front-office staff for a walk-in person. The claimant is known
    by e-mail address; ``claimant`` links the account once there is one. The head of office
    upholds it (the claimant becomes owner) or rejects it.
    """

    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="claims",
                                 verbose_name=_("business"))
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="nib_claims", verbose_name=_("claimant"),
    )
    claimant_email = models.EmailField(_("claimant's e-mail address"))
    claimant_name = models.CharField(_("claimant's name"), max_length=200, blank=True)
    # What the claimant entered in the registration form, kept as typed (after cleaning).
    data = models.JSONField(_("data entered"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Empty when the claimant registered online; the clerk when recorded at the counter.
    recorded_at_counter_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("recorded at the counter by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    state = FSMField(_("state"), max_length=10, choices=NibClaimState.choices,
                     default=NibClaimState.OPEN, protected=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # Upheld: who acted for the business before and was removed (id, name, e-mail, role, since).
    replaced_members = models.JSONField(_("members replaced"), default=list, blank=True)

    class Meta:
        verbose_name = _("NIB claim")
        verbose_name_plural = _("NIB claims")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # By e-mail, not account: a walk-in claimant may have none yet, and one person
            # claiming online and at the counter still has one open claim.
            models.UniqueConstraint(
                fields=["business", "claimant_email"], condition=Q(state=NibClaimState.OPEN),
                name="nib_claim_open_once_per_claimant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claimant_email} → {self.business}"

    # The machine: transition methods only change fields; ``licensing.claims`` locks, checks,
    # moves the memberships and audits.

    def _decided(self, *, by, reason: str) -> None:
        self.decided_by = by
        self.decided_at = timezone.now()
        self.reason = reason

    @transition(field=state, source=NibClaimState.OPEN, target=NibClaimState.UPHELD,
                permission=is_head_of_office)
    def uphold(self, *, by, reason: str, replaced: list[dict]):
        self._decided(by=by, reason=reason)
        self.replaced_members = replaced

    @transition(field=state, source=NibClaimState.OPEN, target=NibClaimState.REJECTED,
                permission=is_head_of_office)
    def reject(self, *, by, reason: str):
        self._decided(by=by, reason=reason)
