from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events import services
from events.models import Delivery, Event, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["subscription", "state", "attempts", "last_status_code", "last_error",
              "next_attempt_at", "delivered_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The outbox, as written by the apps' ``outbound`` modules: read here, never edited."""

    list_display = ["topic", "object_type", "object_id", "sequence", "occurred_at"]
    list_filter = ["topic", "object_type"]
    search_fields = ["uid", "object_id"]
    date_hierarchy = "occurred_at"
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log. Read-only but for the redeliver action."""

    list_display = ["event", "subscription", "state", "attempts", "last_status_code",
                    "next_attempt_at", "delivered_at"]
    list_filter = ["state", "subscription", "event__topic"]
    search_fields = ["event__uid", "event__object_id"]
    list_select_related = ["event", "subscription"]
    readonly_fields = ["event", "subscription", "state", "attempts", "next_attempt_at",
                       "last_attempt_at", "last_status_code", "last_error", "delivered_at"]
    actions = ["redeliver"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Redeliver"), permissions=["change"])
    def redeliver(self, request, queryset):
        count = services.deliveries_redeliver(
            delivery_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, ngettext(
            "%(count)d delivery queued again.", "%(count)d deliveries queued again.", count,
        ) % {"count": count}, messages.SUCCESS)
