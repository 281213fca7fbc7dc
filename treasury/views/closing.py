"""Treasury pages: the recent business days, one day's totals and its close, the ledger exports
for the finance system, the day's deposit summary (STS) and a closed day's SIPKD file."""

import logging
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, register_converter
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from licensing.once import once
from treasury import exports, sipkd
from treasury.access import treasury_required
from treasury.closing import DayNotClosable, day_close
from treasury.models import DailyClose
from treasury.selectors import closing as selectors

logger = logging.getLogger("izin.treasury")

LIST_DAYS = 31
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class IsoDateConverter:
    """``2026-11-27`` in a path; an impossible date (2026-02-30) matches nothing: 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)


register_converter(IsoDateConverter, "isodate")


class ExportForm(forms.Form):
    """A range of business days to export (GET form on the day list)."""

    start = forms.DateField(label=gettext_lazy("From business day"),
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To business day"),
                          widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(label=gettext_lazy("Format"),
                               choices=[("xlsx", "XLSX"), ("csv", "CSV")])

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The first day must not be after the last."))
        if start and end and (end - start).days >= exports.MAX_DAYS:
            raise forms.ValidationError(_("Export at most %(days)d days at a time.")
                                        % {"days": exports.MAX_DAYS})
        return data


class ListForm(forms.Form):
    """Which days the list shows: the ones up to ``until`` (default today)."""

    until = forms.DateField(required=False)


def _attachment(content: bytes, *, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _ledger_file(request, *, start: date, end: date, fmt: str) -> HttpResponse:
    build = {"csv": exports.ledger_csv, "xlsx": exports.ledger_xlsx}.get(fmt)
    if build is None:
        raise Http404
    logger.info("ledger_exported start=%s end=%s fmt=%s user_id=%s", start, end, fmt,
                request.user.pk)
    return _attachment(build(start=start, end=end), fmt=fmt,
                       filename=exports.ledger_filename(start=start, end=end, fmt=fmt))


def _day_list_page(request, *, export_form: ExportForm, status: int = 200):
    today = timezone.localdate()
    listing = ListForm(request.GET)
    until = today
    if not listing.is_valid():
        status = 400  # the page still lists the latest days, and says what was wrong
    elif listing.cleaned_data["until"]:
        until = min(listing.cleaned_data["until"], today)
    return render(request, "treasury/closing/day_list.html", {
        "days": selectors.day_list(end=until, today=today, days=LIST_DAYS),
        "earlier": until - timedelta(days=LIST_DAYS),
        "later": until + timedelta(days=LIST_DAYS) if until < today else None,
        "listing": listing,
        "export_form": export_form,
    }, status=status)


@treasury_required
def day_list(request):
    today = timezone.localdate()
    return _day_list_page(request, export_form=ExportForm(
        initial={"start": today.replace(day=1), "end": today, "format": "xlsx"}))


@treasury_required
def ledger_export(request):
    """The ledger of a range of days: ``?start=&end=&format=`` (the form on the day list)."""
    form = ExportForm(request.GET)
    if not form.is_valid():
        return _day_list_page(request, export_form=form, status=400)
    data = form.cleaned_data
    return _ledger_file(request, start=data["start"], end=data["end"], fmt=data["format"])


def _day_page(request, day: date, *, refusal: list[str] | None = None, status: int = 200):
    seal = selectors.day_seal_check(day=day)
    return render(request, "treasury/closing/day_detail.html", {
        "day": day,
        "totals": selectors.day_totals(day=day),
        "seal": seal,
        "blocking": [] if seal else selectors.exceptions_blocking_by_kind(day=day),
        "future": day > timezone.localdate(),
        "refusal": refusal,
    }, status=status)


@treasury_required
def day_detail(request, day: date):
    return _day_page(request, day)


@treasury_required
@once
def day_close_view(request, day: date):
    """POST: close the day. Refused: the day's page again, with every reason (409)."""
    if request.method != "POST":
        return redirect("treasury:day_detail", day=day)
    try:
        day_close(day=day, actor=request.user)
    except DayNotClosable as refused:
        return _day_page(request, day, refusal=refused.reasons, status=409)
    messages.success(request, _("%(day)s is closed; nothing can be booked into it any more.")
                     % {"day": formats.date_format(day, "j F Y")})
    return redirect("treasury:day_detail", day=day)


@treasury_required
def day_export(request, day: date, fmt: str):
    return _ledger_file(request, start=day, end=day, fmt=fmt)


@treasury_required
def day_sts(request, day: date):
    return render(request, "treasury/closing/sts.html", {"sts": exports.sts_for_day(day=day)})


@treasury_required
def day_sts_csv(request, day: date):
    return _attachment(exports.sts_csv(sts=exports.sts_for_day(day=day)), fmt="csv",
                       filename=f"sts-{day.isoformat()}.csv")


@treasury_required
def day_sipkd(request, day: date):
    """The closed day's file for the finance system (SIPKD); an open day has none: 404."""
    close = DailyClose.objects.filter(day=day).first()
    if close is None:
        raise Http404
    logger.info("sipkd_exported day=%s sts=%s user_id=%s", day, close.sts_number,
                request.user.pk)
    return _attachment(sipkd.daily_close_export(close), fmt="csv",
                       filename=sipkd.daily_close_filename(close))


urlpatterns = [
    path("", day_list, name="day_list"),
    path("export/", ledger_export, name="ledger_export"),
    path("<isodate:day>/", day_detail, name="day_detail"),
    path("<isodate:day>/close/", day_close_view, name="day_close"),
    path("<isodate:day>/export.<str:fmt>", day_export, name="day_export"),
    path("<isodate:day>/sts/", day_sts, name="day_sts"),
    path("<isodate:day>/sts.csv", day_sts_csv, name="day_sts_csv"),
    path("<isodate:day>/sipkd.csv", day_sipkd, name="day_sipkd"),
]
