from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events import services, shapes
from events.models import Delivery, Event, Subscription
from events.topics import TOPICS


def _shape_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in shapes.names()]


def _https_first(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class SubscriptionForm(forms.ModelForm):
    """Offers the shapes the installed apps registered, and refuses topics a shape cannot
    render: a subscription saved here never fails for its set-up."""

    # Callable: the apps register their shapes in ready(), after this module is imported.
    shape = forms.ChoiceField(label=_("shape"), choices=_shape_choices, initial=shapes.JSON,
                              help_text=Subscription._meta.get_field("shape").help_text)

    class Meta:
        model = Subscription
        fields = ["name", "url", "topics", "shape", "secret_name", "active"]
        # The admin passes its own (with the same default); this one serves the form alone.
        formfield_callback = _https_first

    def clean_topics(self):
        chosen = self.cleaned_data.get("topics") or []
        if not isinstance(chosen, list) or not all(isinstance(t, str) for t in chosen):
            raise forms.ValidationError(_("Give the topics as a list of names, or [] for all."))
        if unknown := [topic for topic in chosen if topic not in TOPICS]:
            raise forms.ValidationError(_("Unknown topics: %(topics)s.")
                                        % {"topics": ", ".join(unknown)})
        return chosen

    def clean(self):
        cleaned = super().clean()
        shape = shapes.get(cleaned.get("shape") or "")
        if shape is None or not shape.topics or "topics" in self.errors:
            return cleaned
        renders = ", ".join(shape.topics)
        chosen = cleaned.get("topics") or []
        if not chosen:
            self.add_error("topics", _("The shape %(shape)s renders only %(topics)s: list "
                                       "those topics rather than all.")
                           % {"shape": shape.name, "topics": renders})
        elif outside := [topic for topic in chosen if not shape.renders(topic)]:
            self.add_error("topics", _("The shape %(shape)s cannot render %(outside)s; it "
                                       "renders only %(topics)s.")
                           % {"shape": shape.name, "outside": ", ".join(outside),
                              "topics": renders})
        return cleaned


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["name", "url", "shape", "active", "created_at"]
    list_filter = ["active", "shape"]
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
