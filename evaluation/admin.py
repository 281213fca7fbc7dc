"""The evaluation in the admin: complaints and survey answers, to read only. Survey invitations
are not shown: which application answered, and when, is what the survey keeps from everyone."""

from django.contrib import admin

from evaluation.models import ELEMENTS, Complaint, MonthlyReport, ReportRecipient, SurveyResponse


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by their services only (a complaint's answer goes through the audit trail)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ("reference", "topic", "application", "state", "created_at", "answered_at")
    list_filter = ("state", "topic")
    search_fields = ("reference",)
    list_select_related = ("application",)
    date_hierarchy = "created_at"
    # Who filed it is the head of office's page to show, not a list's.
    exclude = ("submitted_by",)


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    list_display = ("answered_on", "permit_type", *(name for name, _label in ELEMENTS))
    list_filter = ("permit_type", "answered_on")
    list_select_related = ("permit_type",)
    date_hierarchy = "answered_on"


# The monthly evaluation: the administrator names who receives it; the reports themselves are
# made by the service (``evaluation.reports``) and kept as made.


@admin.register(ReportRecipient)
class ReportRecipientAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "active")
    list_filter = ("active",)
    search_fields = ("name", "email")


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    list_display = ("month", "created_at", "pdf_sha256", "sent_at")
    date_hierarchy = "month"
    exclude = ("figures",)  # the CSV and the PDF show them; the JSON is for the program
