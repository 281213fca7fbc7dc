"""The bank statement in SWIFT MT940, read through the maintained ``mt-940`` library.

The library reads each field (dates, debit/credit marks, amounts, references); this module
finds the fields with their line numbers, so that every problem names its line, and checks
what the library leaves to its callers: the city's account, rupiah, whole amounts, a closing
balance present (a file cut short has none) and equal to the opening balance plus the bookings.
A file may hold several statements (each from ``:20:`` to its closing balance).
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import InvalidOperation

import mt940
from django.conf import settings
from django.utils.translation import gettext as _

from .reading import (
    ParsedLine,
    ParsedStatement,
    Problems,
    account_digits,
    balance_problem,
    check_account,
    check_text_lengths,
    decode,
    one_line,
)

# Every fix the library offers: a byte-order mark dropped, reversals signed, details unbounded.
OPTIONS = mt940.Options.all()
_TAG = re.compile(r":(?P<tag>(?P<number>[0-9]{2}|NS)[A-Z]?):(?P<rest>.*)")
OPENING = ("final_opening_balance", "opening_balance", "intermediate_opening_balance")
CLOSING = ("final_closing_balance", "closing_balance", "intermediate_closing_balance")
NO_REFERENCE = "NONREF"
# SWIFT lines hold 65 characters: a full line was wrapped mid-text, a shorter one at a word.
_FULL_LINE = 65


@dataclass
class Field:
    tag: str
    line_number: int
    lines: list[str]

    @property
    def value(self) -> str:
        return "\n".join(self.lines).strip()


@dataclass
class _Booking:
    line_number: int
    data: dict
    details: list[str] = field(default_factory=list)


def read_mt940(data: bytes) -> ParsedStatement:
    problems = Problems()
    text = decode(data, problems)
    problems.raise_any()
    fields = _fields(text, problems)
    statement = ParsedStatement(account_number=account_digits(settings.TREASURY_RKUD_ACCOUNT))
    blocks = _statements(fields)
    if not blocks and not problems.found:
        problems.add(1, _("The file holds no MT940 statement (no :20: field)."))
    for block in blocks:
        _read_statement(block, statement, problems)
    if blocks and not statement.lines and not problems.found:
        problems.add(blocks[-1][-1].line_number, _("The file holds no bookings."))
    problems.raise_any()
    return statement


def _tag_of(line: str) -> str | None:
    """The field a line opens, if it opens one the library knows (like the library, anything
    else is part of the field before it)."""
    match = _TAG.match(line)
    if match is None:
        return None
    known = mt940.tags.TAG_BY_ID
    number = mt940.models.Transactions.normalize_tag_id(match["number"])
    return match["tag"] if match["tag"] in known or number in known else None


def _fields(text: str, problems: Problems) -> list[Field]:
    fields: list[Field] = []
    for line_number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r").rstrip()
        if not line.strip():
            continue
        if line.startswith("{") or line.strip() in ("-", "-}"):
            # The SWIFT envelope around the statement ({1:...}{4: ... -}): not statement text.
            fields.append(Field(tag="", line_number=line_number, lines=[]))
            continue
        tag = _tag_of(line)
        if tag:
            fields.append(Field(tag=tag, line_number=line_number,
                                lines=[line[len(tag) + 2:]]))
        elif fields and fields[-1].tag:
            fields[-1].lines.append(line)
        else:
            problems.add(line_number, _("This line is outside any MT940 field."))
    return [item for item in fields if item.tag]


def _statements(fields: list[Field]) -> list[list[Field]]:
    blocks: list[list[Field]] = []
    for item in fields:
        if item.tag == "20" or not blocks:
            blocks.append([])
        blocks[-1].append(item)
    return blocks


def _library_read(item: Field, collection: mt940.models.Transactions,
                  problems: Problems) -> dict | None:
    known = mt940.tags.TAG_BY_ID
    tag = known.get(item.tag) or known[collection.normalize_tag_id(item.tag[:2])]
    # The tag's own pattern first: the library would log the bank's text of a field it cannot
    # read, and the problem list already says which line it is.
    if tag.re.match(item.value) is None:
        reason = _("The :%(tag)s: field is not in the MT940 layout.")
    else:
        try:
            return tag(collection, tag.parse(collection, item.value))
        except ValueError:
            reason = _("The :%(tag)s: field has an impossible date.")
        except InvalidOperation:
            reason = _("The :%(tag)s: field has an amount that is not a number.")
    problems.add(item.line_number, reason % {"tag": item.tag})
    return None


def _whole_rupiah(amount, line_number: int, problems: Problems) -> int | None:
    """A library ``Amount`` in whole rupiah; None (and a problem) otherwise."""
    if amount.currency and amount.currency.upper() != "IDR":
        problems.add(line_number, _("The amount is in %(currency)s, not in rupiah (IDR).")
                     % {"currency": amount.currency})
        return None
    if amount.amount != amount.amount.to_integral_value():
        problems.add(line_number, _("The amount %(amount)s has a fraction of a rupiah; amounts "
                                    "are whole rupiah.") % {"amount": amount.amount})
        return None
    return int(amount.amount)


def _read_statement(block: list[Field], statement: ParsedStatement,
                    problems: Problems) -> None:
    collection = mt940.models.Transactions(options=OPTIONS)
    bookings: list[_Booking] = []
    balances: dict[str, tuple[Field, int | None]] = {}
    found_before = len(problems.found)
    for item in block:
        result = _library_read(item, collection, problems)
        if item.tag == "61":
            if any(key in balances for key in CLOSING):
                problems.add(item.line_number, _("A booking (:61:) comes after the closing "
                                                 "balance."))
            bookings.append(_Booking(line_number=item.line_number, data=result or {}))
        elif item.tag == "86":
            if bookings:
                bookings[-1].details = item.lines
        elif result is not None:
            collection.data.update(result)
            if item.tag == "25":
                check_account(result["account_identification"], item.line_number, problems)
            for key in OPENING + CLOSING:
                if key in result:
                    balances[key] = (item, _whole_rupiah(result[key].amount, item.line_number,
                                                         problems))
    _check_structure(block, problems)
    lines = [_line(booking, problems) for booking in bookings]
    if len(problems.found) == found_before:
        _check_balance(balances, sum(line.amount for line in lines), problems)
        statement.lines.extend(lines)


def _check_structure(block: list[Field], problems: Problems) -> None:
    """The fields every statement has, present (whether or not they could be read)."""
    first, tags = block[0], {item.tag for item in block}
    if first.tag != "20":
        problems.add(first.line_number, _("The statement does not start with a :20: field."))
    if "25" not in tags:
        problems.add(first.line_number, _("The statement has no account number (:25:)."))
    if not tags & {"60F", "60M", "60"}:
        problems.add(first.line_number, _("The statement has no opening balance (:60F:)."))
    if not tags & {"62F", "62M", "62"}:
        problems.add(block[-1].line_number, _("The statement has no closing balance (:62F:): "
                                              "the file may be cut short."))


def _line(booking: _Booking, problems: Problems) -> ParsedLine | None:
    data = booking.data
    if not data:
        return None
    amount = _whole_rupiah(data["amount"], booking.line_number, problems)
    customer_reference = (data.get("customer_reference") or "").strip()
    if customer_reference.upper() == NO_REFERENCE:
        customer_reference = ""
    reference = (data.get("bank_reference") or "").strip() or customer_reference
    # The customer's reference is kept in the description when the bank's own is the
    # reference: a payer at a teller may have written the billing code there.
    parts = [customer_reference if customer_reference != reference else "",
             _joined(booking.details) or (data.get("extra_details") or "")]
    description = one_line(" ".join(parts))
    check_text_lengths(reference, description, booking.line_number, problems)
    if amount is None:
        return None
    booked_on = data.get("entry_date") or data["date"]  # the booking date, else the value date
    return ParsedLine(line_number=booking.line_number,
                      booked_on=date(booked_on.year, booked_on.month, booked_on.day),
                      amount=amount,
                      reference=reference, description=description)


def _joined(lines: list[str]) -> str:
    """The lines of a :86: field as one text: a full line runs on into the next."""
    parts = []
    for before, line in zip([None, *lines], lines, strict=False):
        if before is not None and len(before) < _FULL_LINE:
            parts.append(" ")
        parts.append(line)
    return "".join(parts)


def _check_balance(balances: dict, total: int, problems: Problems) -> None:
    opening = next((balances[key] for key in OPENING if key in balances), None)
    closing = next((balances[key] for key in CLOSING if key in balances), None)
    if opening is None or closing is None or None in (opening[1], closing[1]):
        return
    if opening[1] + total != closing[1]:
        problems.add(closing[0].line_number,
                     balance_problem(opening=opening[1], total=total, closing=closing[1]))
