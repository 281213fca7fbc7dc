"""Issuing and revoking keys. The key is shown once, in the message after it is issued; the
admin keeps only its prefix and digest."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.keys import DEFAULT_LIFETIME, api_key_bind, api_key_issue, api_key_revoke
from api.models import ApiCall, ApiKey
from api.scopes import Scope
from workflows.admin import ReadOnlyAdmin


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(label=_("scopes"), choices=Scope.choices,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiKey
        fields = ["name", "scopes", "businesses", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["expires_at"].initial = timezone.now() + DEFAULT_LIFETIME


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ["name", "prefix", "scope_list", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix"]
    autocomplete_fields = ["businesses"]
    readonly_fields = ["prefix", "created_by", "created_at", "revoked_at", "last_used_at"]
    actions = ["revoke"]

    @admin.display(description=_("scopes"))
    def scope_list(self, obj: ApiKey) -> str:
        return ", ".join(obj.scopes)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name", "scopes", "expires_at"])
            return
        key, raw = api_key_issue(name=obj.name, scopes=form.cleaned_data["scopes"],
                                 actor=request.user, expires_at=obj.expires_at)
        obj.pk = key.pk
        obj._state.adding = False
        self.message_user(request, _(
            "The key of %(name)s is %(key)s — copy it now: it is not stored and will not be "
            "shown again.") % {"name": key.name, "key": raw}, messages.WARNING)

    def save_related(self, request, form, formsets, change):
        # The bound businesses go through the service: it gives the key's user its place in
        # each business (and takes it away), as the rules of who acts for whom read it.
        api_key_bind(key=form.instance, businesses=list(form.cleaned_data["businesses"]))

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        for key in queryset:
            api_key_revoke(key=key, actor=request.user)
        self.message_user(request, _("Revoked."), messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the calls and the audit trail name it


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "key", "method", "path", "status_code", "replayed",
                    "request_id"]
    list_select_related = ["key"]
    list_filter = ["method", "replayed"]
    search_fields = ["request_id", "path", "idempotency_key"]
    show_full_result_count = False
