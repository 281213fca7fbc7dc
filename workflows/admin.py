from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.calendar import national_days_off
from workflows.models import (
    ApplicationClock,
    CalendarDay,
    ReviewStep,
    ReviewTask,
    ReviewUnit,
    TransitionLog,
    unit_name,
)


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

    list_display = ["group", "name_id", "name_en", "supervisor"]
    search_fields = ["group__name", "name_id", "name_en"]
    autocomplete_fields = ["group", "supervisor"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """What the national calendar cannot know: regional holidays and closures, and holidays
    the government cancelled. The list shows the national days off of this year beside them."""

    list_display = ["date", "is_closed", "name"]
    list_filter = ["is_closed"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def changelist_view(self, request, extra_context=None):
        year = timezone.localdate().year
        extra_context = {**(extra_context or {}), "national_year": year,
                         "national_days_off": sorted(national_days_off(year).items())}
        return super().changelist_view(request, extra_context)


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
    list_display = ["application", "step", "unit", "state", "due_at", "assignee",
                    "decided_by", "decided_at", "is_current", "escalated_at"]
    list_filter = ["state", "is_current", "step__permit_type", "group", "due_at"]
    search_fields = ["application__reference", "application__business__legal_name"]
    list_select_related = ["application", "step__permit_type", "group__review_unit", "assignee",
                           "decided_by"]
    date_hierarchy = "due_at"


@admin.register(ApplicationClock)
class ApplicationClockAdmin(ReadOnlyAdmin):
    list_display = ["application", "standard_days", "started_at", "decision_due_at", "days_left",
                    "correction_due_at", "overdue_at", "stopped_at"]
    search_fields = ["application__reference"]
    list_select_related = ["application"]


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
