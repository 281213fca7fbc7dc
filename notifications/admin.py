from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications import services
from notifications.models import Delivery, DeliveryState, Notification, Preference


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "state", "attempts", "last_error", "created_at", "sent_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What people were told. Written by ``notify``; read here, never edited."""

    list_display = ["recipient", "kind", "subject", "created_at", "read_at"]
    list_filter = ["kind", "language"]
    search_fields = ["event_key"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["notification", "channel", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["channel", "state"]
    search_fields = ["notification__event_key"]
    list_select_related = ["notification"]
    readonly_fields = ["notification", "channel", "address", "state", "attempts", "last_error",
                       "created_at", "due_at", "sent_at"]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again (failed deliveries)"), permissions=["change"])
    def send_again(self, request, queryset):
        resent = sum(services.delivery_resend(delivery=delivery)
                     for delivery in queryset.filter(state=DeliveryState.FAILED))
        self.message_user(request, ngettext(
            "%(count)d delivery queued again.", "%(count)d deliveries queued again.", resent,
        ) % {"count": resent}, messages.SUCCESS)


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "email", "sms", "whatsapp", "updated_at"]
    list_filter = ["language", "email", "sms", "whatsapp"]
    search_fields = ["user__email"]
    readonly_fields = ["user", "updated_at"]

    def has_add_permission(self, request):
        return False
