"""Fee rules are configured here (also inline on the permit type); invoices are read-only.

An issued SKRD never changes: corrections are a new invoice through ``payments.services``.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from licensing.formats import rupiah
from payments.models import FeeRule, Invoice, InvoiceLine, Payment, WebhookEvent
from workflows.admin import ReadOnlyAdmin

FEE_RULE_FIELDSETS = (
    (None, {"fields": (("position", "kind"), ("label_id", "label_en"), "account_code",
                       ("effective_from", "effective_to"))}),
    (_("Tariff"), {
        "description": _("Fill in what the kind uses: a flat amount; a rate and a field key "
                         "(optionally an index field and table); a rate and two field keys "
                         "(area × months); or a field key and brackets. Whole rupiah."),
        "fields": (("amount", "rate"), ("field_key", "second_field_key"),
                   ("index_field_key", "index_table"), "tiers"),
    }),
)


class FeeRuleInline(admin.StackedInline):
    """The tariff of a permit type, on its page (``licensing.admin.PermitTypeAdmin``)."""

    model = FeeRule
    extra = 0
    ordering = ["position", "effective_from"]
    fieldsets = FEE_RULE_FIELDSETS


@admin.register(FeeRule)
class FeeRuleAdmin(admin.ModelAdmin):
    list_display = ["permit_type", "position", "label_id", "kind", "account_code",
                    "effective_from", "effective_to"]
    list_filter = ["kind", "permit_type", "effective_from"]
    search_fields = ["label_id", "label_en", "account_code", "permit_type__code"]
    list_select_related = ["permit_type"]
    fieldsets = ((None, {"fields": ("permit_type",)}), *FEE_RULE_FIELDSETS)


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    fields = readonly_fields = ("position", "label_id", "basis_id", "account_code", "amount")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "application", "state", "total_display", "due_date",
                    "billing_code", "issued_at"]
    list_filter = ["state", "application__permit_type", "due_date"]
    search_fields = ["number", "billing_code", "application__reference",
                     "application__business__legal_name"]
    list_select_related = ["application"]
    date_hierarchy = "issued_at"
    fields = ["number", "state", "application", "billing_code", "issued_at", "due_date",
              "paid_at", "closed_at", "replaces", "total_display"]
    readonly_fields = fields
    inlines = [InvoiceLineInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("lines")

    @admin.display(description=_("total"))
    def total_display(self, obj: Invoice) -> str:
        return rupiah(obj.total)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    """Every attempt and what the gateway said; the ones flagged are the treasury's to resolve."""

    list_display = ["invoice", "attempt", "method", "state", "amount_display", "needs_review",
                    "review_reason", "created_at"]
    list_filter = ["state", "method", "needs_review", "review_reason"]
    search_fields = ["invoice__number", "checkout_session_id", "payment_intent_id"]
    list_select_related = ["invoice"]
    date_hierarchy = "created_at"

    @admin.display(description=_("amount"))
    def amount_display(self, obj: Payment) -> str:
        return rupiah(obj.amount)


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "type", "received_at", "processed_at", "attempts"]
    list_filter = ["type", "processed_at"]
    search_fields = ["event_id"]
    date_hierarchy = "received_at"
