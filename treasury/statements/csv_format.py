"""The bank statement in CSV, in the layout of docs/treasury/bank-statement-csv.md.

A header row names the columns (any order, any case); ``date``, ``reference``, ``description``,
``debit`` and ``credit`` are required, ``balance`` and ``account`` optional, others ignored.
Lines come oldest first; where the running balance is given it must follow from the previous
line's balance and this line's amount.
"""

import csv
import io
import re
from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext as _

from licensing.formats import rupiah

from .reading import (
    ParsedLine,
    ParsedStatement,
    Problems,
    account_digits,
    check_account,
    check_text_lengths,
    decode,
    one_line,
)

REQUIRED = ("date", "reference", "description", "debit", "credit")
OPTIONAL = ("balance", "account")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
# Whole rupiah: plain digits or digits grouped by thousands with one separator, "." or ",";
# then at most a zero fraction (",00" or ".00") with the other separator.
_AMOUNT = re.compile(r"(?P<whole>\d+|\d{1,3}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*)"
                     r"(?:(?P<dec>[.,])(?P<fraction>\d{2}))?")


def read_csv(data: bytes) -> ParsedStatement:
    problems = Problems()
    text = decode(data, problems)
    problems.raise_any()
    # The header's separator is the file's: ";" when it holds one (spreadsheets set to
    # Indonesian write it), "," otherwise.
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    rows = csv.reader(io.StringIO(text, newline=""),
                      delimiter=";" if ";" in first_line else ",", strict=True)
    statement = ParsedStatement(account_number=account_digits(settings.TREASURY_RKUD_ACCOUNT))
    columns = width = None
    previous_balance = None
    line_number = 1
    try:
        for row in rows:
            start, line_number = line_number, rows.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if columns is None:
                columns, width = _header(row, start, problems), len(row)
                if columns is None:
                    break
                continue
            if len(row) != width:
                problems.add(start, _("The line has %(found)s fields; the header has "
                                      "%(expected)s.") % {"found": len(row), "expected": width})
                previous_balance = None
                continue
            line, balance = _row(row, columns, start, problems)
            if line and None not in (balance, previous_balance) and (
                    previous_balance + line.amount != balance):
                problems.add(start, _(
                    "The balance %(balance)s does not follow from the previous line's balance "
                    "%(previous)s and this line's amount %(amount)s.") % {
                    "balance": rupiah(balance), "previous": rupiah(previous_balance),
                    "amount": rupiah(line.amount)})
            previous_balance = balance if line else None
            if line:
                statement.lines.append(line)
    except csv.Error:
        problems.add(line_number, _("The line is not valid CSV (check its quotes)."))
    if columns is not None and not statement.lines and not problems.found:
        problems.add(line_number, _("The file holds no bookings."))
    problems.raise_any()
    return statement


def _header(row: list[str], line_number: int, problems: Problems) -> dict[str, int] | None:
    names = [cell.strip().lower() for cell in row]
    columns = {}
    for index, name in enumerate(names):
        if name in REQUIRED + OPTIONAL:
            if name in columns:
                problems.add(line_number, _("The header names the column %(column)s twice.")
                             % {"column": name})
            columns[name] = index
    missing = [name for name in REQUIRED if name not in columns]
    for name in missing:
        problems.add(line_number, _("The header has no column %(column)s (the first line must "
                                    "name the columns).") % {"column": name})
    return None if missing else columns


def _row(row: list[str], columns: dict[str, int], line_number: int,
         problems: Problems) -> tuple[ParsedLine | None, int | None]:
    """The booking on this row and the balance after it (None when not given); (None, None) and
    problems when the row cannot be read."""
    found_before = len(problems.found)
    cells = {name: row[index].strip() for name, index in columns.items()}
    booked_on = _date(cells["date"], line_number, problems)
    debit = _amount(cells["debit"], _("debit"), line_number, problems)
    credit = _amount(cells["credit"], _("credit"), line_number, problems)
    balance = _amount(cells.get("balance", ""), _("balance"), line_number, problems,
                      signed=True)
    if debit and credit:
        problems.add(line_number, _("The line has both a debit and a credit."))
    elif not debit and not credit and len(problems.found) == found_before:
        problems.add(line_number, _("The line has neither a debit nor a credit."))
    if cells.get("account"):
        check_account(cells["account"], line_number, problems)
    check_text_lengths(cells["reference"], cells["description"], line_number, problems)
    if len(problems.found) != found_before:
        return None, None
    line = ParsedLine(line_number=line_number, booked_on=booked_on, amount=credit or -debit,
                      reference=one_line(cells["reference"]),
                      description=one_line(cells["description"]))
    return line, balance


def _date(value: str, line_number: int, problems: Problems) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    problems.add(line_number, _("The date “%(value)s” is not a date written YYYY-MM-DD or "
                                "DD/MM/YYYY.") % {"value": value})
    return None


def _amount(value: str, column: str, line_number: int, problems: Problems, *,
            signed: bool = False) -> int | None:
    """Whole rupiah; None when the cell is empty. Zero counts as empty: banks write 0 in the
    column a line does not use."""
    if not value:
        return None
    sign = 1
    if signed and value.startswith("-"):
        sign, value = -1, value[1:]
    match = _AMOUNT.fullmatch(value)
    if match is None or (match["dec"] and match["dec"] == match["sep"]):
        problems.add(line_number, _("The %(column)s “%(value)s” is not an amount in whole "
                                    "rupiah.") % {"column": column, "value": value})
        return None
    if match["fraction"] not in (None, "00"):
        problems.add(line_number, _("The %(column)s “%(value)s” has a fraction of a rupiah; "
                                    "amounts are whole rupiah.")
                     % {"column": column, "value": value})
        return None
    amount = sign * int(re.sub(r"\D", "", match["whole"]))
    return amount if amount or signed else None
