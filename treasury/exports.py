"""Files for the city's finance system: the ledger entries of a day or a range of days (CSV for
machines, XLSX for people) and the deposit summary (STS, Surat Tanda Setoran) of a day.

The columns and their meaning are documented in ``docs/treasury/exports.md``; change both
together. Codes, not labels, go into the files (method ``va``, kind ``refund``): the finance
system imports them whatever the reader's language."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import Coalesce
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from treasury.models import DailyClose, LedgerEntry
from treasury.selectors.closing import TotalRow, account_rows
from treasury.words import rupiah_in_words

COLUMNS = ("entry_id", "book_day", "occurred_on", "account_code", "permit_type_code",
           "invoice_number", "billing_code", "method", "kind", "amount", "reference", "late")
AMOUNT = COLUMNS.index("amount")
# One export covers at most a year of books: enough for any report, small enough for memory.
MAX_DAYS = 366


def ledger_rows(*, start: date, end: date) -> Iterator[tuple]:
    """The entries of business days ``start``..``end`` in book order, one tuple per entry in
    ``COLUMNS`` order; one query, streamed."""
    reference = Case(
        When(refund__isnull=False, then=Coalesce("refund__gateway_refund_id", Value(""))),
        When(counter_payment__isnull=False,
             then=F("counter_payment__bank_line__bank_reference")),
        default=Coalesce("payment__payment_intent_id", Value("")),
        output_field=CharField(),
    )
    rows = (LedgerEntry.objects.filter(book_day__range=(start, end))
            .annotate(reference=reference).order_by("book_day", "pk")
            .values_list("pk", "book_day", "occurred_on", "account_code", "permit_type__code",
                         "invoice__number", "invoice__billing_code", "method", "kind", "amount",
                         "reference"))
    for row in rows.iterator(chunk_size=2000):
        yield (*row, int(row[1] != row[2]))


def ledger_filename(*, start: date, end: date, fmt: str) -> str:
    span = start.isoformat() if start == end else f"{start.isoformat()}_{end.isoformat()}"
    return f"ledger-{span}.{fmt}"


def ledger_csv(*, start: date, end: date) -> bytes:
    """RFC 4180 CSV, UTF-8 without a byte-order mark, a header row and no totals row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(ledger_rows(start=start, end=end))
    return buffer.getvalue().encode("utf-8")


def ledger_xlsx(*, start: date, end: date) -> bytes:
    """One sheet ``ledger``: the header row, one row per entry (dates as dates, amounts as whole
    numbers) and a last row with the total of the amount column."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("ledger")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_styled(sheet, name, font=bold) for name in COLUMNS])
    total = 0
    for row in ledger_rows(start=start, end=end):
        total += row[AMOUNT]
        sheet.append([_styled(sheet, value) for value in row])
    totals = [None] * len(COLUMNS)
    totals[0] = _styled(sheet, "total", font=bold)
    totals[AMOUNT] = _styled(sheet, total, font=bold)
    sheet.append(totals)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _styled(sheet, value, *, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, int):
        cell.number_format = "#,##0"
    if font is not None:
        cell.font = font
    return cell


@dataclass(frozen=True)
class Sts:
    """The deposit summary (Surat Tanda Setoran) of one business day: per revenue account code,
    the levy booked that day into the city's account (RKUD)."""

    day: date
    bank: str
    account: str
    rows: list[TotalRow]
    close: DailyClose | None

    @property
    def total(self) -> int:
        return sum(row.amount for row in self.rows)

    @property
    def total_in_words(self) -> str:
        return rupiah_in_words(self.total)


def sts_for_day(*, day: date) -> Sts:
    return Sts(day=day, bank=settings.TREASURY_RKUD_BANK, account=settings.TREASURY_RKUD_ACCOUNT,
               rows=account_rows(LedgerEntry.objects.filter(book_day=day)),
               close=DailyClose.objects.filter(day=day).first())


STS_COLUMNS = ("day", "rkud_bank", "rkud_account", "account_code", "amount")


def sts_csv(*, sts: Sts) -> bytes:
    """One row per revenue account code; like the ledger CSV, no totals row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(STS_COLUMNS)
    writer.writerows((sts.day.isoformat(), sts.bank, sts.account, row.key, row.amount)
                     for row in sts.rows)
    return buffer.getvalue().encode("utf-8")
