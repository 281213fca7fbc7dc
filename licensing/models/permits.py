"""The permit register: what the office issued, to whom, for how long, and how to check it."""

import secrets
from datetime import date, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from config.storage import private_storage
from licensing.models.applications import Application
from licensing.models.catalogue import PermitType
from licensing.models.people import Business, MemberRole
from licensing.roles import ADMINISTRATOR, HEAD_OF_OFFICE, in_group


class PermitState(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")
    SUPERSEDED = "superseded", _("Superseded")


P = PermitState
# A permit still in force, if perhaps suspended: it can expire, be revoked or be replaced.
IN_FORCE = [P.ACTIVE, P.SUSPENDED]


# Permissions for django-fsm: ``(permit, user)``; ``user is None`` is the system itself.


def is_office(permit: "Permit", user) -> bool:
    """The head of office and administrators suspend, reinstate and revoke permits."""
    return any(in_group(user, name) for name in (HEAD_OF_OFFICE, ADMINISTRATOR))


def is_holder_owner(permit: "Permit", user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return permit.holder.memberships.filter(user=user, role=MemberRole.OWNER).exists()


def is_system(permit: "Permit", user) -> bool:
    return user is None


# Conditions.


def past_end_date(permit: "Permit") -> bool:
    return permit.valid_until is not None and permit.valid_until < timezone.localdate()


def within_validity(permit: "Permit") -> bool:
    return not past_end_date(permit)


# A business may apply to renew a permit from this many days before it ends.
RENEWAL_WINDOW_DAYS = 60


def new_verification_code() -> str:
    return secrets.token_urlsafe(16)


def _stored_name(instance: "Permit", filename: str) -> str:
    return f"permits/{instance.issued_year}/{instance.pk}-{secrets.token_hex(8)}.pdf"


class Signer(models.Model):
    """The official who signs permits for the office (penandatangan), as printed on them.

    The active one signs new permits; a permit keeps the signer it was issued with.
    """

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200,
                             help_text=_("As printed above the name, e.g. Kepala DPMPTSP."))
    nip = models.CharField(_("NIP"), max_length=18, blank=True,
                           help_text=_("The civil servant's 18-digit number (NIP)."))
    is_active = models.BooleanField(_("signs new permits"), default=False)

    class Meta:
        verbose_name = _("signer")
        verbose_name_plural = _("signers")
        ordering = ["-is_active", "name"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True),
                                    name="one_active_signer")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.title})"


class Permit(ConcurrentTransitionMixin, models.Model):
    """A permit (izin) the office issued for an application.

    Created with its number before the PDF exists; ``file`` is set only once the signed PDF is
    stored, so a permit without a file is one still being issued.
    """

    number = models.CharField(_("permit number"), max_length=100, unique=True)
    application = models.OneToOneField(Application, on_delete=models.PROTECT,
                                       related_name="permit", verbose_name=_("application"))
    holder = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="permits",
                               verbose_name=_("holder"))
    permit_type = models.ForeignKey(PermitType, on_delete=models.PROTECT, related_name="permits",
                                    verbose_name=_("permit type"))
    signer = models.ForeignKey(Signer, on_delete=models.PROTECT,
                               related_name="permits", verbose_name=_("signer"))
    issued_year = models.PositiveSmallIntegerField(_("year of issue"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True, db_index=True,
                                   help_text=_("Empty: the permit does not expire."))
    # The nearest "ends in N days" notice already sent (``licensing.permits``).
    expiry_notice_days = models.PositiveSmallIntegerField(_("end notice sent (days before)"),
                                                          null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    state = FSMField(_("state"), max_length=20, choices=PermitState.choices,
                     default=PermitState.ACTIVE, protected=True, db_index=True)
    # Printed in the QR code: knowing the number alone is not enough to look a permit up.
    verification_code = models.CharField(max_length=32, unique=True,
                                         default=new_verification_code, editable=False)
    file = models.FileField(_("signed PDF"), storage=private_storage,
                            upload_to=_stored_name, max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    template_version = models.CharField(_("template version"), max_length=20, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Why the permit was last suspended, revoked or surrendered; every reason is also audited.
    state_reason = models.TextField(_("reason"), blank=True)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    superseded_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="supersedes", verbose_name=_("superseded by"))

    class Meta:
        verbose_name = _("permit")
        verbose_name_plural = _("permits")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number

    @property
    def is_stored(self) -> bool:
        return bool(self.file)

    def renewal_opens_on(self) -> date | None:
        if self.valid_until is None:
            return None
        return self.valid_until - timedelta(days=RENEWAL_WINDOW_DAYS)

    # The machine. Transition methods only change fields; ``licensing.permits`` locks, checks,
    # audits and schedules side effects.

    def _changed(self, reason: str = "") -> None:
        self.state_reason = reason
        self.state_changed_at = timezone.now()

    @transition(field=state, source=P.ACTIVE, target=P.SUSPENDED, permission=is_office)
    def suspend(self, *, reason: str):
        self._changed(reason)

    @transition(field=state, source=P.SUSPENDED, target=P.ACTIVE,
                conditions=[within_validity], permission=is_office)
    def reinstate(self, *, reason: str = ""):
        self._changed(reason)

    @transition(field=state, source=IN_FORCE, target=P.REVOKED, permission=is_office)
    def revoke(self, *, reason: str):
        self._changed(reason)

    @transition(field=state, source=IN_FORCE, target=P.REVOKED, permission=is_holder_owner)
    def surrender(self, *, reason: str):
        """The holder gives the permit up: revoked at once, at its owner's request."""
        self._changed(reason)

    @transition(field=state, source=IN_FORCE, target=P.EXPIRED,
                conditions=[past_end_date], permission=is_system)
    def expire(self):
        self._changed()

    @transition(field=state, source=IN_FORCE, target=P.SUPERSEDED, permission=is_system)
    def supersede(self, *, successor: "Permit"):
        self.superseded_by = successor
        self._changed()
