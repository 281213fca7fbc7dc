"""The public statistics against a small hand-built year whose answers are worked out here:
received and issued this month and this year, the median working days to a decision and the
share within the standard, the satisfaction index — and a figure of fewer than five decisions or
answers withheld, for a permit type as for the office."""

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from evaluation.public_statistics import public_statistics
from tests.evaluation.public_support import answers, application, clock, wib
from tests.factories import PermitTypeFactory

pytestmark = pytest.mark.django_db

TODAY = wib(2026, 11, 18, 10)  # a Wednesday in November


@pytest.fixture
def year():
    """Two permit types with activity, a third with none.

    A (standard 10): a1 to a6 decided 10 Nov after 2, 4, 6, 8, 10, 12 working days (a1 to a4
    received in November, a5 and a6 in October; a1 to a3 issued in November); a7 and a8
    received, decided and issued in March after 20 and 1 days; a9 received in November and
    withdrawn (its clock ended, no decision: no processing time); a10 received 31 October 23:30
    WIB (October) and a11 received 1 November 00:30 WIB (November, though still 31 October in
    UTC); a12 all in December 2025 (another year).
    B (standard 5): b1 to b2 received 2 Nov, decided 9 Nov after 1 and 1 days, b1 issued; b3 to b5
    received and decided in February after 5, 7, 9 days.
    """
    a = PermitTypeFactory(code="AAA", service_standard_days=10)
    b = PermitTypeFactory(code="BBB", service_standard_days=5)
    PermitTypeFactory(code="CCC")
    for n, used in enumerate([2, 4, 6, 8, 10, 12]):
        made = application(a, submitted=wib(2026, 11, 3, 10) if n < 4 else wib(2026, 10, 20, 9),
                           decided=wib(2026, 11, 10, 14),
                           issued=wib(2026, 11, 12, 9) if n < 3 else None)
        clock(made, stopped=wib(2026, 11, 10, 14), used=used, standard=10)
    for used in (20, 1):
        made = application(a, submitted=wib(2026, 3, 2, 9), decided=wib(2026, 3, 20, 9),
                           issued=wib(2026, 3, 25, 9))
        clock(made, stopped=wib(2026, 3, 20, 9), used=used, standard=10)
    withdrawn = application(a, submitted=wib(2026, 11, 5, 9))
    clock(withdrawn, stopped=wib(2026, 11, 6, 9), used=3, standard=10)
    application(a, submitted=wib(2026, 10, 31, 23, 30))
    application(a, submitted=wib(2026, 11, 1, 0, 30))
    last_year = application(a, submitted=wib(2025, 12, 15, 9), decided=wib(2025, 12, 20, 9),
                            issued=wib(2025, 12, 22, 9))
    clock(last_year, stopped=wib(2025, 12, 20, 9), used=4, standard=10)
    for n in range(2):
        made = application(b, submitted=wib(2026, 11, 2, 9), decided=wib(2026, 11, 9, 9),
                           issued=wib(2026, 11, 11, 9) if n == 0 else None)
        clock(made, stopped=wib(2026, 11, 9, 9), used=1, standard=5)
    for used in (5, 7, 9):
        made = application(b, submitted=wib(2026, 2, 2, 9), decided=wib(2026, 2, 16, 9))
        clock(made, stopped=wib(2026, 2, 16, 9), used=used, standard=5)
    # Survey: A in November 4, 4, 4, 3, 3 (NRR 3.6 → 90.00, A); B in November 4, 4 (two: withheld);
    # A in June 1, 1; nine answers of December 2025 that no figure of 2026 counts.
    answers(a, on=date(2026, 11, 12), score=4, times=3)
    answers(a, on=date(2026, 11, 13), score=3, times=2)
    answers(b, on=date(2026, 11, 12), score=4, times=2)
    answers(a, on=date(2026, 6, 1), score=1, times=2)
    answers(a, on=date(2025, 12, 30), score=4, times=9)
    return a, b


def by_code(statistics):
    return {row.permit_type.code: row for row in statistics.permit_types}


@time_machine.travel(TODAY, tick=False)
def test_the_office_figures_of_the_month_and_the_year(year):
    office = public_statistics().office
    # Received in November: a1 to a4, a9, a11, b1, b2; in 2026 also a5, a6, a7, a8, a10, b3 to b5.
    assert (office.month.received, office.year.received) == (8, 16)
    # Issued: a1 to a3 and b1 in November; a7, a8 in March.
    assert (office.month.issued, office.year.issued) == (4, 6)
    # November's decisions: 2, 4, 6, 8, 10, 12 and 1, 1 → 1 1 2 4 | 6 8 10 12: (4 + 6) / 2 = 5;
    # within the standard: all but A's 12 → 7 of 8.
    assert office.month.decided == 8
    assert office.month.median_working_days == Decimal(5)
    assert office.month.share_within_standard == Decimal("87.5")
    # 2026's: also 20, 1 (A) and 5, 7, 9 (B, standard 5) → 1 1 1 2 4 5 [6] 7 8 9 10 12 20;
    # within: A's 2 4 6 8 10 1 (standard 10) and B's 1 1 5 (standard 5) → 9 of 13 = 69.2 %.
    assert office.year.decided == 13
    assert office.year.median_working_days == Decimal(6)
    assert office.year.share_within_standard == Decimal("69.2")
    # IKM: November 4 4 4 3 3 4 4 → 26 / 7 = 3.714… × 25 = 92.86 (A); the year adds 1 1 →
    # 28 / 9 = 3.111… × 25 = 77.78 (B).
    assert (office.month.ikm, office.month.ikm_grade) == (Decimal("92.86"), "A")
    assert (office.year.ikm, office.year.ikm_grade) == (Decimal("77.78"), "B")


@time_machine.travel(TODAY, tick=False)
def test_each_permit_types_figures_and_the_small_ones_withheld(year):
    rows = by_code(public_statistics())
    a, b, c = rows["AAA"], rows["BBB"], rows["CCC"]
    assert (a.month.received, a.year.received, a.month.issued, a.year.issued) == (6, 11, 3, 5)
    # A in November: 2 4 6 | 8 10 12 → 7; within 5 of 6.
    assert (a.month.median_working_days, a.month.share_within_standard) == (Decimal(7),
                                                                           Decimal("83.3"))
    # A in 2026: 1 2 4 6 | 8 10 12 20 → 7; within 6 of 8.
    assert (a.year.median_working_days, a.year.share_within_standard) == (Decimal(7),
                                                                         Decimal("75.0"))
    assert (a.month.ikm, a.month.ikm_grade) == (Decimal("90.00"), "A")
    # 18 + 2 = 20 / 7 = 2.857… × 25 = 71.43: C.
    assert (a.year.ikm, a.year.ikm_grade) == (Decimal("71.43"), "C")

    # B decided two in November: no median, no share, for those two businesses' sake.
    assert (b.month.received, b.month.issued, b.month.decided) == (2, 1, 2)
    assert b.month.time_withheld
    assert b.month.median_working_days is None and b.month.share_within_standard is None
    # Five in the year: 1 1 [5] 7 9, within 5 days: 1, 1, 5.
    assert not b.year.time_withheld
    assert (b.year.median_working_days, b.year.share_within_standard) == (Decimal(5),
                                                                         Decimal("60.0"))
    # Two answers are two people's scores: withheld, in the month and the year.
    assert b.month.ikm_withheld and b.year.ikm_withheld and b.year.ikm is None

    assert (c.month.received, c.year.decided) == (0, 0)
    assert c.year.time_withheld and c.year.ikm_withheld


@time_machine.travel(wib(2026, 11, 18, 10), tick=False)
def test_the_office_too_is_withheld_below_five():
    a = PermitTypeFactory(code="AAA")
    for used in (3, 4):
        clock(application(a, submitted=wib(2026, 11, 2, 9), decided=wib(2026, 11, 9, 9)),
              stopped=wib(2026, 11, 9, 9), used=used, standard=10)
    answers(a, on=date(2026, 11, 10), score=4, times=4)
    office = public_statistics().office
    assert office.month.received == 2
    assert office.month.time_withheld and office.month.median_working_days is None
    assert office.month.ikm_withheld and office.month.ikm is None


def _row(html: str, period: str, scope: str) -> str:
    section = re.search(rf'data-period="{period}">(.*?)</section>', html, re.S).group(1)
    return re.search(rf'data-scope="{scope}">(.*?)</tr>', section, re.S).group(1)


def _cell(row: str, measure: str) -> str:
    cell = re.search(rf'data-measure="{measure}"[^>]*>(.*?)</td>', row, re.S).group(1)
    return re.sub(r"<[^>]+>", " ", cell).split()[0] if cell.strip() else ""


@time_machine.travel(TODAY, tick=False)
def test_the_page_shows_the_figures_and_a_dash_with_its_reason(client, year):
    # In Indonesian, the default: decimal commas.
    response = client.get(reverse("public:statistics"))
    assert response.status_code == 200
    html = response.content.decode()
    office = _row(html, "month", "office")
    assert [_cell(office, m) for m in ("received", "issued", "median", "within-standard",
                                       "ikm")] == ["8", "4", "5", "87,5", "92,86"]
    b_month = _row(html, "month", "BBB")
    assert _cell(b_month, "received") == "2"
    assert [_cell(b_month, m) for m in ("median", "within-standard", "ikm")] == ["—"] * 3
    assert "data-withheld" in b_month
    assert [_cell(_row(html, "year", "BBB"), m) for m in ("median", "within-standard")] == [
        "5", "60,0"]
    assert 'class="withheld-note"' in html  # what the dash means, said once under the tables


def test_figures_are_kept_briefly_and_a_new_day_counts_afresh():
    a = PermitTypeFactory(code="AAA")
    with time_machine.travel(wib(2026, 11, 18, 10), tick=False):
        assert public_statistics().office.month.received == 0
        application(a, submitted=wib(2026, 11, 18, 9))
        assert public_statistics().office.month.received == 0  # the cached count
        cache.clear()
        assert public_statistics().office.month.received == 1
    application(a, submitted=wib(2026, 11, 18, 11))
    with time_machine.travel(wib(2026, 11, 19, 8), tick=False):
        assert public_statistics().office.month.received == 2


def test_the_page_reads_the_live_tables_in_a_few_queries(client, django_assert_max_num_queries):
    a = PermitTypeFactory(code="AAA")
    for n in range(12):
        PermitTypeFactory(code=f"T{n:02d}X")
    with time_machine.travel(wib(2026, 11, 18, 10), tick=False):
        answers(a, on=date(2026, 11, 10), score=4, times=5)
        # Counts, times, answers, the four IKMs shown (the office's and A's, per period), the
        # types, and the request's savepoint in and out: however many permit types there are.
        with django_assert_max_num_queries(10):
            assert client.get(reverse("public:statistics")).status_code == 200
        with django_assert_max_num_queries(3):  # from the cache: the permit types only
            assert client.get(reverse("public:statistics")).status_code == 200
