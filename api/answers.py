"""Answers to a permit type's form as a program sends them (JSON), checked field by field the
way the page's form checks them, and stored in the same shapes (``licensing.answers``)."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from licensing.answers import answer_to_json
from licensing.models import FieldKind, Kecamatan, PermitType

TEXT_LIMIT = 1000
STREET_LIMIT = 300
KELURAHAN_LIMIT = 100


def _number(field, value):
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(_("Enter a number."))
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(_("Enter a number.")) from None
    if not number.is_finite() or abs(number) >= 10 ** 12:
        raise ValueError(_("Enter a number."))
    if field.min_value is not None and number < field.min_value:
        raise ValueError(_("Enter at least %(limit)s.") % {"limit": field.min_value.normalize()})
    if field.max_value is not None and number > field.max_value:
        raise ValueError(_("Enter at most %(limit)s.") % {"limit": field.max_value.normalize()})
    return number.quantize(Decimal("0.01"))


def _date(field, value):
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def _address(field, value):
    if not isinstance(value, dict) or set(value) != {"street", "kelurahan", "kecamatan"}:
        raise ValueError(_("Send street, kelurahan and kecamatan."))
    street, kelurahan, kecamatan = value["street"], value["kelurahan"], value["kecamatan"]
    if not (isinstance(street, str) and 0 < len(street) <= STREET_LIMIT
            and isinstance(kelurahan, str) and 0 < len(kelurahan) <= KELURAHAN_LIMIT):
        raise ValueError(_("Send street, kelurahan and kecamatan."))
    if kecamatan not in Kecamatan.values:
        raise ValueError(_("This kecamatan is not in Pekanbaru."))
    return {"street": street, "kelurahan": kelurahan, "kecamatan": kecamatan}


def answers_parse(*, permit_type: PermitType, data) -> dict:
    """The stored answers, or ``ValidationError`` naming each field that is wrong."""
    if not isinstance(data, dict):
        raise ValidationError({"answers": [_("Send the answers as an object.")]})
    fields = {field.key: field for field in permit_type.form_fields.all()}
    errors, answers = {}, {}
    for key in data:
        if key not in fields:
            errors[f"answers.{str(key)[:50]}"] = [_("This permit type has no such field.")]
    for key, field in fields.items():
        value = data.get(key)
        if value in (None, ""):
            continue  # completeness is judged at submission, as on the page
        try:
            if field.kind == FieldKind.NUMBER:
                parsed = _number(field, value)
            elif field.kind == FieldKind.DATE:
                parsed = _date(field, value)
                if parsed is None:
                    raise ValueError(_("Enter a date as YYYY-MM-DD."))
            elif field.kind == FieldKind.CHOICE:
                if not isinstance(value, str) or value not in dict(field.choice_pairs()):
                    raise ValueError(_("Choose one of the listed values."))
                parsed = value
            elif field.kind == FieldKind.ADDRESS:
                parsed = _address(field, value)
            else:
                if not isinstance(value, str) or len(value) > TEXT_LIMIT:
                    raise ValueError(_("Enter text of at most 1000 characters."))
                parsed = value
        except ValueError as error:
            errors[f"answers.{key}"] = [str(error)]
            continue
        answers[key] = answer_to_json(field.kind, parsed)
    if errors:
        raise ValidationError(errors)
    return answers
