"""The treasury's dashboard: collections per day and week, by permit type and method; open bills
and their age; unresolved exceptions per kind; refunds under way."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from payments import payment_services
from payments.states import RefundReason
from tests.factories import PermitTypeFactory
from tests.payments.flow import pay_by_card, start, use_sandbox
from tests.payments.support import TOTAL, awaiting_payment, building_type
from tests.portal import in_english
from tests.treasury.books import bill, issued_on, officer, paid_at_counter
from treasury.exceptions import exception_resolve
from treasury.models import Discrepancy
from treasury.refunds import refund_propose
from treasury.selectors.dashboard import (
    collections_by_day,
    collections_by_week,
    dashboard_get,
    exception_counts,
    outstanding_by_age,
    refunds_pending,
)
from treasury.states import DiscrepancyKind, LedgerMethod, Resolution

pytestmark = pytest.mark.django_db


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def small_type():
    """A permit type billing Rp 150.000 (one line)."""
    return PermitTypeFactory(paid_after_approval=True, steps=["agency_a"], code="SIGN",
                             name_en="Signboard permit", name_id="Izin reklame")


@pytest.fixture
def month():
    """Counter payments today, 3 and 40 days ago; open bills of several ages."""
    clerk, building = officer(), building_type(steps=["agency_a"], code="PBG")
    paid_at_counter(bill(building), on=timezone.localdate(), by=clerk)
    paid_at_counter(bill(building), on=timezone.localdate(), by=clerk)
    paid_at_counter(bill(small_type()), on=days_ago(3), by=clerk)
    paid_at_counter(bill(), on=days_ago(40), by=clerk)
    ages = {}
    for age in (0, 7, 8, 14, 15, 30, 31, 90):
        ages[age] = bill()
        issued_on(ages[age], days_ago(age))
    return {"clerk": clerk, "open": ages}


def test_collections_per_day_cover_the_last_30_days_by_method(month):
    days = collections_by_day(today=timezone.localdate())
    assert len(days) == 30
    assert (days[0].start, days[-1].start) == (days_ago(29), timezone.localdate())
    assert days[-1].by_method == {"card": 0, "va": 0, "qris": 0, "counter": 2 * TOTAL}
    assert days[-4].received == 150_000 and days[-4].start == days_ago(3)
    assert sum(day.received for day in days) == 2 * TOTAL + 150_000  # 40 days ago: not in


def test_collections_per_iso_week_start_on_mondays(month):
    weeks = collections_by_week(today=timezone.localdate())
    assert len(weeks) == 12
    assert all(week.start.weekday() == 0 for week in weeks)
    this_week = weeks[-1]
    assert this_week.start <= timezone.localdate() < this_week.start + timedelta(days=7)
    assert this_week.iso_week == "{}-W{:02d}".format(*timezone.localdate().isocalendar()[:2])
    assert sum(week.received for week in weeks) == 3 * TOTAL + 150_000  # 40 days: in 12 weeks
    week_of = next(week for week in weeks if week.start <= days_ago(3) < week.start
                   + timedelta(days=7))
    assert week_of.by_method["counter"] >= 150_000


def test_by_permit_type_and_by_method_over_30_days(month):
    board = dashboard_get()
    assert [(row.key, row.amount) for row in board.by_permit_type] == [("PBG", 2 * TOTAL),
                                                                      ("SIGN", 150_000)]
    assert {row.key: row.amount for row in board.by_method} == {
        LedgerMethod.CARD: 0, LedgerMethod.VA: 0, LedgerMethod.QRIS: 0,
        LedgerMethod.COUNTER: 2 * TOTAL + 150_000}


def test_open_bills_by_age_since_issue(month):
    buckets = outstanding_by_age(today=timezone.localdate())
    assert [(bucket.invoices, bucket.amount) for bucket in buckets] == [
        (2, 2 * TOTAL),  # 0 and 7 days
        (2, 2 * TOTAL),  # 8 and 14
        (2, 2 * TOTAL),  # 15 and 30
        (2, 2 * TOTAL),  # 31 and 90
    ]
    board = dashboard_get()
    assert (board.outstanding_invoices, board.outstanding_amount) == (8, 8 * TOTAL)  # paid: out


def test_exception_counts_leave_out_resolved_ones():
    clerk = officer()
    for number, kind in enumerate([DiscrepancyKind.UNMATCHED_BANK_LINE] * 2
                                  + [DiscrepancyKind.AMOUNT_MISMATCH] * 2):
        Discrepancy.objects.create(kind=kind, key=f"{kind}:{number}", day=days_ago(1))
    exception_resolve(discrepancy=Discrepancy.objects.filter(kind="amount").first(), actor=clerk,
                      note="Paid the difference at the counter", resolution=Resolution.EXPLAINED)
    counts = {row.key: row.count for row in exception_counts()}
    assert counts == {kind.value: 0 for kind in DiscrepancyKind} | {"bank_line": 2, "amount": 1}


@pytest.fixture
def gateway(settings, live_server):
    use_sandbox(settings, live_server)


def test_refunds_under_way_are_counted_per_state(gateway):
    _application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner, "card")
    pay_by_card(payment)
    payment = payment_services.payment_refresh(payment=payment)
    refund_propose(payment=payment, amount=200_000, reason=RefundReason.OTHER,
                   note="Waived by decree", actor=officer())
    pending = {row.key: (row.count, row.amount) for row in refunds_pending()}
    assert pending["proposed"] == (1, 200_000)
    assert pending["draft"] == pending["approved"] == pending["pending"] == (0, 0)
    assert dashboard_get().by_method[0].amount == TOTAL  # card


def test_the_dashboard_page_shows_the_figures_and_its_charts(client, month):
    client.force_login(month["clerk"])
    in_english(client)
    response = client.get(reverse("treasury:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    charts = re.findall(r"<svg .*?</svg>", page, flags=re.S)
    assert len(charts) == 3
    for chart in charts:
        ET.fromstring(chart)  # well-formed, inline, no script
    assert 'role="img"' in charts[0] and "<script" not in page.split("</main>")[0]
    assert f'data-value="{2 * TOTAL}"' in charts[0]
    assert "Signboard permit" in charts[2]
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "8 bills, Rp 14.460.000" in shown
    assert "Rp 3.765.000" in shown  # received in 30 days: 2 × 1.807.500 + 150.000


def test_the_dashboard_is_one_query_per_figure_however_much_data(month,
                                                                django_assert_num_queries):
    with django_assert_num_queries(7):
        dashboard_get()
