import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from documents.storage import private_storage


def _stored_name(instance: "Attachment", filename: str) -> str:
    # The applicant's file name is kept only as text; on disk a file is named by a random id.
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}{filename}"


class Attachment(models.Model):
    """An uploaded file: evidence for a required document, or a site-inspection photo.
    Versions are kept: a replacement is a new row with a higher version."""

    application = models.ForeignKey(
        "licensing.Application", on_delete=models.PROTECT, related_name="attachments"
    )
    requirement = models.ForeignKey(
        "licensing.RequiredDocument", null=True, blank=True, on_delete=models.PROTECT,
        related_name="attachments",
    )
    review_task = models.ForeignKey(
        "workflows.ReviewTask", null=True, blank=True, on_delete=models.PROTECT,
        related_name="photos",
    )
    version = models.PositiveIntegerField(default=1)
    file = models.FileField(storage=private_storage, upload_to=_stored_name, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["requirement_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement", "version"],
                condition=models.Q(requirement__isnull=False),
                name="attachment_version_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.version})"


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
