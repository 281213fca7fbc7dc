"""Fee rules: the tariff of a permit type's levy, configured by administrators in the admin."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from licensing.i18n import localized
from licensing.models import FieldKind, PermitType
from payments.fees import FeeKind, in_force, index_table_problems, tier_problems

# What each kind reads; every other setting must be left empty, so a rule says what it does.
SETTINGS = ("amount", "rate", "field_key", "second_field_key", "index_field_key", "index_table",
            "tiers")
NEEDS = {
    FeeKind.FLAT: {"amount"},
    FeeKind.PER_UNIT: {"rate", "field_key"},
    FeeKind.AREA_MONTHS: {"rate", "field_key", "second_field_key"},
    FeeKind.TIERED: {"field_key", "tiers"},
}
MAY = {FeeKind.PER_UNIT: {"index_field_key", "index_table"}}


class FeeRule(models.Model):
    """One line of a permit type's levy (retribusi), in whole rupiah.

    Rules are priced on the day the bill (SKRD) is issued and copied onto it, so a new tariff is a
    new rule with a later ``effective_from`` (closing the old one with ``effective_to``) and never
    changes a bill already issued. The arithmetic lives in ``payments.fees``.
    """

    permit_type = models.ForeignKey(PermitType, on_delete=models.CASCADE,
                                    related_name="fee_rules", verbose_name=_("permit type"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label_id = models.CharField(_("label (Indonesian)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=FeeKind.choices)
    amount = models.BigIntegerField(
        _("amount (Rp)"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Flat amount: whole rupiah."),
    )
    rate = models.BigIntegerField(
        _("rate (Rp per unit)"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Whole rupiah per unit of the answer (per m², per m² per month)."),
    )
    field_key = models.SlugField(
        _("field key"), max_length=50, blank=True,
        help_text=_("The number field the fee is counted on, e.g. floor_area."),
    )
    second_field_key = models.SlugField(
        _("second field key"), max_length=50, blank=True,
        help_text=_("Area × months: the number field multiplied with the first, e.g. duration."),
    )
    index_field_key = models.SlugField(
        _("index field key"), max_length=50, blank=True,
        help_text=_("Optional, rate per unit: a choice field whose answer picks an index, e.g. "
                    "building_function."),
    )
    index_table = models.JSONField(
        _("index table"), default=dict, blank=True,
        help_text=_('The index for each choice, e.g. {"hunian": "1.00", "usaha": "1.50"}.'),
    )
    tiers = models.JSONField(
        _("brackets"), default=list, blank=True,
        help_text=_('Brackets on the answer, lowest first; the last one open-ended: '
                    '[{"up_to": 100, "amount": 500000}, {"up_to": null, "rate": 5000}].'),
    )
    account_code = models.CharField(
        _("revenue account code"), max_length=30,
        validators=[RegexValidator(
            r"^\d+(\.\d+){3,6}$",
            _("Write the revenue account code as numbers separated by dots, e.g. "
              "4.1.02.03.01.0001."),
        )],
        help_text=_("The city's revenue account (kode rekening) the treasury books this line "
                    "to."),
    )
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(
        _("in force until"), null=True, blank=True,
        help_text=_("The last day this tariff applies. Leave empty while it is current."),
    )

    class Meta:
        verbose_name = _("fee rule")
        verbose_name_plural = _("fee rules")
        ordering = ["permit_type", "position", "effective_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="fee_rule_period_in_order",
            ),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gt=0),
                                   name="fee_rule_amount_positive"),
            models.CheckConstraint(condition=Q(rate__isnull=True) | Q(rate__gt=0),
                                   name="fee_rule_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.permit_type.code}: {self.label}"

    @property
    def label(self) -> str:
        return localized(self, "label")

    def clean(self) -> None:
        errors: dict[str, list] = {}

        def add(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            add("effective_to", _("The last day cannot be before the first day."))
        if self.kind in NEEDS:
            self._validate_settings(add)
            self._validate_field_keys(add)
            self._validate_no_overlap(add)
        if errors:
            raise ValidationError(errors)

    def _validate_settings(self, add) -> None:
        needed, allowed = NEEDS[self.kind], NEEDS[self.kind] | MAY.get(self.kind, set())
        kind = FeeKind(self.kind).label
        for name in SETTINGS:
            given = getattr(self, name) not in (None, "", {}, [])
            if name in needed and not given:
                add(name, _("Required for the kind “%(kind)s”.") % {"kind": kind})
            elif name not in allowed and given:
                add(name, _("Leave this empty for the kind “%(kind)s”.") % {"kind": kind})
        if bool(self.index_field_key) != bool(self.index_table):
            add("index_table", _("Give both the index field key and the index table, or "
                                 "neither."))
        if self.kind == FeeKind.TIERED and self.tiers:
            for problem in tier_problems(self.tiers):
                add("tiers", problem)
        if self.index_table:
            for problem in index_table_problems(self.index_table):
                add("index_table", problem)

    def _validate_field_keys(self, add) -> None:
        """The keys must name fields of this permit type, of the right kind."""
        if not self.permit_type_id:
            return
        fields = {f.key: f for f in self.permit_type.form_fields.all()}
        for name in ("field_key", "second_field_key"):
            key = getattr(self, name)
            if key and (key not in fields or fields[key].kind != FieldKind.NUMBER):
                add(name, _("This permit type has no number field with the key “%(key)s”.")
                    % {"key": key})
        key = self.index_field_key
        if key and (key not in fields or fields[key].kind != FieldKind.CHOICE):
            add("index_field_key", _("This permit type has no choice field with the key "
                                     "“%(key)s”.") % {"key": key})
        elif key and isinstance(self.index_table, dict):
            choices = {c.get("value") for c in fields[key].choices or [] if isinstance(c, dict)}
            missing = sorted(choices - set(self.index_table))
            unknown = sorted(set(self.index_table) - choices)
            if missing:
                add("index_table", _("Give an index for every choice; missing: %(choices)s.")
                    % {"choices": ", ".join(missing)})
            if unknown:
                add("index_table", _("These are not choices of the field: %(choices)s.")
                    % {"choices": ", ".join(unknown)})

    def _validate_no_overlap(self, add) -> None:
        """A new tariff for the same line must close the old one first, or both would be billed."""
        if not (self.permit_type_id and self.effective_from and self.label_id):
            return
        same_line = FeeRule.objects.filter(permit_type_id=self.permit_type_id,
                                           label_id=self.label_id).exclude(pk=self.pk)
        for other in same_line:
            if in_force(other, self.effective_from) or in_force(self, other.effective_from):
                add("effective_from", _(
                    "Another rule with this label is in force from %(start)s; set its last day "
                    "before this one starts."
                ) % {"start": formats.date_format(other.effective_from, "j F Y")})
                return
