"""Indonesian mobile numbers, as people type them and as providers want them (E.164)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# People write 0812-3456-7890, +62 812 3456 7890 or (0812) 3456 7890: the punctuation goes.
_SEPARATORS = re.compile(r"[\s.\-()]")
# After the leading 0 (or 62), a mobile number is 8 and then 8 to 11 digits: 0812-345-678
# (ten digits, the oldest) to 0812-3456-78901 (thirteen). Landlines (021…, 0761…) take no SMS.
_MOBILE = re.compile(r"(?:\+?62|0)(8\d{8,11})")

INVALID = _("Enter an Indonesian mobile number, such as 0812 3456 7890 or +62 812 3456 7890.")


def phone_normalise(value: str) -> str:
    """``0812-3456-7890`` → ``+6281234567890``; ``""`` stays ``""``; anything else is refused."""
    digits = _SEPARATORS.sub("", value or "")
    if not digits:
        return ""
    match = _MOBILE.fullmatch(digits)
    if match is None:
        raise ValidationError(INVALID, code="invalid_phone")
    return f"+62{match.group(1)}"


def validate_phone(value: str) -> None:
    """The stored form: E.164, as ``phone_normalise`` writes it."""
    if value and phone_normalise(value) != value:
        raise ValidationError(INVALID, code="invalid_phone")
