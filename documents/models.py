import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.storage import private_storage


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
