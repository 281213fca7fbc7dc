"""Forms of the applicant portal and the counter. They parse and check input; services write."""

import logging
import re

from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    BaseUserCreationForm,
    PasswordResetForm,
)
from django.core.exceptions import ValidationError
from django.forms.renderers import get_default_renderer
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from licensing import accounts, oss
from licensing.answers import answer_from_json, answer_to_json
from licensing.models import Business, FieldKind, FormField, Kecamatan, PermitType, User
from licensing.numbers import NumberField
from licensing.validators import digits_only, validate_kbli, validate_nib, validate_npwp

logger = logging.getLogger("izin.licensing")

# Accounts.


class SignupForm(BaseUserCreationForm):
    """Whether the address already has an account is not this form's to say (a stranger could
    learn who uses Izin): ``accounts.account_sign_up`` writes to that address instead."""

    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def validate_unique(self) -> None:
        """Not here: see the class."""


class EmailAuthenticationForm(AuthenticationForm):
    """Log in by e-mail; addresses are stored in lower case, people do not always type them so."""

    remember = forms.BooleanField(
        label=_("Stay signed in on this device"), required=False,
        help_text=_("Otherwise you are signed out when you close the browser. Staff are signed "
                    "out after 30 minutes without activity."),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class PasswordResetRequestForm(PasswordResetForm):
    """The link goes by ``accounts.password_reset_mail``: after commit, by a worker, in both
    languages."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None) -> None:
        path = reverse("password_reset_confirm", args=[context["uid"], context["token"]])
        accounts.password_reset_mail(user=context["user"],
                                     reset_url=settings.SITE_URL.rstrip("/") + path)


# Businesses.


class BusinessForm(forms.Form):
    legal_name = forms.CharField(label=_("Legal name"), max_length=255)
    nib = forms.CharField(
        label=_("NIB"), max_length=30,
        help_text=_("Business identification number from OSS: 13 digits."),
    )
    npwp = forms.CharField(
        label=_("NPWP"), max_length=30,
        help_text=_("Taxpayer number: 15 or 16 digits; dots and dashes are fine."),
    )
    street_address = forms.CharField(label=_("Street address"), max_length=300)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), choices=Kecamatan.choices)
    kelurahan = forms.CharField(label=_("Kelurahan"), max_length=100)
    kbli_codes = forms.CharField(
        label=_("KBLI codes"), max_length=300,
        help_text=_("The 5-digit KBLI codes of your activities, separated by commas."),
    )

    def clean_nib(self) -> str:
        # Whether the NIB is registered already is not said here: online, that registration
        # becomes a claim the office checks, and a stranger learns nothing of the business.
        nib = digits_only(self.cleaned_data["nib"])
        validate_nib(nib)
        return nib

    def clean_npwp(self) -> str:
        npwp = digits_only(self.cleaned_data["npwp"])
        validate_npwp(npwp)
        return npwp

    def clean_kbli_codes(self) -> list[str]:
        codes = list(dict.fromkeys(c for c in re.split(r"[,;\s]+", self.cleaned_data["kbli_codes"])
                                   if c))
        if not codes:
            raise ValidationError(_("Enter at least one KBLI code."))
        for code in codes:
            validate_kbli(code)
        return codes

    # What OSS holds for the NIB, once asked (None: OSS off, down, or the form not yet valid).
    oss_record: "oss.NibRecord | None" = None

    def clean(self):
        cleaned = super().clean()
        nib = cleaned.get("nib")
        if not nib or not oss.inquiry_enabled():
            return cleaned
        try:
            record = oss.nib_inquiry(nib)
        except oss.OssUnavailable:
            # OSS down must not stop a business from registering: the NIB passed its format
            # check, and OSS sends the business here (receiveNIB) once it is back, which
            # corrects what was typed. The lookup's failure is logged by the client.
            logger.warning("oss_lookup_skipped form=%s reason=unavailable",
                           type(self).__name__)
            return cleaned
        if record is None:
            self.add_error("nib", _("OSS has no business with this NIB. Check the number on the "
                                    "NIB issued at oss.go.id."))
            return cleaned
        npwp = cleaned.get("npwp")
        if npwp and not _same_npwp(npwp, record.npwp):
            # Knowing the NPWP that goes with the NIB is the little proof of holding the
            # business's papers that a form can ask for; the NPWP held is not shown.
            self.add_error("npwp", _("This is not the NPWP that OSS holds for this NIB."))
            return cleaned
        # OSS's name, not the typed one: the registry that issued the NIB is the authority on
        # whose it is, and a typed name differs from it by punctuation and capitals far more
        # often than by intent. Refusing those would send honest people round in circles;
        # someone else's NIB is caught by the NPWP above and by the claims of a NIB already
        # registered here. The page says which name was used.
        cleaned["legal_name"] = record.legal_name
        self.oss_record = record
        return cleaned


def _same_npwp(typed: str, held: str) -> bool:
    """The 16-digit NPWP of 2024 is the 15-digit one with a leading zero."""
    return typed.zfill(16) == held.zfill(16)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to invite"))


# Applications.


class ApplicationStartForm(forms.Form):
    business = forms.ModelChoiceField(
        label=_("Apply for"), queryset=Business.objects.none(), widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args, businesses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business"].queryset = businesses
        if len(businesses) == 1:
            self.fields["business"].initial = businesses[0]


class AddressWidget(forms.MultiWidget):
    """Each part has a label of its own, above it (a placeholder, gone once typed in, named them
    before); the field's label is the legend of their fieldset (licensing/includes/form.html)."""

    part_labels = (_("Street and number"), _("Kelurahan"), _("Kecamatan"))

    def __init__(self, attrs=None):
        super().__init__(
            [forms.TextInput(), forms.TextInput(),
             forms.Select(choices=[("", "—"), *Kecamatan.choices])],
            attrs,
        )

    def render(self, name, value, attrs=None, renderer=None):
        renderer = renderer or get_default_renderer()
        parts = self.get_context(name, value, attrs)["widget"]["subwidgets"]
        return format_html_join(
            "", '<div class="address-part"><label for="{}">{}</label>{}</div>',
            ((part["attrs"].get("id", ""), label,
              # As Widget.render marks it: Django's own widget template, which escapes.
              mark_safe(renderer.render(part["template_name"], {"widget": part})))  # noqa: S308
             for part, label in zip(parts, self.part_labels, strict=True)),
        )

    def decompress(self, value):
        if not value:
            return [None, None, None]
        return [value.get("street"), value.get("kelurahan"), value.get("kecamatan")]


class AddressField(forms.MultiValueField):
    """An address in Pekanbaru: street, kelurahan, kecamatan. All three, or none in a draft."""

    widget = AddressWidget

    def __init__(self, **kwargs):
        super().__init__(
            fields=[
                forms.CharField(max_length=300),
                forms.CharField(max_length=100),
                forms.ChoiceField(choices=Kecamatan.choices),
            ],
            require_all_fields=False,
            error_messages={"incomplete": _("Enter the street, kelurahan and kecamatan.")},
            **kwargs,
        )

    def compress(self, data_list):
        if not data_list:
            return None
        street, kelurahan, kecamatan = data_list
        return {"street": street, "kelurahan": kelurahan, "kecamatan": kecamatan}


def _plain(limit):
    """60.00 reads as 60 in an error message; 2.50 stays 2.5."""
    return None if limit is None else limit.normalize() + 0


def _form_field(field: FormField) -> forms.Field:
    # Nothing is required while the draft is saved; completeness is checked at submission,
    # which lists what is still missing.
    common = {"label": field.label, "required": False}
    if field.kind == FieldKind.NUMBER:
        return NumberField(
            min_value=_plain(field.min_value), max_value=_plain(field.max_value), max_digits=14,
            decimal_places=2,
            help_text=field.unit_label, **common,
        )
    if field.kind == FieldKind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               **common)
    if field.kind == FieldKind.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *field.choice_pairs()], **common)
    if field.kind == FieldKind.ADDRESS:
        return AddressField(**common)
    return forms.CharField(max_length=1000, **common)


class AnswersForm(forms.Form):
    """The application form of a permit type, built from its configured fields."""

    def __init__(self, *args, permit_type: PermitType, answers: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_fields = list(permit_type.form_fields.all())
        for field in self.form_fields:
            form_field = _form_field(field)
            form_field.is_mandatory = field.required
            form_field.initial = answer_from_json(field.kind, answers.get(field.key))
            self.fields[field.key] = form_field

    def answers(self) -> dict:
        values = {
            field.key: answer_to_json(field.kind, self.cleaned_data.get(field.key))
            for field in self.form_fields
        }
        return {key: value for key, value in values.items() if value is not None}


class NoteForm(forms.Form):
    """An optional note with a resubmission or a withdrawal; it goes into the audit trail."""

    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


# The counter.


class NibLookupForm(forms.Form):
    nib = forms.CharField(label=_("NIB of the business"), max_length=30)

    def clean_nib(self) -> str:
        nib = digits_only(self.cleaned_data["nib"])
        validate_nib(nib)
        return nib


class CounterBusinessForm(BusinessForm):
    """The online registration form, filled in by the clerk, with whom to invite as owner."""

    owner_email = forms.EmailField(
        label=_("Owner's e-mail address"),
        help_text=_("The owner receives an invitation to act for the business in Izin."),
    )

    def __init__(self, *args, **kwargs):
        # It shares the counter page with the NIB lookup: its own ids keep the labels apart.
        kwargs.setdefault("auto_id", "register_%s")
        super().__init__(*args, **kwargs)
        self.fields["kbli_codes"].help_text = _(
            "The 5-digit KBLI codes of the business's activities, separated by commas."
        )

    def clean_nib(self) -> str:
        # The clerk may know: the counter shows registered businesses with their owners.
        nib = super().clean_nib()
        if Business.objects.filter(nib=nib).exists():
            raise ValidationError(_("A business with this NIB is already registered."))
        return nib

    def clean_owner_email(self) -> str:
        return self.cleaned_data["owner_email"].strip().lower()


class CounterClaimForm(forms.Form):
    """A walk-in person says a registered NIB is theirs: the clerk records the claim."""

    business = forms.ModelChoiceField(queryset=Business.objects.all(), widget=forms.HiddenInput)
    claimant_email = forms.EmailField(
        label=_("Claimant's e-mail address"),
        help_text=_("The office contacts the claimant here; they need no account yet."),
    )
    claimant_name = forms.CharField(label=_("Claimant's name"), max_length=200)
    note = forms.CharField(
        label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the person says the NIB is theirs, and what they showed."),
    )

    def __init__(self, *args, **kwargs):
        # It shares the counter page with the NIB lookup: its own ids keep the labels apart.
        kwargs.setdefault("auto_id", "claim_%s")
        super().__init__(*args, **kwargs)

    def clean_claimant_email(self) -> str:
        return self.cleaned_data["claimant_email"].strip().lower()


class ClaimReasonForm(forms.Form):
    """Why the head of office freezes, unfreezes, reassigns or rejects; it goes into the audit."""

    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class CounterApplicationForm(forms.Form):
    business = forms.ModelChoiceField(queryset=Business.objects.all(), widget=forms.HiddenInput)
    permit_type = forms.ModelChoiceField(
        label=_("Permit"), queryset=PermitType.objects.filter(is_active=True),
    )
