from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from workflows.models import Holiday, ReviewStep, ReviewTask, TransitionLog


class ReviewStepInline(admin.StackedInline):
    """The ordered review steps of a permit type, edited on its page (``licensing.admin``).
    Stacked: a step has too many fields (groups, checklist) for one table row."""

    model = ReviewStep
    extra = 0
    ordering = ["position"]
    fields = [("position", "kind", "sla_working_days"), ("name_id", "name_en"), "groups",
              "checklist"]
    filter_horizontal = ["groups"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """National holidays and collective leave: the clerk keeps them current from the SKB."""

    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the services write; the admin reads them and never edits them by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewTask)
class ReviewTaskAdmin(ReadOnlyAdmin):
    list_display = ["application", "step", "group", "state", "due_date", "assignee",
                    "decided_by", "decided_at", "is_current"]
    list_filter = ["state", "is_current", "step__permit_type", "group", "due_date"]
    search_fields = ["application__reference", "application__business__legal_name"]
    list_select_related = ["application", "step__permit_type", "group", "assignee", "decided_by"]
    date_hierarchy = "due_date"


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "application", "content_type", "object_id", "transition",
                    "source", "target", "actor", "short_note"]
    list_filter = ["content_type", "transition", "target"]
    search_fields = ["application__reference", "note"]
    list_select_related = ["application", "content_type", "actor"]
    date_hierarchy = "created_at"

    @admin.display(description=_("note"))
    def short_note(self, obj):
        return obj.note[:80]
