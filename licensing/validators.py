"""Validators for Indonesian business identifiers. Messages are shown to applicants as they are."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s.\-]")


def digits_only(value: str) -> str:
    """NPWP is often written 01.234.567.8-123.000: keep the digits, drop the punctuation."""
    return _SEPARATORS.sub("", value or "")


def validate_nib(value: str) -> None:
    """NIB (Nomor Induk Berusaha, the business identification number) has 13 digits."""
    if not re.fullmatch(r"\d{13}", value or ""):
        raise ValidationError(_("NIB must be exactly 13 digits."), code="invalid_nib")


def validate_npwp(value: str) -> None:
    """NPWP (the taxpayer number) has 15 digits, or 16 since the 2024 NIK-based format."""
    if not re.fullmatch(r"\d{15}|\d{16}", value or ""):
        raise ValidationError(_("NPWP must be 15 or 16 digits."), code="invalid_npwp")


def validate_nik(value: str) -> None:
    """NIK (the national identity number) has 16 digits."""
    if not re.fullmatch(r"\d{16}", value or ""):
        raise ValidationError(_("NIK must be exactly 16 digits."), code="invalid_nik")


def validate_kbli(value: str) -> None:
    """KBLI (the Indonesian standard industrial classification) codes have 5 digits."""
    if not re.fullmatch(r"\d{5}", value or ""):
        raise ValidationError(
            _("KBLI code %(code)s must be 5 digits."), code="invalid_kbli", params={"code": value}
        )


def validate_kbli_list(values: list[str]) -> None:
    if not values:
        raise ValidationError(_("Enter at least one KBLI code."), code="kbli_required")
    for value in values:
        validate_kbli(value)
