from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from workflows.models import Holiday, ReviewStep, ReviewTask, ReviewUnit, TransitionLog, unit_name


class ReviewStepInline(admin.StackedInline):
    """The ordered review steps of a permit type, edited on its page (``licensing.admin``).
    Stacked: a step has too many fields (groups, checklist) for one table row."""

    model = ReviewStep
    extra = 0
    ordering = ["position"]
    fields = [("position", "kind", "sla_working_days"), ("name_id", "name_en"), "groups",
              "checklist"]
    filter_horizontal = ["groups"]


@admin.register(ReviewUnit)
class ReviewUnitAdmin(admin.ModelAdmin):
    """The names citizens see for the reviewer groups (a group without one shows its id)."""

    list_display = ["group", "name_id", "name_en"]
    search_fields = ["group__name", "name_id", "name_en"]
    autocomplete_fields = ["group"]


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


class UnitName:
    """The task's group by its unit's name (``unit_name``)."""

    @admin.display(description=_("group"), ordering="group__name")
    def unit(self, obj):
        return unit_name(obj.group)


@admin.register(ReviewTask)
class ReviewTaskAdmin(UnitName, ReadOnlyAdmin):
    list_display = ["application", "step", "unit", "state", "due_date", "assignee",
                    "decided_by", "decided_at", "is_current"]
    list_filter = ["state", "is_current", "step__permit_type", "group", "due_date"]
    search_fields = ["application__reference", "application__business__legal_name"]
    list_select_related = ["application", "step__permit_type", "group__review_unit", "assignee",
                           "decided_by"]
    date_hierarchy = "due_date"


class StateLabels:
    """The audit entry's states by their labels, not the values stored."""

    @admin.display(description=_("from state"))
    def source_label(self, obj):
        return obj.source_label

    @admin.display(description=_("to state"))
    def target_label(self, obj):
        return obj.target_label


class TargetStateFilter(admin.SimpleListFilter):
    title = _("to state")
    parameter_name = "target"

    def lookups(self, request, model_admin):
        labels = {
            target: TransitionLog(content_type_id=content_type, target=target).target_label
            for content_type, target in
            TransitionLog.objects.values_list("content_type", "target").distinct()
        }
        return sorted(labels.items(), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(target=self.value()) if self.value() else queryset


@admin.register(TransitionLog)
class TransitionLogAdmin(StateLabels, ReadOnlyAdmin):
    list_display = ["created_at", "application", "content_type", "object_id", "transition",
                    "source_label", "target_label", "actor", "short_note"]
    list_filter = ["content_type", "transition", TargetStateFilter]
    search_fields = ["application__reference", "note"]
    list_select_related = ["application", "content_type", "actor"]
    date_hierarchy = "created_at"

    @admin.display(description=_("note"))
    def short_note(self, obj):
        return obj.note[:80]
