"""Exports for the city's finance system: the ledger as CSV and XLSX (columns, one row per entry,
sums equal to the books) and the day's deposit summary (STS) with its total in words."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from payments import payment_services
from payments.refunds import refund_send
from tests.factories import PermitTypeFactory
from tests.payments.flow import pay_by_card, start, use_sandbox
from tests.payments.support import TOTAL, awaiting_payment
from tests.portal import in_english
from tests.treasury.books import bill, officer, paid_at_counter, supervisor
from treasury.closing import day_close
from treasury.exports import (
    COLUMNS,
    ledger_csv,
    ledger_xlsx,
    sts_csv,
    sts_for_day,
)
from treasury.models import LedgerEntry
from treasury.refunds import refund_approve, refund_propose

DOCUMENTED = ["entry_id", "book_day", "occurred_on", "account_code", "permit_type_code",
              "invoice_number", "billing_code", "method", "kind", "amount", "reference", "late"]
LEVY, SIGN = "4.1.02.03.01.0001", "4.1.02.03.02.0002"


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def two_account_bill():
    """A bill of Rp 150.000 on two revenue accounts: Rp 100.000 levy, Rp 50.000 signboard."""
    permit_type = PermitTypeFactory(paid_after_approval=True, steps=["agency_a"], fee_rules=[
        {"amount": 100_000, "account_code": LEVY}, {"amount": 50_000, "account_code": SIGN}])
    return awaiting_payment(permit_type)[2]


@pytest.fixture
def books(db):
    """Three business days of counter payments; the middle one closed before a late payment."""
    clerk = officer()
    split = two_account_bill()
    paid_at_counter(split, on=days_ago(3), by=clerk, reference="TLR-SPLIT")
    paid_at_counter(bill(), on=days_ago(2), by=clerk, reference="TLR-A")
    day_close(day=days_ago(2), actor=clerk)
    late = bill()
    paid_at_counter(late, on=days_ago(2), by=clerk, reference="TLR-LATE")  # lands today
    paid_at_counter(bill(), on=days_ago(9), by=clerk)  # outside the range exported below
    return {"clerk": clerk, "split": split, "late": late}


def parse_csv(content: bytes) -> list[dict]:
    assert not content.startswith(b"\xef\xbb\xbf")  # UTF-8 without a byte-order mark
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def ledger_sum(start: date, end: date) -> int:
    return LedgerEntry.objects.filter(book_day__range=(start, end)).aggregate(
        total=Sum("amount"))["total"]


def test_the_documented_columns_are_the_exported_ones():
    assert list(COLUMNS) == DOCUMENTED
    with open("docs/treasury/exports.md", encoding="utf-8") as doc:
        text = doc.read()
    for column in DOCUMENTED:
        assert f"`{column}`" in text


def test_csv_has_one_row_per_entry_in_the_range_and_sums_to_the_books(books):
    start, end = days_ago(3), timezone.localdate()
    content = ledger_csv(start=start, end=end)
    header = content.split(b"\r\n", 1)[0].decode()
    assert header.split(",") == DOCUMENTED

    rows = parse_csv(content)
    assert [int(row["entry_id"]) for row in rows] == list(
        LedgerEntry.objects.filter(book_day__range=(start, end)).order_by("book_day", "pk")
        .values_list("pk", flat=True))
    assert sum(int(row["amount"]) for row in rows) == ledger_sum(start, end) == 150_000 + 2 * TOTAL
    split = [row for row in rows if row["invoice_number"] == books["split"].number]
    assert [(row["book_day"], row["account_code"], row["amount"], row["method"], row["kind"],
             row["reference"], row["billing_code"], row["late"]) for row in split] == [
        (days_ago(3).isoformat(), LEVY, "100000", "counter", "counter", "TLR-SPLIT",
         books["split"].billing_code, "0"),
        (days_ago(3).isoformat(), SIGN, "50000", "counter", "counter", "TLR-SPLIT",
         books["split"].billing_code, "0")]
    assert split[0]["permit_type_code"] == books["split"].application.permit_type.code
    late = next(row for row in rows if row["invoice_number"] == books["late"].number)
    assert (late["book_day"], late["occurred_on"], late["late"], late["reference"]) == (
        timezone.localdate().isoformat(), days_ago(2).isoformat(), "1", "TLR-LATE")


def test_xlsx_has_the_same_rows_typed_and_a_totals_row(books):
    start, end = days_ago(3), timezone.localdate()
    sheet = load_workbook(io.BytesIO(ledger_xlsx(start=start, end=end)))["ledger"]
    rows = list(sheet.iter_rows(values_only=True))
    header, entries, totals = rows[0], rows[1:-1], rows[-1]
    assert list(header) == DOCUMENTED
    amount = DOCUMENTED.index("amount")
    as_csv = parse_csv(ledger_csv(start=start, end=end))
    assert [row[0] for row in entries] == [int(row["entry_id"]) for row in as_csv]
    assert all(isinstance(row[amount], int) for row in entries)
    assert all(row[1].date() == date.fromisoformat(csv_row["book_day"])
               for row, csv_row in zip(entries, as_csv, strict=True))
    assert totals[0] == "total"
    assert totals[amount] == sum(row[amount] for row in entries) == ledger_sum(start, end)


@pytest.mark.django_db
def test_an_empty_range_exports_only_the_header():
    assert parse_csv(ledger_csv(start=date(2020, 1, 1), end=date(2020, 1, 31))) == []
    rows = list(load_workbook(io.BytesIO(ledger_xlsx(start=date(2020, 1, 1),
                                                     end=date(2020, 1, 1))))["ledger"]
                .iter_rows(values_only=True))
    assert rows[0] == tuple(DOCUMENTED) and rows[1][0] == "total" and rows[1][9] == 0


def test_the_deposit_summary_totals_each_revenue_account_and_says_the_total_in_words(books):
    sts = sts_for_day(day=days_ago(3))
    assert [(row.key, row.amount) for row in sts.rows] == [(LEVY, 100_000), (SIGN, 50_000)]
    assert sts.total == 150_000 == ledger_sum(days_ago(3), days_ago(3))
    assert sts.total_in_words == "seratus lima puluh ribu rupiah"
    assert sts.close is None  # not closed: the page says it is provisional

    rows = list(csv.DictReader(io.StringIO(sts_csv(sts=sts).decode())))
    assert [(row["account_code"], int(row["amount"])) for row in rows] == [(LEVY, 100_000),
                                                                         (SIGN, 50_000)]
    assert {(row["day"], row["rkud_bank"], row["rkud_account"]) for row in rows} == {
        (days_ago(3).isoformat(), sts.bank, sts.account)}
    assert sts_for_day(day=days_ago(2)).close is not None


def test_the_sts_page_is_printable_with_the_rkud_and_the_words(client, books, settings):
    client.force_login(books["clerk"])
    in_english(client)
    page = client.get(reverse("treasury:day_sts", args=[days_ago(2)])).content.decode()
    assert settings.TREASURY_RKUD_ACCOUNT in page and settings.TREASURY_RKUD_BANK in page
    assert "Rp 1.807.500" in page
    assert "Satu juta delapan ratus tujuh ribu lima ratus rupiah" in page
    assert "Provisional" not in page
    assert "@media print" in page
    provisional = client.get(reverse("treasury:day_sts", args=[days_ago(3)])).content.decode()
    assert "Provisional" in provisional
    download = client.get(reverse("treasury:day_sts_csv", args=[days_ago(3)]))
    assert download["Content-Disposition"] == (
        f'attachment; filename="sts-{days_ago(3).isoformat()}.csv"')


def test_a_day_downloads_as_csv_and_xlsx(client, books):
    client.force_login(books["clerk"])
    day = days_ago(3)
    as_csv = client.get(reverse("treasury:day_export", args=[day, "csv"]))
    assert as_csv.status_code == 200
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert as_csv["Content-Disposition"] == f'attachment; filename="ledger-{day}.csv"'
    assert len(parse_csv(as_csv.content)) == 2
    as_xlsx = client.get(reverse("treasury:day_export", args=[day, "xlsx"]))
    assert as_xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(as_xlsx.content))["ledger"].max_row == 4  # header, 2, total
    assert client.get(reverse("treasury:day_export", args=[day, "pdf"])).status_code == 404


def test_a_range_downloads_from_the_form_and_a_bad_range_is_refused_kept_as_typed(client, books):
    client.force_login(books["clerk"])
    in_english(client)
    url = reverse("treasury:ledger_export")
    start, end = days_ago(3), timezone.localdate()
    response = client.get(url, {"start": start, "end": end, "format": "csv"})
    assert response["Content-Disposition"] == f'attachment; filename="ledger-{start}_{end}.csv"'
    assert sum(int(row["amount"]) for row in parse_csv(response.content)) == ledger_sum(start,
                                                                                      end)

    backwards = client.get(url, {"start": end, "end": start, "format": "xlsx"})
    assert backwards.status_code == 400
    assert "The first day must not be after the last." in backwards.content.decode()
    assert f'value="{end.isoformat()}"' in backwards.content.decode()
    too_long = client.get(url, {"start": "2024-01-01", "end": "2025-12-31", "format": "csv"})
    assert too_long.status_code == 400
    assert "at most 366 days" in too_long.content.decode()
    assert client.get(url, {"start": "soon", "end": "", "format": "csv"}).status_code == 400


@pytest.fixture
def gateway(settings, live_server):
    use_sandbox(settings, live_server)


def test_online_money_names_the_gateway_reference_and_a_refund_is_negative(gateway):
    _application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner, "card")
    pay_by_card(payment)
    payment = payment_services.payment_refresh(payment=payment)
    maker, checker = officer(), supervisor()
    refund = refund_propose(payment=payment, amount=300_000, reason="other",
                            note="Part of the levy waived by decree", actor=maker)
    refund_approve(refund=refund, actor=checker)
    refund = refund_send(refund_id=refund.pk)

    today = timezone.localdate()
    rows = parse_csv(ledger_csv(start=today, end=today))
    assert [(row["method"], row["kind"], int(row["amount"]), row["reference"])
            for row in rows] == [
        ("card", "payment", TOTAL, payment.payment_intent_id),
        ("card", "refund", -300_000, refund.gateway_refund_id)]
    assert sts_for_day(day=today).total == TOTAL - 300_000
