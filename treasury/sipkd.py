"""A closed day's receipts in the layout the city's finance system (SIPKD) imports: one row per
revenue account code with the day's STS number, the city's account (RKUD) and whole rupiah, then
a control row with the number of rows and their total.

The layout is documented in ``docs/treasury/sipkd-export.md``; change both together. Only a
closed day is exported: its figures never change, and its STS number exists. The same bytes are
downloaded by the treasury and, later, pushed to the finance system (``daily_close_export``)."""

import csv
import io

from django.conf import settings

from payments.models import InvoiceLine
from treasury.models import DailyClose, LedgerEntry
from treasury.selectors.closing import TotalRow, account_rows

COLUMNS = ("tanggal_buku", "nomor_sts", "kode_rekening", "uraian_rekening", "jumlah",
           "rekening_rkud", "bank", "jumlah_transaksi")
TRAILER = "TOTAL"
DELIMITER = ";"
# The file is read by the city's finance system, whose language is Indonesian whatever the
# reader's: this description is data, not a page's text.
SUSPENSE_DESCRIPTION = "Titipan penerimaan retribusi belum teridentifikasi"


def _descriptions(close: DailyClose, codes: list[str]) -> dict[str, str]:
    """Each code's Indonesian description: the label of the latest bill line booked to it among
    the day's bills (the label the tariff gave it; SIPKD keys on the code, not on this)."""
    lines = (InvoiceLine.objects
             .filter(account_code__in=codes, invoice__ledger_entries__book_day=close.day)
             .order_by("pk").values_list("account_code", "label_id"))
    found = dict(lines)  # the latest label wins
    found[settings.TREASURY_SUSPENSE_ACCOUNT] = SUSPENSE_DESCRIPTION
    return found


def receipt_rows(close: DailyClose) -> list[TotalRow]:
    """The day's ledger summed per revenue account code, leaving out a code whose entries net to
    zero (money moved out of suspense the day it came in): there is nothing to receive."""
    return [row for row in account_rows(LedgerEntry.objects.filter(book_day=close.day))
            if row.amount]


def daily_close_filename(close: DailyClose) -> str:
    """sipkd-2026-11-27-STS-2026-000123.csv"""
    return f"sipkd-{close.day.isoformat()}-{close.sts_number.replace('/', '-')}.csv"


def daily_close_export(close: DailyClose) -> bytes:
    """The SIPKD file of a closed day: semicolon-separated, UTF-8 without a byte-order mark,
    CRLF, a header row, one row per revenue account code and the control row
    ``TOTAL;<rows>;<sum of jumlah>``."""
    if not close.sts_number:
        raise ValueError(f"The close of {close.day} has no STS number.")
    rows = receipt_rows(close)
    described = _descriptions(close, [row.key for row in rows])
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(
        (close.day.isoformat(), close.sts_number, row.key, described.get(row.key, ""),
         row.amount, settings.TREASURY_RKUD_ACCOUNT, settings.TREASURY_RKUD_BANK, row.entries)
        for row in rows)
    writer.writerow((TRAILER, len(rows), sum(row.amount for row in rows)))
    return buffer.getvalue().encode("utf-8")
