"""Answers to a permit type's form fields, as stored in ``Application.answers`` (JSON) and as shown.

Stored shapes, which fee rules and documents read: text and choice as strings, numbers as JSON
numbers, dates as ISO strings, addresses as ``{"street", "kelurahan", "kecamatan"}``. A blank
answer is left out, so ``Application.missing_requirements`` sees it as missing.
"""

from datetime import date
from decimal import Decimal

from django.utils import formats

from licensing.models import FieldKind, FormField, Kecamatan

BLANK = (None, "", {})


def answer_to_json(kind: str, value):
    if value in BLANK:
        return None
    if kind == FieldKind.NUMBER:
        return int(value) if value == value.to_integral_value() else float(value)
    if kind == FieldKind.DATE:
        return value.isoformat()
    return value


def answer_from_json(kind: str, value):
    """The value a form field starts from."""
    if value in BLANK:
        return None
    if kind == FieldKind.NUMBER:
        return Decimal(str(value))
    if kind == FieldKind.DATE:
        return date.fromisoformat(value)
    return value


def answer_display(field: FormField, value) -> str:
    if value in BLANK:
        return ""
    if field.kind == FieldKind.NUMBER:
        return f"{formats.number_format(value)} {field.unit_label}".strip()
    if field.kind == FieldKind.DATE:
        return formats.date_format(date.fromisoformat(value), "j F Y")
    if field.kind == FieldKind.CHOICE:
        return dict(field.choice_pairs()).get(value, value)
    if field.kind == FieldKind.ADDRESS:
        kecamatan = value.get("kecamatan", "")
        parts = [
            value.get("street", ""),
            value.get("kelurahan", ""),
            Kecamatan(kecamatan).label if kecamatan in Kecamatan.values else kecamatan,
        ]
        return ", ".join(part for part in parts if part)
    return str(value)
