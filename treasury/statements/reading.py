"""What every statement reader returns, and how it refuses a file: with every problem found,
each as (line number, reason in the user's language), so the bank's file can be fixed at once."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from licensing.formats import rupiah

# What the bank line model holds (``treasury.models.bank.BankLine``).
REFERENCE_MAX = 64
DESCRIPTION_MAX = 500


class StatementRefused(Exception):
    """The file was not imported. ``problems``: (line number, translated reason), in file order."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__(f"{len(problems)} problem(s) in the statement file")
        self.problems = sorted(problems, key=lambda problem: problem[0])


@dataclass(frozen=True)
class ParsedLine:
    """One booking: credits positive, debits negative, whole rupiah."""

    line_number: int
    booked_on: date
    amount: int
    reference: str
    description: str


@dataclass
class ParsedStatement:
    account_number: str
    lines: list[ParsedLine] = field(default_factory=list)


@dataclass
class Problems:
    found: list[tuple[int, str]] = field(default_factory=list)

    def add(self, line_number: int, reason: str) -> None:
        self.found.append((line_number, reason))

    def raise_any(self) -> None:
        if self.found:
            raise StatementRefused(self.found)


def decode(data: bytes, problems: Problems) -> str | None:
    """UTF-8 text, with or without a byte-order mark; None (and a problem) otherwise."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line_number = data[: error.start].count(b"\n") + 1
        problems.add(line_number, _("The file is not UTF-8 text (the bank's export must be "
                                    "saved as UTF-8)."))
        return None
    if not text.strip():
        problems.add(1, _("The file is empty."))
        return None
    return text


def account_digits(value: str) -> str:
    """An account number as banks print it (spaces, dots, dashes) reduced to what it is."""
    return re.sub(r"[\s.\-]", "", value)


def check_account(found: str, line_number: int, problems: Problems) -> None:
    """The file's account must be the city's (RKUD): ``1060012345678``, or with the bank's code
    in front, ``BRKSIDJA/1060012345678``."""
    expected = account_digits(settings.TREASURY_RKUD_ACCOUNT)
    value = account_digits(found)
    if value != expected and not value.endswith("/" + expected):
        problems.add(line_number, _("The account %(found)s is not the city's account "
                                    "%(expected)s.") % {"found": found.strip() or "—",
                                                        "expected": expected})


def check_text_lengths(reference: str, description: str, line_number: int,
                       problems: Problems) -> None:
    if len(reference) > REFERENCE_MAX:
        problems.add(line_number, _("The reference is longer than %(max)s characters.")
                     % {"max": REFERENCE_MAX})
    if len(description) > DESCRIPTION_MAX:
        problems.add(line_number, _("The description is longer than %(max)s characters.")
                     % {"max": DESCRIPTION_MAX})


def balance_problem(*, opening: int, total: int, closing: int) -> str:
    return _("The opening balance %(opening)s and the bookings (%(total)s) come to %(expected)s, "
             "but the closing balance is %(closing)s.") % {
        "opening": rupiah(opening), "total": rupiah(total), "expected": rupiah(opening + total),
        "closing": rupiah(closing)}


def one_line(text: str) -> str:
    """Whitespace (line breaks in a description) collapsed, as it is stored and compared."""
    return " ".join(text.split())
