"""The permit register: what the office issued, to whom, for how long, and how to check it."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from documents.storage import private_storage
from licensing.models.applications import Application
from licensing.models.catalogue import PermitType
from licensing.models.people import Business


class PermitState(models.TextChoices):
    # The register (suspend, revoke, expire, supersede) adds its states here.
    ACTIVE = "active", _("Active")


def new_verification_code() -> str:
    return secrets.token_urlsafe(16)


def _stored_name(instance: "Permit", filename: str) -> str:
    return f"permits/{instance.issued_year}/{instance.pk}-{secrets.token_hex(8)}.pdf"


class Permit(models.Model):
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
    signer = models.ForeignKey("documents.Signer", on_delete=models.PROTECT,
                               related_name="permits", verbose_name=_("signer"))
    issued_year = models.PositiveSmallIntegerField(_("year of issue"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True,
                                   help_text=_("Empty: the permit does not expire."))
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

    class Meta:
        verbose_name = _("permit")
        verbose_name_plural = _("permits")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number

    @property
    def is_stored(self) -> bool:
        return bool(self.file)
