"""The monthly evaluation (evaluasi bulanan): one report per month, its signed PDF and its CSV
kept; and who receives it by e-mail."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from config.storage import private_storage


def _stored_name(instance: "MonthlyReport", filename: str) -> str:
    return f"evaluation/{instance.month:%Y-%m}/{filename}"


class MonthlyReport(models.Model):
    month = models.DateField(_("month"), unique=True, help_text=_("Its first day."))
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    # The figures as computed, kept: the PDF, the CSV and the page show the same numbers.
    figures = models.JSONField(_("figures"), default=dict)
    pdf = models.FileField(_("signed PDF"), storage=private_storage, upload_to=_stored_name,
                           max_length=300, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    csv = models.FileField(_("CSV"), storage=private_storage, upload_to=_stored_name,
                           max_length=300, blank=True)
    sent_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly evaluation")
        verbose_name_plural = _("monthly evaluations")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class ReportRecipient(models.Model):
    """Someone the administrator names to receive each monthly evaluation by e-mail."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), unique=True)
    active = models.BooleanField(_("receives the report"), default=True)

    class Meta:
        verbose_name = _("evaluation recipient")
        verbose_name_plural = _("evaluation recipients")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
