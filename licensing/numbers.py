"""Numbers as people in Pekanbaru type them: ``7,5`` and ``1.250,75`` (Indonesian: comma for
decimals, dot for thousands) as well as ``7.5`` and ``1,250.75`` (English).

A number is read only when its reading is certain, or made certain by the page's language: one
separator followed by exactly three digits (``1.500``, ``1,500``) is a thousands separator in
the language that uses it so (Indonesian ``.``, English ``,``) and a decimal point otherwise.
Anything else that is not a well-formed number is refused with a message, never guessed:
``7,5`` must never become 75. The value read is shown back to the person (the application page
echoes it beside the fee).
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Digits with dots and commas, an optional sign; spaces (and the rupiah sign) are dropped first.
SHAPE = re.compile(r"^-?[0-9.,]+$")
GROUPED = re.compile(r"^\d{1,3}(?:X\d{3})+$")  # X stands for the thousands separator
MAX_LENGTH = 40  # bounded before it is read

NOT_A_NUMBER = _("Enter a number, such as 7,5 or 1.250 (a comma for decimals, a dot for "
                 "thousands).")


def _thousands_ok(integer_part: str, separator: str) -> bool:
    return bool(GROUPED.match(integer_part.replace(separator, "X")))


def parse_number(text: str, *, language: str | None = None) -> Decimal:
    """The number ``text`` means, or ``ValidationError``. ``language``: the page's (the active
    language by default); it settles only ``1.500`` and ``1,500``."""
    raw = str(text).strip()[:MAX_LENGTH + 1]
    if len(raw) > MAX_LENGTH:
        raise ValidationError(NOT_A_NUMBER, code="invalid")
    cleaned = re.sub(r"(?i)^rp\.?", "", raw).replace("\u00a0", "").replace(" ", "")
    if not cleaned or not SHAPE.match(cleaned) or not any(ch.isdigit() for ch in cleaned):
        raise ValidationError(NOT_A_NUMBER, code="invalid")
    sign, digits = ("-", cleaned[1:]) if cleaned.startswith("-") else ("", cleaned)
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        # Both: the one written last is the decimal separator, and it appears once.
        decimal_sep = "." if digits.rfind(".") > digits.rfind(",") else ","
        thousands = "," if decimal_sep == "." else "."
        integer_part, _sep, fraction = digits.rpartition(decimal_sep)
        if digits.count(decimal_sep) != 1 or not fraction or not _thousands_ok(integer_part,
                                                                               thousands):
            raise ValidationError(NOT_A_NUMBER, code="invalid")
        return _decimal(sign + integer_part.replace(thousands, "") + "." + fraction)
    separator = "." if dots else "," if commas else ""
    if not separator:
        return _decimal(sign + digits)
    count = dots or commas
    if count > 1:  # 1.250.000: only thousands
        if not _thousands_ok(digits, separator):
            raise ValidationError(NOT_A_NUMBER, code="invalid")
        return _decimal(sign + digits.replace(separator, ""))
    integer_part, _sep, fraction = digits.partition(separator)
    if not integer_part or not fraction:
        raise ValidationError(NOT_A_NUMBER, code="invalid")
    language = (language or get_language() or "id")[:2]
    thousands_here = "," if language == "en" else "."
    if len(fraction) == 3 and integer_part != "0" and separator == thousands_here:
        return _decimal(sign + integer_part + fraction)
    return _decimal(sign + integer_part + "." + fraction)


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValidationError(NOT_A_NUMBER, code="invalid") from None


class NumberInput(forms.TextInput):
    """A text box with the phone's decimal keypad (``type=number`` refuses a comma in some
    browsers and locales); the value is shown the way the page's language writes it."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int | float):
            return formats.number_format(value, use_l10n=True, force_grouping=False)
        return super().format_value(value)


class NumberField(forms.DecimalField):
    """A decimal typed the Indonesian or the English way (``parse_number``)."""

    widget = NumberInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_number(value)
        if not number.is_finite():
            raise ValidationError(NOT_A_NUMBER, code="invalid")
        return number


class RupiahField(forms.IntegerField):
    """Whole rupiah, typed ``1.500.000``, ``Rp 1.500.000`` or ``1,500,000``."""

    widget = NumberInput
    default_error_messages = {
        "invalid": NOT_A_NUMBER,
        "whole": _("Enter whole rupiah, such as 1.500.000 (no cents)."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            number = parse_number(value)
        except ValidationError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if number != number.to_integral_value():
            raise ValidationError(self.error_messages["whole"], code="whole")
        return int(number)
