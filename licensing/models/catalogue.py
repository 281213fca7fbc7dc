"""The permit catalogue, configured by administrators in the Django admin."""

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from licensing.i18n import localized


class RiskLevel(models.TextChoices):
    """Risk levels of PP 5/2021 (risk-based licensing)."""

    LOW = "low", _("Low")
    MEDIUM_LOW = "medium_low", _("Medium-low")
    MEDIUM_HIGH = "medium_high", _("Medium-high")
    HIGH = "high", _("High")


class PaymentTiming(models.TextChoices):
    BEFORE_REVIEW = "before_review", _("Before review")
    AFTER_APPROVAL = "after_approval", _("After approval")
    NEVER = "never", _("Free of charge")


class FileFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"


class PermitType(models.Model):
    """A kind of permit the office issues (jenis izin), with everything an application needs."""

    code = models.CharField(
        _("code"), max_length=12, unique=True,
        validators=[
            RegexValidator(r"^[A-Z][A-Z0-9]{1,11}$", _("Use 2-12 capital letters or digits."))
        ],
        help_text=_("Short code, also the prefix of application reference numbers (e.g. PBG)."),
    )
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    risk_level = models.CharField(_("risk level"), max_length=12, choices=RiskLevel.choices)
    validity_months = models.PositiveIntegerField(
        _("validity in months"), null=True, blank=True,
        help_text=_("Leave empty for a permit that does not expire."),
    )
    payment_timing = models.CharField(
        _("payment"), max_length=16, choices=PaymentTiming.choices, default=PaymentTiming.NEVER
    )
    payment_due_days = models.PositiveIntegerField(
        _("days to pay"), default=7, validators=[MinValueValidator(1)]
    )
    number_pattern = models.CharField(
        _("permit number pattern"), max_length=100,
        default="{code}/{seq:05d}/DPMPTSP/{year}",
        help_text=_("Placeholders: {code}, {seq}, {year}. Numbers are gap-free per type and year."),
    )
    is_active = models.BooleanField(_("open for applications"), default=True)
    # The legal service standard (standar pelayanan), counted by ``workflows.calendar``.
    service_standard_days = models.PositiveSmallIntegerField(
        _("service standard (working days)"), default=10, validators=[MinValueValidator(1)],
        help_text=_("Working days from a complete application to the decision; shown in the "
                    "catalogue."),
    )
    correction_days = models.PositiveSmallIntegerField(
        _("days to make requested changes (working days)"), default=10,
        validators=[MinValueValidator(1)],
        help_text=_("After this, an application sent back for changes lapses."),
    )
    approved_by_law = models.BooleanField(
        _("approved by operation of law (fiktif positif)"), default=True,
        help_text=_("When the service standard passes without a decision, the application is "
                    "approved by operation of law."),
    )
    # The regulation that sets the levy, as the service standard must name it (shown on the
    # public standard and the catalogue). Empty for a free permit.
    fee_legal_basis = models.CharField(
        _("legal basis of the levy"), max_length=300, blank=True,
        help_text=_("The regional regulation (Perda) and article that set this levy."),
    )
    approved_by_law_basis = models.CharField(
        _("legal basis of approval by operation of law"), max_length=300,
        default="Pasal 53 Undang-Undang Nomor 30 Tahun 2014 tentang Administrasi Pemerintahan "
                "sebagaimana diubah dengan Undang-Undang Nomor 6 Tahun 2023",
    )

    class Meta:
        verbose_name = _("permit type")
        verbose_name_plural = _("permit types")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def is_free(self) -> bool:
        return self.payment_timing == PaymentTiming.NEVER

    def format_permit_number(self, *, seq: int, year: int) -> str:
        return self.number_pattern.format(code=self.code, seq=seq, year=year)


class RequiredDocument(models.Model):
    """A document an applicant uploads for a permit type (persyaratan)."""

    permit_type = models.ForeignKey(
        PermitType, on_delete=models.CASCADE, related_name="required_documents",
        verbose_name=_("permit type"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    accepted_formats = models.JSONField(
        _("accepted formats"), default=list,
        help_text=_("Any of: pdf, jpeg, png."),
    )
    max_size_kb = models.PositiveIntegerField(
        _("maximum size (KB)"), default=5120, validators=[MinValueValidator(1)]
    )
    mandatory = models.BooleanField(_("mandatory"), default=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["permit_type", "position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        unknown = set(self.accepted_formats or []) - set(FileFormat.values)
        if unknown or not self.accepted_formats:
            raise ValidationError(
                {"accepted_formats": _("Choose one or more of: pdf, jpeg, png.")}
            )


class FieldKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number with unit")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice")
    ADDRESS = "address", _("Address")


class FormField(models.Model):
    """A typed question on the application form of a permit type."""

    permit_type = models.ForeignKey(
        PermitType, on_delete=models.CASCADE, related_name="form_fields",
        verbose_name=_("permit type"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    key = models.SlugField(
        _("key"), max_length=50,
        help_text=_("Stable identifier used by fee rules and documents, e.g. floor_area."),
    )
    label_id = models.CharField(_("label (Indonesian)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=FieldKind.choices)
    unit = models.CharField(_("unit (Indonesian)"), max_length=20, blank=True,
                            help_text=_("e.g. m², lantai, bulan"))
    unit_en = models.CharField(
        _("unit (English)"), max_length=20, blank=True,
        help_text=_("e.g. floors, months; leave empty when it is written the same (m²)."),
    )
    choices = models.JSONField(
        _("choices"), default=list, blank=True,
        help_text=_('For choice fields: a list of {"value", "label_id", "label_en"}.'),
    )
    required = models.BooleanField(_("required"), default=True)
    min_value = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        ordering = ["permit_type", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["permit_type", "key"], name="form_field_key_per_type")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label")

    @property
    def unit_label(self) -> str:
        """The unit in the reader's language; a unit written alike in both (m²) is entered once,
        so the Indonesian one stands in for an empty English one."""
        if (get_language() or "id")[:2] == "en" and self.unit_en:
            return self.unit_en
        return self.unit

    def choice_pairs(self) -> list[tuple[str, str]]:
        return [(c["value"], localized_choice(c)) for c in self.choices or []]


def localized_choice(choice: dict) -> str:
    if (get_language() or "id")[:2] == "en" and choice.get("label_en"):
        return choice["label_en"]
    return choice.get("label_id") or choice["value"]
