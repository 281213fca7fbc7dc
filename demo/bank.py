"""The city's bank statement for the month, as the bank would export it: a CSV in the layout of
``docs/treasury/bank-statement-csv.md`` (date, reference, description, debit, credit, balance),
oldest line first, with the running balance."""

import csv
import io
from dataclasses import dataclass
from datetime import date

# What the RKUD held before the month (it holds far more than the levies: taxes, transfers).
OPENING_BALANCE = 4_812_350_000


@dataclass(frozen=True)
class StatementLine:
    booked_on: date
    description: str
    amount: int  # whole rupiah: credit positive, debit negative


def payout_line(*, booked_on: date, payout_id: str, amount: int) -> StatementLine:
    """The gateway's transfer names its payout, as the bank passes the sender's reference on."""
    return StatementLine(booked_on, f"IZIN PAYOUT {payout_id}", amount)


def counter_line(*, booked_on: date, billing_code: str, payer: str, amount: int) -> StatementLine:
    """A levy paid at a teller: the bank writes the billing code the payer gave."""
    return StatementLine(booked_on, f"SETORAN RETRIBUSI KODE BAYAR {billing_code} {payer}",
                         amount)


def statement_csv(lines: list[StatementLine]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["date", "reference", "description", "debit", "credit", "balance"])
    balance = OPENING_BALANCE
    ordered = sorted(lines, key=lambda line: line.booked_on)
    for number, line in enumerate(ordered, start=1):
        balance += line.amount
        writer.writerow([
            line.booked_on.isoformat(), f"FT{line.booked_on:%y%m%d}{number:05d}",
            line.description, -line.amount if line.amount < 0 else "",
            line.amount if line.amount > 0 else "", balance,
        ])
    return buffer.getvalue().encode()
