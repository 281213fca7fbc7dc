"""The monthly evaluation report: the month's figures (``evaluation.figures``) kept as JSON, a
PDF signed by the office like a permit (context → HTML → WeasyPrint → PAdES), and a CSV of the
same figures; one per month however often it is asked for; e-mailed once to the recipients the
administrator names."""

import csv
import hashlib
import io
import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from documents import rendering
from documents.signing import sign_pdf
from evaluation import charts
from evaluation.figures import COMPLAINT_MEASURES, MEASURES, Month, monthly_figures
from evaluation.models import MonthlyReport, ReportRecipient
from licensing.formats import rupiah
from licensing.mail import bilingual
from treasury.states import LedgerMethod
from workflows.calendar import office_calendar

logger = logging.getLogger("izin.evaluation")

PDF_TEMPLATE = "evaluation/reports/report_pdf.html"
CSV_HEADER = ("month", "scope", "item", "measure", "value")
MONEY = frozenset({"billed", "collected", "refunded", "outstanding"})

LABELS = {
    "received": _("Applications received"),
    "received_at_counter": _("… filed at the counter"),
    "received_online": _("… filed online"),
    "share_at_counter": _("Share filed at the counter (%)"),
    "decided": _("Applications decided"),
    "approved": _("Approved"),
    "rejected": _("Rejected"),
    "approved_by_law": _("Approved by operation of law"),
    "withdrawn": _("Withdrawn"),
    "issued": _("Permits issued"),
    "processing_times": _("Decisions with a processing time"),
    "median_working_days": _("Median processing time (working days)"),
    "p95_working_days": _("95th percentile processing time (working days)"),
    "within_standard": _("Decided within the service standard"),
    "share_within_standard": _("Share within the service standard (%)"),
    "changes_requested": _("Changes requested"),
    "billed": _("Levy billed"),
    "collected": _("Levy collected"),
    "refunded": _("Refunded"),
    "outstanding": _("Outstanding at the month's end"),
    "ikm_responses": _("Survey answers"),
    "ikm": _("Satisfaction index (IKM)"),
    "ikm_grade": _("Quality of service"),
    "complaints_received": _("Complaints received"),
    "complaints_answered": _("Complaints answered"),
    "complaints_open": _("Complaints open at the month's end"),
    "complaints_median_days_to_answer": _("Median working days to answer a complaint"),
}


class ReportRefused(Exception):
    """The month cannot be reported (it has not ended)."""


def month_reportable(day: date) -> Month:
    """The month of ``day`` if it has ended; ``ReportRefused`` otherwise."""
    month = Month.of(day)
    if month.first >= Month.of(timezone.localdate()).first:
        raise ReportRefused(_("Only a month that has ended can be reported."))
    return month


# The CSV: one row per figure, so a spreadsheet filters it by scope and measure.


def figure_rows(figures: dict):
    """(month, scope, item, measure, value) for every figure of both months; values as text,
    an empty cell for a figure that does not exist (no median of nothing)."""
    def cell(value) -> str:
        return "" if value is None else str(value)

    for period in (figures["current"], figures["previous"]):
        month = period["month"]
        for measure, value in period["totals"].items():
            yield month, "total", "", measure, cell(value)
        for code, values in period["permit_types"].items():
            for measure, value in values.items():
                yield month, "permit_type", code, measure, cell(value)
        for key, values in period["review_steps"].items():
            for measure, value in values.items():
                yield month, "review_step", key, measure, cell(value)
        for rank, values in enumerate(period["change_reasons"], start=1):
            for measure, value in values.items():
                yield month, "change_reason", str(rank), measure, cell(value)
        for method, values in period["payment_methods"].items():
            for measure, value in values.items():
                yield month, "payment_method", method, measure, cell(value)


def report_csv(figures: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    writer.writerows(figure_rows(figures))
    # With a byte-order mark, spreadsheet programs read the names' accents right.
    return buffer.getvalue().encode("utf-8-sig")


# The PDF: context (pure) → HTML (testable) → PDF → signature.


def _shown(measure: str, value) -> str:
    if value is None:
        return "\u2013"  # an en dash: no figure
    if measure in MONEY:
        return rupiah(value)
    return str(value)


def report_context(figures: dict) -> dict:
    current, previous = figures["current"], figures["previous"]
    totals = [{"label": LABELS[name], "now": _shown(name, current["totals"][name]),
               "before": _shown(name, previous["totals"][name])}
              for name in (*MEASURES, *COMPLAINT_MEASURES)]
    chart_rows = [(str(LABELS[name]), current["totals"][name], previous["totals"][name])
                  for name in ("received", "decided", "approved", "rejected", "withdrawn",
                               "issued", "changes_requested")]
    legend = (current["month"], previous["month"])
    return {
        "issuer": dict(settings.PERMIT_ISSUER),
        "month": figures["month"],
        "previous_month": previous["month"],
        "totals": totals,
        "permit_types": [{"code": code, **values,
                          **{name: _shown(name, values[name]) for name in MONEY}}
                         for code, values in current["permit_types"].items()],
        "review_steps": list(current["review_steps"].values()),
        "change_reasons": current["change_reasons"],
        "payment_methods": [{"label": LedgerMethod(method).label, "payments": values["payments"],
                             "amount": rupiah(values["amount"])}
                            for method, values in current["payment_methods"].items()],
        "applications_chart": charts.paired_bars(
            title=str(_("Applications, this month and the month before")), rows=chart_rows,
            legend=legend, empty=str(_("No applications in either month."))),
        "time_chart": charts.paired_bars(
            title=str(_("Median processing time per permit type (working days)")),
            rows=[(code, float(values["median_working_days"] or 0),
                   float(previous["permit_types"].get(code, {}).get("median_working_days")
                         or 0))
                  for code, values in current["permit_types"].items()],
            legend=legend, empty=str(_("No decision in either month."))),
        "generated_on": timezone.localdate(),
    }


def report_html(figures: dict) -> str:
    # The office's language: the report is an official document of the city.
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(PDF_TEMPLATE, report_context(figures))


def report_pdf(figures: dict) -> bytes:
    """Signed by the office; raises ``SigningUnavailable`` rather than return it unsigned."""
    return sign_pdf(rendering.html_to_pdf(report_html(figures)),
                    reason=f"Evaluasi bulanan {figures['month']}",
                    location=settings.PERMIT_ISSUER["place"])


# Making it, once per month.


def monthly_report_make(*, month: date, actor=None) -> MonthlyReport:
    """The report of ``month`` (any day of it), made now unless it exists: asking again, or two
    workers at once, returns the one report. ``ReportRefused`` for a month not yet ended."""
    target = month_reportable(month)
    report, _created = MonthlyReport.objects.get_or_create(month=target.first)
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        if report.pdf:
            return report
        figures = monthly_figures(target)
        pdf, table = report_pdf(figures), report_csv(figures)
        report.figures = figures
        report.pdf.save(f"evaluasi-{target.label}.pdf", ContentFile(pdf), save=False)
        report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        report.csv.save(f"evaluasi-{target.label}.csv", ContentFile(table), save=False)
        report.save(update_fields=["figures", "pdf", "pdf_sha256", "csv"])
        logger.info("monthly_report_made report_id=%s month=%s actor_id=%s", report.pk,
                    target.label, getattr(actor, "pk", None))
    return report


def monthly_report_due(*, today: date | None = None) -> MonthlyReport | None:
    """From the first working day of a month on, the month before's report (made if missing);
    None before that day. Beat asks often; only the first ask after that day makes it."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    calendar = office_calendar()
    first_working = first if calendar.is_working_day(first) else calendar.next_working_day(first)
    if today < first_working:
        return None
    last_month = Month.of(first - timedelta(days=1))
    made = MonthlyReport.objects.filter(month=last_month.first).exclude(pdf="").first()
    return made or monthly_report_make(month=last_month.first)


# Sending it, once.

SUBJECT = _("Izin monthly evaluation %(month)s")
BODY = _("The monthly evaluation of the licensing service for %(month)s is attached: the signed "
         "report (PDF) and its figures (CSV).\n\nYou receive it because the administrator of "
         "Izin named you as a recipient.")


def monthly_report_send(*, report_id: int) -> bool:
    """E-mail the report to every active recipient, once: True if it was sent now. Nobody to
    send to: nothing is marked, so a recipient named later still gets it from the next run."""
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().get(pk=report_id)
        if report.sent_at is not None or not report.pdf:
            return False
        recipients = list(ReportRecipient.objects.filter(active=True)
                          .order_by("email").values_list("email", flat=True))
        if not recipients:
            logger.info("monthly_report_not_sent report_id=%s reason=no_recipients", report.pk)
            return False
        label = f"{report.month:%Y-%m}"
        subject, body = bilingual(SUBJECT, BODY, {"month": label})
        # One message to the list the administrator keeps: officials of the office, who may
        # see each other; one message also cannot be half sent and then sent again.
        message = EmailMessage(subject=subject, body=body, to=recipients)
        with report.pdf.open("rb") as pdf:
            message.attach(f"evaluasi-{label}.pdf", pdf.read(), "application/pdf")
        with report.csv.open("rb") as table:
            message.attach(f"evaluasi-{label}.csv", table.read(), "text/csv")
        message.send()
        report.sent_at = timezone.now()
        report.save(update_fields=["sent_at"])
        logger.info("monthly_report_sent report_id=%s recipients=%s", report.pk,
                    len(recipients))
    return True
