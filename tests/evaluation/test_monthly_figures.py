"""Every figure of the monthly evaluation against a month built by hand with the real services
(``tests/evaluation/monthly_month.py`` tells the story day by day), and the report the beat task
makes of it on the first working day after: kept once, its PDF signed and valid, its CSV the
same figures, e-mailed once to the active recipients with both files.

Working days (the day received does not count; the service standard's clock stops while the
business makes changes), worked out here:
- A4 (PBG, standard 10): received Sep 28, due Oct 12; decided Oct 1 with Oct 2 to 12 (7 days)
  left: 3 used.
- A1 (PBG): received Oct 1, due Oct 15; changes asked Oct 2: 9 days left after Oct 2;
  resubmitted Oct 6, due 9 days on: Oct 19; decided Oct 8 with Oct 9 to 19 (7) left: 3 used.
- A2 (PBG): received Oct 5, due Oct 19; rejected Oct 7 with Oct 8 to 19 (8) left: 2 used.
- B0 (SIP, standard 5): received Sep 21, due Sep 28; decided Sep 23 with 3 left: 2 used.
- B1 (SIP): received Oct 1, due Oct 8; decided Oct 5 with Oct 6 to 8 (3) left: 2 used.
- B2 (SIP): received Oct 14, due Oct 21; approved by law Oct 22, one day past: 6 used, beyond
  its standard of 5.
- A3 was withdrawn in review: its clock ended without a decision, no processing time.
October's times: PBG [3, 3, 2] → median 3, P95 (nearest rank, ⌈0.95·3⌉ = 3rd) 3, all within;
SIP [2, 6] → median 4, P95 (2nd) 6, one of two within (50.0 %); all [2, 2, 3, 3, 6] → median 3,
P95 (⌈4.75⌉ = 5th) 6, four of five within (80.0 %).

Review steps (task received on its creation day, to its decision day):
- PBG step 1 in October: A1's change request Oct 1→2 (1), A1's second round Oct 6→7 (1),
  A2's rejection Oct 5→7 (2): 3 decided, 1 change request, median 1. September: A4 Sep 28→30 (2).
- PBG step 2 in October: A4 Sep 30→Oct 1 (1), A1 Oct 7→8 (1): 2 decided, median 1.
- SIP step 1: B1 Oct 1→5 (2: Oct 2, Oct 5) in October; B0 Sep 21→23 (2) in September. B2's task
  was cancelled by the approval by law: not decided.

Money (each PBG bill Rp 1.807.500): billed in October A4's (Oct 1) and A1's (Oct 8) = 3.615.000;
collected A4's card payment 1.807.500 (A1's bill was paid on Nov 2); refunded 500.000; A1's bill
open at October's end: 1.807.500 outstanding, although paid since.

Satisfaction: PBG one answer of all 4s and one of all 3s: each element 3,5, index 3,5 × 25 =
87.50 (B, 76.61 to 88.30); SIP one of all 4s: 100.00 (A); all three: 11/3 × 25 = 91.67 (A).

Complaints: C1 filed Sep 30, answered Oct 2 (2 working days: Oct 1, Oct 2); C2 filed Oct 20,
open. September: 1 received, 0 answered, 1 open; October: 1, 1, 1 (C2).
"""

import csv
import io
from datetime import date

import pytest
from django.core import mail

from documents.validation import validate_pdf
from evaluation import tasks
from evaluation.figures import Month, monthly_figures
from evaluation.models import MonthlyReport, ReportRecipient
from evaluation.reports import figure_rows
from tests.documents.pdf_tools import pdf_text, pdfsig
from tests.evaluation.monthly_month import build_month, on
from tests.payments.flow import use_sandbox

pytestmark = pytest.mark.django_db(transaction=True)

METHODS_NONE = {method: {"payments": 0, "amount": 0} for method in ("card", "va", "qris",
                                                                    "counter")}
PBG_NAME, SIP_NAME = "Persetujuan Bangunan Gedung", "Surat Izin Praktik"
NO_MONEY = {"billed": 0, "collected": 0, "refunded": 0, "outstanding": 0}
NO_SURVEY = {"ikm_responses": 0, "ikm": None, "ikm_grade": None}


def measures(**values) -> dict:
    """A type's or the office's figures: zero (or none) unless given."""
    base = {
        "received": 0, "received_at_counter": 0, "received_online": 0, "share_at_counter": None,
        "decided": 0, "approved": 0, "rejected": 0, "approved_by_law": 0, "withdrawn": 0,
        "issued": 0, "processing_times": 0, "median_working_days": None,
        "p95_working_days": None, "within_standard": 0, "share_within_standard": None,
        "changes_requested": 0, **NO_MONEY, **NO_SURVEY,
    }
    assert set(values) <= set(base), set(values) - set(base)
    return base | values


OCTOBER = {
    "month": "2026-10",
    "totals": measures(
        received=6, received_at_counter=2, received_online=4, share_at_counter="33.3",
        decided=5, approved=4, rejected=1, approved_by_law=1, withdrawn=1, issued=3,
        processing_times=5, median_working_days="3", p95_working_days=6, within_standard=4,
        share_within_standard="80.0", changes_requested=1,
        billed=3_615_000, collected=1_807_500, refunded=500_000, outstanding=1_807_500,
        ikm_responses=3, ikm="91.67", ikm_grade="A",
    ) | {"complaints_received": 1, "complaints_answered": 1, "complaints_open": 1,
         "complaints_median_days_to_answer": "2"},
    "permit_types": {
        # A1, A2 online, A3 at the counter; A1, A4 approved, A2 rejected; A4 issued.
        "PBG": {"name": PBG_NAME} | measures(
            received=3, received_at_counter=1, received_online=2, share_at_counter="33.3",
            decided=3, approved=2, rejected=1, withdrawn=1, issued=1,
            processing_times=3, median_working_days="3", p95_working_days=3,
            within_standard=3, share_within_standard="100.0", changes_requested=1,
            billed=3_615_000, collected=1_807_500, refunded=500_000, outstanding=1_807_500,
            ikm_responses=2, ikm="87.50", ikm_grade="B"),
        # B1 at the counter, B2 and B3 online; B1 approved, B2 by law; both issued.
        "SIP": {"name": SIP_NAME} | measures(
            received=3, received_at_counter=1, received_online=2, share_at_counter="33.3",
            decided=2, approved=2, approved_by_law=1, issued=2,
            processing_times=2, median_working_days="4", p95_working_days=6,
            within_standard=1, share_within_standard="50.0",
            ikm_responses=1, ikm="100.00", ikm_grade="A"),
    },
    "review_steps": {
        "PBG/1": {"permit_type": "PBG", "step": "Langkah 1", "decided": 3,
                  "changes_requested": 1, "median_working_days": "1"},
        "PBG/2": {"permit_type": "PBG", "step": "Langkah 2", "decided": 2,
                  "changes_requested": 0, "median_working_days": "1"},
        "SIP/1": {"permit_type": "SIP", "step": "Langkah 1", "decided": 1,
                  "changes_requested": 0, "median_working_days": "2"},
    },
    "change_reasons": [{"reason": "Gambar teknis", "reason_en": "Technical drawings",
                        "count": 1}],
    "payment_methods": METHODS_NONE | {"card": {"payments": 1, "amount": 1_807_500}},
}

SEPTEMBER = {
    "month": "2026-09",
    "totals": measures(
        received=2, received_online=2, share_at_counter="0.0", decided=1, approved=1,
        issued=1, processing_times=1, median_working_days="2", p95_working_days=2,
        within_standard=1, share_within_standard="100.0",
    ) | {"complaints_received": 1, "complaints_answered": 0, "complaints_open": 1,
         "complaints_median_days_to_answer": None},
    "permit_types": {
        "PBG": {"name": PBG_NAME} | measures(received=1, received_online=1,
                                               share_at_counter="0.0"),
        "SIP": {"name": SIP_NAME} | measures(
            received=1, received_online=1, share_at_counter="0.0", decided=1, approved=1,
            issued=1, processing_times=1, median_working_days="2", p95_working_days=2,
            within_standard=1, share_within_standard="100.0"),
    },
    "review_steps": {
        "PBG/1": {"permit_type": "PBG", "step": "Langkah 1", "decided": 1,
                  "changes_requested": 0, "median_working_days": "2"},
        "SIP/1": {"permit_type": "SIP", "step": "Langkah 1", "decided": 1,
                  "changes_requested": 0, "median_working_days": "2"},
    },
    "change_reasons": [],
    "payment_methods": METHODS_NONE,
}


@pytest.fixture
def month(settings, live_server):
    use_sandbox(settings, live_server)
    return build_month()


def test_every_figure_of_the_month_and_the_month_before(month):
    with on(date(2026, 11, 2), 10):
        figures = monthly_figures(Month(date(2026, 10, 1)))
    assert figures == {"month": "2026-10", "current": OCTOBER, "previous": SEPTEMBER}


def test_the_beat_task_makes_one_signed_report_and_mails_it_once(month, tmp_path):
    ReportRecipient.objects.create(name="Kepala Dinas", email="kadis@pekanbaru.go.id")
    ReportRecipient.objects.create(name="Sekretaris", email="sekretaris@pekanbaru.go.id")
    ReportRecipient.objects.create(name="Pensiun", email="lama@pekanbaru.go.id", active=False)
    mail.outbox.clear()
    # November 1st 2026 is a Sunday: nothing yet. The first working day is Monday the 2nd.
    with on(date(2026, 11, 1), 10):
        assert tasks.monthly_report_due.delay().result is None
    assert not MonthlyReport.objects.exists()
    for hour in (10, 11, 15):
        with on(date(2026, 11, 2), hour):
            tasks.monthly_report_due.delay()
    with on(date(2026, 11, 9), 10):  # a later day of the month finds it made and sent
        tasks.monthly_report_due.delay()

    [report] = MonthlyReport.objects.all()
    assert report.month == date(2026, 10, 1)
    assert report.figures == {"month": "2026-10", "current": OCTOBER, "previous": SEPTEMBER}

    pdf = report.pdf.read()
    [signature] = validate_pdf(pdf)
    assert signature.holds and signature.modification_level == "NONE"
    assert "Signature is Valid." in pdfsig(tmp_path, pdf)
    text = pdf_text(tmp_path, pdf)
    for shown in ("2026-10", "2026-09", "Rp 3.615.000", "Rp 1.807.500", "Rp 500.000",
                  "Gambar teknis", "91.67"):
        assert shown in text, shown

    table = report.csv.read().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(table)))
    assert rows[0] == ["month", "scope", "item", "measure", "value"]
    # jsonb keeps no key order: compare the rows as a set of figures.
    assert sorted(tuple(row) for row in rows[1:]) == sorted(figure_rows(report.figures))
    parsed = {(m, scope, item, measure): value for m, scope, item, measure, value in rows[1:]}
    assert parsed[("2026-10", "total", "", "received")] == "6"
    assert parsed[("2026-10", "total", "", "billed")] == "3615000"
    assert parsed[("2026-10", "permit_type", "SIP", "median_working_days")] == "4"
    assert parsed[("2026-10", "review_step", "PBG/1", "changes_requested")] == "1"
    assert parsed[("2026-10", "change_reason", "1", "reason")] == "Gambar teknis"
    assert parsed[("2026-10", "payment_method", "card", "amount")] == "1807500"
    assert parsed[("2026-09", "total", "", "ikm")] == ""
    assert _nested(rows[1:]) == {"2026-10": _as_text(OCTOBER), "2026-09": _as_text(SEPTEMBER)}

    [message] = mail.outbox
    assert sorted(message.to) == ["kadis@pekanbaru.go.id", "sekretaris@pekanbaru.go.id"]
    assert [(name, kind) for name, _content, kind in message.attachments] == [
        ("evaluasi-2026-10.pdf", "application/pdf"), ("evaluasi-2026-10.csv", "text/csv")]
    assert message.attachments[0][1] == pdf
    report.refresh_from_db()
    assert report.sent_at is not None


def _as_text(period: dict) -> dict:
    """A period's figures as the CSV writes them: every value as text, none as empty."""
    def text(value):
        return "" if value is None else str(value)

    return {
        "totals": {key: text(value) for key, value in period["totals"].items()},
        "permit_type": {code: {key: text(value) for key, value in values.items()}
                        for code, values in period["permit_types"].items()},
        "review_step": {key: {name: text(value) for name, value in values.items()}
                        for key, values in period["review_steps"].items()},
        "change_reason": {str(rank): {key: text(value) for key, value in values.items()}
                          for rank, values in enumerate(period["change_reasons"], start=1)},
        "payment_method": {method: {key: text(value) for key, value in values.items()}
                           for method, values in period["payment_methods"].items()},
    }


def _nested(rows: list[list[str]]) -> dict:
    """The CSV's rows read back into the shape of the figures."""
    nested: dict = {}
    for month_label, scope, item, measure, value in rows:
        period = nested.setdefault(month_label, {"totals": {}, "permit_type": {},
                                                 "review_step": {}, "change_reason": {},
                                                 "payment_method": {}})
        if scope == "total":
            period["totals"][measure] = value
        else:
            period[scope].setdefault(item, {})[measure] = value
    return nested
