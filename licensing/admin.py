"""The Django admin: where administrators configure the catalogue and manage people.

Applications are read-only here. Their state is protected and moves only through
``licensing.services.application_transition``, which the admin must not bypass.
"""

import logging

from axes.utils import reset as axes_reset
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from licensing import two_factor
from licensing.answers import answer_display
from licensing.models import (
    Application,
    Business,
    BusinessMembership,
    FieldKind,
    FileFormat,
    FormField,
    NibClaim,
    Permit,
    PermitType,
    RequiredDocument,
    Signer,
    User,
)
from payments.admin import FeeRuleInline
from workflows.admin import ReadOnlyAdmin, ReviewStepInline, StateLabels, UnitName
from workflows.models import ReviewTask, TransitionLog

logger = logging.getLogger("izin.accounts")

# The catalogue.


class RequiredDocumentForm(forms.ModelForm):
    accepted_formats = forms.MultipleChoiceField(
        label=_("accepted formats"), choices=FileFormat.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = RequiredDocument
        fields = ("position", "name_id", "name_en", "accepted_formats", "max_size_kb",
                  "mandatory")


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    form = RequiredDocumentForm
    extra = 0
    fields = ("position", "name_id", "name_en", "accepted_formats", "max_size_kb", "mandatory")


class FormFieldForm(forms.ModelForm):
    class Meta:
        model = FormField
        fields = ("position", "key", "kind", "required", "label_id", "label_en", "unit",
                  "unit_en", "min_value", "max_value", "choices")

    def clean(self):
        cleaned = super().clean()
        choices = cleaned.get("choices") or []
        if cleaned.get("kind") == FieldKind.CHOICE:
            if not choices:
                self.add_error("choices", _("A choice field needs at least one choice."))
            elif not all(
                isinstance(c, dict) and c.get("value") and c.get("label_id") for c in choices
            ):
                self.add_error(
                    "choices", _('Each choice needs a "value" and a "label_id".')
                )
        return cleaned


class FormFieldInline(admin.StackedInline):
    model = FormField
    form = FormFieldForm
    extra = 0
    fieldsets = (
        (None, {"fields": (("position", "key", "kind", "required"), ("label_id", "label_en"),
                           ("unit", "unit_en"), ("min_value", "max_value"), "choices")}),
    )


@admin.register(PermitType)
class PermitTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_id", "name_en", "risk_level", "payment_timing",
                    "validity_months", "is_active")
    list_filter = ("risk_level", "payment_timing", "is_active")
    search_fields = ("code", "name_id", "name_en")
    save_on_top = True
    fieldsets = (
        (None, {"fields": ("code", "risk_level", "is_active")}),
        (_("Names and descriptions"), {"fields": (("name_id", "name_en"),
                                                  ("description_id", "description_en"))}),
        (_("Permit"), {"fields": ("validity_months", "number_pattern")}),
        (_("Payment"), {"fields": ("payment_timing", "payment_due_days", "fee_legal_basis")}),
    )
    inlines = (RequiredDocumentInline, FormFieldInline, ReviewStepInline, FeeRuleInline)

    def get_readonly_fields(self, request, obj=None):
        # The code prefixes the references already given out; renaming it would orphan them.
        if obj is not None and obj.applications.exists():
            return ("code",)
        return ()


# Businesses and people.


class CommaSeparatedListField(forms.CharField):
    """A list of short codes typed as ``56101, 56210``."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        return [part.strip() for part in value.split(",") if part.strip()]


class BusinessForm(forms.ModelForm):
    kbli_codes = CommaSeparatedListField(
        label=_("KBLI codes"), help_text=_("5-digit codes separated by commas, e.g. 56101, 56210.")
    )

    class Meta:
        model = Business
        fields = ("legal_name", "nib", "npwp", "street_address", "kecamatan", "kelurahan",
                  "kbli_codes")


class BusinessMembershipInline(admin.TabularInline):
    model = BusinessMembership
    extra = 0
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    form = BusinessForm
    list_display = ("legal_name", "nib", "npwp", "kecamatan", "kelurahan", "created_at",
                    "registered_at_counter_by", "state")
    list_filter = ("kecamatan", "state")
    list_select_related = ("registered_at_counter_by",)
    search_fields = ("legal_name", "nib", "npwp")
    fields = ("legal_name", ("nib", "npwp"), "street_address", ("kecamatan", "kelurahan"),
              "kbli_codes", ("responsible_person_name", "responsible_person_role"),
              ("created_at", "registered_at_counter_by", "oss_received_at"),
              ("state", "frozen_at", "frozen_reason"))
    # Freezing goes through ``licensing.claims`` (audited), never through this form; what OSS
    # sent changes with OSS (``licensing.oss``).
    readonly_fields = ("created_at", "registered_at_counter_by", "state", "frozen_at",
                       "frozen_reason", "responsible_person_name", "responsible_person_role",
                       "oss_received_at")
    inlines = (BusinessMembershipInline,)


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("A user with this e-mail address already exists."))
        return email


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("email", "password", "full_name", "is_active", "is_staff", "is_superuser",
                  "groups", "user_permissions", "last_login", "date_joined")
        field_classes = {}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin for a user who logs in by e-mail and has one full name."""

    form = UserEditForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name",)}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups",
                                       "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined", "email_verified_at")}),
    )
    readonly_fields = ("email_verified_at",)
    actions = ["unlock_sign_in", "reset_second_factor"]
    add_fieldsets = (
        (None, {"classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2")}),
    )
    list_display = ("email", "full_name", "is_staff", "is_superuser", "is_active")
    search_fields = ("email", "full_name")
    ordering = ("email",)

    @admin.action(description=_("Unlock sign-in (after too many wrong passwords)"))
    def unlock_sign_in(self, request, queryset):
        for user in queryset:
            axes_reset(username=user.email)
            logger.info("sign_in_unlocked user_id=%s by_user_id=%s", user.pk, request.user.pk)
        self.message_user(request, _("Sign-in unlocked for %(count)d account(s). A locked "
                                     "address unlocks by itself after the cool-off time.")
                          % {"count": queryset.count()})

    @admin.action(description=_("Reset the second factor (lost phone and recovery codes)"))
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            two_factor.turn_off(user=user)
            logger.info("second_factor_reset user_id=%s by_user_id=%s", user.pk,
                        request.user.pk)
        self.message_user(request, _("The second factor of %(count)d account(s) is removed: "
                                     "staff set a new one up at their next sign-in.")
                          % {"count": queryset.count()})


# Applications: read-only.


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReviewTaskInline(UnitName, ReadOnlyInline):
    model = ReviewTask
    fields = readonly_fields = ("step", "unit", "state", "is_current", "due_at", "assignee",
                                "decided_by", "decided_at", "message")


class AuditEntryInline(StateLabels, ReadOnlyInline):
    model = TransitionLog
    verbose_name_plural = _("audit trail")
    fields = readonly_fields = ("created_at", "transition", "source_label", "target_label",
                                "actor", "note")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Look, never touch: state changes go through the services, which lock, check and log."""

    list_display = ("reference", "business", "permit_type", "state", "submitted_at",
                    "filed_at_counter")
    list_filter = ("state", "permit_type", "filed_at_counter")
    list_select_related = ("business", "permit_type")
    search_fields = ("reference", "business__nib", "business__legal_name")
    date_hierarchy = "created_at"
    fields = ("reference", "state", "permit_type", "business", "filed_at_counter", "created_by",
              "created_at", "submitted_at", "decided_at", "paid_at", "issued_at",
              "answers_display")
    readonly_fields = fields
    inlines = (ReviewTaskInline, AuditEntryInline)

    @admin.display(description=_("answers"))
    def answers_display(self, obj: Application):
        rows = [
            (field.label, answer_display(field, obj.answers.get(field.key)))
            for field in obj.permit_type.form_fields.all()
        ]
        return format_html_join("", "<div><strong>{}</strong>: {}</div>", rows) or "—"


@admin.register(Permit)
class PermitAdmin(ReadOnlyAdmin):
    list_display = ("number", "holder", "permit_type", "state", "valid_from", "valid_until",
                    "signed_at")
    list_filter = ("state", "permit_type")
    search_fields = ("number", "holder__legal_name", "holder__nib")
    exclude = ("verification_code",)


@admin.register(Signer)
class SignerAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "nip", "is_active")
    list_filter = ("is_active",)


# NIB claims: read-only; the head of office decides them on the claim's page (audited).


@admin.register(NibClaim)
class NibClaimAdmin(ReadOnlyAdmin):
    list_display = ("business", "claimant_email", "claimant", "recorded_at_counter_by", "state",
                    "created_at", "decided_by", "decided_at")
    list_filter = ("state",)
    list_select_related = ("business", "claimant", "recorded_at_counter_by", "decided_by")
    search_fields = ("business__nib", "business__legal_name", "claimant_email")
    date_hierarchy = "created_at"
