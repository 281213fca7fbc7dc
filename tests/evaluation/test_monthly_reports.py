"""The monthly report made once per month however often beat asks (a holiday on the 1st moves
the day; a missed day is caught up later in the month), e-mailed once, never for a month that
has not ended; and the head of office's pages, which nobody else reaches."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.validation import validate_pdf
from evaluation import tasks
from evaluation.models import MonthlyReport, ReportRecipient
from evaluation.reports import ReportRefused, monthly_report_make
from licensing import roles
from tests.factories import BusinessFactory, UserFactory
from workflows.models import CalendarDay

WIB = ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 9):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=WIB), tick=False)


def due():
    return tasks.monthly_report_due.delay().result


def test_new_year_on_a_friday_moves_the_report_to_monday_and_it_is_made_once():
    # 1 January 2027 is a national holiday (a Friday), 2 and 3 are the weekend.
    for day in (date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)):
        with at(day, 10):
            assert due() is None
    assert not MonthlyReport.objects.exists()
    with at(date(2027, 1, 4), 9):
        first = due()
    for hour in (10, 11, 16):
        with at(date(2027, 1, 4), hour):
            assert due() == first
    with at(date(2027, 1, 5), 9):
        assert due() == first
    [report] = MonthlyReport.objects.all()
    assert (report.pk, report.month) == (first, date(2026, 12, 1))
    assert validate_pdf(report.pdf.read())[0].holds


def test_a_closure_on_the_first_working_day_moves_it_again():
    CalendarDay.objects.create(date=date(2027, 3, 1), is_closed=True, name="Banjir")
    with at(date(2027, 3, 1), 10):
        assert due() is None
    with at(date(2027, 3, 2), 10):
        assert due() is not None
    assert list(MonthlyReport.objects.values_list("month", flat=True)) == [date(2027, 2, 1)]


def test_a_first_day_missed_is_caught_up_later_in_the_month_once():
    with at(date(2026, 10, 14), 10):
        made = due()
        assert due() == made
    assert list(MonthlyReport.objects.values_list("month", flat=True)) == [date(2026, 9, 1)]


def test_a_month_that_has_not_ended_is_refused():
    with at(date(2026, 10, 14)):
        with pytest.raises(ReportRefused):
            monthly_report_make(month=date(2026, 10, 1))
        with pytest.raises(ReportRefused):
            monthly_report_make(month=date(2026, 12, 1))
    assert not MonthlyReport.objects.exists()


def test_the_report_is_mailed_once_to_active_recipients_with_both_files():
    ReportRecipient.objects.create(name="Kepala Dinas", email="kadis@pekanbaru.go.id")
    ReportRecipient.objects.create(name="Mantan", email="mantan@pekanbaru.go.id", active=False)
    with at(date(2026, 9, 10)):
        report = monthly_report_make(month=date(2026, 8, 1))
    mail.outbox.clear()
    assert tasks.monthly_report_send.delay(report.pk).result is True
    assert tasks.monthly_report_send.delay(report.pk).result is False
    [message] = mail.outbox
    assert message.to == ["kadis@pekanbaru.go.id"]
    assert "2026-08" in message.subject
    assert [name for name, _content, _kind in message.attachments] == [
        "evaluasi-2026-08.pdf", "evaluasi-2026-08.csv"]
    report.refresh_from_db()
    assert report.sent_at is not None


def test_with_nobody_to_send_to_nothing_is_marked_and_a_later_recipient_gets_it():
    with at(date(2026, 9, 10)):
        report = monthly_report_make(month=date(2026, 8, 1))
    mail.outbox.clear()
    assert tasks.monthly_report_send.delay(report.pk).result is False
    report.refresh_from_db()
    assert report.sent_at is None
    ReportRecipient.objects.create(name="Kepala Dinas", email="kadis@pekanbaru.go.id")
    with at(date(2026, 9, 10), 11):  # beat's next run sends what was not sent
        assert due() == report.pk
    assert len(mail.outbox) == 1


# The pages.


@pytest.fixture
def head():
    return UserFactory(groups=[roles.HEAD_OF_OFFICE])


@pytest.fixture
def reports():
    made = []
    for month in (6, 7, 8):
        with at(date(2026, 9, 10)):
            made.append(monthly_report_make(month=date(2026, month, 1)))
    return made


def test_the_head_of_office_sees_the_list_and_downloads_both_files(client, head, reports):
    client.force_login(head)
    page = client.get(reverse("reports:report_list"))
    assert page.status_code == 200
    body = page.content.decode()
    for report in reports:
        assert reverse("reports:report_pdf", args=[report.pk]) in body
    pdf = client.get(reverse("reports:report_pdf", args=[reports[0].pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content)
    assert validate_pdf(content)[0].holds
    assert "evaluasi-2026-06.pdf" in pdf["Content-Disposition"]
    table = client.get(reverse("reports:report_csv", args=[reports[0].pk]))
    assert table.status_code == 200
    assert b"".join(table.streaming_content).decode("utf-8-sig").startswith(
        "month,scope,item,measure,value")
    assert client.get(reverse("reports:report_pdf", args=[987654])).status_code == 404


def test_the_list_costs_the_same_for_many_reports(client, head, django_assert_num_queries):
    client.force_login(head)
    with at(date(2026, 9, 10)):
        monthly_report_make(month=date(2026, 8, 1))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reports:report_list"))
    MonthlyReport.objects.bulk_create([
        MonthlyReport(month=date(2020 + index // 12, index % 12 + 1, 1), pdf=f"x/{index}.pdf",
                      csv=f"x/{index}.csv") for index in range(40)])
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(reverse("reports:report_list"))
    assert page.content.decode().count('class="report"') == 24


def test_everyone_else_is_refused(client, reports):
    urls = [reverse("reports:report_list"),
            reverse("reports:report_pdf", args=[reports[0].pk]),
            reverse("reports:report_csv", args=[reports[0].pk])]
    login = resolve_url(settings.LOGIN_URL)
    for url in urls:
        assert client.get(url)["Location"].startswith(login)
    business_user = UserFactory()
    BusinessFactory(owner=business_user)
    for user in (business_user, UserFactory(groups=[roles.FRONT_OFFICE]),
                 UserFactory(groups=[roles.TREASURY_SUPERVISOR]),
                 UserFactory(is_superuser=True, is_staff=True, groups=[roles.ADMINISTRATOR])):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        assert client.post(reverse("reports:report_make"),
                           {"month": "2026-05"}).status_code == 403
    assert MonthlyReport.objects.count() == 3


def test_the_head_of_office_makes_a_past_month_on_demand_once(client, head):
    client.force_login(head)
    with at(date(2026, 9, 10)):
        first = client.post(reverse("reports:report_make"), {"month": "2026-03"})
        again = client.post(reverse("reports:report_make"), {"month": "2026-03"})
    assert first.status_code == again.status_code == 302
    [report] = MonthlyReport.objects.all()
    assert report.month == date(2026, 3, 1) and report.pdf


@pytest.mark.parametrize("month", ["2026-09", "2026-12", "2026-13", "26-01", "x" * 5000])
def test_a_future_or_malformed_month_is_refused(client, head, month):
    client.force_login(head)
    with at(date(2026, 9, 10)):
        response = client.post(reverse("reports:report_make"), {"month": month})
    assert response.status_code == 400
    assert not MonthlyReport.objects.exists()


def test_the_administrator_names_recipients_and_reads_the_reports(admin_client, reports):
    assert admin_client.get(reverse("admin:evaluation_reportrecipient_add")).status_code == 200
    added = admin_client.post(reverse("admin:evaluation_reportrecipient_add"),
                              {"name": "Kepala Dinas", "email": "kadis@pekanbaru.go.id",
                               "active": "on"})
    assert added.status_code == 302
    assert ReportRecipient.objects.get().email == "kadis@pekanbaru.go.id"
    assert admin_client.get(reverse("admin:evaluation_monthlyreport_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:evaluation_monthlyreport_add")).status_code == 403
    change = reverse("admin:evaluation_monthlyreport_change", args=[reports[0].pk])
    assert admin_client.post(change, {"pdf_sha256": "0" * 64}).status_code == 403
