"""The head of office's monthly evaluations: the list, the downloads, and a report made on
demand for any month that has ended. Nobody else sees them (403)."""

from datetime import date
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from documents.signing import SigningUnavailable
from evaluation.models import MonthlyReport
from evaluation.reports import ReportRefused, monthly_report_make
from licensing import roles

PAGE_SIZE = 24  # two years of reports a page
EARLIEST_YEAR = 2000


def head_of_office_required(view):
    """Log in first; then the head of office only (403 for anyone else, the admin included)."""

    @login_required
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not roles.in_group(request.user, roles.HEAD_OF_OFFICE):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


class MonthForm(forms.Form):
    month = forms.CharField(label=gettext_lazy("Month"), max_length=7,
                            widget=forms.TextInput(attrs={"type": "month"}),
                            help_text=gettext_lazy("Year and month, e.g. 2026-10."))

    def clean_month(self) -> date:
        text = self.cleaned_data["month"].strip()
        year, _dash, month = text.partition("-")
        if not (year.isdigit() and month.isdigit() and len(year) == 4
                and 1 <= int(month) <= 12 and int(year) >= EARLIEST_YEAR):
            raise forms.ValidationError(_("Give the year and month as YYYY-MM, e.g. 2026-10."))
        chosen = date(int(year), int(month), 1)
        if chosen >= timezone.localdate().replace(day=1):
            raise forms.ValidationError(_("Only a month that has ended can be reported."))
        return chosen


def _made():
    # A row without its PDF is a report being made, or whose signing failed: not one to list.
    return MonthlyReport.objects.exclude(pdf="").order_by("-month")


@head_of_office_required
@require_GET
def report_list(request):
    page = Paginator(_made().only("pk", "month", "created_at", "pdf", "pdf_sha256", "csv",
                                  "sent_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evaluation/reports/report_list.html",
                  {"page": page, "form": MonthForm()})


@head_of_office_required
@require_POST
def report_make(request):
    form = MonthForm(request.POST)
    if not form.is_valid():
        page = Paginator(_made(), PAGE_SIZE).get_page(1)
        return render(request, "evaluation/reports/report_list.html",
                      {"page": page, "form": form}, status=400)
    month = form.cleaned_data["month"]
    try:
        report = monthly_report_make(month=month, actor=request.user)
    except ReportRefused as refused:
        messages.error(request, str(refused))
    except SigningUnavailable:
        messages.error(request, _("The report could not be signed just now. Please try again "
                                  "later."))
    else:
        messages.success(request, _("The evaluation of %(month)s is ready.")
                         % {"month": f"{report.month:%Y-%m}"})
    return redirect("reports:report_list")


def _download(report: MonthlyReport, field: str, content_type: str):
    stored = getattr(report, field)
    if not stored:
        raise Http404
    return FileResponse(stored.open("rb"), as_attachment=True, content_type=content_type,
                        filename=f"evaluasi-{report.month:%Y-%m}.{field}")


@head_of_office_required
@require_GET
def report_pdf(request, pk: int):
    return _download(get_object_or_404(_made(), pk=pk), "pdf", "application/pdf")


@head_of_office_required
@require_GET
def report_csv(request, pk: int):
    return _download(get_object_or_404(_made(), pk=pk), "csv", "text/csv; charset=utf-8")
