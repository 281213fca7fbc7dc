"""The sandbox's records for developers and testers: the webhook delivery log above all."""

from functools import partial

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import checkout, refunds
from .errors import ApiError
from .models import (
    BalanceTransaction,
    CheckoutSession,
    Event,
    PaymentIntent,
    Payout,
    Refund,
    WebhookDelivery,
)
from .tasks import deliver_webhook


class ReadOnly(admin.ModelAdmin):
    """The gateway's records change only through its API and pages, as at a real gateway."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnly):
    list_display = ["event", "event_type", "url", "status", "attempts", "last_status_code",
                    "next_attempt_at", "delivered_at"]
    list_filter = ["status"]
    search_fields = ["event__id", "event__type"]
    readonly_fields = ["last_error"]
    actions = ["deliver_now"]

    @admin.display(description=_("event type"))
    def event_type(self, delivery):
        return delivery.event.type

    @admin.action(description=_("Deliver the selected webhooks now"))
    def deliver_now(self, request, queryset):
        ids = list(queryset.exclude(status=WebhookDelivery.Status.SUCCEEDED)
                   .values_list("pk", flat=True))
        # After commit: the receiver may be this server, and must not wait on our transaction.
        for delivery_id in ids:
            transaction.on_commit(partial(deliver_webhook.delay, delivery_id))
        messages.info(request, _("%(count)d deliveries queued.") % {"count": len(ids)})


@admin.register(CheckoutSession)
class CheckoutSessionAdmin(ReadOnly):
    list_display = ["id", "created", "status", "payment_status", "amount_total",
                    "client_reference_id"]
    list_filter = ["status", "payment_status"]
    search_fields = ["id", "client_reference_id"]


@admin.register(PaymentIntent)
class PaymentIntentAdmin(ReadOnly):
    list_display = ["id", "created", "status", "method", "amount", "amount_received"]
    list_filter = ["status", "method"]
    search_fields = ["id"]
    actions = ["simulate_bank_payment"]

    @admin.action(description=_("Simulate the bank's payment"))
    def simulate_bank_payment(self, request, queryset):
        for intent in queryset:
            try:
                checkout.payment_intent_simulate_payment(intent_id=intent.id)
            except ApiError as error:
                messages.warning(request, f"{intent.id}: {error.message}")


@admin.register(Refund)
class RefundAdmin(ReadOnly):
    list_display = ["id", "created", "payment_intent", "amount", "status"]
    list_filter = ["status"]
    actions = ["settle"]

    @admin.action(description=_("Settle the selected pending refunds"))
    def settle(self, request, queryset):
        for refund in queryset:
            try:
                refunds.refund_settle(refund_id=refund.id)
            except ApiError as error:
                messages.warning(request, f"{refund.id}: {error.message}")


@admin.register(BalanceTransaction)
class BalanceTransactionAdmin(ReadOnly):
    list_display = ["id", "created", "type", "amount", "fee", "net", "available_on", "payout"]
    list_filter = ["type"]
    search_fields = ["id", "source", "payout__id"]


@admin.register(Payout)
class PayoutAdmin(ReadOnly):
    list_display = ["id", "for_date", "amount", "currency", "status"]


@admin.register(Event)
class EventAdmin(ReadOnly):
    list_display = ["id", "created", "type"]
    list_filter = ["type"]
    search_fields = ["id"]
