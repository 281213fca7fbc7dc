"""The daily close for the finance system (SIPKD): the file of a closed day, parsed back, sums to
the books per revenue account and carries the day's STS number, a gap-free number per year given
once when the day closes; only a closed day has a file, and only treasury staff get it."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from licensing import roles
from licensing.models import Sequence
from tests.factories import PermitTypeFactory, UserFactory
from tests.migrating import migrate, migrate_to_latest
from tests.payments.support import TOTAL, awaiting_payment
from tests.treasury.books import bill, officer, paid_at_counter, supervisor
from tests.treasury.test_closing import at_once
from treasury import sipkd
from treasury.closing import DayNotClosable, day_close
from treasury.models import DailyClose, LedgerEntry

DOCUMENTED = ["tanggal_buku", "nomor_sts", "kode_rekening", "uraian_rekening", "jumlah",
              "rekening_rkud", "bank", "jumlah_transaksi"]
LEVY, SIGN = "4.1.02.03.01.0001", "4.1.02.03.02.0002"
STS = re.compile(r"^STS/(\d{4})/(\d{6})$")


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def two_account_bill():
    """A bill of Rp 150.000 on two revenue accounts: Rp 100.000 levy, Rp 50.000 signboard."""
    permit_type = PermitTypeFactory(paid_after_approval=True, steps=["agency_a"], fee_rules=[
        {"amount": 100_000, "account_code": LEVY, "label_id": "Retribusi PBG"},
        {"amount": 50_000, "account_code": SIGN, "label_id": "Retribusi; reklame"}])
    return awaiting_payment(permit_type)[2]


def parse(content: bytes) -> tuple[list[str], list[dict], list[str]]:
    """(header, account rows as dicts, trailer) of a SIPKD file, read as an importer would."""
    assert not content.startswith(b"\xef\xbb\xbf")
    assert content.endswith(b"\r\n")
    lines = list(csv.reader(io.StringIO(content.decode("utf-8"), newline=""), delimiter=";"))
    header, *rows, trailer = lines
    return header, [dict(zip(header, row, strict=True)) for row in rows], trailer


def books_per_account(day: date) -> dict[str, tuple[int, int]]:
    """What the ledger holds for ``day``: code → (sum, entries), summed here, not by the code
    under test."""
    return {row["account_code"]: (row["amount"], row["entries"]) for row in
            LedgerEntry.objects.filter(book_day=day).values("account_code")
            .annotate(amount=Sum("amount"), entries=Count("pk")).order_by()}


@pytest.fixture
def closed_books(db):
    """A day with a bill on two accounts and two plain bills, closed; then a late payment of
    that day, booked into today, and today closed too."""
    clerk = officer()
    day = days_ago(2)
    paid_at_counter(two_account_bill(), on=day, by=clerk)
    paid_at_counter(bill(), on=day, by=clerk)
    paid_at_counter(bill(), on=day, by=clerk)
    first = day_close(day=day, actor=clerk)
    paid_at_counter(bill(), on=day, by=clerk)  # late: lands in today
    second = day_close(day=timezone.localdate(), actor=clerk)
    return {"clerk": clerk, "day": day, "first": first, "second": second}


def test_the_documented_columns_are_the_exported_ones():
    assert list(sipkd.COLUMNS) == DOCUMENTED
    with open("docs/treasury/sipkd-export.md", encoding="utf-8") as doc:
        text = doc.read()
    for column in DOCUMENTED:
        assert f"`{column}`" in text


def test_the_sipkd_file_parsed_back_sums_to_the_books_per_account(client, closed_books,
                                                                 settings):
    client.force_login(closed_books["clerk"])
    close, day = closed_books["first"], closed_books["day"]

    response = client.get(reverse("treasury:day_sipkd", args=[day]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    number = close.sts_number.replace("/", "-")
    assert response["Content-Disposition"] == (
        f'attachment; filename="sipkd-{day.isoformat()}-{number}.csv"')
    header, rows, trailer = parse(response.content)
    assert header == DOCUMENTED
    books = books_per_account(day)
    assert {row["kode_rekening"]: (int(row["jumlah"]), int(row["jumlah_transaksi"]))
            for row in rows} == books == {LEVY: (100_000 + 2 * TOTAL, 3), SIGN: (50_000, 1)}
    assert [row["kode_rekening"] for row in rows] == sorted(books)
    assert {(row["tanggal_buku"], row["nomor_sts"], row["rekening_rkud"], row["bank"])
            for row in rows} == {(day.isoformat(), close.sts_number,
                                  settings.TREASURY_RKUD_ACCOUNT, settings.TREASURY_RKUD_BANK)}
    # The description is the bill line's; a separator inside it survives the round trip.
    assert next(row for row in rows if row["kode_rekening"] == SIGN)["uraian_rekening"] == (
        "Retribusi; reklame")
    assert trailer == ["TOTAL", str(len(rows)), str(sum(int(row["jumlah"]) for row in rows))]
    assert int(trailer[2]) == close.total == sum(amount for amount, _n in books.values())


def test_a_late_item_is_in_the_file_of_the_day_it_was_booked_into(closed_books):
    second = closed_books["second"]
    _header, rows, trailer = parse(sipkd.daily_close_export(second))
    assert [(row["tanggal_buku"], row["kode_rekening"], int(row["jumlah"])) for row in rows] == [
        (second.day.isoformat(), LEVY, TOTAL)]
    assert trailer == ["TOTAL", "1", str(TOTAL)]


@pytest.mark.django_db
def test_a_closed_day_without_money_has_the_header_and_a_zero_trailer():
    close = day_close(day=days_ago(5), actor=officer())
    header, rows, trailer = parse(sipkd.daily_close_export(close))
    assert (header, rows, trailer) == (DOCUMENTED, [], ["TOTAL", "0", "0"])


@pytest.mark.django_db
def test_an_open_day_has_no_file_and_no_download_button(client):
    clerk, day = officer(), days_ago(1)
    paid_at_counter(bill(), on=day, by=clerk)
    client.force_login(clerk)
    assert client.get(reverse("treasury:day_sipkd", args=[day])).status_code == 404
    assert b"sipkd-download" not in client.get(reverse("treasury:day_detail", args=[day])).content

    day_close(day=day, actor=clerk)
    url = reverse("treasury:day_sipkd", args=[day]).encode()
    for page in ("treasury:day_detail", "treasury:day_sts"):
        assert url in client.get(reverse(page, args=[day])).content
    assert client.get(url.decode()).status_code == 200


@pytest.mark.parametrize("groups", [[], [roles.FRONT_OFFICE], [roles.ADMINISTRATOR]])
def test_only_treasury_staff_download_the_file(client, closed_books, groups):
    url = reverse("treasury:day_sipkd", args=[closed_books["day"]])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(UserFactory(groups=groups, is_staff=bool(groups)))
    assert client.get(url).status_code == 403
    client.force_login(supervisor())
    assert client.get(url).status_code == 200


def test_the_sts_number_is_on_the_day_and_the_sts_page(client, closed_books):
    client.force_login(closed_books["clerk"])
    number = closed_books["first"].sts_number
    for page in ("treasury:day_detail", "treasury:day_sts"):
        content = client.get(reverse(page, args=[closed_books["day"]])).content.decode()
        assert re.search(rf'class="sts-number">{re.escape(number)}<', content), page


@pytest.mark.django_db
def test_sts_numbers_are_consecutive_one_per_close_in_the_days_year_never_reused():
    clerk = officer()
    days = [days_ago(n) for n in (4, 9, 1, 6)]  # closed out of date order
    closes = [day_close(day=day, actor=clerk) for day in days]
    with pytest.raises(DayNotClosable):  # refused: takes no number
        day_close(day=days[0], actor=clerk)
    with pytest.raises(DayNotClosable):
        day_close(day=timezone.localdate() + timedelta(days=1), actor=clerk)
    with pytest.raises(RuntimeError), transaction.atomic():  # rolled back: gives it back
        day_close(day=days_ago(3), actor=clerk)
        raise RuntimeError
    closes.append(day_close(day=days_ago(2), actor=clerk))

    by_year: dict[int, list[int]] = {}
    for close in closes:
        year, seq = STS.match(close.sts_number).groups()
        assert int(year) == close.day.year
        by_year.setdefault(int(year), []).append(int(seq))
    for year, seqs in by_year.items():  # two years only when the test runs in early January
        assert seqs == list(range(1, len(seqs) + 1)), year
        assert Sequence.objects.get(key="sts", year=year).last_value == len(seqs)
    assert [close.sts_number for close in DailyClose.objects.order_by("closed_at", "pk")] == [
        close.sts_number for close in closes]


@pytest.mark.django_db(transaction=True)
def test_the_migration_numbers_days_closed_before_in_date_order():
    old = migrate([("treasury", "0004_statement_matching")])
    try:
        user = old.get_model("licensing", "User").objects.create(email="t@example.id",
                                                                  full_name="T")
        closes = old.get_model("treasury", "DailyClose").objects
        for day in (date(2026, 3, 2), date(2025, 12, 30), date(2026, 1, 5), date(2025, 12, 31)):
            closes.create(day=day, closed_by=user, entry_count=0, total=0)

        new = migrate([("treasury", "0005_dailyclose_sts_number")])
        numbers = dict(new.get_model("treasury", "DailyClose").objects
                       .values_list("day", "sts_number"))
        assert numbers == {date(2025, 12, 30): "STS/2025/000001",
                           date(2025, 12, 31): "STS/2025/000002",
                           date(2026, 1, 5): "STS/2026/000001",
                           date(2026, 3, 2): "STS/2026/000002"}
        counters = dict(new.get_model("licensing", "Sequence").objects.filter(key="sts")
                        .values_list("year", "last_value"))
        assert counters == {2025: 2, 2026: 2}
    finally:
        migrate_to_latest()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_days_closed_at_the_same_moment_take_distinct_consecutive_numbers():
    clerks = [officer() for _ in range(6)]
    days = [date(2025, 11, n) for n in range(2, 8)]
    connection.close()

    results = at_once([lambda clerk=clerk, day=day: day_close(day=day, actor=clerk)
                       for clerk, day in zip(clerks, days, strict=True)])

    assert all(isinstance(result, DailyClose) for result in results), results
    assert sorted(DailyClose.objects.values_list("sts_number", flat=True)) == [
        f"STS/2025/{seq:06d}" for seq in range(1, 7)]
